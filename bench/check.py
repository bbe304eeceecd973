"""Do the held questions still find their gold sentence? One JSON line out.

    python -m bench.check --data-dir D --corpus C --suite evals/suites/cairo_dev.jsonl [--url http://...]

For every answerable item: *retrieved* when a gold ``support`` sentence lies inside
one of the passages retrieval returns (in-process, default ``top_k``); *cited* when
the answer over HTTP quotes it (a citation's quote contains it or lies inside it).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def answerable_items(suite: Path) -> list[dict[str, Any]]:
    items = [json.loads(line) for line in suite.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [i for i in items if i.get("answerable") and i.get("support")]


def cites_support(body: dict[str, Any], support: list[str]) -> bool:
    quotes = [norm(c.get("quote", "")) for c in body.get("citations", [])]
    gold = [norm(s) for s in support]
    return any(g in q or (q and q in g) for g in gold for q in quotes)


def retrieved(data_dir: Path, corpus: Path, suite: Path) -> dict[str, Any]:
    from rag.config import Settings
    from rag.pipeline import Pipeline

    pipeline = Pipeline(Settings(data_dir=data_dir, corpus_dir=corpus, answerer="extractive"))
    items = answerable_items(suite)
    missed = []
    ranks = []
    for item in items:
        passages, _vec, _t = pipeline.retrieve(item["question"])
        gold = [norm(s) for s in item["support"]]
        rank = next((p.n for p in passages if any(g in norm(p.chunk.text) for g in gold)), None)
        if rank is None:
            missed.append(item["id"])
        else:
            ranks.append(rank)
    return {
        "items": len(items),
        "retrieved": len(items) - len(missed),
        "missed": missed,
        "mean_rank": round(sum(ranks) / len(ranks), 2) if ranks else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--suite", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(retrieved(args.data_dir, args.corpus, args.suite)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
