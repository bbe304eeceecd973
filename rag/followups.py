"""Follow-up questions made standalone without an LLM.

"When did they end?" after "Where were the talks held?" is read as "When did the
talks end?": the pronoun takes the subject of the last question. The reader is
trained on single, self-contained questions, so a bag of borrowed words appended
to the question confuses it; a resolved question does not. When the last question
has no subject we can find ("Who leads the team?"), the follow-up borrows its
content words in brackets, which still steers retrieval.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.text import content_terms
from rag.types import Turn

_REFERENCE = re.compile(
    r"(?i)\b(it|its|they|them|their|he|him|his|she|her|this|that|these|those|there|then|the same)\b"
)
# Pronouns that stand for a noun phrase and can be replaced by one; possessives take "'s".
_PRONOUN = re.compile(r"(?i)\b(?:(it|they|them|he|him|she)|(its|their|his))\b")
_WH = frozenset("what where when who whom whose why how which".split())
_WH_MODIFIERS = frozenset("many much long far often old big".split())
_LEAD = frozenset("and so but then also".split())
_DO = frozenset("do does did".split())
_BE = frozenset("is are was were".split())
_AUX = _DO | _BE | frozenset("has have had will would can could should may might must".split())
_DETERMINERS = frozenset("the a an this that these those its their his her our my your".split())
_PREPOSITIONS = frozenset("on in at of for from to with about by into over under after before against".split())
# Irregular participles common in news ("were the talks held", "was the law made").
_PARTICIPLES = frozenset(
    "held made said found built led paid sold told won lost set put cut hit run seen done gone known shown "
    "taken given struck brought bought caught fought sent spent kept left met read thought born".split()
)


def condense(question: str, history: Sequence[Turn]) -> str:
    """A standalone question: a follow-up's pronoun takes the last question's subject."""
    users = [t.content for t in history if t.role == "user"]
    if not users or not _REFERENCE.search(question) or len(content_terms(question)) > 6:
        return question
    subject = subject_of(users[-1])
    match = _PRONOUN.search(question)
    if subject and match:
        replacement = subject if match.group(1) else f"{subject}'s"
        return question[: match.start()] + replacement + question[match.end() :]
    topic = " ".join(dict.fromkeys(content_terms(users[-1])))
    return f"{question} ({topic})"


def subject_of(question: str) -> str | None:
    """The noun phrase a wh-question with an auxiliary is about, or None.

    "Where were the talks held?" -> "the talks"; "What does Israel insist on?" ->
    "Israel"; "What is the threat of an offensive?" -> "the threat of an offensive".
    """
    words = question.strip().rstrip("?.! ").split()
    while words and words[0].lower().strip(",") in _LEAD:
        words = words[1:]
    if len(words) < 3 or words[0].lower() not in _WH:
        return None
    rest = words[1:]
    if words[0].lower() == "how" and rest[0].lower() in _WH_MODIFIERS:
        rest = rest[1:]
    if len(rest) < 2 or rest[0].lower() not in _AUX:
        return None
    aux, phrase = rest[0].lower(), rest[1:]
    while len(phrase) > 1 and phrase[-1].lower() in _PREPOSITIONS:
        phrase = phrase[:-1]
    if len(phrase) > 1 and _ends_in_verb(aux, phrase[-1]):
        phrase = phrase[:-1]
    if phrase[-1].lower() in _DETERMINERS:
        return None
    return " ".join(phrase)


def _ends_in_verb(aux: str, last: str) -> bool:
    """Whether the phrase's last word is the question's main verb, not part of the subject."""
    if last[:1].isupper():
        return False
    if aux not in _BE:
        return True  # "did X say", "has X won", "will X vote": the last word is the verb
    word = last.lower()
    return word.endswith(("ed", "en", "ing")) or word in _PARTICIPLES
