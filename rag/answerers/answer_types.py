"""What kind of thing a question asks for, and whether a sentence holds it.

A "when" wants a point in time and "how long" a stretch of it, a "how many X" a quantity
of X, a "who" someone who acts (a person when it asks who leads or holds a post, or for a
name), a "why" a reason, "what did X say" (or think, or promise) the words of X just before
the verb that reports them, and "should ..." a sentence that advises. The extractive
answerer uses the verdict as one feature of a sentence; these are reading rules about
English questions, not a model, and know nothing of any one article.
"""

from __future__ import annotations

import re

from rag import text as T
from rag.answerers.asked import PEOPLE_NOUNS, asked_words, mentions
from rag.answerers.premises import asked_event
from rag.lexicon import synonyms, term_in, term_match
from rag.questions import Question

# A question about why the writer brings something up, not why it happened.
PURPOSE = re.compile(
    r"(?i)\bwhy\s+(?:does|did|would|is)\s+(?:the\s+)?(?:article|author|writer|piece|report|story)\s+"
    r"(?:mention|mentioning|cite|citing|quote|quoting|bring|bringing|refer|referring|include|including|recall)"
)
# "What does 'while we're talking, we're not shooting' mean here?": the sentence after the one
# that says it tells what it means.
MEANING = re.compile(
    r"(?i)\bwhat\s+(?:does|did|do|is)\s+.+\s+(?:mean|meant|refer\s+to|suggest|imply)\b"
    r"|\bhow\s+(?:does|did|do)\s+.+\s+(?:relate|apply|connect)\b"
    r"|\b(?:significance|meaning|point|relevance)\s+of\b"
)
CAUSAL = re.compile(
    r"(?i)\b(because|due to|driven by|since|as a result|in order to|so that|reason|led to|leading to|lead to|"
    r"sparked|caused|to pressure|aimed at|seeking to|in an effort|as a deterrent|recognition that|to demonstrate|"
    r"to maintain|to avoid|to reach|to secure|to work out|"
    # What stands in the way explains a failure: "the difficulties in bridging the gaps".
    r"difficult|difficulties|gaps?|obstacles?|sticking points?|disagreements?|divisions?|at odds)\b"
)
# Nouns that name who did something; "delegations", "sides" or "parties" name the
# negotiating parties themselves and answer no "who" that the question does not already.
_GROUP_WORDS = re.compile(
    r"(?i)\b(experts?|officials?|minister|president|leaders?|government|spokes\w+|analysts?|diplomats?|"
    r"mediators?|negotiators?|military|army|forces|authorities|residents|citizens|police|court|council|"
    r"committee|company|companies|ministry|agency|observers|critics|sources)\b"
)
_HOW_LONG = re.compile(r"(?i)\bhow\s+long\b")
_DURATION = re.compile(
    r"(?i)\b(?:for|over|within|in|after|take|takes|took|taking|last|lasts|lasted)\s+(?:(?:a|an|the)\s+)?"
    r"(?:(?:few|several|many|couple\s+of|number\s+of|\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+)?"
    r"(?:more\s+)?(?:minutes?|hours?|days?|weeks?|months?|years?|decades?)\b"
    r"|\btakes?\s+(?:some\s+|a\s+long\s+)?time\b|\ba\s+while\b|\blong\s+time\b"
)
_FUTURE_Q = re.compile(
    r"(?i)\b(?:when|(?:which|what)\s+(?:day|date|week|month|year))\s+"
    r"(?:will|would|is\s+\S+(?:\s+\S+){0,4}\s+(?:expected|due|set|going|scheduled))\b"
)
_FUTURE = re.compile(
    r"(?i)\b(?:will|would|shall|next|coming|upcoming|soon|later|expected|due|planned|scheduled|tomorrow|"
    r"continu\w*|ongoing|underway|looms?|imminent)\b"
)
_START = re.compile(
    r"(?i)\b(?:begin|began|begun|beginning|start|started|starting|open|opened|launch|launched|commence\w*)\b"
)
_END = re.compile(
    r"(?i)\b(?:end|ended|ending|finish|finished|conclude|concluded|close|closed|collapsed|broke\s+down)\b"
)
_WHY_ACTOR = re.compile(
    r"\b[Ww]hy\s+(?:is|are|was|were|does|do|did|has|have|had|might|would|could|will)\s+([A-Z][a-z]+)\b"
)
# Words after which a name is the one acted on: "to pressure Hamas", "held over Hamas".
_ACTED_ON = re.compile(
    r"(?i)\b(?:pressure|pressures|pressuring|pressured|push|pushing|force|forcing|urge|urging|over|against|on|into|"
    r"onto|towards?|at)\s+(?:the\s+)?$"
)
_SO_FAR = re.compile(r"(?i)\bhow\s+long\s+(?:did|has|have|had|was|were)\b")
# Neither how much longer nor "can take time" (what such things usually take) says how long it went on.
_LONGER = re.compile(r"(?i)\b(?:more|another|further|longer|additional)\b|\btakes?\s+(?:some\s+)?time\b")
_SPEECH_Q = re.compile(
    r"(?i)\bwhat\s+(?:[a-z]+\s+)?(?:did|does|do|has|have|had|will|would)\s+(?P<speaker>.+?)\s+(?P<verb>"
    r"say|said|tell|told|announce|announced|state|stated|claim|claimed|remark|comment|write|argue|warn|"
    r"promise|promised|pledge|pledged|vow|vowed|propose|proposed|offer|offered|think|thought|believe|feel|"
    r"threaten|threatened)\b"
    # How someone reacted is what they said or did about it.
    r"|\bhow\s+(?:did|does|do|has|have|will)\s+(?P<reacting>.+?)\s+(?:react|reacted|respond|responded)\b"
)
# Lower case on purpose: "the United States" states nothing.
ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|saying|remarked|told|tells|stated|states|announced|claimed|claims|believes?|believed|"
    r"argued|argues|warned|warns|threatened|threatens|noted|added|suggested|insists?|insisted|[Aa]ccording to|"
    r"reports?|reported|"
    r"promised|promises|pledged|vowed|proposed|proposes|offered|offers|thinks?|thought|feels?|felt|fears?|hopes?|"
    r"expects?|responded|reacted|condemned|welcomed|rejected|accepted|denied|demanded|calls?\s+for|called\s+for)\b"
)
# What someone offers, promises or proposes is a commitment, which insisting is not.
_COMMIT_Q = re.compile(r"(?i)^(?:promise|pledge|vow|propose|offer)")
_COMMITMENT = re.compile(
    r"\b(?:promised|promises|promise|pledged|pledges|vowed|vows|proposed|proposes|proposal|offered|offers|"
    r"agreed\s+to|agrees\s+to|committed\s+to|commits\s+to|conceded|concedes|accepted|accepts|put\s+forward)\b"
)
# "What concessions, such as a prisoner release?": a sentence naming none of the examples does
# not answer.
_EXAMPLES = re.compile(r"(?i)\b(?:such\s+as|for\s+example|for\s+instance|e\.g\.)\s+([^,;?]+)")
_TOPIC = re.compile(
    r"(?i)\b(?:about|regarding|concerning|on\s+the\s+(?:subject|issue|question)\s+of|"
    r"(?:stance|position|attitude|policy)\s+(?:on|towards?))\s+(.+)"
)
# "Who said ...?", "Which side proposed ...?": the answer reports someone's words.
_WHO_SAID = re.compile(
    r"(?i)\b(?:who|which\s+\w+)\s+(?:\w+\s+)?(?:said|says|proposed|proposes|suggested|announced|offered|demanded|"
    r"warned|claimed|remarked|believes?|insists?|insisted|called\s+for)\b"
)
_ROLE_Q = re.compile(
    r"(?i)\bwho\s+(?:\w+\s+){0,2}(?:lead|leads|led|leading|head|heads|headed|heading|chair|chairs|chaired|"
    r"command|commands|commanded|runs|replace|replaces|replaced|succeed|succeeds|succeeded)\b"
    r"|\bwho\s+(?:is|was|will\s+be)\s+(?:the\s+)?(?:\w+'s\s+)?(?:\w+\s+)?"
    r"(?:chief|leader|head|negotiator|spokes\w+|minister|president|commander|envoy|ambassador)\b"
    r"|\bwho(?:'s|\s+is|\s+was)?\s+in\s+charge\b"
    r"|\b(?:which|what)\s+(?:\w+\s+)?(?:leaders|officials|ministers|negotiators|commanders|diplomats|delegates|"
    r"envoys|spokes(?:men|women|people))\b"
)
# "What are the names of the hostages?", "What is Hamas's full name?": a proper name of its own.
_NAME_Q = re.compile(r"(?i)\bnames?\s+of\b|\bwhat\s+(?:is|was|are)\s+\w+(?:'s)?\s+(?:full\s+)?names?\b|\bby\s+name\b")
# "Should Israel ...?", also after an opinion asked for: "in your opinion, should Israel ...?"
_SHOULD_Q = re.compile(
    r"(?i)(?:^|[,:;]|\bopinion|\bthink|\bview)\s*(?:should|ought)\b|\bwhat\s+should\b|\bought\s+to\b"
)
_SHOULD = re.compile(r"(?i)\b(?:should|ought|must|needs?\s+to|has\s+to|have\s+to|advis\w+|recommend\w*)\b")
_PINNED = re.compile(
    r"(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|tomorrow|yesterday|"
    r"(?:next|last|this)\s+(?:week|weekend|month|year)|end\s+of\s+the\s+(?:week|month|year)|"
    r"january|february|march|april|june|july|august|september|october|november|december|(?:19|20)\d\d)\b"
)
_SIZE_Q = re.compile(
    r"(?i)\bhow\s+(?:large|big|far|heavy|wide|strong|deep)\b|\b(?:the|its|their|\w+'s)\s+(?:size|population|price|"
    r"(?:death\s+)?toll|distance|length|height|weight|area|budget)\b"
)
_AGE_Q = re.compile(r"(?i)\bhow\s+old\b|\bwhat\s+age\b|'s\s+age\b|\bthe\s+age\s+of\b")
_AGE = re.compile(r"(?i)\b(?:\d+|[a-z]+ty(?:-[a-z]+)?)[\s-]+years?[\s-]+old\b|\baged\s+\d+")
# A deadline, or "what time", is a point in time.
_TIME_Q = re.compile(r"(?i)\bdeadline\b|\btime(?:line|table)\b|\bschedule\b|\bwhat\s+time\b")
# Words between a speaker and the verb that reports them: "The former Israeli Prime Minister
# and President, Shimon Peres, once remarked".
_SPEAKER_REACH = 10
_WRITER = frozenset(
    "article articles author writer piece story report text quote remark statement comment passage headline".split()
)
_PRONOUNS = frozenset("it they he she them you".split())
_NAMES_OF = re.compile(r"(?i)\bnames?\s+of\s+(?:the\s+|those\s+|any\s+)?(\w+)")
_NEAR_NAME = 40  # characters between a name and the word for who it is: "hostages, among them Noa Argamani"
_TITLES = frozenset("prime minister president mr mrs ms dr general king queen sheikh senator secretary".split())
# A person: a title before a name, or a first name and a surname.
_PERSON = re.compile(
    r"\b(?:Prime Minister|President|Minister|Mr|Mrs|Ms|Dr|General|King|Queen|Sheikh|Senator|Secretary)\.?\s+[A-Z][a-z]+"
    r"|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b"
)
# The noun "how many" counts, past any "of the": "how many (of the) hostages".
_COUNTED = re.compile(r"(?i)\bhow\s+many\s+(?:of\s+(?:the|their|those)\s+)?([a-z]+)")
_LOCATIVE = r"in|at|near|into|across|outside|inside|towards?"
# A place follows a locative preposition, or "from": "in Rafah", "at the border near Gaza".
_PLACE_REACH = 6  # words between the thing and its place: "pressure both domestically and from the United States"
_PLACE_PREP = re.compile(rf"\b({_LOCATIVE}|from)\s+(?:the\s+)?([A-Z][a-z]+)")
# Names that cannot be who acted: a place ("talks in Cairo"; "pressure from the United States"
# is an agent) or a demonym used as an adjective ("an Israeli offensive"); the agent is the
# noun it qualifies, if anything.
_NOT_AGENT = re.compile(rf"\b(?:{_LOCATIVE})\s+(?:the\s+)?([A-Z][a-z]+)|\b([A-Z][a-z]+(?:i|ian|ese|ish))\s+(?=[a-z])")


