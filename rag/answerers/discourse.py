"""How the sentences of a paragraph lean on each other.

A sentence quoted alone can say less, or more, than it does in its paragraph: "This
strategic move ..." needs the sentence before it, "Israel is using this as a deterrent"
is about the threat named two sentences back, "However, ..." qualifies the sentence it
follows, and "Many experts believe X." may have its grounds in the next sentence. The
extractive answerer reads these links here, over sentence spans and chunk text.
"""

from __future__ import annotations

import re

from rag.answerers.answer_types import ATTRIBUTION, CAUSAL
from rag.questions import Question
from rag.types import Passage, Span

ANAPHOR = re.compile(r"^(This|These|That|Those|It|Its|They|Their|Such|He|She|His|Her)\b")
# A pronoun carries the names of the sentence before it: "... moves by Israel. However, there
# have been reports of targeted strikes to demonstrate their seriousness" is about Israel.
PRONOUN = re.compile(r"(?i)\b(they|their|them|it|its|he|his|him|she|her)\b")

# "this" standing alone for what came before: "Israel is using this as a deterrent", "this serves as a tool".
_BARE_THIS = re.compile(
    r"(?i)\b(?:this|that)\s+(?:as|is|was|serves|served|seems|has|had|could|would|will|may|might|can|to|in|into|for|"
    r"and|or|but)\b|\b(?:this|that)\s*[.,;]"
)
# A word the sentence reaches only through its "this" counts for this much of itself.
CARRIED = 0.5
CONTRAST = re.compile(r"^(However|But|Yet|Nonetheless|Nevertheless|Still|Even so|That said|Despite|In spite of)\b")


def reason_follows(question: Question, sentence: str, passages: tuple[Passage, ...], doc: str, span: Span) -> bool:
    """Is the sentence a view whose grounds the paragraph gives next? "Many experts believe that
    this lack of progress should not cause alarm. Negotiations of this nature often take time."
    answers "why do experts think there is no need to worry?" across the two."""
    if question.kind != "why" or CAUSAL.search(sentence) or not ATTRIBUTION.search(sentence):
        return False
    for p in passages:
        chunk = p.chunk
        if chunk.doc_id == doc and chunk.start <= span[0] and any(follows(span, sp) for sp in chunk.sentences):
            return "\n" not in chunk.text[span[1] - chunk.start : span[1] - chunk.start + 2]
    return False


def refers_back(sentence: str) -> bool:
    """Does a bare "this" stand for something said before the sentence? Not when a clause of
    its own comes first: in "An offensive looms, but this serves as a tool" it is the offensive."""
    m = _BARE_THIS.search(sentence)
    return m is not None and not re.search(r",\s*(?:but|and|yet|so)\s|;", sentence[: m.start()])


def paragraph_so_far(passage: Passage, span: Span) -> str:
    """The sentence's paragraph up to and including it (within its chunk)."""
    text, start = passage.chunk.text, passage.chunk.start
    end = span[1] - start
    return text[text.rfind("\n", 0, max(0, span[0] - start)) + 1 : end]


def follows(first: Span, second: Span) -> bool:
    """Does ``second`` start right after ``first`` ends (a space or a line break between)?"""
    return 0 <= second[0] - first[1] <= 2


def spells_out(sentence: str, following: str) -> bool:
    """Does ``following`` name the sides ``sentence`` speaks of only as "the two parties"? "...the
    difficulties in bridging the gaps between the two parties. Israel insists on X, while Hamas
    is seeking Y." gives the gaps in the second sentence."""
    return bool(_BOTH_SIDES.search(sentence)) and len(_ACTORS.findall(following)) >= 2


_BOTH_SIDES = re.compile(r"(?i)\b(?:the\s+two|both|the)\s+(?:parties|sides|camps|delegations)\b")
# Two named actors, each before a verb of wanting or doing: "Israel insists", "Hamas is seeking".
_ACTORS = re.compile(r"\b[A-Z][a-z]+\s+(?:is\s+|are\s+|has\s+|have\s+)?[a-z]+(?:s|ing|ed)\b")
