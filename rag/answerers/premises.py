"""False premises: a question that takes for granted what the articles deny.

"What ceasefire terms did Hamas accept on Tuesday?" and "Since the deal was signed,
when will the hostages be released?" assume an agreement; the article says the talks
"ended without a final agreement". The sentence that matches such a question best is
the one that denies its premise, and quoting it as the answer would be wrong.

The check: the question asserts something happened (an auxiliary, "did"/"was"/"has",
or a "since"/"after" clause) and is not itself negative, and the sentence the answerer
would quote negates one of the question's words (or a near-synonym) within a few words
("without a final agreement", "no deal", "never signed"). A yes/no question is not
checked: "Did the talks end with an agreement?" is answered by that very denial.

A "why did X do Y" question takes Y as done, and so do "what did X <verb>?" and "is X
going to <verb>?" ask about a deed: where the sentences that would answer never tell of it
(by its verb or a near-synonym), nothing here answers the question. Nor does it where the
deed is told only of someone else: "Why did Hamas demand the return of all hostages?" where
"Israel insists on the return of all hostages, while Hamas is seeking concessions".
"""

from __future__ import annotations

import re

from rag import text as T
from rag.lexicon import synonyms, term_match
from rag.questions import Question

# Weaker negators ("lack", "fail") describe rather than deny: "the lack of progress" does not
# contradict a question about progress stalling.
_DENIAL = frozenset("no not never without nor neither n't none".split())
_ASSERTS = re.compile(r"(?i)\b(did|has|have|had|was|were|will|since|after|now that|given that)\b")
_INTENDED = re.compile(
    r"(?i)\b(?:try|tries|tried|trying|hope|hopes|hoped|hoping|seek|seeks|sought|seeking|want|wants|wanted|wanting|"
    r"aim|aims|aimed|aiming|attempt|attempts|attempted|attempting|expect|expects|expected|likely|going|plan|plans|"
    r"planned|planning)\s+to\s+(\w+)"
)
_ABOUT_TO = re.compile(
    r"(?i)^\s*(?:is|are|was|were)\b.*?\b(?:going|willing|planning|about|set|ready|likely)\s+to\s+(?:be\s+)?([a-z]+)"
)
_HAPPEN = frozenset(
    T.stem(w) for w in "happen occur materialise materialize go come proceed continue work succeed".split()
)
_FAILING = frozenset(T.stem(w) for w in "fail falter stall collapse founder".split())
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SCOPE = 3  # a denial reaches this many words ahead: "without a final agreement"
# Words in quotation marks are someone's, not the article's: "Peres remarked 'we're not shooting'"
# reports a saying and denies nothing the question assumes.
_QUOTED = re.compile(r"(?:(?<=\s)|^)['\"\u2018\u201c].+?['\"\u2019\u201d](?=[\s.,;:!?]|$)")
_AUX = r"(?:did|does|do|didn't|doesn't|don't|would|will|might|could|should|can)"
_WHY_DID = re.compile(rf"(?i)^\s*why\s+{_AUX}\s+(?P<rest>.+)$")
# "What did the delegation eat in Cairo?": what is the object; the verb closes the clause.
_WHAT_DID = re.compile(
    rf"(?i)^\s*(?:what|which\s+\w+)\s+(?:{_AUX}|(?P<be>is|are|was|were|has|have|had)(?:\s+been)?)\s+(?P<rest>.+)$"
)
_PRONOUNS = frozenset("they their it its he his she her we".split())
_STAND_INS = frozenset("this that it them".split())
# Where a clause ends: "Israel insists on X, while Hamas is seeking Y" tells two deeds of two doers.
_CLAUSE = re.compile(r"[.,;:]|\b(?:while|whereas|but)\b")
_SUBJECT_START = frozenset("the a an its their his her this these those they he she it we you".split())
_NOUNISH = re.compile(r"(?i)(?:tion|sion|ment|ity|ness|ance|ence|ship|ism|ers?|ors?|[^s]s)$")
# Verbs that say little without their object: "conduct strikes" is about the strikes.
_LIGHT = frozenset(
    T.stem(w)
    for w in "conduct carry make take took taken do did have had give gave get got stage mount pursue hold held put"
    " suffer sustain bear bore keep kept".split()
)
# Verbs of saying, thinking, aiming and causing: "why do experts think ..." asks about what is thought,
# "what could an offensive cause" about the effect; the verb itself need not be told.
_ATTITUDE = frozenset(
    T.stem(w)
    for w in "think believe say feel expect want need seem see consider regard view suggest argue mean hope wish aim intend"
    " try seek said told cause lead result trigger spark bring".split()
)
# How much or how long, not what: "why do talks take so long?" asks about no deed of its own.
_HOW_MUCH = frozenset("long longer much far hard often well badly quickly slowly".split())
_DET = frozenset("the a an its their his her this that these those some many most all both".split())
_ADVERBS = frozenset("not ever really actually still".split())
# "Who won ...?", "Who is funding ...?", "Who will replace ...?": the deed whose doer is wanted.
_WHO_DEED = re.compile(
    r"(?i)^\s*who\s+(?:(?P<aux>is|are|was|were|has|have|had|will|would|could|can|did|does|do|might|may)\s+)?"
    r"(?:(?:been|be|being|also|else|actually|really|still|now|just)\s+)*(?P<verb>[a-z]+)\b"
    r"(?:\s+(?:(?:on|up|out|the|a|an|any|some|most|more|heavy|serious)\s+)*(?P<object>[a-z]+))?"
)
# Posts a title names: "Prime Minister Netanyahu" leads, without the word.
_HOLDS_POST = frozenset(T.stem(w) for w in "lead led head chair command run".split())
# Taking part is told by the parties named with the event: "talks between the Israeli and Hamas delegations".
_TAKE_PART = frozenset(T.stem(w) for w in "part participate attend involve join".split())
_PARTICIPLE = re.compile(r"(?i)(?:ing|ed|en|wn|held|hit|led|made|said|told|sent|brought|caught|hurt|struck)$")


