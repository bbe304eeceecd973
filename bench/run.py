"""The benchmark: one command, a table on the terminal and a JSON report.

    .venv/bin/python -m bench.run                      # 1 and 1,000 articles
    .venv/bin/python -m bench.run --articles 1 --big   # 1 and 10,000 articles
    .venv/bin/python -m bench.run --articles 1 --requests 100 --duration 2   # quick

For each corpus size N (the real Cairo article plus N-1 synthetic ones, see
bench/synth.py) it measures, against a real ``rag serve`` subprocess on loopback
with default settings (extractive answerer):

* ingest throughput (its own process: docs/s, chunks/s, sentences/s, batch size);
* cold start (process start to /readyz 200) and the first answer's latency;
* query latency p50/p95/p99 of a full cited answer over HTTP (POST /api/ask, one
  keep-alive connection), side by side in the same run with plain LlamaIndex
  ``VectorStoreIndex`` over Chroma, same int8 MiniLM, ``retriever.retrieve()`` timed
  in-process, and with the floor: embedding the question once. The three are timed
  in alternating blocks so a noisy neighbour on the machine hits them alike;
* throughput at 1, 4, 8 and 32 concurrent clients with error counts;
* the server's RSS after warm-up and after the load run;
* whether the Cairo questions still find and cite their gold sentence.

The must-show targets of issue 5 are checked at the end and printed PASS/FAIL.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from bench import synth
from bench.check import answerable_items, cites_support
from bench.client import Sequential, load
from bench.server import ROOT, ServeProcess

ARTICLE = ROOT / "corpus" / "cairo-negotiations.txt"
SUITE = ROOT / "evals" / "suites" / "cairo_dev.jsonl"
TARGETS = {"ratio_p50": 1.2, "rps_at_8": 60.0, "scale_p50_factor": 2.0, "rss_mb": 2048.0}


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(pct(values, 50), 2),
        "p95": round(pct(values, 95), 2),
        "p99": round(pct(values, 99), 2),
        "mean": round(statistics.fmean(values), 2) if values else float("nan"),
        "n": len(values),
    }


def questions_of(suite: Path) -> list[str]:
    return [json.loads(line)["question"] for line in suite.read_text(encoding="utf-8").splitlines() if line.strip()]


def machine() -> dict[str, Any]:
    import onnxruntime

    versions = {}
    for pkg in ("chromadb", "llama-index-core", "llama-index-vector-stores-chroma", "fastapi", "uvicorn"):
        try:
            from importlib.metadata import version

            versions[pkg] = version(pkg)
        except Exception:
            versions[pkg] = None
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "onnxruntime": onnxruntime.__version__,
        "packages": versions,
        "load_average_at_start": list(os.getloadavg()),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def build_corpus(folder: Path, n: int, seed: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ARTICLE, folder / ARTICLE.name)
    if n > 1:
        synth.write_corpus(folder, n - 1, seed=seed)


# RAG_* settings given with --env, for the server and the check (not the ingest: the index is shared).
EXTRA_ENV: dict[str, str] = {}


def run_json(args: list[str], log: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    with log.open("ab") as err:
        out = subprocess.run(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err,
            check=True,
            env={**_env(), **(env or {})},
        )
    return json.loads(out.stdout.decode().strip().splitlines()[-1])  # type: ignore[no-any-return]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_", "CHROMA_"))}


def stored_vectors(data_dir: Path, corpus: Path) -> dict[str, np.ndarray]:
    """chunk text -> stored vector, so the LlamaIndex baseline need not embed the big corpus again."""
    from rag.config import Settings
    from rag.store import ChromaStore

    store = ChromaStore(Settings(data_dir=data_dir, corpus_dir=corpus), "all-MiniLM-L6-v2-int8", 384)
    texts = {cid: chunk.text for chunk, _t, _s in store.iter_chunks() for cid in [chunk.chunk_id]}
    ids = list(texts)
    vecs = store.chunk_vectors(ids)
    return {texts[cid]: vecs[i] for i, cid in enumerate(ids)}


def latency_run(
    client: Sequential, baseline: Any, embedder: Any, questions: list[str], rounds: int, block: int, seed: int
) -> dict[str, Any]:
    """HTTP answer, LlamaIndex retrieve() and the bare embedding, in alternating blocks."""
    rng = random.Random(seed)
    times: dict[str, list[float]] = {"http": [], "llamaindex": [], "embed": []}
    server: dict[str, list[float]] = {}
    errors = 0
    for b in range(max(1, rounds // block)):
        kinds = list(times)
        rng.shuffle(kinds)
        qs = [questions[(b * block + j) % len(questions)] for j in range(block)]
        for kind in kinds:
            for q in qs:
                if kind == "http":
                    status, body, ms = client.ask(q)
                    if status != 200:
                        errors += 1
                        continue
                    times["http"].append(ms)
                    for k, v in body.get("timings_ms", {}).items():
                        server.setdefault(k, []).append(float(v))
                elif kind == "llamaindex":
                    t0 = time.perf_counter()
                    baseline.retrieve(q)
                    times["llamaindex"].append((time.perf_counter() - t0) * 1000)
                else:
                    t0 = time.perf_counter()
                    embedder.embed([q])
                    times["embed"].append((time.perf_counter() - t0) * 1000)
    out: dict[str, Any] = {k: summary(v) for k, v in times.items()}
    out["server_timings_p50"] = {k: round(pct(v, 50), 2) for k, v in server.items()}
    out["http_errors"] = errors
    out["ratio_p50_http_vs_llamaindex"] = round(out["http"]["p50"] / out["llamaindex"]["p50"], 3)
    return out


def run_size(n: int, args: argparse.Namespace, embedder: Any, work: Path, log: Any) -> dict[str, Any]:
    root = work / f"n{n}"
    corpus, data = root / "corpus", root / "data"
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"articles": n}

    ingest_file = root / "ingest.json"
    if args.reuse and ingest_file.exists() and (data / "chroma").exists():
        result["ingest"] = {**json.loads(ingest_file.read_text()), "reused_from_earlier_run": True}
        log(f"N={n}: reusing the corpus and index in {root}")
    else:
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
        t0 = time.perf_counter()
        build_corpus(corpus, n, args.seed)
        log(f"N={n}: wrote corpus in {time.perf_counter() - t0:.1f}s; ingesting...")
        ingest = run_json(["bench.ingest_job", "--data-dir", str(data), "--corpus", str(corpus)], logs / "ingest.log")
        ingest_file.write_text(json.dumps(ingest))
        result["ingest"] = ingest
    ing = result["ingest"]
    log(
        f"N={n}: ingest {ing['documents']} docs, {ing['chunks']} chunks, {ing['sentences']} sentences "
        f"in {ing['ingest_s']:.1f}s ({ing['chunks_per_s']} chunks/s, batch {ing['batch_size']})"
    )
    if args.ingest_only:
        return result

    # The baseline: LlamaIndex over its own Chroma collection, in this process.
    li_dir = root / "llamaindex"
    shutil.rmtree(li_dir, ignore_errors=True)
    li_dir.mkdir()
    from bench.baseline import LlamaIndexBaseline

    baseline = LlamaIndexBaseline(embedder, li_dir, top_k=5)
    vectors = stored_vectors(data, corpus) if n > 1 else None
    baseline.build(corpus, vectors=vectors)
    del vectors
    gc.collect()
    result["llamaindex_index"] = {
        "store": baseline.store,
        "nodes": baseline.nodes,
        "build_s": round(baseline.build_s, 2),
        "vectors_reused_from_rag_ingest": baseline.reused_vectors,
    }
    log(f"N={n}: LlamaIndex baseline indexed {baseline.nodes} nodes in {baseline.build_s:.1f}s ({baseline.store})")

    questions = questions_of(SUITE)
    server = ServeProcess(data, corpus, logs / "serve.log", env=EXTRA_ENV)
    server.start()
    try:
        client = Sequential(server.host, server.port)
        status, _body, first_ms = client.ask(questions[0])
        result["cold_start_s"] = round(server.cold_start_s, 3)
        result["first_answer_ms"] = round(first_ms, 2)
        result["first_answer_status"] = status
        log(f"N={n}: cold start {server.cold_start_s:.2f}s to /readyz 200; first answer {first_ms:.1f} ms")
        for i in range(args.warmup):
            client.ask(questions[i % len(questions)])
            baseline.retrieve(questions[i % len(questions)])
        result["rss_mb_after_warmup"] = round(server.rss_mb(), 1)

        result["latency_ms"] = latency_run(client, baseline, embedder, questions, args.requests, args.block, args.seed)
        lat = result["latency_ms"]
        log(
            f"N={n}: p50 http {lat['http']['p50']:.2f} ms | llamaindex retrieve {lat['llamaindex']['p50']:.2f} ms"
            f" | embed {lat['embed']['p50']:.2f} ms | ratio {lat['ratio_p50_http_vs_llamaindex']}"
        )

        items = answerable_items(SUITE)
        cited = [it["id"] for it in items if cites_support(client.ask(it["question"])[1], it["support"])]
        result["cairo_cited"] = {"items": len(items), "cited": len(cited)}
        client.close()

        result["throughput"] = []
        for clients in args.concurrency:
            res = load(server.host, server.port, questions, clients, args.duration)
            row = {
                "clients": clients,
                "rps": round(res.rps, 1),
                "ok": res.ok,
                "errors": res.errors,
                "error_kinds": res.error_kinds,
                "p50_ms": round(pct(res.latencies_ms, 50), 2),
                "p99_ms": round(pct(res.latencies_ms, 99), 2),
            }
            result["throughput"].append(row)
            log(f"N={n}: {clients:>2} clients: {row['rps']} req/s, {res.errors} errors, p50 {row['p50_ms']} ms")
        result["rss_mb_after_load"] = round(server.rss_mb(), 1)
    finally:
        server.stop()
    del baseline
    gc.collect()

    result["cairo_retrieved"] = run_json(
        ["bench.check", "--data-dir", str(data), "--corpus", str(corpus), "--suite", str(SUITE)],
        logs / "check.log",
        env=EXTRA_ENV,
    )
    r = result["cairo_retrieved"]
    log(
        f"N={n}: Cairo questions: gold sentence retrieved {r['retrieved']}/{r['items']}, "
        f"cited {result['cairo_cited']['cited']}/{result['cairo_cited']['items']}"
    )
    return result


def verdicts(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The must-show targets of issue 5, checked on this run's numbers."""
    out: list[dict[str, Any]] = []
    by_n = {r["articles"]: r for r in results}
    if 1 in by_n:
        one = by_n[1]
        ratio = one["latency_ms"]["ratio_p50_http_vs_llamaindex"]
        out.append(
            {
                "target": "p50 full cited answer over HTTP <= 1.2x p50 LlamaIndex retrieve() (1 article)",
                "value": f"{one['latency_ms']['http']['p50']:.2f} / {one['latency_ms']['llamaindex']['p50']:.2f} ms"
                f" = {ratio:.2f}x",
                "pass": ratio <= TARGETS["ratio_p50"],
            }
        )
        tp = {row["clients"]: row for row in one["throughput"]}
        if 8 in tp:
            out.append(
                {
                    "target": ">= 60 req/s at 8 clients, zero errors (1 article)",
                    "value": f"{tp[8]['rps']} req/s, {tp[8]['errors']} errors",
                    "pass": tp[8]["rps"] >= TARGETS["rps_at_8"] and tp[8]["errors"] == 0,
                }
            )
        if 32 in tp:
            out.append(
                {
                    "target": "no errors at 32 clients (1 article)",
                    "value": f"{tp[32]['rps']} req/s, {tp[32]['errors']} errors",
                    "pass": tp[32]["errors"] == 0,
                }
            )
        big = [r for r in results if r["articles"] >= 10_000]
        for r in big:
            factor = r["latency_ms"]["http"]["p50"] / one["latency_ms"]["http"]["p50"]
            out.append(
                {
                    "target": f"p50 at {r['articles']:,} articles <= 2x the 1-article p50",
                    "value": f"{r['latency_ms']['http']['p50']:.2f} / {one['latency_ms']['http']['p50']:.2f} ms"
                    f" = {factor:.2f}x",
                    "pass": factor <= TARGETS["scale_p50_factor"],
                }
            )
    for r in results:
        if r["articles"] >= 10_000:
            rss = max(r["rss_mb_after_warmup"], r["rss_mb_after_load"])
            out.append(
                {
                    "target": f"RSS < 2 GB at {r['articles']:,} articles",
                    "value": f"{rss:.0f} MB",
                    "pass": rss < TARGETS["rss_mb"],
                }
            )
            cr = r["cairo_retrieved"]
            base = by_n.get(1, {}).get("cairo_retrieved", cr)
            out.append(
                {
                    "target": f"Cairo questions still retrieve their gold sentence at {r['articles']:,} articles",
                    "value": f"{cr['retrieved']}/{cr['items']} (1 article: {base['retrieved']}/{base['items']});"
                    f" cited {r['cairo_cited']['cited']}/{r['cairo_cited']['items']}",
                    "pass": cr["retrieved"] >= base["retrieved"],
                }
            )
    return out


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown tables (for docs/performance.md)."""
    m = report["machine"]
    lines = [
        f"{m['cpu_count']} cores ({m['cpu_model']}), Python {m['python']}, onnxruntime {m['onnxruntime']}, "
        f"load average {m['load_average_at_start'][0]:.1f} at start and {m.get('load_average_at_end', [0])[0]:.1f} "
        f"at end; {report['started']}."
        + (f" Server settings: {report['settings']['env']}." if report["settings"].get("env") else ""),
        "",
        "| articles | HTTP answer p50 / p95 / p99 ms | LlamaIndex retrieve() p50 / p95 / p99 ms | embed only p50 ms "
        "| ratio p50 | server p50: embed / retrieve / answer / verify / total ms |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in report["results"]:
        lt, s = r["latency_ms"], r["latency_ms"]["server_timings_p50"]
        lines.append(
            f"| {r['articles']:,} | {lt['http']['p50']:.1f} / {lt['http']['p95']:.1f} / {lt['http']['p99']:.1f} "
            f"| {lt['llamaindex']['p50']:.1f} / {lt['llamaindex']['p95']:.1f} / {lt['llamaindex']['p99']:.1f} "
            f"| {lt['embed']['p50']:.1f} | {lt['ratio_p50_http_vs_llamaindex']:.2f}x | "
            + " / ".join(f"{s.get(k, float('nan')):.1f}" for k in ("embed", "retrieve", "answer", "verify", "total"))
            + " |"
        )
    levels = [row["clients"] for row in report["results"][0]["throughput"]] if report["results"] else []
    lines += [
        "",
        "| articles | "
        + " | ".join(f"{c} clients req/s (errors)" for c in levels)
        + " | cold start s | first answer ms | RSS MB warm / after load |",
        "| ---: | " + " | ".join("---:" for _ in levels) + " | ---: | ---: | ---: |",
    ]
    for r in report["results"]:
        lines.append(
            f"| {r['articles']:,} | "
            + " | ".join(f"{row['rps']:.1f} ({row['errors']})" for row in r["throughput"])
            + f" | {r['cold_start_s']:.1f} | {r['first_answer_ms']:.0f} "
            f"| {r['rss_mb_after_warmup']:.0f} / {r['rss_mb_after_load']:.0f} |"
        )
    lines += [
        "",
        "| articles | docs | chunks | sentences | ingest s | docs/s | chunks/s | sentences/s | batch "
        "| catalog build s | ingest peak RSS MB | gold sentence retrieved | gold sentence cited |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in report["results"]:
        i = r["ingest"]
        lines.append(
            f"| {r['articles']:,} | {i['documents']:,} | {i['chunks']:,} | {i['sentences']:,} | {i['ingest_s']:.1f} "
            f"| {i['docs_per_s']} | {i['chunks_per_s']} | {i['sentences_per_s']} | {i['batch_size']} "
            f"| {i['catalog_build_s']:.1f} | {i['peak_rss_mb']:.0f} "
            f"| {r['cairo_retrieved']['retrieved']}/{r['cairo_retrieved']['items']} "
            f"| {r['cairo_cited']['cited']}/{r['cairo_cited']['items']} |"
        )
    lines += ["", "| target | this run | |", "| --- | --- | --- |"]
    for v in report["targets"]:
        lines.append(f"| {v['target']} | {v['value']} | {'PASS' if v['pass'] else 'FAIL'} |")
    return "\n".join(lines) + "\n"


def render(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 150))
    results = report["results"]
    m = report["machine"]
    title = f"rag-news benchmark — {m['cpu_count']} cores ({m['cpu_model']}), {report['started']}"
    lat = Table(title=title + "\nquery latency, ms (sequential, one keep-alive connection)")
    lat.add_column("articles", justify="right")
    for col in ("HTTP answer p50/p95/p99", "LlamaIndex retrieve() p50/p95/p99", "embed only p50", "ratio p50"):
        lat.add_column(col, justify="right")
    lat.add_column("server-side p50: embed / retrieve / answer / verify / total", justify="right")
    for r in results:
        lt = r["latency_ms"]
        s = lt["server_timings_p50"]
        lat.add_row(
            f"{r['articles']:,}",
            "{p50:.2f} / {p95:.2f} / {p99:.2f}".format(**lt["http"]),
            "{p50:.2f} / {p95:.2f} / {p99:.2f}".format(**lt["llamaindex"]),
            f"{lt['embed']['p50']:.2f}",
            f"{lt['ratio_p50_http_vs_llamaindex']:.2f}x",
            " / ".join(f"{s.get(k, float('nan')):.2f}" for k in ("embed", "retrieve", "answer", "verify", "total")),
        )
    console.print(lat)

    tp = Table(title="throughput (closed loop), cold start, memory")
    tp.add_column("articles", justify="right")
    levels = [row["clients"] for row in results[0]["throughput"]] if results else []
    for c in levels:
        tp.add_column(f"{c} clients req/s (err)", justify="right")
    for col in ("cold start s", "first answer ms", "RSS MB warm / after load"):
        tp.add_column(col, justify="right")
    for r in results:
        tp.add_row(
            f"{r['articles']:,}",
            *[f"{row['rps']:.1f} ({row['errors']})" for row in r["throughput"]],
            f"{r['cold_start_s']:.2f}",
            f"{r['first_answer_ms']:.1f}",
            f"{r['rss_mb_after_warmup']:.0f} / {r['rss_mb_after_load']:.0f}",
        )
    console.print(tp)

    ing = Table(title="ingest (own process; model load excluded) and the Cairo questions")
    for col in ("articles", "docs", "chunks", "sentences", "ingest s", "docs/s", "chunks/s", "sentences/s"):
        ing.add_column(col, justify="right")
    for col in ("batch", "catalog build s", "peak RSS MB", "gold retrieved", "gold cited"):
        ing.add_column(col, justify="right")
    for r in results:
        i = r["ingest"]
        ing.add_row(
            f"{r['articles']:,}",
            f"{i['documents']:,}",
            f"{i['chunks']:,}",
            f"{i['sentences']:,}",
            f"{i['ingest_s']:.1f}" + (" (reused)" if i.get("reused_from_earlier_run") else ""),
            f"{i['docs_per_s']}",
            f"{i['chunks_per_s']}",
            f"{i['sentences_per_s']}",
            f"{i['batch_size']}",
            f"{i['catalog_build_s']:.1f}",
            f"{i['peak_rss_mb']:.0f}",
            f"{r['cairo_retrieved']['retrieved']}/{r['cairo_retrieved']['items']}",
            f"{r['cairo_cited']['cited']}/{r['cairo_cited']['items']}",
        )
    console.print(ing)

    ver = Table(title="issue 5 must-show targets")
    for col in ("target", "this run", "result"):
        ver.add_column(col)
    for v in report["targets"]:
        ver.add_row(v["target"], v["value"], "[green]PASS[/]" if v["pass"] else "[red]FAIL[/]")
    console.print(ver)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="1,1000", help="Comma-separated corpus sizes (default 1,1000).")
    parser.add_argument("--big", action="store_true", help="Also run 10,000 articles (about an hour of ingest).")
    parser.add_argument("--requests", type=int, default=300, help="Sequential requests per contender.")
    parser.add_argument("--block", type=int, default=20, help="Requests per block when alternating contenders.")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--duration", type=float, default=6.0, help="Seconds per concurrency level.")
    parser.add_argument("--concurrency", default="1,4,8,32")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work-dir", type=Path, help="Keep corpora and indexes here (default: a temp dir, removed).")
    parser.add_argument("--reuse", action="store_true", help="With --work-dir: reuse corpora and indexes found there.")
    parser.add_argument(
        "--ingest-only", action="store_true", help="Build corpora and indexes (with --work-dir), no more."
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="RAG_X=V",
        help="A setting for the server and the retrieval check, e.g. RAG_RETRIEVAL__CANDIDATES=50 (repeatable).",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args(argv)
    EXTRA_ENV.clear()
    EXTRA_ENV.update(dict(kv.split("=", 1) for kv in args.env))
    sizes = sorted({int(x) for x in args.articles.split(",") if x.strip()} | ({10_000} if args.big else set()))
    args.concurrency = [int(x) for x in args.concurrency.split(",") if x.strip()]

    from rich.console import Console

    console = Console(stderr=True)

    def log(msg: str) -> None:
        console.print(f"[dim]{time.strftime('%H:%M:%S')}[/] {msg}", highlight=False)

    from rag.embeddings import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="rag-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = datetime.now().isoformat(timespec="seconds")
    report: dict[str, Any] = {
        "started": started,
        "machine": machine(),
        "settings": {
            "sizes": sizes,
            "requests": args.requests,
            "block": args.block,
            "duration_s": args.duration,
            "concurrency": args.concurrency,
            "seed": args.seed,
            "questions": str(SUITE.relative_to(ROOT)),
            "answerer": "extractive",
            "top_k": 5,
            "env": dict(EXTRA_ENV),
        },
        "results": [],
    }
    try:
        for n in sizes:
            report["results"].append(run_size(n, args, embedder, work, log))
    finally:
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.ingest_only:
        console.print_json(data=[r["ingest"] for r in report["results"]])
        return 0
    report["machine"]["load_average_at_end"] = list(os.getloadavg())
    report["targets"] = verdicts(report["results"])
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"bench-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2))
    path.with_suffix(".md").write_text(markdown(report))
    render(report)
    console.print(f"report: {path} (and {path.with_suffix('.md').name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
