"""The citation verifier, applied to every answer whatever wrote it.

Splits the draft into sentences; for each, keeps only markers that point at a
retrieved passage, finds the exact sentence(s) of the cited passages that
support it (judged by the same judge the eval harness uses), and quotes them as
exact spans of the document. A sentence no cited passage supports may gain a
citation from another retrieved passage that does; one that nothing supports is
dropped (or marked, by setting) and listed as unsupported. Citations are
renumbered 1..k in order of first use.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from rag import text as T
from rag.prompts import ABSTENTION_ANSWER, is_abstention
from rag.protocols import Judge
from rag.sentences import split_sentences
from rag.types import Citation, Passage, Span

_MARKERS = re.compile(r"\s*(\[\d{1,3}\](?:\s*,?\s*\[\d{1,3}\])*)")
_UNSUPPORTED_MARK = " [unsupported]"


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
    return sents + pairs


def _cited_numbers(marker_text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d{1,3})\]", marker_text)]


def _place_markers(sentence: str, numbers: list[int]) -> str:
    if not numbers:
        return sentence
    marks = "".join(f"[{n}]" for n in numbers)
    if sentence and sentence[-1] in ".!?" and not sentence.endswith("..."):
        return f"{sentence[:-1]} {marks}{sentence[-1]}"
    return f"{sentence} {marks}"


def verify(draft: str, passages: list[Passage], judge: Judge, *, mode: str = "drop") -> Verified:
    """Turn a draft with ``[n]`` markers into an answer whose every citation holds."""
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

    for raw in split_sentences(draft):
        cited = [n for n in _cited_numbers(raw) if n in by_n]
        invalid_markers += len(_cited_numbers(raw)) - len(cited)
        claim = re.sub(r"\s+", " ", _MARKERS.sub("", raw)).strip()
        claim = re.sub(r"\s+([.,;:!?])", r"\1", claim)
        if not claim or not any(ch.isalnum() for ch in claim):
            continue
        support = _best_support(claim, [u for n in dict.fromkeys(cited) for u in units[n]], judge)
        if support is None:
            others = [u for p in passages if p.n not in cited for u in units[p.n]]
            support = _best_support(claim, others, judge)
            if support is not None:
                regained += 1
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
                    )
                )
            numbers.append(numbering[key])
        out_sentences.append(_place_markers(claim, sorted(set(numbers))))

    supported = len(out_sentences) - (len(unsupported) if mode == "mark" else 0)
    summary: dict[str, object] = {
        "sentences": supported + len(unsupported),
        "supported": supported,
        "dropped": len(unsupported) if mode == "drop" else 0,
        "marked": len(unsupported) if mode == "mark" else 0,
        "invalid_markers": invalid_markers,
        "recited": regained,
        "judge": judge.name,
    }
    if supported == 0:
        return Verified(ABSTENTION_ANSWER, True, [], unsupported, summary)
    return Verified(" ".join(out_sentences), False, citations, unsupported, summary)


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
    best: tuple[float, _Evidence] | None = None
    for unit in ranked:
        verdict = judge.judge(claim, [unit.text])
        if verdict.supported and (
            best is None
            or verdict.score > best[0]
            or (verdict.score == best[0] and unit.span[1] - unit.span[0] < best[1].span[1] - best[1].span[0])
        ):
            best = (verdict.score, unit)
    return [best[1]] if best else None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", T.strip_markers(text)).strip().rstrip(".!?'\"’”").lower()