def denied_terms(question: Question, sentence: str) -> list[str]:
    """The question's words that ``sentence`` denies, when the question takes them for granted."""
    if question.polar or question.kind == "summary" or not _ASSERTS.search(question.text) or T.negated(question.text):
        return []
    tokens = [w.lower() for w in T.words(_QUOTED.sub(" ", sentence))]
    stems = [T.stem(w) for w in tokens]
    denied = []
    # "What were the two sides trying to agree on?" does not assume they agreed.
    intended = {m.group(1).lower() for m in _INTENDED.finditer(question.text)}
    for term in question.terms:
        if term in intended:
            continue
        target = {T.stem(term)} | synonyms(term)
        for i, s in enumerate(stems):
            if s not in target:
                continue
            # A word that qualifies the noun after it is not what is denied: "without a
            # conclusive agreement" denies an agreement, not that the talks concluded.
            qualifies = i + 1 < len(tokens) and tokens[i + 1] not in T.STOPWORDS
            if not qualifies and any(_denies(w) for w in tokens[max(0, i - _SCOPE) : i]):
                denied.append(term)
                break
    return denied


def _denies(word: str) -> bool:
    return word in _DENIAL or word.replace("’", "'").endswith("n't")


def asked_event(question: str) -> str:
    """The deed a question asks about: "accept" in "Why did Hamas accept the deal?", "eat" in
    "What did the delegation eat?", "resign" in "Is Netanyahu going to resign?"; empty when
    it asks about no deed of its own (thinking, saying, "going to happen")."""
    who = _WHO_DEED.match(question)
    if who:
        return _who_deed(who)
    intent = _ABOUT_TO.search(question)
    if intent:  # "going to happen" asks whether the thing named happens: that is told by the thing
        return "" if T.stem(intent.group(1)) in _HAPPEN else intent.group(1).lower()
    what = _WHAT_DID.match(question)
    if what:
        verb = _verb_closing(T.words(what.group("rest")))
        # After "is"/"has", a verb is a participle: "What is Israel demanding?", not "What is the population of?"
        return verb if not what.group("be") or verb.endswith(("ing", "ed")) else ""
    why = _WHY_DID.match(question)
    return _verb_after_subject(T.words(why.group("rest"))) if why else ""


def _who_deed(m: re.Match[str]) -> str:
    """The verb of "who did what" ("won" in "Who won the election?"), or a light verb's object
    ("pressure" in "Who is putting pressure on ..."); empty when the question asks who someone
    is ("Who is the prime minister?") or who holds a post a title names."""
    verb, aux = m.group("verb").lower(), (m.group("aux") or "").lower()
    if verb in T.STOPWORDS or (aux in ("is", "are", "was", "were") and not _PARTICIPLE.search(verb)):
        return ""
    if T.stem(verb) in _HOLDS_POST | _TAKE_PART:
        return ""
    if T.stem(verb) in _LIGHT:
        obj = (m.group("object") or "").lower()
        return obj if obj and obj not in T.STOPWORDS and T.stem(obj) not in _TAKE_PART else ""
    return verb


