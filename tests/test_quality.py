"""The Cairo question suites through the default pipeline: the invariants every answer keeps.

The quality floors of every suite (the Cairo ones, the news articles, the held-out SQuAD
articles) are the eval gate's (evals/thresholds.toml), checked by `rag eval` in CI.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

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


def test_every_extractive_answer_is_verbatim_corpus_sentences_with_exact_spans(pipeline: Pipeline) -> None:
    text = (Path(pipeline.settings.corpus_dir) / "cairo-negotiations.txt").read_text(encoding="utf-8")
    corpus_sentences = {text[s:e] for s, e in sentence_spans(text)}
    for item in _items(*HELDOUT_SIDE)[::3]:  # a third: each answer costs ~0.2 s of reading
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
