#!/usr/bin/env python3
"""Load and soak a running `rag serve` on loopback: concurrent clients asking mixed questions.

    # the 5-minute soak: its own `rag serve` (temporary index of corpus/), an ingest running throughout
    .venv/bin/python scripts/load.py --serve --ingest --clients 32 --duration 300 --json reports/load/soak.json
    # or against a server already running
    .venv/bin/python scripts/load.py --url http://127.0.0.1:8000 --clients 32 --requests 640 --pid PID

Each client posts questions from evals/suites/*.jsonl to /api/ask, one after another,
until ``--duration`` seconds have passed or ``--requests`` have been sent (whichever
comes first; both are capped). With ``--ingest-data-dir`` the script also keeps `rag
ingest` running against the server's index the whole time: a folder holding the
server's corpus plus ``--ingest-articles`` synthetic articles, rewritten to a new
version before each round, so documents keep changing under the readers. It reports
requests, errors, latency percentiles, throughput and the server's resident memory
(RSS) at start and end, as a table and as JSON. Only loopback addresses are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from evals.metrics import suite_corpora

ROOT = Path(__file__).resolve().parent.parent
MAX_CLIENTS = 256
MAX_DURATION_S = 3600.0
MAX_REQUESTS = 1_000_000


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
        except OSError:
            return False


def load_questions(pattern: str = "*.jsonl") -> list[str]:
    questions = []
    own = set(suite_corpora())
    for path in sorted((ROOT / "evals" / "suites").glob(pattern)):
        if path.stem in own:
            continue  # about a corpus of its own, not the one served
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(json.loads(line)["question"])
    if not questions:
        raise SystemExit("no questions found under evals/suites/")
    return questions


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    sent: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


class Memory:
    """RSS of the server process (and its children), sampled once a second."""

    def __init__(self, pid: int | None) -> None:
        self.samples: list[int] = []
        self._proc = None
        if pid:
            import psutil

            self._proc = psutil.Process(pid)

    def sample(self) -> int | None:
        if self._proc is None:
            return None
        try:
            rss = int(self._proc.memory_info().rss)
        except Exception:
            return None
        self.samples.append(rss)
        return rss


class IngestLoop:
    """Keeps `rag ingest` running on the server's index until stopped."""

    def __init__(self, data_dir: Path, base_corpus: Path, articles: int) -> None:
        self.data_dir = data_dir
        self.base_corpus = base_corpus
        self.articles = articles
        self.folder = Path(tempfile.mkdtemp(prefix="rag-load-ingest-"))
        self.rounds: list[dict[str, Any]] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        for path in self.base_corpus.iterdir():
            if path.is_file():
                shutil.copy(path, self.folder / path.name)
        self._thread.start()

    def _write(self, version: int) -> None:
        sys.path.insert(0, str(ROOT))
        from tests.reliability.synthetic import article

        for i in range(self.articles):
            name, text = article(i, version=version, sentences=6)
            (self.folder / name).write_text(text, encoding="utf-8")

    def _run(self) -> None:
        rag = shutil.which("rag", path=str(Path(sys.executable).parent)) or "rag"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_"))}
        env["RAG_DATA_DIR"] = str(self.data_dir)
        version = 1
        while not self._stop.is_set():
            self._write(version)
            t0 = time.monotonic()
            self._proc = subprocess.Popen(
                [rag, "ingest", str(self.folder), "--json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            out, err = self._proc.communicate()
            if self._proc.returncode == 0:
                report = json.loads(out.strip().splitlines()[-1])
                self.rounds.append({"version": version, "seconds": round(time.monotonic() - t0, 1), **report})
            elif not self._stop.is_set():
                self.failures.append(err[-500:])
            version += 1

    def stop(self, wait_s: float = 600) -> None:
        """Let the round in progress finish (so the index is left consistent), then stop."""
        self._stop.set()
        self._thread.join(wait_s)
        shutil.rmtree(self.folder, ignore_errors=True)


async def client(
    http: httpx.AsyncClient, questions: list[str], stats: Stats, rng: random.Random, deadline: float, budget: list[int]
) -> None:
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        question = rng.choice(questions)
        stats.sent += 1
        t0 = time.perf_counter()
        try:
            r = await http.post("/api/ask", json={"question": question})
        except httpx.HTTPError as exc:
            stats.error(type(exc).__name__)
            continue
        elapsed = (time.perf_counter() - t0) * 1000
        if r.status_code != 200:
            stats.error(f"HTTP {r.status_code}")
            continue
        try:
            body = r.json()
            ok = isinstance(body.get("answer"), str) and isinstance(body.get("citations"), list)
        except ValueError:
            ok = False
        if not ok:
            stats.error("malformed body")
            continue
        stats.latencies_ms.append(elapsed)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    questions = load_questions()
    rng = random.Random(args.seed)
    memory = Memory(args.pid)
    headers = {"Authorization": f"Bearer {args.api_key}"} if args.api_key else {}
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them
    # under us (a request sent on a connection the server is closing fails to read).
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients, keepalive_expiry=4.0)
    async with httpx.AsyncClient(base_url=args.url, timeout=args.timeout, limits=limits, headers=headers) as http:
        ready = await http.get("/readyz")
        if ready.status_code != 200:
            raise SystemExit(f"{args.url} is not ready: {ready.status_code} {ready.text[:200]}")
        rss_start = memory.sample()
        ingest = None
        if args.ingest_data_dir:
            ingest = IngestLoop(Path(args.ingest_data_dir), Path(args.ingest_base_corpus), args.ingest_articles)
            ingest.start()
        stats = Stats()
        budget = [args.requests]
        t0 = time.monotonic()
        deadline = t0 + args.duration

        async def sampler() -> None:
            while time.monotonic() < deadline and budget[0] > 0:
                memory.sample()
                await asyncio.sleep(1.0)

        sampling = asyncio.create_task(sampler())
        await asyncio.gather(
            *(
                client(http, questions, stats, random.Random(rng.random()), deadline, budget)
                for _ in range(args.clients)
            )
        )
        wall = time.monotonic() - t0
        sampling.cancel()
        rss_end = memory.sample()
        if ingest is not None:
            await asyncio.to_thread(ingest.stop)
    lat = stats.latencies_ms
    result: dict[str, Any] = {
        "url": args.url,
        "clients": args.clients,
        "duration_s": round(wall, 1),
        "requests": stats.sent,
        "ok": len(lat),
        "errors": sum(stats.errors.values()),
        "error_kinds": stats.errors,
        "throughput_rps": round(len(lat) / wall, 1) if wall else 0.0,
        "latency_ms": {
            "p50": round(percentile(lat, 0.50), 1),
            "p95": round(percentile(lat, 0.95), 1),
            "p99": round(percentile(lat, 0.99), 1),
            "max": round(max(lat), 1) if lat else 0.0,
            "mean": round(statistics.fmean(lat), 1) if lat else 0.0,
        },
        "rss_mb": {
            "start": round(rss_start / 2**20, 1) if rss_start else None,
            "end": round(rss_end / 2**20, 1) if rss_end else None,
            "peak": round(max(memory.samples) / 2**20, 1) if memory.samples else None,
            # one sample a minute (the sampler takes one a second): is memory flat?
            "by_minute": [round(rss / 2**20, 1) for rss in memory.samples[::60]],
        },
        "questions": len(questions),
        "cpu_count": os.cpu_count(),
    }
    if ingest is not None:
        result["ingest"] = {"rounds": ingest.rounds, "failures": ingest.failures}
    return result


def table(result: dict[str, Any]) -> str:
    lat, rss = result["latency_ms"], result["rss_mb"]
    rows = [
        ("clients x seconds", f"{result['clients']} x {result['duration_s']}"),
        ("requests (ok / errors)", f"{result['requests']} ({result['ok']} / {result['errors']})"),
        ("throughput", f"{result['throughput_rps']} req/s"),
        ("latency p50 / p95 / p99 / max", f"{lat['p50']} / {lat['p95']} / {lat['p99']} / {lat['max']} ms"),
        ("server RSS start / end / peak", f"{rss['start']} / {rss['end']} / {rss['peak']} MB"),
        ("server RSS each minute", " ".join(str(v) for v in rss.get("by_minute", [])) + " MB"),
    ]
    if "ingest" in result:
        rounds = result["ingest"]["rounds"]
        rows.append(("ingest rounds during the run", f"{len(rounds)} ({len(result['ingest']['failures'])} failed)"))
    if result["errors"]:
        rows.append(("errors by kind", json.dumps(result["error_kinds"])))
    width = max(len(k) for k, _ in rows)
    lines = [f"| {'':{width}} | value |", f"|{'-' * (width + 2)}|-------|"]
    lines += [f"| {k:{width}} | {v} |" for k, v in rows]
    return "\n".join(lines)


def record_row(key: str, result: dict[str, Any], command: str) -> Path:
    """One row of the reliability table (reports/reliability/<key>.json)."""
    minutes = result["duration_s"] / 60
    ingest = ""
    if "ingest" in result:
        ingest = (
            f", {len(result['ingest']['rounds'])} ingests of {result.get('ingest_articles', '?')} articles meanwhile"
        )
    row = {
        "key": key,
        "area": "Load",
        "what": f"{result['clients']} concurrent clients x {minutes:.1f} min, mixed suite questions{ingest}",
        "result": (
            f"{result['requests']} requests, {result['errors']} errors; p50 {result['latency_ms']['p50']} ms, "
            f"p95 {result['latency_ms']['p95']} ms; RSS {result['rss_mb']['start']} -> {result['rss_mb']['end']} MB"
        ),
        "command": command,
        "data": result,
        "recorded": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    path = ROOT / "reports" / "reliability" / f"{key}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(row, indent=2) + "\n", encoding="utf-8")
    return path


class OwnServer:
    """`rag serve` on a free loopback port over a temporary index of ``corpus`` (for --serve)."""

    def __init__(self, corpus: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.dir = Path(tempfile.mkdtemp(prefix="rag-load-serve-"))
        self.data_dir = self.dir / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_", "CHROMA_"))}
        env.update(RAG_DATA_DIR=str(self.data_dir), RAG_CORPUS_DIR=str(corpus))
        rag = shutil.which("rag", path=str(Path(sys.executable).parent)) or "rag"
        self.log = (self.dir / "serve.log").open("wb")
        self.proc = subprocess.Popen(
            [rag, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"rag serve did not become ready; see {self.dir / 'serve.log'}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default="http://127.0.0.1:8000", help="loopback URL of `rag serve`")
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--duration", type=float, default=60.0, help=f"seconds (cap {MAX_DURATION_S:.0f})")
    p.add_argument("--requests", type=int, default=MAX_REQUESTS, help="stop after this many requests")
    p.add_argument("--timeout", type=float, default=60.0, help="per-request timeout, seconds")
    p.add_argument("--pid", type=int, default=None, help="server process id, for its RSS")
    p.add_argument("--api-key", default=os.environ.get("RAG_API_KEY"), help="when the server needs one")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--serve", action="store_true", help="start a `rag serve` of its own (temporary index) and load it")
    p.add_argument("--ingest", action="store_true", help="with --serve: keep `rag ingest` running on its index")
    p.add_argument("--ingest-data-dir", default=None, help="keep `rag ingest` running on this index meanwhile")
    p.add_argument("--ingest-base-corpus", default=str(ROOT / "corpus"), help="the server's corpus (kept in)")
    p.add_argument("--ingest-articles", type=int, default=200, help="synthetic articles rewritten each round")
    p.add_argument("--json", default=None, help="write the result here")
    p.add_argument("--record", default=None, help="also write reports/reliability/<KEY>.json for the table")
    args = p.parse_args(argv)
    if not args.serve and not is_loopback(args.url):
        p.error(f"{args.url} is not a loopback address; this tool only loads a local server")
    if not 1 <= args.clients <= MAX_CLIENTS:
        p.error(f"--clients must be 1..{MAX_CLIENTS}")
    if not 0 < args.duration <= MAX_DURATION_S:
        p.error(f"--duration must be in (0, {MAX_DURATION_S:.0f}]")
    if not 1 <= args.requests <= MAX_REQUESTS:
        p.error(f"--requests must be 1..{MAX_REQUESTS}")
    own = None
    if args.serve:
        own = OwnServer(Path(args.ingest_base_corpus))
        args.url, args.pid = own.url, own.proc.pid
        if args.ingest:
            args.ingest_data_dir = str(own.data_dir)
    elif args.ingest and not args.ingest_data_dir:
        p.error("--ingest needs --serve (or give --ingest-data-dir, the server's RAG_DATA_DIR)")
    try:
        result = asyncio.run(run(args))
    finally:
        if own is not None:
            own.stop()
    result["ingest_articles"] = args.ingest_articles if args.ingest_data_dir else 0
    print(table(result))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.record:
        command = ".venv/bin/python scripts/load.py " + " ".join(
            a for a in (argv if argv is not None else sys.argv[1:])
        )
        record_row(args.record, result, command)
    return 0 if result["errors"] == 0 and not result.get("ingest", {}).get("failures") else 1


if __name__ == "__main__":
    sys.exit(main())