def _verb_after_subject(words: list[str]) -> str:
    """The verb of "why did <subject> <verb> ...": past determiners, names and words shaped like
    nouns ("the talks", "the Israeli delegation"), the first word left; a light verb's object
    ("conduct strikes"); nothing for a verb of thinking or saying, or a small word first. A verb
    of failing is read wherever it stands: "the hostage rescue attempt fail" has nouns before it."""
    failing = [w.lower() for w in words if T.stem(w) in _FAILING]
    if failing:
        return failing[0]
    for i, word in enumerate(words[:6]):
        low = word.lower()
        if low in _DET or low in _ADVERBS or (word[0].isupper() and i < 5):
            continue
        if low in T.STOPWORDS:
            return ""
        if i == 0 or _NOUNISH.search(low):  # still the subject
            continue
        if T.stem(low) in _LIGHT:
            rest = [x.lower() for x in words[i + 1 : i + 4] if x.lower() not in _DET and x.lower() not in T.STOPWORDS]
            return rest[0] if rest and rest[0] not in _HOW_MUCH else ""
        return "" if T.stem(low) in _ATTITUDE else low
    return ""


def _verb_closing(words: list[str]) -> str:
    """The verb after the subject of "what did <subject> <verb> [in ...]": the last word before
    the first small word, when a subject (a name, or a determiner's phrase) comes first."""
    if not words or not (words[0][0].isupper() or words[0].lower() in _SUBJECT_START):
        return ""  # "What could push Israel ...": "what" is the subject
    end = next((i for i, w in enumerate(words) if i and w.lower() in T.STOPWORDS), len(words))
    if end < len(words) and T.stem(words[end]) in _ATTITUDE:  # "the Peres quote say about": "say" is the verb
        return ""
    verb = words[end - 1].lower() if end > 1 else ""
    if words[end - 1][0].isupper() or T.stem(verb) in _LIGHT | _ATTITUDE | _HAPPEN:
        return ""
    return verb


def event_untold(question: str, passage_text: str) -> bool:
    """Does "why did X do Y" take as done something ``passage_text`` (the sentences that would
    answer) never tells? "Why did Hamas accept the deal?" has no answer where no one accepts
    anything; "Why did the talks end without a deal?" has, where they "ended"."""
    event = asked_event(question)
    text = passage_text.lower()
    if not event or not tells(event, text):
        return bool(event)
    if T.stem(event) in _FAILING:
        # Told of what failed: "Why did the rescue attempt fail?" is not answered by talks that
        # ended without a deal.
        # "hostage", "rescue", "attempt" in "Why did the hostage rescue attempt fail?"
        failed = T.content_terms(" ".join(_around_deed(question, event)[0]))
        return bool(failed) and not any(
            tells(event, s) and any(term_match(w, s, T.stems(s)) > 0 for w in failed) for s in _SENTENCE_END.split(text)
        )
    # Told of someone else: "Why did Hamas demand the return of all hostages?" where "Israel
    # insists on the return of all hostages, while Hamas is seeking concessions".
    doer, thing = _doer_and_object(question, event)
    return bool(doer) and not any(_told_of(doer, thing, clause) for clause in _clauses_telling(event, text))


def _around_deed(question: str, event: str) -> tuple[list[str], list[str]]:
    """The question's words before the asked deed (past its first word) and after it."""
    words = T.words(question)
    low = [w.lower() for w in words]
    if event not in low:
        return [], []
    end = low.index(event)
    return words[1:end], words[end + 1 :]


def tells(event: str, text: str) -> bool:
    """Does the text tell of the deed, by its word or a near-synonym? A failure is told by what
    did not happen: "ended without a final agreement" tells that the talks failed."""
    if T.stem(event) in _FAILING:
        return any(_denies(w) or w == "lack" for w in T.words(text.lower()))
    return term_match(event, text.lower(), T.stems(text)) > 0


def _doer_and_object(question: str, event: str) -> tuple[frozenset[str], str]:
    """The names before the asked deed in the question, and the noun it is done to: "Hamas" and
    "return" in "Why did Hamas demand the return of all hostages?" (no noun for "insist on")."""
    before, rest = _around_deed(question, event)
    doer = frozenset(w.lower() for w in before if w[0].isupper() and w.lower() not in T.STOPWORDS)
    after = [w.lower() for w in rest if w.lower() not in _DET]
    return doer, after[0] if after and after[0] not in T.STOPWORDS else ""


def _clauses_telling(event: str, text: str) -> list[str]:
    """The clauses that tell of the deed: its word or a near-synonym."""
    return [
        clause
        for clause in _CLAUSE.split(text)
        if any(term_match(event, w, {T.stem(w)}) > 0 for w in re.findall(r"[a-z']+", clause))
    ]


def _told_of(doer: frozenset[str], thing: str, clause: str) -> bool:
    """Is the clause about the doer (by name or pronoun), and the thing the deed is done to in it
    (or a "this" standing for it)?"""
    words = set(T.words(clause))
    stems = T.stems(clause)
    if not (_PRONOUNS & words or any(T.entity_present(d, clause, stems) for d in doer)):
        return False
    return not thing or bool(_STAND_INS & words) or term_match(thing, clause, stems) > 0