def type_ok(question: Question, sentence: str, known_names: frozenset[str] = frozenset()) -> float:
    """1 when the sentence holds the kind of thing the question asks for, else 0.
    ``known_names``: words the passages capitalise mid-sentence (see ``rag.text.names``)."""
    kind = question.kind
    asked = asked_words(question.text)
    # "Which hotel ...?" is not answered by a sentence without a hotel in it.
    if asked and not any(mentions(w, sentence) for w in asked):
        return 0.0
    # "Which hostages ...?" wants hostages by name: a name far from any hostage is someone else's.
    if asked and asked[0] in PEOPLE_NOUNS and not _names_someone(question, sentence, near=asked[0]):
        return 0.0
    # "Who won ...?" is answered where the winning is: a sentence without the deed names no doer.
    # So is "What is Israel demanding?" where the demanding is, and "What did Hamas accept?".
    deed = asked_event(question.text) if kind in ("who", "what") else ""
    if deed and not _found(deed, sentence.lower(), T.stems(sentence)):
        return 0.0
    if kind == "how_many":
        return float(_counts(question, sentence))
    if kind == "date":
        return float(T.has_date(sentence))
    if kind == "when":
        # "How long" wants a stretch of time; "when" a point in it, which "for a few more
        # days" is not.
        if _HOW_LONG.search(question.text):
            # "How long did the talks last?" asks how long they went on.
            spans = [m.group(0) for m in _DURATION.finditer(sentence)]
            if _SO_FAR.search(question.text):
                spans = [d for d in spans if not _LONGER.search(d)]
            return float(bool(spans))
        # Asked when something began, a sentence that says when it ended does not answer.
        if _START.search(question.text) and _END.search(sentence) and not _START.search(sentence):
            return 0.0
        # "When will the talks resume?" asks for a time to come: "ended on Tuesday" is past.
        if _FUTURE_Q.search(question.text) and not _FUTURE.search(sentence):
            return 0.0
        return float(_point_in_time(sentence))
    if kind == "where":
        # The place must be where the thing asked about is: "an Israeli offensive in Rafah" does not
        # say where the hostages are held.
        plain = [t for t in question.terms if t not in question.entities]
        return float(
            any(
                m.group(2).lower() not in question.entities and _attached(plain, sentence[: m.start()])
                for m in _PLACE_PREP.finditer(sentence)
            )
        )
    # "What did X say" is answered by what X said, believes or insists; "what does the
    # article say about Y" asks about Y.
    speech = _SPEECH_Q.search(question.text)
    speaker = (speech.group("speaker") or speech.group("reacting")) if speech else ""
    if speech and not _writer(speaker):
        verbs = _COMMITMENT if speech.group("verb") and _COMMIT_Q.match(speech.group("verb")) else ATTRIBUTION
        if not _says(speaker, sentence, verbs):
            return 0.0
    # "What did Peres say about Hamas?" is answered by words about Hamas, in that sentence;
    # elsewhere "about" may lean on the sentence before ("worried about Rafah").
    topic = _TOPIC.search(question.text)
    lean = not speech and topic is not None and topic.group(0).lower().startswith("about")
    if topic and not lean and not _about(question, topic.group(1), sentence):
        return 0.0
    examples = _EXAMPLES.search(question.text)
    if examples and not _about(question, examples.group(1), sentence, strict=True):
        return 0.0

    # "Should Israel invade?" asks for advice, which only a sentence that advises gives.
    if _SHOULD_Q.search(question.text) and not _SHOULD.search(sentence):
        return 0.0
    # A question pinned to a time ("next week", "on Monday") is answered by a sentence that gives one.
    if kind not in ("when", "date") and _PINNED.search(question.text) and not _point_in_time(sentence):
        return 0.0
    if _WHO_SAID.search(question.text) and not ATTRIBUTION.search(sentence):
        return 0.0
    if _SIZE_Q.search(question.text):
        return float(T.has_quantity(sentence))
    if _ROLE_Q.search(question.text) or _NAME_Q.search(question.text):
        # Who holds a post, or leads, and a name asked for, are a person's or a proper name:
        # "Prime Minister Netanyahu", "Shimon Peres".
        first, _, rest = sentence.partition(" ")
        whose = _NAMES_OF.search(question.text)  # "the names of the hostages" are hostages' names
        near = whose.group(1).lower() if whose and whose.group(1).lower() in PEOPLE_NOUNS else ""
        return float(_names_someone(question, rest if T.common(first) else sentence, near=near))
    if _AGE_Q.search(question.text):
        return float(bool(_AGE.search(sentence)))
    if _TIME_Q.search(question.text):
        return float(_point_in_time(sentence))
    if kind == "who":
        given = " ".join(question.entities)
        given_stems = {T.stem(e) for e in question.entities}
        not_agents = {m.group(m.lastindex or 1).lower() for m in _NOT_AGENT.finditer(sentence)}
        new_names = {
            n for n in T.names(sentence, known_names) - not_agents if not T.entity_present(n, given, given_stems)
        }
        return float(bool(new_names or _GROUP_WORDS.search(sentence)))
    if kind == "why":
        # "Why is Hamas holding out?" asks for Hamas's reasons, which "Israel is using this to
        # pressure Hamas" does not give: there Hamas is only acted on.
        actor = _WHY_ACTOR.search(question.text)
        if actor and _only_acted_on(actor.group(1), sentence):
            return 0.0
        # "Why does the article quote Peres?" is answered where it quotes him, and by the
        # sentence after, which says what the quote is for.
        return float(bool(CAUSAL.search(sentence) or PURPOSE.search(question.text)))
    return 1.0


