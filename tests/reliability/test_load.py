"""A 32-way burst of questions (five per client) against `rag serve` on the default: zero errors.

Runs scripts/load.py, the same tool as the 5-minute soak, as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.report import record
from tests.support import ROOT, Server

pytestmark = pytest.mark.slow
LOAD = ROOT / "scripts" / "load.py"
CLIENTS = 32
REQUESTS = 5 * CLIENTS  # every client has questions queued while all the others do


def test_a_32_way_burst_of_questions_has_no_errors(live_server: Server, tmp_path: Path) -> None:
    assert live_server.proc is not None
    out = tmp_path / "burst.json"
    args = ["--url", live_server.url, "--clients", str(CLIENTS), "--requests", str(REQUESTS), "--duration", "600"]
    done = subprocess.run(
        [sys.executable, str(LOAD), *args, "--pid", str(live_server.proc.pid), "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (result["requests"], result["ok"], result["errors"]) == (REQUESTS, REQUESTS, 0), result["error_kinds"]
    assert "p95" in done.stdout  # the table
    record(
        "load-burst",
        area="Load",
        what=f"a burst of {REQUESTS} questions from {CLIENTS} concurrent clients against `rag serve` on the default",
        result=(
            f"{REQUESTS} answered, 0 errors; {result['throughput_rps']} req/s, p50 {result['latency_ms']['p50']} ms, "
            f"p95 {result['latency_ms']['p95']} ms; RSS {result['rss_mb']['start']} -> {result['rss_mb']['end']} MB"
        ),
        command=".venv/bin/pytest -q tests/reliability/test_load.py",
        **result,
    )


def test_the_load_tool_refuses_anything_but_loopback() -> None:
    for url in ("http://10.0.0.8:8000", "http://example.com", "http://192.168.1.2:80"):
        done = subprocess.run(
            [sys.executable, str(LOAD), "--url", url, "--requests", "1"], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2 and "loopback" in done.stderr, url
    done = subprocess.run(
        [sys.executable, str(LOAD), "--clients", "100000"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "--clients" in done.stderr
