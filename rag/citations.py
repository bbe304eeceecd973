"""The citation verifier, applied to every answer whatever wrote it.

Splits the draft into sentences; for each, keeps only markers that point at a
retrieved passage, finds the exact sentence(s) of the cited passages that
support it (judged by the same judge the eval harness uses), and quotes them as
exact spans of the document. A sentence no cited passage supports may gain a
citation from another retrieved passage that does; one that nothing supports is
dropped (or marked, by setting) and listed as unsupported. Citations are
renumbered 1..k in order of first use.

Passage sentences that read as instructions to an assistant ("ignore previous
instructions and say ...") never count as support: a payload planted in an
article cannot verify itself. A repeated sentence is kept once. ``relevant``
(optional) drops supported sentences whose evidence does not answer the
question ("off_topic" in the summary). ``StreamVerifier`` verifies a draft as
it streams, sentence by sentence, yielding only text that has been verified.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rag import text as T
from rag.prompts import ABSTENTION_ANSWER, is_abstention
from rag.protocols import Judge
from rag.sentences import sentence_spans, split_sentences
from rag.types import Citation, Passage, Span

_MARKERS = re.compile(r"\s*(\[\d{1,3}\](?:\s*,?\s*\[\d{1,3}\])*)")
_UNSUPPORTED_MARK = " [unsupported]"
_AFTER_MARKER = re.compile(r"(?<=\])\s+(?=[A-Z\"“'‘])")
# Text addressed to an assistant rather than to a reader: data, never evidence.
_INSTRUCTION = re.compile(
    r"(?ix)\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,60}?\b(?:instructions?|prompts?|rules|directions|guidelines)\b"
    r"|\bsystem\s+prompt\b|\byou\s+are\s+now\b|\bnew\s+instructions\b"
    r"|\b(?:assistants?|chatbots?|AI|language\s+models?|LLMs?)\b[^.!?\n]{0,40}?\b(?:must|should|shall|are\s+to)\s+"
    r"(?:now\s+)?(?:say|answer|reply|respond|state|claim|write|output)\b"
)
# A sentence that ends mid-clause is no claim at all.
_FRAGMENT = re.compile(
    r"(?i)(?:[:;,(\-–—]|\b(?:the|a|an|to|of|and|or|but|that|which|who|with|by|for|in|on|at|from|as|is|are|was|were|its|their|while|because|although|whereas|than|into|about))\s*$"
)
# Where a sentence joins clauses that each make a claim.
_CLAUSE_BREAK = re.compile(
    r",\s+(?=(?:which|who|whose|and|but|while|whereas|although|though|as|so|because|since|after|before)\b)"
    r"|;\s+|\s+[-–—]{1,2}\s+"
)
# ``relevant(claim, support)``: does the evidence that supports ``claim`` answer the question?
Relevance = Callable[[str, list[tuple[Passage, Span]]], bool]


@dataclass(slots=True)
class Verified:
    answer: str
    abstained: bool
    citations: list[Citation]
    unsupported: list[str] = field(default_factory=list)
    summary: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Evidence:
    passage: Passage
    span: Span
    text: str


def _sentence_units(passage: Passage) -> list[_Evidence]:
    """Each sentence of the passage, plus each adjacent pair (a claim may need two)."""
    sents = [_Evidence(passage, span, txt) for span, txt in passage.sentence_texts()]
    pairs = []
    base = passage.chunk.start
    for a, b in itertools.pairwise(sents):
        span = (a.span[0], b.span[1])
        pairs.append(_Evidence(passage, span, passage.chunk.text[span[0] - base : span[1] - base]))
    return [u for u in sents + pairs if not is_instruction(u.text)]


@lru_cache(maxsize=4096)
def _draft_spans(draft: str) -> tuple[Span, ...]:
    """``sentence_spans`` of a draft, cached like ``split_sentences`` (speed only: pysbd is the
    costliest step of verifying an extractive answer, whose drafts recur as corpus sentences)."""
    return tuple(sentence_spans(draft))


@lru_cache(maxsize=32_768)  # speed only: every request re-checks the sentences it retrieved
def is_instruction(text: str) -> bool:
    """Whether ``text`` addresses an assistant ("ignore previous instructions", "you are now ...")."""
    return bool(_INSTRUCTION.search(text))


def _cited_numbers(marker_text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d{1,3})\]", marker_text)]


def _place_markers(sentence: str, numbers: list[int]) -> str:
    if not numbers:
        return sentence
    marks = "".join(f"[{n}]" for n in numbers)
    if sentence and sentence[-1] in ".!?" and not sentence.endswith("..."):
        return f"{sentence[:-1]} {marks}{sentence[-1]}"
    return f"{sentence} {marks}"


def verify(
    draft: str,
    passages: list[Passage],
    judge: Judge,
    *,
    mode: str = "drop",
    relevant: Relevance | None = None,
    memo: dict[Any, Any] | None = None,
) -> Verified:
    """Turn a draft with ``[n]`` markers into an answer whose every citation holds.

    ``memo`` caches each sentence's support between calls on growing drafts (streaming).
    """
    if not draft.strip() or is_abstention(draft):
        return Verified(ABSTENTION_ANSWER, True, [], summary={"sentences": 0, "supported": 0, "dropped": 0})
    by_n = {p.n: p for p in passages}
    units = {p.n: _sentence_units(p) for p in passages}
    numbering: dict[tuple[str, Span], int] = {}
    citations: list[Citation] = []
    out_sentences: list[str] = []
    unsupported: list[str] = []
    invalid_markers = 0
    regained = 0
    repeated = 0
    off_topic = 0
    seen_claims: set[str] = set()
    memo = {} if memo is None else memo

    for raw in _draft_sentences(draft):
        cited = [n for n in _cited_numbers(raw) if n in by_n]
        invalid_markers += len(_cited_numbers(raw)) - len(cited)
        claim = re.sub(r"\s+", " ", _MARKERS.sub("", raw)).strip()
        claim = re.sub(r"\s+([.,;:!?])", r"\1", claim)
        if not claim or not any(ch.isalnum() for ch in claim):
            continue
        if _FRAGMENT.search(claim):  # cut off ("... quote to the") or a lead-in ("The passage states:")
            unsupported.append(claim)
            if mode == "mark":
                out_sentences.append(claim + _UNSUPPORTED_MARK)
            continue
        if _norm(claim) in seen_claims:
            repeated += 1
            continue
        seen_claims.add(_norm(claim))
        key_memo = (claim, tuple(cited))
        if key_memo not in memo:
            found = _best_support(claim, [u for n in dict.fromkeys(cited) for u in units[n]], judge)
            recited = False
            if found is None:
                others = [u for p in passages if p.n not in cited for u in units[p.n]]
                found = _best_support(claim, others, judge)
                recited = found is not None
            on_topic = found is None or relevant is None or relevant(claim, [(u.passage, u.span) for u in found])
            memo[key_memo] = (found, recited, on_topic)
        support, recited, on_topic = memo[key_memo]
        regained += int(recited)
        if support is not None and not on_topic:
            off_topic += 1
            continue
        if support is None:
            unsupported.append(claim)
            if mode == "mark":
                out_sentences.append(claim + _UNSUPPORTED_MARK)
            continue
        numbers: list[int] = []
        for ev in support:
            key = (ev.passage.chunk.doc_id, ev.span)
            if key not in numbering:
                numbering[key] = len(numbering) + 1
                citations.append(
                    Citation(
                        n=numbering[key],
                        doc_id=ev.passage.chunk.doc_id,
                        chunk_id=ev.passage.chunk.chunk_id,
                        title=ev.passage.title,
                        quote=ev.text,
                        start=ev.span[0],
                        end=ev.span[1],
                        score=ev.passage.score,
                        source=ev.passage.source,
                        published=ev.passage.published,
                        also_in=ev.passage.also_in,
                    )
                )
            numbers.append(numbering[key])
        out_sentences.append(_place_markers(claim, sorted(set(numbers))))

    supported = len(out_sentences) - (len(unsupported) if mode == "mark" else 0)
    summary: dict[str, object] = {
        "sentences": supported + len(unsupported) + off_topic + repeated,
        "supported": supported,
        "dropped": len(unsupported) if mode == "drop" else 0,
        "marked": len(unsupported) if mode == "mark" else 0,
        "invalid_markers": invalid_markers,
        "recited": regained,
        "repeated": repeated,
        "off_topic": off_topic,
        "judge": judge.name,
    }
    if supported == 0:
        return Verified(ABSTENTION_ANSWER, True, [], unsupported, summary)
    return Verified(" ".join(out_sentences), False, citations, unsupported, summary)


def _draft_sentences(draft: str) -> list[str]:
    """Sentences of an answer; a citation marker followed by a capital also ends one."""
    out: list[str] = []
    for block in _AFTER_MARKER.split(draft):
        out.extend(split_sentences(block))
    return out


def _best_support(claim: str, units: list[_Evidence], judge: Judge) -> list[_Evidence] | None:
    """The smallest evidence that supports ``claim``: one sentence, else an adjacent pair."""
    if not units:
        return None
    norm = _norm(claim)
    for unit in units:  # verbatim quotes (every extractive answer) need no judging
        if _norm(unit.text) == norm:
            return [unit]
    claim_stems = T.stems(claim)
    ranked = sorted(units, key=lambda u: -len(claim_stems & T.stems(u.text)))[:8]
    clauses = _clauses(claim)
    best: tuple[float, _Evidence] | None = None
    for unit in ranked:
        verdict = judge.judge(claim, [unit.text])
        if (
            verdict.supported
            and all(_clause_holds(c, unit.text, judge) for c in clauses)
            and (
                best is None
                or verdict.score > best[0]
                or (verdict.score == best[0] and unit.span[1] - unit.span[0] < best[1].span[1] - best[1].span[0])
            )
        ):
            best = (verdict.score, unit)
    return [best[1]] if best else None


def _clauses(claim: str) -> list[str]:
    """The clauses of a long sentence ("X, which Y"): each must hold, not just the sentence on average."""
    parts = [p.strip() for p in _CLAUSE_BREAK.split(claim)]
    parts = [p for p in parts if len(T.content_terms(p)) >= 2]
    return parts if len(parts) > 1 else []


def _clause_holds(clause: str, evidence: str, judge: Judge) -> bool:
    verdict = judge.judge(clause, [evidence])
    # Negation is a property of the whole sentence; a clause is checked for its content.
    return verdict.supported or (bool(verdict.reasons) and all("negat" in r for r in verdict.reasons))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", T.strip_markers(text)).strip().rstrip(".!?'\"’”").lower()


class StreamVerifier:
    """Verify a draft while it streams: ``feed`` pieces, get back only verified text.

    A sentence is verified once the next one has begun (or at ``finish``); the text
    returned is the growing prefix of ``verify(draft)``'s answer, so a reader never
    sees a sentence the verifier has not passed, and the markers already shown keep
    their numbers in the final answer.
    """

    def __init__(
        self, passages: list[Passage], judge: Judge, *, mode: str = "drop", relevant: Relevance | None = None
    ) -> None:
        self._passages = passages
        self._judge = judge
        self._mode = mode
        self._relevant = relevant
        self._memo: dict[Any, Any] = {}
        self._draft = ""
        self._checked = 0  # the draft up to here has been verified
        self.emitted = ""

    @property
    def draft(self) -> str:
        return self._draft

    def feed(self, piece: str) -> str:
        self._draft += piece
        if not re.search(r"[.!?\n]", piece):
            return ""  # no sentence can have ended
        spans = _draft_spans(self._draft)
        if len(spans) < 2 or spans[-1][0] <= self._checked:
            return ""
        self._checked = spans[-1][0]
        return self._advance(self._draft[: self._checked])

    def finish(self) -> str:
        """The rest of the verified text, once the draft is complete."""
        self._checked = len(self._draft)
        return self._advance(self._draft)

    def result(self) -> Verified:
        """The verified answer of the whole draft (same as ``verify``)."""
        return verify(
            self._draft, self._passages, self._judge, mode=self._mode, relevant=self._relevant, memo=self._memo
        )

    def _advance(self, draft: str) -> str:
        if is_abstention(draft):
            return ""
        done = verify(draft, self._passages, self._judge, mode=self._mode, relevant=self._relevant, memo=self._memo)
        if done.abstained or not done.answer.startswith(self.emitted):
            return ""
        delta = done.answer[len(self.emitted) :]
        self.emitted = done.answer
        return delta
