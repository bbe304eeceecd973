"""The lexical judge: clause coverage and ROUGE-L against the evidence, under hard vetoes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag import text as T
from rag.judge.claims import clean_claim, split_clauses
from rag.judge.features import lcs, norm_words, prefix_hit, scoring_tokens
from rag.judge.vetoes import vetoes
from rag.judge.vocabulary import NEGATION_CUES
from rag.types import Verdict

# Calibrated by `python evals/calibrate.py` (tune half of evals/calibration); see docs/eval.md.
DEFAULT_THRESHOLD = 0.57


@dataclass(frozen=True, slots=True)
class Assessment:
    """A claim's support score (before the threshold) and the vetoes it triggered."""

    score: float
    vetoes: tuple[str, ...]
    verbatim: bool = False
    parts: tuple[tuple[str, float], ...] = ()


class LexicalJudge:
    name = "lexical"

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold

    def judge(self, claim: str, evidence: Sequence[str]) -> Verdict:
        a = self.assess(claim, evidence)
        if a.verbatim:
            return Verdict(True, 1.0, ("verbatim",))
        if a.vetoes:
            return Verdict(False, a.score, a.vetoes)
        if a.score >= self.threshold:
            return Verdict(True, a.score, ())
        weakest = min(a.parts, key=lambda p: p[1])[0] if a.parts else claim
        return Verdict(False, a.score, (f"low support {a.score:.2f}: {weakest}",))

    def assess(self, claim: str, evidence: Sequence[str]) -> Assessment:
        text = clean_claim(claim)
        evidence = [e for e in evidence if e and e.strip()]
        if not T.content_terms(text):
            return Assessment(1.0, (), verbatim=True)
        if not evidence:
            return Assessment(0.0, ("no evidence",))
        if _verbatim(text, evidence):
            return Assessment(1.0, (), verbatim=True)
        joined = " ".join(evidence)
        ev_stems = {T.stem(w) for w in T.words(joined)}
        ev_token_lists = [scoring_tokens(e) for e in evidence]
        ev_all_tokens = [t for toks in ev_token_lists for t in toks]
        parts = tuple((p, _part_score(p, ev_stems, ev_token_lists, ev_all_tokens)) for p in split_clauses(text))
        score = min(s for _, s in parts)
        return Assessment(score, tuple(vetoes(text, joined, ev_stems)), parts=parts)


def _verbatim(claim: str, evidence: Sequence[str]) -> bool:
    """The claim is a contiguous run of words of one evidence text, not right after a negation."""
    needle = norm_words(claim)
    if len(needle.split()) < 3:
        return False
    for e in evidence:
        hay = norm_words(e)
        at = hay.find(needle)
        while at >= 0:
            before = hay[:at].split()[-1:] or [""]
            if before[0] not in NEGATION_CUES and not before[0].endswith("n't"):
                return True
            at = hay.find(needle, at + 1)
    return False


def _part_score(part: str, ev_stems: set[str], ev_token_lists: list[list[str]], ev_all: list[str]) -> float:
    terms = T.content_terms(part)
    if not terms:
        return 1.0
    weights: dict[str, float] = {}
    for t in terms:
        weights[t] = max(weights.get(t, 0.0), T.rarity(t))
    total = sum(weights.values()) or 1.0
    covered = sum(w for t, w in weights.items() if T.stem(t) in ev_stems or prefix_hit(T.stem(t), ev_stems))
    coverage = covered / total
    toks = scoring_tokens(part)
    best = max((lcs(toks, e) for e in ev_token_lists), default=0)
    rouge = max(best, lcs(toks, ev_all)) / max(1, len(toks))
    return 0.6 * coverage + 0.4 * rouge
