"""Client/server mode under faults, for real: the Chroma server is down when `rag serve`
starts, then killed (SIGKILL) and restarted while it serves. The API is never restarted.

Each step waits for the state it means (a 503, a 200) with a generous deadline; the
times it took are reported, never asserted: a loaded machine only makes them longer."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.reliability.report import pytest_command, record
from tests.support import ChromaServer, Server, wait_until

pytestmark = [pytest.mark.chroma_server, pytest.mark.slow]
QUESTION = {"question": "Which former Israeli leader said that talking means not shooting?"}


def assert_unavailable(c: httpx.Client, chroma: ChromaServer, *, starting: bool = False) -> int:
    """Every way in answers 503 (or a stream `error` event) naming the Chroma server."""
    where = f"Chroma server at 127.0.0.1:{chroma.port}"
    assert c.get("/healthz").status_code == 200
    ready = c.get("/readyz")
    assert ready.status_code == 503, ready.text
    if not starting:  # while starting, /readyz only says so; the API routes give the reason
        assert where in ready.json()["detail"], ready.text
    checked = 1
    for r in (c.post("/api/ask", json=QUESTION), c.get("/api/documents"), c.post("/api/ask", json=QUESTION)):
        assert r.status_code == 503, r.text
        body = r.json()
        assert where in body["detail"] and "CHROMA_HOST" in body["detail"], body
        assert body["retryable"] is True and r.headers["retry-after"].isdigit()
        checked += 1
    stream = c.post("/api/ask/stream", json=QUESTION)
    if stream.status_code == 200:
        assert "event: error" in stream.text and where in stream.text, stream.text[:500]
    else:
        assert stream.status_code == 503 and where in stream.json()["detail"]
    return checked + 1


def test_chroma_server_down_at_start_killed_and_restarted_while_serving(tmp_path: Path, session_corpus: Path) -> None:
    chroma = ChromaServer(tmp_path / "chroma")  # not started yet: down when the API starts
    server = Server(tmp_path / "api", session_corpus, env=chroma.env)
    refused = 0
    try:
        server.start(ready=False)
        pid = server.proc.pid if server.proc else None
        with httpx.Client(base_url=server.url, timeout=60) as c:
            # 1. Down at start: the API is up, says what is missing, and does not give up.
            assert wait_until(lambda: "Chroma server" in c.post("/api/ask", json=QUESTION).json()["detail"], 60)
            refused += assert_unavailable(c, chroma, starting=True)

            chroma.start()
            assert wait_until(lambda: c.get("/readyz").status_code == 200, 120, 0.5)
            before = c.post("/api/ask", json=QUESTION)
            assert before.status_code == 200 and "Peres" in before.json()["answer"]

            # 2. Killed while serving. /readyz checks the store live; answers come from the
            #    in-memory index until its next check of the store, then 503. A request
            #    refused by that check leaves the index unchecked, so every later request
            #    checks the store again: still refused, however long after the kill.
            chroma.stop(kill=True)
            t_kill = time.monotonic()
            assert c.get("/readyz").status_code == 503
            assert wait_until(lambda: c.post("/api/ask", json=QUESTION).status_code == 503, 60, 0.1)
            refusing_after_s = time.monotonic() - t_kill
            refused += assert_unavailable(c, chroma)
            refused += assert_unavailable(c, chroma)

            # 3. Back on the same port with the same data: recovered, same answer, same process.
            chroma.start()
            t0 = time.monotonic()
            assert wait_until(lambda: c.post("/api/ask", json=QUESTION).status_code == 200, 60, 0.2)
            recovery_s = time.monotonic() - t0
            assert c.get("/readyz").status_code == 200
            after = c.post("/api/ask", json=QUESTION).json()
            assert after["answer"] == before.json()["answer"]
            assert c.get("/api/documents").status_code == 200

            # 4. Hung (SIGSTOP: connections accepted, nothing answered): the API's own
            #    bounded wait answers 503 before this client's 60 s timeout gives up.
            chroma.pause()
            t0 = time.monotonic()
            hung = c.get("/api/documents")
            hung_s = time.monotonic() - t0
            assert hung.status_code == 503 and "Chroma server" in hung.json()["detail"], hung.text
            assert c.get("/readyz").status_code == 503
            chroma.resume()
            assert wait_until(lambda: c.get("/readyz").status_code == 200, 30, 0.2)
            assert c.post("/api/ask", json=QUESTION).json()["answer"] == before.json()["answer"]
        assert server.proc is not None and server.proc.poll() is None and server.proc.pid == pid
    finally:
        server.stop()
        chroma.stop()
    record(
        "fault-chroma-server",
        area="Faults",
        what="Chroma server (client/server mode) down when `rag serve` starts, SIGKILLed and restarted, then hung (SIGSTOP)",
        result=(
            f"/healthz 200, /readyz 503 at once, answers 503 within {refusing_after_s:.1f} s; "
            f"{refused} requests 503 naming CHROMA_HOST (stream: error event); "
            f"recovered {recovery_s:.1f} s after Chroma was back; hung: 503 after {hung_s:.0f} s (bounded), "
            "recovered on SIGCONT; API never restarted"
        ),
        command=pytest_command(
            "tests/reliability/test_chroma_faults.py::test_chroma_server_down_at_start_killed_and_restarted_while_serving"
        ),
        refused=refused,
        refusing_after_s=round(refusing_after_s, 2),
        recovery_s=round(recovery_s, 2),
        hung_s=round(hung_s, 1),
    )