def _attached(terms: list[str], before: str) -> bool:
    """Is one of ``terms`` (or a near-synonym) among the few words just before a place?"""
    near = " ".join(T.words(before)[-_PLACE_REACH:]).lower()
    return not terms or any(term_match(t, near, T.stems(near)) > 0 for t in terms)


def _about(question: Question, topic: str, sentence: str, strict: bool = False) -> bool:
    """Does the sentence name the topic: one of its words, names only when it has nothing else
    ("about the Rafah offensive" is about an offensive; "about Hamas" about Hamas). ``strict``:
    the words themselves, not near-synonyms, as for examples ("such as a prisoner release" is
    not "the return of all hostages")."""
    terms = T.content_terms(topic)
    plain = [t for t in terms if t not in question.entities] or terms
    s_lower, s_stems = sentence.lower(), T.stems(sentence)
    if strict:
        return not plain or any(term_in(t, s_lower, s_stems) for t in plain)
    return not plain or any(_found(t, s_lower, s_stems) for t in plain)


def _only_acted_on(name: str, sentence: str) -> bool:
    """Is ``name`` in the sentence, and only ever right after a word that makes it the one
    acted on ("pressure Hamas into", "held over Hamas")?"""
    spots = [m.start() for m in re.finditer(rf"\b{re.escape(name)}\b", sentence)]
    return bool(spots) and all(_ACTED_ON.search(sentence[max(0, i - 20) : i]) for i in spots)


