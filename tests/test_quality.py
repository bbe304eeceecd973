"""The question suites run through the default pipeline: quality floors and invariants.

Floors sit just under what the extractive default measures (dev is tuned on,
held-out never is). The issue's 0.90 bars are reported in docs/quality.md: met by the
held-out side as a whole, not by its two oldest suites.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evals.metrics import corpus_suites
from rag.pipeline import Pipeline
from rag.prompts import ABSTENTION
from rag.sentences import sentence_spans

SUITES = Path(__file__).resolve().parent.parent / "evals" / "suites"
# Every suite is on one side: the held-out side is never tuned on; every other suite is dev.
HELDOUT_SIDE = (
    "cairo_heldout",
    "cairo_heldout2",
    "cairo_heldout3",
    "cairo_heldout4",
    "cairo_heldout5",
    "cairo_heldout6",
    "cairo_heldout7",
    "cairo_heldout8",
    "adversarial_heldout",
)
DEV_SIDE = tuple(sorted(p.stem for p in corpus_suites() if p.stem not in HELDOUT_SIDE))


def _items(*names: str) -> list[dict]:
    return [json.loads(line) for name in names for line in (SUITES / f"{name}.jsonl").read_text("utf-8").splitlines()]


def _score(pipeline: Pipeline, items: list[dict]) -> dict[str, float]:
    answerable = [i for i in items if i["answerable"]]
    unanswerable = [i for i in items if not i["answerable"]]
    correct = cited = false_abst = abstained = 0
    for item in items:
        a = pipeline.ask(item["question"])
        if item["answerable"]:
            text = a.answer.lower()
            correct += not a.abstained and all(any(alt.lower() in text for alt in g) for g in item["must_include"])
            cited += any(any(s in c.quote or c.quote in s for s in item["support"]) for c in a.citations)
            false_abst += a.abstained
        else:
            abstained += a.abstained
    return {
        "correctness": correct / len(answerable),
        "gold_citation": cited / len(answerable),
        "false_abstention": false_abst / len(answerable),
        "abstention": abstained / max(1, len(unanswerable)),
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    ("split", "floors"),
    [
        (
            ("cairo_dev", "adversarial_dev"),
            {"correctness": 0.9, "gold_citation": 0.9, "abstention": 0.9, "false_abstention": 0.05},
        ),
        (
            ("cairo_heldout", "adversarial_heldout"),
            {"correctness": 0.75, "gold_citation": 0.75, "abstention": 0.9, "false_abstention": 0.15},
        ),
        (
            DEV_SIDE,
            {"correctness": 0.9, "gold_citation": 0.89, "abstention": 0.92, "false_abstention": 0.05},
        ),
        (
            HELDOUT_SIDE,
            {"correctness": 0.9, "gold_citation": 0.9, "abstention": 0.92, "false_abstention": 0.06},
        ),
    ],
    ids=["dev", "heldout", "dev-side", "heldout-side"],
)
def test_suite_quality_floors(pipeline: Pipeline, split: tuple[str, ...], floors: dict[str, float]) -> None:
    scores = _score(pipeline, _items(*split))
    print(f"\n{'+'.join(split)}: " + ", ".join(f"{k}={v:.2f}" for k, v in scores.items()))
    assert scores["correctness"] >= floors["correctness"], scores
    assert scores["gold_citation"] >= floors["gold_citation"], scores
    assert scores["abstention"] >= floors["abstention"], scores
    assert scores["false_abstention"] <= floors["false_abstention"], scores


def test_every_extractive_answer_is_verbatim_corpus_sentences_with_exact_spans(pipeline: Pipeline) -> None:
    text = (Path(pipeline.settings.corpus_dir) / "cairo-negotiations.txt").read_text(encoding="utf-8")
    corpus_sentences = {text[s:e] for s, e in sentence_spans(text)}
    for item in _items(*DEV_SIDE, *HELDOUT_SIDE):
        a = pipeline.ask(item["question"])
        if a.abstained:
            assert a.answer.startswith(ABSTENTION) and a.citations == []
            continue
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", a.answer)}
        assert markers == {c.n for c in a.citations} == set(range(1, len(a.citations) + 1))
        for c in a.citations:
            assert text[c.start : c.end] == c.quote
            assert c.quote in corpus_sentences
        stripped = re.sub(r" \[\d+\]", "", a.answer)
        for c in a.citations:
            stripped = stripped.replace(c.quote, "")
        assert not stripped.strip(), f"words of its own: {stripped!r}"
