"""Whether a sentence holds the kind of thing a question asks for (read in ``wants``).

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
from rag.answerers.asked import mentions
from rag.answerers.premises import tells
from rag.answerers.wants import START, head_word, wants
from rag.gazetteer import COUNTRY_PAIRS
from rag.lexicon import term_in, term_match
from rag.questions import Question

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
_DURATION = re.compile(
    r"(?i)\b(?:for|over|within|in|after|take|takes|took|taking|last|lasts|lasted)\s+(?:(?:a|an|the)\s+)?"
    r"(?:(?:few|several|many|couple\s+of|number\s+of|\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+)?"
    r"(?:more\s+)?(?:minutes?|hours?|days?|weeks?|months?|years?|decades?)\b"
    r"|\btakes?\s+(?:some\s+|a\s+long\s+)?time\b|\ba\s+while\b|\blong\s+time\b"
)
_FUTURE = re.compile(
    r"(?i)\b(?:will|would|shall|next|coming|upcoming|soon|later|expected|due|planned|scheduled|tomorrow|"
    r"continu\w*|ongoing|underway|looms?|imminent)\b"
)
_END = re.compile(
    r"(?i)\b(?:end|ended|ending|finish|finished|conclude|concluded|close|closed|collapsed|broke\s+down)\b"
)
# Words after a name that make it the one who acts: "Israel is using", "Israel insists".
_ACTS = re.compile(r"\s+(?:is|was|are|were|has|had|will|would|can|could|may|might|does|did|[a-z]+s)\b")
# Words after which a name is the one acted on: "to pressure Hamas", "held over Hamas".
_ACTED_ON = re.compile(
    r"(?i)\b(?:pressure|pressures|pressuring|pressured|push|pushing|force|forcing|urge|urging|over|against|on|into|"
    r"onto|towards?|at)\s+(?:the\s+)?$"
)
# Neither how much longer nor "can take time" (what such things usually take) says how long it went on.
_LONGER = re.compile(r"(?i)\b(?:more|another|further|longer|additional)\b|\btakes?\s+(?:some\s+)?time\b")
# Lower case on purpose: "the United States" states nothing.
ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|saying|remarked|told|tells|stated|states|announced|claimed|claims|believes?|believed|"
    r"argued|argues|warned|warns|threatened|threatens|noted|added|suggested|insists?|insisted|[Aa]ccording to|"
    r"reports?|reported|"
    r"promised|promises|pledged|vowed|proposed|proposes|offered|offers|thinks?|thought|feels?|felt|fears?|hopes?|"
    r"expects?|responded|reacted|condemned|welcomed|rejected|accepted|denied|demanded|calls?\s+for|called\s+for)\b"
)
_COMMITMENT = re.compile(
    r"\b(?:promised|promises|promise|pledged|pledges|vowed|vows|proposed|proposes|proposal|offered|offers|"
    r"agreed\s+to|agrees\s+to|committed\s+to|commits\s+to|conceded|concedes|accepted|accepts|put\s+forward)\b"
)
_CONSEQUENCE = re.compile(
    r"(?i)\b(?:could|would|might|may|will)\b|\blead(?:s|ing)?\s+to\b|\bresult(?:s|ed|ing)?\s+in\b"
    r"|\bpotential\s+for\b|\brisks?\b"
)
_SHOULD = re.compile(r"(?i)\b(?:should|ought|must|needs?\s+to|has\s+to|have\s+to|advis\w+|recommend\w*)\b")
_AGE = re.compile(r"(?i)\b(?:\d+|[a-z]+ty(?:-[a-z]+)?)[\s-]+years?[\s-]+old\b|\baged\s+\d+")
# Words between a speaker and the verb that reports them: "The former Israeli Prime Minister
# and President, Shimon Peres, once remarked".
_SPEAKER_REACH = 10
_PRONOUNS = frozenset("it they he she them you".split())
_NEAR_NAME = 40  # characters between a name and the word for who it is: "hostages, among them Noa Argamani"
_TITLES = frozenset("prime minister president mr mrs ms dr general king queen sheikh senator secretary".split())
# A person: a title before a name, or a first name and a surname.
_PERSON = re.compile(
    r"\b(?:Prime Minister|President|Minister|Mr|Mrs|Ms|Dr|General|King|Queen|Sheikh|Senator|Secretary)\.?\s+[A-Z][a-z]+"
    r"|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b"
)
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
    kind, want = question.kind, wants(question)
    # "Which hotel ...?" is not answered by a sentence without a hotel in it.
    if want.asked and not any(mentions(w, sentence) for w in want.asked):
        return 0.0
    # "Which hostages ...?" wants hostages by name: a name far from any hostage is someone else's.
    if want.named_people and not _names_someone(question, sentence, near=want.asked[0]):
        return 0.0
    # "Who won ...?" is answered where the winning is: a sentence without the deed names no doer.
    # So is "What is Israel demanding?" where the demanding is, and "What did Hamas accept?".
    if want.deed and not (
        tells(want.deed, sentence) or T.entity_present(want.deed, sentence.lower(), T.stems(sentence))
    ):
        return 0.0
    if kind == "how_many":
        return float(_counts(want.counted, sentence))
    if kind == "date":
        return float(T.has_date(sentence))
    if kind == "when":
        # "How long" wants a stretch of time; "when" a point in it, which "for a few more
        # days" is not.
        if want.how_long:
            # "How long did the talks last?" asks how long they went on.
            spans = [m.group(0) for m in _DURATION.finditer(sentence)]
            if want.so_far:
                spans = [d for d in spans if not _LONGER.search(d)]
            return float(bool(spans))
        # Asked when something began, a sentence that says when it ended does not answer.
        if want.start and _END.search(sentence) and not START.search(sentence):
            return 0.0
        # "When will the talks resume?" asks for a time to come: "ended on Tuesday" is past.
        if want.future and not _FUTURE.search(sentence):
            return 0.0
        return float(_point_in_time(sentence))
    if kind == "where":
        # The place must be where the thing asked about is: "an Israeli offensive in Rafah" does not
        # say where the hostages are held.
        return float(
            any(
                m.group(2).lower() not in question.entities and _attached(want.place_of, sentence[: m.start()])
                for m in _PLACE_PREP.finditer(sentence)
            )
        )
    # "What did X say" is answered by what X said, believes or insists; "what does the
    # article say about Y" asks about Y.
    if want.speaker is not None and not _says(want.speaker, sentence, _COMMITMENT if want.commitment else ATTRIBUTION):
        return 0.0
    if want.topic is not None and not _about(question, want.topic, sentence):
        return 0.0
    if want.examples is not None and not _about(question, want.examples, sentence, strict=True):
        return 0.0
    # What would follow is told in a sentence that looks ahead: "could lead to", "the potential for".
    if want.consequence and not _CONSEQUENCE.search(sentence):
        return 0.0
    # "Should Israel invade?" asks for advice, which only a sentence that advises gives.
    if want.advice and not _SHOULD.search(sentence):
        return 0.0
    # A question pinned to a time ("next week", "on Monday") is answered by a sentence that gives one.
    if want.pinned and not _point_in_time(sentence):
        return 0.0
    if want.who_said and not ATTRIBUTION.search(sentence):
        return 0.0
    # "What might push Israel to make a deal?" is not answered where Israel pushes someone else.
    if want.moved and _only_acting(want.moved, sentence):
        return 0.0
    if want.size:
        return float(T.has_quantity(sentence))
    if want.person:
        # Who holds a post, or leads, and a name asked for, are a person's or a proper name:
        # "Prime Minister Netanyahu", "Shimon Peres".
        if not all(_found(w, sentence.lower(), T.stems(sentence)) for w in want.post_words):
            return 0.0  # another post: "the defence minister" is not "the former prime minister"
        if want.holder_now and re.search(rf"(?i)\b(?:former|ex-|late)\s+(?:\w+\s+){{0,2}}{want.holder_now}", sentence):
            return 0.0  # who holds it now is not who once did
        first, _, rest = sentence.partition(" ")
        return float(_names_someone(question, rest if T.common(first) else sentence, near=want.person_near))
    if want.age:
        return float(bool(_AGE.search(sentence)))
    if want.time:
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
        if want.why_actor and _only_acted_on(want.why_actor, sentence):
            return 0.0
        # "Why does the article quote Peres?" is answered where it quotes him, and by the
        # sentence after, which says what the quote is for.
        return float(bool(CAUSAL.search(sentence) or want.purpose))
    return 1.0


def _attached(terms: tuple[str, ...], before: str) -> bool:
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


def _only_acting(name: str, sentence: str) -> bool:
    """Is ``name`` in the sentence, and only ever as the one who acts ("Israel is using ...",
    "Israel insists ...")?"""
    spots = list(re.finditer(rf"\b{re.escape(name)}\b", sentence))
    return bool(spots) and all(_ACTS.match(sentence[m.end() :]) for m in spots)


def _point_in_time(sentence: str) -> bool:
    """A time the sentence names, not counting a stretch of it ("for a few more days")."""
    return T.has_time(_DURATION.sub(" ", sentence))


def _counts(target: frozenset[str] | None, sentence: str) -> bool:
    """Does the sentence give a quantity of what "how many X" counts? "a few more days" does
    not count rounds of talks; "the two parties" counts parties."""
    if target is None:
        return T.has_quantity(sentence)
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
        if person.group(0).lower().replace(" ", "_") in COUNTRY_PAIRS:
            continue  # "the United States" is no one's name
        names = {w.lower() for w in T.words(person.group(0)) if w.lower() not in _TITLES}
        if not names - question.entities:
            continue
        if not near or any(abs(i - person.start()) <= _NEAR_NAME for i in spots):
            return True
    return False


def _says(speaker: str, sentence: str, verbs: re.Pattern[str] = ATTRIBUTION) -> bool:
    """Does the sentence give the words (or belief, or demand) of the one asked about? Every
    word of the description counts ("the Israeli *defence* minister" is not the former prime
    minister), and it must come just before the verb that reports them: in "Israel insists
    on ..., while Hamas is seeking ...", Hamas says nothing. A pronoun may stand for anyone."""
    head = head_word(speaker)
    if not head or head in _PRONOUNS:
        return bool(verbs.search(sentence))
    words = [head_word(w) for w in T.words(speaker) if head_word(w) not in T.STOPWORDS]
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