def _point_in_time(sentence: str) -> bool:
    """A time the sentence names, not counting a stretch of it ("for a few more days")."""
    return T.has_time(_DURATION.sub(" ", sentence))


def _counts(question: Question, sentence: str) -> bool:
    """Does the sentence give a quantity of what "how many X" counts? "a few more days" does
    not count rounds of talks; "the two parties" counts parties."""
    asked = _COUNTED.search(question.text)
    if asked is None:
        return T.has_quantity(sentence)
    target = {T.stem(asked.group(1))} | synonyms(asked.group(1))
    tokens = T.words(sentence)
    # "a few more days" is no count of days: a vague quantity does not answer "how many".
    return any(
        T.is_number(tok) and any(T.stem(t) in target for t in tokens[i + 1 : i + 4]) for i, tok in enumerate(tokens)
    )


def _names_someone(question: Question, sentence: str, near: str = "") -> bool:
    """A person, or a proper name, other than those the question already gives: "Who will
    replace Netanyahu?" is not answered by "Prime Minister Netanyahu". ``near``: a word for
    the kind of person, which must stand within a few words of the name ("the hostages
    included Noa Argamani", not "Netanyahu ... regarding the hostages")."""
    spots = [m.start() for m in re.finditer(rf"(?i)\b{re.escape(near.removesuffix('s'))}", sentence)] if near else []
    for person in _PERSON.finditer(sentence):
        names = {w.lower() for w in T.words(person.group(0)) if w.lower() not in _TITLES}
        if not names - question.entities:
            continue
        if not near or any(abs(i - person.start()) <= _NEAR_NAME for i in spots):
            return True
    return False


