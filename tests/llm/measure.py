"""Measure `rag serve` answering with the local SmolLM2 server on the held-out suites.

    .venv/bin/python -m tests.llm.measure                 # starts SmolLM2 and rag serve itself
    .venv/bin/python -m tests.llm.measure --url http://127.0.0.1:8000   # a running server

Asks every item of ``cairo_heldout`` and ``adversarial_heldout`` over HTTP (POST /api/ask),
saves the /api/ask objects to ``reports/llm/predictions.jsonl``, scores them with the eval
harness (``rag eval --predictions``: answer correctness, faithfulness, ALCE citation
precision/recall, abstention), and adds what the harness does not report: every quote an
exact span, every marker with its citation, gold-sentence citation, false abstention, which
model answered, and what the verifier did to the LLM's sentences (with examples).
Writes ``reports/llm/summary.json`` and prints a Markdown summary.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from tests.llm_server import LlmServer
from tests.support import ARTICLE, ROOT, Server

SUITES = ("cairo_heldout", "adversarial_heldout")
MAX_TOKENS = "160"


def load_items(suites: tuple[str, ...] = SUITES) -> list[dict[str, Any]]:
    items = []
    for suite in suites:
        for line in (ROOT / "evals" / "suites" / f"{suite}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                items.append({**json.loads(line), "suite": suite})
    return items


def ask_all(url: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    with httpx.Client(base_url=url, timeout=180) as client:
        for i, item in enumerate(items, 1):
            t0 = time.perf_counter()
            r = client.post("/api/ask", json={"question": item["question"]})
            body = r.json() if r.status_code == 200 else {"answer": "", "abstained": False, "citations": []}
            body.update(id=item["id"], latency_ms=(time.perf_counter() - t0) * 1000, status=r.status_code)
            out.append(body)
            print(f"[{i}/{len(items)}] {item['id']} {r.status_code} {body['latency_ms'] / 1000:.1f}s", file=sys.stderr)
    return out


def extras(url: str, items: list[dict[str, Any]], preds: list[dict[str, Any]]) -> dict[str, Any]:
    texts: dict[str, str] = {}

    def doc(doc_id: str) -> str:
        if doc_id not in texts:
            texts[doc_id] = httpx.get(f"{url}/api/documents/{doc_id}", timeout=30).json()["text"]
        return texts[doc_id]

    exact = markers = gold = answerable = unanswerable = abstained_right = false_abst = 0
    n_quotes = 0
    models: dict[str, int] = {}
    totals = {"sentences": 0, "supported": 0, "dropped": 0, "off_topic": 0, "repeated": 0, "kept_answers": 0}
    fallback = added = 0
    caught: list[dict[str, str]] = []
    for item, p in zip(items, preds, strict=True):
        models[p.get("model", {}).get("llm", "?")] = models.get(p.get("model", {}).get("llm", "?"), 0) + 1
        for c in p["citations"]:
            n_quotes += 1
            exact += doc(c["doc_id"])[c["start"] : c["end"]] == c["quote"]
        markers += {int(n) for n in re.findall(r"\[(\d+)\]", p["answer"])} == {c["n"] for c in p["citations"]}
        if item["answerable"]:
            answerable += 1
            false_abst += bool(p["abstained"])
            spans = []
            for s in item["support"]:
                start = doc("cairo-negotiations").find(s)
                spans.append((start, start + len(s)))
            gold += any(
                c["doc_id"] == "cairo-negotiations" and c["start"] < e and s < c["end"]
                for c in p["citations"]
                for s, e in spans
            )
        else:
            unanswerable += 1
            abstained_right += bool(p["abstained"])
        v = p.get("verification", {})
        for k in ("sentences", "supported", "dropped", "off_topic", "repeated"):
            totals[k] += int(v.get(k, 0))
        totals["kept_answers"] += int(v.get("llm_sentences_kept", 0) > 0)
        fallback += v.get("fallback") == "extractive"
        added += int(v.get("extractive_added", 0))
        for claim in p.get("unsupported", []):
            caught.append({"id": item["id"], "question": item["question"], "dropped": claim})
    return {
        "items": len(items),
        "exact_spans": f"{exact}/{n_quotes}",
        "markers_match_citations": f"{markers}/{len(items)}",
        "abstention_on_unanswerable": round(abstained_right / max(1, unanswerable), 3),
        "false_abstention": round(false_abst / max(1, answerable), 3),
        "gold_sentence_citation": round(gold / max(1, answerable), 3),
        "model_llm": models,
        "llm_sentences": totals["sentences"],
        "llm_sentences_kept": totals["supported"],
        "llm_sentences_dropped_unsupported": totals["dropped"],
        "llm_sentences_dropped_off_topic": totals["off_topic"],
        "llm_sentences_repeated": totals["repeated"],
        "answers_with_llm_text": totals["kept_answers"],
        "answers_fallback_extractive": fallback,
        "extractive_sentences_added": added,
        "examples_caught": caught,
    }


def harness(pred_path: Path, suites: tuple[str, ...] = SUITES) -> dict[str, Any]:
    rag = shutil.which("rag", path=str(Path(sys.executable).parent)) or "rag"
    args = [rag, "eval", "--predictions", str(pred_path), "--json", "--no-gate"]
    for suite in suites:
        args += ["--suite", suite]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"rag eval failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    keep = ("answer_correctness", "faithfulness", "citation_recall", "citation_precision", "abstention_accuracy",
            "refusal_recall", "refusal_precision", "latency_p50_ms", "latency_p95_ms")  # fmt: skip
    return {k: report["metrics"].get(k) for k in keep}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running rag serve (default: start SmolLM2 and rag serve here)")
    parser.add_argument("--out", default=str(ROOT / "reports" / "llm"))
    parser.add_argument(
        "--suite", action="append", help=f"a suite under evals/suites (repeatable; default {', '.join(SUITES)})"
    )
    args = parser.parse_args(argv)
    suites = tuple(args.suite or SUITES)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    items = load_items(suites)
    with ExitStack() as stack:
        url = args.url
        if not url:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rag-measure-")))
            llm = stack.enter_context(LlmServer(tmp, extra_args=["--flat"]))
            corpus = tmp / "corpus"
            corpus.mkdir()
            shutil.copy(ARTICLE, corpus / ARTICLE.name)
            env = {"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "placeholder", "RAG_LLM_MODEL": str(llm.model_id),
                   "RAG_LLM__MAX_TOKENS": MAX_TOKENS}  # fmt: skip
            url = stack.enter_context(Server(tmp / "data", corpus, env=env, log_dir=tmp)).url
        preds = ask_all(url, items)
        pred_path = out / "predictions.jsonl"
        pred_path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds), encoding="utf-8")
        summary = {"suites": suites, "harness": harness(pred_path, suites), **extras(url, items, preds)}
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    print("| metric | value |\n| --- | --- |")
    for k, v in {**summary["harness"], **summary}.items():
        if k not in ("harness", "examples_caught", "suites"):
            print(f"| {k} | {v} |")
    print("\nExamples the verifier dropped:")
    for ex in summary["examples_caught"][:15]:
        print(f"- {ex['id']}: {ex['dropped']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
