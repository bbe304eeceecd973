"""Where one request's time goes: a CPU profile of `rag serve` answering over HTTP.

    .venv/bin/python -m bench.profile [--articles 1] [--seconds 10] [--rate 250]

Starts `rag serve` on the Cairo article (plus N-1 synthetic ones), asks the dev
suite's questions one at a time for ``--seconds`` while ``py-spy record`` samples
the server's Python threads, then sorts every on-CPU sample into a stage of the
request and prints milliseconds per request for each. The raw stacks (collapsed,
flamegraph-ready) and a JSON summary go to reports/. Without py-spy it falls back
to cProfile around ``Pipeline.ask`` in this process (no HTTP).
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.client import Sequential
from bench.run import ARTICLE, ROOT, SUITE, build_corpus, questions_of, run_json
from bench.server import ServeProcess

# (stage, frame-name fragments): the first stage with a fragment anywhere in a sample's stack wins.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("embed the question (onnxruntime)", ("MiniLMEmbedder.embed",)),
    ("retrieve: dense + BM25 + fusion", ("rag/retrieval.py", "rag/catalog.py")),
    ("learned reader (rag/reader/model.py, rag/answerers/reader.py)", ("OnnxReader", "ReaderAnswerer")),
    ("citation verifier (rag/citations.py)", ("rag/citations.py",)),
    ("pipeline: the rest of ask_stream", ("rag/pipeline.py",)),
    ("response: validate + serialise JSON", ("dump_json", "validate_python", "Answer.to_dict")),
    ("HTTP + ASGI on the event loop (uvicorn, FastAPI, middleware)", ("run_asgi", "httptools_impl")),
    ("thread hand-off (anyio worker threads)", ("run_sync", "WorkerThread", "_asyncio.py")),
]


# A sample whose innermost frame is one of these is a thread waiting, not working
# (py-spy's own idle detection misses some when the cores are contended).
IDLE = ("Condition.wait", "Event.wait", "Queue.get", "Runner.run", "select", "BaseSelector")


def classify(frames: list[str]) -> str:
    joined = ";".join(frames)
    for stage, fragments in STAGES:
        if any(f in joined for f in fragments):
            return stage
    return "other (event loop, GC, ...)"


def summarise(raw: Path, requests: int, rate: int) -> dict[str, Any]:
    by_stage: collections.Counter[str] = collections.Counter()
    leaves: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        if not line.strip():
            continue
        stack, count = line.rsplit(" ", 1)
        n = int(count)
        frames = stack.split(";")
        if frames[-1].startswith(IDLE):
            continue
        total += n
        by_stage[classify(frames)] += n
        leaves[frames[-1]] += n
    per_request = 1000.0 / rate / max(1, requests)
    return {
        "samples": total,
        "requests": requests,
        "ms_per_request_on_cpu": round(total * per_request, 2),
        "stages_ms": {k: round(v * per_request, 3) for k, v in by_stage.most_common()},
        "stages_share": {k: round(v / max(1, total), 3) for k, v in by_stage.most_common()},
        "top_functions": [(k, round(v * per_request, 3)) for k, v in leaves.most_common(15)],
    }


def py_spy_profile(args: argparse.Namespace, work: Path, out_raw: Path) -> dict[str, Any]:
    corpus, data = work / "corpus", work / "data"
    build_corpus(corpus, args.articles, args.seed)
    if args.articles > 1:
        run_json(["bench.ingest_job", "--data-dir", str(data), "--corpus", str(corpus)], work / "ingest.log")
    server = ServeProcess(data, corpus, work / "serve.log").start()
    questions = questions_of(SUITE)
    try:
        client = Sequential(server.host, server.port)
        for q in questions:
            client.ask(q)
        spy = subprocess.Popen(
            [
                shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy",
                "record",
                "--pid",
                str(server.proc.pid if server.proc else 0),
                "--rate",
                str(args.rate),
                "--duration",
                str(int(args.seconds) + 2),
                "--format",
                "raw",
                "--output",
                str(out_raw),
                "--threads",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(1.0)
        n = 0
        server_ms: dict[str, list[float]] = {}
        deadline = time.perf_counter() + args.seconds
        while time.perf_counter() < deadline:
            _status, body, _ms = client.ask(questions[n % len(questions)])
            n += 1
            for k, v in body.get("timings_ms", {}).items():
                server_ms.setdefault(k, []).append(float(v))
        _out, err = spy.communicate(timeout=60)
        if spy.returncode != 0 or not out_raw.exists():
            raise RuntimeError(f"py-spy failed: {err.decode()[-500:]}")
        client.close()
    finally:
        server.stop()
    result = summarise(out_raw, n, args.rate)
    result["server_timings_p50_ms"] = {k: round(sorted(v)[len(v) // 2], 2) for k, v in server_ms.items()}
    return result


def cprofile_fallback(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    import cProfile
    import pstats

    from rag.config import Settings
    from rag.pipeline import Pipeline

    corpus = work / "corpus"
    build_corpus(corpus, args.articles, args.seed)
    pipeline = Pipeline(Settings(data_dir=work / "data", corpus_dir=corpus, answerer="extractive"))
    pipeline.ingest()
    questions = questions_of(SUITE)
    for q in questions:
        pipeline.ask(q)
    prof = cProfile.Profile()
    prof.enable()
    n = 0
    deadline = time.perf_counter() + args.seconds
    while time.perf_counter() < deadline:
        pipeline.ask(questions[n % len(questions)])
        n += 1
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(30)
    return {"requests": n, "note": "py-spy not installed: cProfile of Pipeline.ask in-process, no HTTP"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    raw = args.out / f"profile-{stamp}.collapsed.txt"
    work = Path(tempfile.mkdtemp(prefix="rag-profile-"))
    try:
        if shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy"):
            result = py_spy_profile(args, work, raw)
        else:
            result = cprofile_fallback(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.update(articles=args.articles, corpus=str(ARTICLE.name), started=stamp)
    (args.out / f"profile-{stamp}.json").write_text(json.dumps(result, indent=2))

    from rich.console import Console
    from rich.table import Table

    if "stages_ms" in result:
        table = Table(
            title=f"CPU per request of POST /api/ask ({result['requests']} requests, "
            f"{result['ms_per_request_on_cpu']} ms on CPU each, Python threads)"
        )
        table.add_column("stage")
        table.add_column("ms / request", justify="right")
        table.add_column("share", justify="right")
        for stage, ms in result["stages_ms"].items():
            table.add_row(stage, f"{ms:.2f}", f"{100 * result['stages_share'][stage]:.0f}%")
        Console(width=120).print(table)
        print("server-reported p50 (ms):", result["server_timings_p50_ms"])
        print(f"raw stacks: {raw}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