def _head(phrase: str) -> str:
    words = T.words(phrase)
    return words[-1].lower().removesuffix("'s").rstrip("'") if words else ""


def _writer(speaker: str) -> bool:
    return _head(speaker) in _WRITER


def _says(speaker: str, sentence: str, verbs: re.Pattern[str] = ATTRIBUTION) -> bool:
    """Does the sentence give the words (or belief, or demand) of the one asked about? Every
    word of the description counts ("the Israeli *defence* minister" is not the former prime
    minister), and it must come just before the verb that reports them: in "Israel insists
    on ..., while Hamas is seeking ...", Hamas says nothing. A pronoun may stand for anyone."""
    head = _head(speaker)
    if not head or head in _PRONOUNS:
        return bool(verbs.search(sentence))
    words = [_head(w) for w in T.words(speaker) if _head(w) not in T.STOPWORDS]
    for said in verbs.finditer(sentence):
        before = " ".join(T.words(sentence[: said.start()])[-_SPEAKER_REACH:])
        after = sentence[said.end() :] if said.group(0).lower() == "according to" else ""
        if _all_in(words, before) or (after and _all_in(words, " ".join(T.words(after)[:_SPEAKER_REACH]))):
            return True
    return False


def _all_in(words: list[str], sentence: str) -> bool:
    s_lower, s_stems = sentence.lower(), T.stems(sentence)
    return all(_found(w, s_lower, s_stems) for w in words)


def _found(word: str, s_lower: str, s_stems: set[str]) -> bool:
    """The word, a near-synonym, or the name it is part of, in the sentence."""
    return term_match(word, s_lower, s_stems) > 0 or T.entity_present(word, s_lower, s_stems)
