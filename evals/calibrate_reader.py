"""Choose the reader's abstention margin on held-out training articles (the ``calib`` split).

Each question of the calibration suite is retrieved and read through the real pipeline
over the calibration corpus (whole articles, some answer sentences cut: see
``evals.squad_suites``). The margin kept is the one that maximises the share of items
handled right: answerable ones answered by a sentence that holds the answer, unanswerable
ones abstained. No eval suite is read here. The result goes into ``rag/reader/reader.json``.

    python -m evals.calibrate_reader --corpus data/reader/calib_corpus --suite data/reader/calib_suite.jsonl
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from rag.config import get_settings
from rag.pipeline import Pipeline
from rag.questions import analyse
from rag.reader.model import META_FILE


def margins(corpus: Path, suite: Path) -> list[tuple[float, bool, bool]]:
    """(best margin, answerable, best sentence holds the answer) per question."""
    with tempfile.TemporaryDirectory() as data:
        pipeline = Pipeline(get_settings(corpus_dir=corpus, data_dir=Path(data)))
        pipeline.ingest()
        out = []
        for line in suite.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            question = analyse(item["question"])
            passages, vector, _ = pipeline.retrieve(item["question"])
            reading = pipeline.reader.read(question.text, passages, vector)
            best = reading.best
            holds = bool(best) and all(
                any(alt.lower() in best.text.lower() for alt in group) for group in item["must_include"]
            )
            out.append((reading.margin, bool(item["answerable"]), holds))
        return out


def choose(rows: list[tuple[float, bool, bool]]) -> tuple[float, dict[str, float]]:
    """The margin with the most items handled right (ties: the lowest such margin)."""
    best_t, best_acc = 0.0, -1.0
    for t in np.arange(-6.0, 8.01, 0.1):
        acc = float(np.mean([(m >= t and holds) if ans else m < t for m, ans, holds in rows]))
        if acc > best_acc:
            best_t, best_acc = float(round(t, 2)), acc
    ans = [r for r in rows if r[1]]
    una = [r for r in rows if not r[1]]
    stats = {
        "accuracy": round(best_acc, 4),
        "answered_right": round(float(np.mean([m >= best_t and h for m, _, h in ans])), 4),
        "false_abstention": round(float(np.mean([m < best_t for m, _, _ in ans])), 4),
        "correct_abstention": round(float(np.mean([m < best_t for m, _, _ in una])), 4),
        "best_sentence_holds_answer": round(float(np.mean([h for _, _, h in ans])), 4),
        "items": len(rows),
    }
    return best_t, stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--suite", type=Path, required=True)
    ap.add_argument("--write", action="store_true", help=f"store the margin in {META_FILE}")
    args = ap.parse_args()
    threshold, stats = choose(margins(args.corpus, args.suite))
    print(json.dumps({"threshold": threshold, **stats}, indent=2))
    if args.write:
        meta = json.loads(META_FILE.read_text())
        meta.update(threshold=threshold, calibration=stats)
        META_FILE.write_text(json.dumps(meta, indent=2) + "\n")


if __name__ == "__main__":
    main()
