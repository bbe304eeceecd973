"""Judges: does the evidence support the claim?

``LexicalJudge`` is the offline, deterministic default used by the verifier and
the eval harness alike. It scores rarity-weighted content-word coverage (with
stemming) and ROUGE-L precision of the claim against the evidence, and vetoes a
claim that carries a number, a name or a negation the evidence does not, or
swaps a word for its antonym.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag import text as T
from rag.types import Verdict

DEFAULT_THRESHOLD = 0.62

_ANTONYMS = [
    ("increase", "decrease"),
    ("rise", "fall"),
    ("success", "failure"),
    ("succeed", "fail"),
    ("agree", "disagree"),
    ("accept", "reject"),
    ("win", "lose"),
    ("gain", "loss"),
    ("more", "less"),
    ("start", "end"),
    ("begin", "end"),
    ("open", "close"),
    ("strong", "weak"),
    ("high", "low"),
    ("before", "after"),
    ("early", "late"),
    ("first", "last"),
    ("former", "current"),
    ("ally", "enemy"),
    ("peace", "war"),
    ("slow", "speed"),
    ("domest", "foreign"),
    ("public", "secret"),
    ("few", "many"),
    ("larg", "small"),
    ("progress", "stall"),
    ("calm", "alarm"),
    ("immedi", "eventu"),
    ("halt", "continu"),
    ("releas", "captur"),
    ("resolv", "escal"),
    ("deter", "encourag"),
    ("ceasefir", "offens"),
    ("lift", "impos"),
]
_ANTONYM_OF: dict[str, set[str]] = {}
for _a, _b in _ANTONYMS:
    _ANTONYM_OF.setdefault(_a, set()).add(_b)
    _ANTONYM_OF.setdefault(_b, set()).add(_a)


def _tokens(text: str) -> list[str]:
    return [
        T.stem(w) for w in T.words(T.strip_markers(text)) if w.lower() not in T.STOPWORDS or w.lower() in T.NEGATIONS
    ]


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def _prefix_hit(stem: str, pool: set[str]) -> bool:
    return any(stem.startswith(p) or p.startswith(stem) for p in pool if len(p) >= 4) if len(stem) >= 4 else False


class LexicalJudge:
    name = "lexical"

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold

    def judge(self, claim: str, evidence: Sequence[str]) -> Verdict:
        claim = T.strip_markers(claim).strip()
        joined = " ".join(evidence)
        if not claim:
            return Verdict(True, 1.0, ("empty claim",))
        norm = re.sub(r"\s+", " ", claim).strip().rstrip(".!?").lower()
        if any(norm and norm in re.sub(r"\s+", " ", e).lower() for e in evidence):
            return Verdict(True, 1.0, ("verbatim",))
        reasons: list[str] = []
        ev_lower = joined.lower()
        ev_stems = {T.stem(w) for w in T.words(joined)}
        terms = [t for t in T.content_terms(claim)]
        weights = {t: T.rarity(t) for t in terms}
        total = sum(weights.values()) or 1.0
        covered = sum(w for t, w in weights.items() if T.stem(t) in ev_stems or _prefix_hit(T.stem(t), ev_stems))
        coverage = covered / total
        claim_tokens = _tokens(claim)
        rouge = max((_lcs(claim_tokens, _tokens(e)) for e in evidence), default=0) / max(1, len(claim_tokens))
        rouge_all = _lcs(claim_tokens, _tokens(joined)) / max(1, len(claim_tokens))
        score = 0.6 * coverage + 0.4 * max(rouge, rouge_all)

        missing_numbers = T.numbers(claim) - T.numbers(joined)
        if missing_numbers:
            reasons.append(f"number not in evidence: {', '.join(sorted(missing_numbers))}")
        missing_entities = [e for e in T.entities(claim) if not T.entity_present(e, ev_lower, ev_stems)]
        if missing_entities:
            reasons.append(f"name not in evidence: {', '.join(sorted(missing_entities))}")
        if T.negated(claim) != T.negated(joined) and T.negated(claim):
            reasons.append("negation not in evidence")
        elif T.negated(claim) != T.negated(joined) and coverage > 0.8 and not T.negated(claim):
            # The evidence negates what the claim asserts ("ended without an agreement").
            reasons.append("evidence negates the claim")
        claim_stems = {T.stem(t) for t in terms}
        for s in claim_stems - ev_stems:
            for root, opposites in _ANTONYM_OF.items():
                if s.startswith(root) and any(any(e.startswith(o) for e in ev_stems) for o in opposites):
                    reasons.append(f"antonym: {s}")
        supported = not reasons and score >= self.threshold
        if not supported and not reasons:
            reasons.append(f"low support {score:.2f}")
        return Verdict(supported, score, tuple(reasons))
