"""How much of an ideal LLM's answer survives the pipeline: `python -m tests.llm.measure_ideal SUITE...`.

The ideal model (``FakeLLM`` in ``ideal`` mode) answers each question with exactly the
sentences that answer it, each marked with the passage that holds it, or with the
abstention phrase. Whatever the pipeline then drops or refuses is the pipeline's loss:
the verifier and the reader's grounding must let a right answer through untouched.
Prints the eval figures per suite (the same scoring as `rag eval`).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from evals.metrics import load_suite, resolve_suite
from tests.llm.fake_llm import FakeLLM


def main(argv: list[str]) -> int:
    names = argv or ["news_dev"]
    fake = FakeLLM()
    for name in names:
        for item in load_suite(resolve_suite(name)):
            fake.oracle[item.question] = list(item.support) if item.answerable else []
    fake.set("ideal")
    with tempfile.TemporaryDirectory() as data:
        os.environ.update(
            OPENAI_BASE_URL=fake.base_url, OPENAI_API_KEY="sk-ideal", RAG_LLM_MODEL="ideal", RAG_DATA_DIR=data
        )
        from evals.runner import main as eval_main

        out = os.path.join(data, "ideal.json")
        code = eval_main([*names, "--no-gate", "--output", out])
        report = json.loads(Path(out).read_text(encoding="utf-8"))
    fake.stop()
    keys = (
        "answer_correctness",
        "gold_citation",
        "gold_precision",
        "citation_precision",
        "false_abstention",
        "correct_abstention",
    )
    for suite, m in report["suites"].items():
        print(suite, " ".join(f"{k}={m.get(k)}" for k in keys))
    m = report["metrics"]
    print("all", " ".join(f"{k}={m.get(k)}" for k in keys))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
