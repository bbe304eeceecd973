#!/usr/bin/env python3
"""Calibrate the lexical judge on (evidence, claim, label) pairs from synthetic articles.

The pairs come from ``evals/calibration/articles.py`` (short invented news stories on
topics far from the corpus): every hand-written supported claim is a positive, and
is perturbed by rule into negatives (a name swapped, a number or time changed, a
negation added or removed, an unsupported clause appended, the claim paired with
the wrong sentence), next to hand-written antonym and role-swap negatives. Articles
are split in two halves: the threshold is tuned on ``tune`` and balanced accuracy is
reported on ``test``. The Cairo article and its questions are never used here.

    python evals/calibrate.py            # print the tuned threshold and both halves' balanced accuracy
    python evals/calibrate.py --write    # also rewrite evals/calibration/{tune,test}.jsonl
    python evals/calibrate.py --json     # the figures as JSON
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.calibration.articles import ARTICLES, ENTITIES, OUTSIDE_ENTITIES, SUPPORTED, UNSUPPORTED
from rag.judge import DEFAULT_THRESHOLD, LexicalJudge
from rag.sentences import split_sentences

HERE = Path(__file__).resolve().parent / "calibration"
TUNE_ARTICLES = ("transit", "football", "measles", "wildfire")
TEST_ARTICLES = ("drought", "earnings", "court", "climate")

ADDED_CLAUSES = [
    "and officials said the decision would be reviewed within weeks",
    "and the move was welcomed by most residents",
    "and critics called it a dangerous precedent",
    "and the plan had been proposed by a foreign consultancy",
    "and the announcement surprised local observers",
    "which is why several senior officials resigned",
    "and an independent audit has already begun",
    "but the measure remains deeply unpopular",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "March", "June", "October"]
_TIME_SWAPS = {
    "next weekend": "last weekend",
    "next month": "last month",
    "next year": "this year",
    "last year": "two years ago",
    "this season": "last season",
    "the past month": "the past year",
    "evening": "morning",
    "spring": "autumn",
    "second half": "first half",
}
_NUMBER_WORDS = {"twice": "three times", "eleven": "nine", "twelve": "fifteen", "four": "six", "three": "five"}
_AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should)\b")


@dataclass(frozen=True, slots=True)
class Pair:
    split: str
    article: str
    kind: str
    evidence: tuple[str, ...]
    claim: str
    label: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "kind": self.kind,
            "evidence": list(self.evidence),
            "claim": self.claim,
            "label": self.label,
        }


def _pick(options: list[str], seed: str) -> str:
    return options[zlib.crc32(seed.encode()) % len(options)]


def _entity_swaps(article: str, claim: str) -> list[tuple[str, str]]:
    names = sorted(ENTITIES[article], key=len, reverse=True)
    present = [n for n in names if n in claim]
    if not present:
        return []
    name = present[0]
    inside = [n for n in ENTITIES[article] if n not in claim and name not in n and n not in name]
    out = []
    if inside:
        out.append(("entity_swap", claim.replace(name, _pick(inside, claim), 1)))
    out.append(("entity_swap_outside", claim.replace(name, _pick(OUTSIDE_ENTITIES, claim), 1)))
    return out


def _number_change(claim: str) -> str | None:
    m = re.search(r"\d[\d,.]*", claim)
    if m:
        digits = m.group(0).rstrip(".,")
        value = float(digits.replace(",", ""))
        new = value * 1.5 + 2 if value < 1000 else value * 2
        text = f"{new:,.0f}" if "," in digits else (f"{new:.1f}" if "." in digits else f"{new:.0f}")
        return claim.replace(digits, text, 1)
    for word, other in _NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", claim):
            return re.sub(rf"\b{word}\b", other, claim, count=1)
    return None


def _time_change(claim: str) -> str | None:
    for day in _WEEKDAYS:
        if day in claim:
            return claim.replace(day, _WEEKDAYS[(_WEEKDAYS.index(day) + 2) % 7])
    for month in ("March", "June", "October"):
        if month in claim:
            return claim.replace(month, _MONTHS[(_MONTHS.index(month) + 1) % len(_MONTHS)])
    for phrase, other in _TIME_SWAPS.items():
        if phrase in claim:
            return claim.replace(phrase, other, 1)
    return None


def _negation_toggle(claim: str) -> str | None:
    if re.search(r"\bnot\b", claim):
        return re.sub(r"\s*\bnot\b", "", claim, count=1)
    if re.match(r"No\b", claim):
        return re.sub(r"^No\b", "Several", claim)
    m = _AUX.search(claim)
    if m:
        return f"{claim[: m.end()]} not{claim[m.end() :]}"
    return None


def _added_clause(claim: str) -> str:
    clause = _pick(ADDED_CLAUSES, claim + "+")
    return f"{claim.rstrip('.')}, {clause}."


def build_pairs() -> list[Pair]:
    pairs: list[Pair] = []
    sentences = {name: list(split_sentences(text)) for name, text in ARTICLES.items()}
    for article, idx, claim in SUPPORTED:
        split = "tune" if article in TUNE_ARTICLES else "test"
        sents = sentences[article]
        evidence = tuple(sents[i] for i in idx)
        pairs.append(Pair(split, article, "supported", evidence, claim, True))
        pairs.append(Pair(split, article, "supported_passage", (" ".join(sents),), claim, True))
        perturbed: list[tuple[str, str | None]] = [
            *_entity_swaps(article, claim),
            ("number_change", _number_change(claim)),
            ("time_change", _time_change(claim)),
            ("negation", _negation_toggle(claim)),
            ("added_clause", _added_clause(claim)),
        ]
        for kind, text in perturbed:
            if text and text != claim:
                pairs.append(Pair(split, article, kind, evidence, text, False))
        wrong = next(i for i in range(max(idx) + 1, max(idx) + len(sents)) if i % len(sents) not in idx)
        pairs.append(Pair(split, article, "wrong_sentence", (sents[wrong % len(sents)],), claim, False))
    for article, idx, kind, claim in UNSUPPORTED:
        split = "tune" if article in TUNE_ARTICLES else "test"
        sents = sentences[article]
        pairs.append(Pair(split, article, kind, tuple(sents[i] for i in idx), claim, False))
    return pairs


def balanced_accuracy(labels: Iterable[bool], predicted: Iterable[bool]) -> float:
    tp = tn = pos = neg = 0
    for y, p in zip(labels, predicted, strict=True):
        if y:
            pos += 1
            tp += p
        else:
            neg += 1
            tn += not p
    return 0.5 * ((tp / pos if pos else 1.0) + (tn / neg if neg else 1.0))


def tune_threshold(scored: list[tuple[Pair, float, bool]]) -> tuple[float, float]:
    """The threshold with the best balanced accuracy (the middle of the best plateau) and that accuracy."""
    grid = [round(0.30 + 0.01 * i, 2) for i in range(66)]
    labels = [p.label for p, _, _ in scored]
    results = [(balanced_accuracy(labels, [verbatim or s >= t for _, s, verbatim in scored]), t) for t in grid]
    best = max(r[0] for r in results)
    plateau = [t for acc, t in results if acc >= best - 1e-9]
    return plateau[len(plateau) // 2], best


def score_pairs(pairs: list[Pair], judge: LexicalJudge) -> list[tuple[Pair, float, bool]]:
    """Each pair with its score (0 when vetoed) and whether it passed verbatim."""
    out = []
    for pair in pairs:
        a = judge.assess(pair.claim, pair.evidence)
        out.append((pair, 0.0 if a.vetoes and not a.verbatim else a.score, a.verbatim))
    return out


def evaluate(pairs: list[Pair], threshold: float) -> dict[str, Any]:
    judge = LexicalJudge(threshold)
    verdicts = [judge.judge(p.claim, p.evidence).supported for p in pairs]
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair, ok in zip(pairs, verdicts, strict=True):
        by_kind[pair.kind][0] += ok == pair.label
        by_kind[pair.kind][1] += 1
    return {
        "pairs": len(pairs),
        "positives": sum(p.label for p in pairs),
        "balanced_accuracy": round(balanced_accuracy([p.label for p in pairs], verdicts), 4),
        "accuracy_by_kind": {k: round(c / n, 3) for k, (c, n) in sorted(by_kind.items())},
        "errors": [
            {"kind": p.kind, "claim": p.claim, "label": p.label}
            for p, ok in zip(pairs, verdicts, strict=True)
            if ok != p.label
        ],
    }


def calibrate() -> dict[str, Any]:
    pairs = build_pairs()
    tune = [p for p in pairs if p.split == "tune"]
    test = [p for p in pairs if p.split == "test"]
    threshold, _ = tune_threshold(score_pairs(tune, LexicalJudge()))
    return {
        "threshold": threshold,
        "default_threshold": DEFAULT_THRESHOLD,
        "tune": evaluate(tune, threshold),
        "test": evaluate(test, threshold),
        "test_at_default": evaluate(test, DEFAULT_THRESHOLD)["balanced_accuracy"],
    }


def write_fixtures(pairs: list[Pair]) -> None:
    for split in ("tune", "test"):
        rows = [json.dumps(p.to_dict(), ensure_ascii=False) for p in pairs if p.split == split]
        (HERE / f"{split}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite evals/calibration/{tune,test}.jsonl")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--errors", action="store_true", help="list the misjudged pairs")
    args = parser.parse_args(argv)
    if args.write:
        write_fixtures(build_pairs())
    result = calibrate()
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for split in ("tune", "test"):
        r = result[split]
        print(
            f"{split}: {r['pairs']} pairs ({r['positives']} supported), balanced accuracy {r['balanced_accuracy']:.3f}"
        )
        print("   by kind: " + ", ".join(f"{k} {v:.2f}" for k, v in r["accuracy_by_kind"].items()))
        if args.errors:
            for e in r["errors"]:
                print(f"   x {e['kind']:<20} {'+' if e['label'] else '-'} {e['claim']}")
    print(f"tuned threshold {result['threshold']:.2f} (rag.judge.DEFAULT_THRESHOLD = {DEFAULT_THRESHOLD:.2f})")
    print(f"test balanced accuracy at the default threshold: {result['test_at_default']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
