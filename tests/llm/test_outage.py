"""Killing the real LLM server mid-run, and bringing it back, with `rag serve` left running.

With RAG_LLM__ON_FAILURE=degrade (rag_llm) answers go on, extractive and marked
degraded; with =error (rag_strict) they are 503s with a clear message, and a stream
ends with an `error` event. Never a 500, never a hang. A restarted LLM server is
used again without restarting `rag serve`.

Nothing here times the client: a hang fails at the client's timeout, and "fast while the
LLM is down" is the answer's own time against the LLM deadline it did not wait out.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import openai
import pytest

from tests.llm.conftest import LLM_ENV
from tests.llm.helpers import ask, assert_contract, read_events
from tests.llm_server import LlmServer
from tests.support import Server

pytestmark = pytest.mark.llm

QUESTIONS = [
    "Which city hosted the negotiations between the Israeli and Hamas delegations?",
    "Who is quoted as saying \"while we're talking, we're not shooting\"?",
    "What city is Israel threatening to launch an offensive in?",
    "Why are people warning of a possible bloodbath?",
]


@pytest.mark.timeout(900)  # three servers start and a real LLM answers on two busy cores
def test_llm_outage_degrades_or_503s_and_recovers(rag_llm: Server, rag_strict: Server, llm: LlmServer) -> None:
    # Both answer with the LLM to begin with.
    for server in (rag_llm, rag_strict):
        body = ask(server, QUESTIONS[0]).json()
        assert body["model"]["llm"] == llm.model_id and body["degraded"] is False

    # Kill the LLM server while requests are in flight: as soon as the API servers hold
    # every request in full, not after a fixed pause that a slow machine might outlast.
    sent = threading.Semaphore(0)

    def trace(event: str, _info: object) -> None:
        if event == "http11.send_request_body.complete":
            sent.release()

    def one(args: tuple[Server, str]) -> tuple[int, dict[str, object]]:
        server, question = args
        with httpx.Client(base_url=server.url, timeout=300) as client:
            r = client.post("/api/ask", json={"question": question}, extensions={"trace": trace})
        return r.status_code, r.json()

    jobs = [(rag_llm, q) for q in QUESTIONS] + [(rag_strict, q) for q in QUESTIONS]
    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = [pool.submit(one, job) for job in jobs]
        for _ in jobs:
            assert sent.acquire(timeout=120), "a request was never sent"
        llm.stop()
        results = [f.result(timeout=320) for f in futures]
    for (server, _), (status, body) in zip(jobs, results, strict=True):
        if server is rag_llm:
            assert status == 200, body
            assert_contract(server, body)
            assert body["model"]["llm"] in (llm.model_id, "extractive")  # answered before, or degraded after
            assert (body["model"]["llm"] == "extractive") == body["degraded"]
        else:
            assert status in (200, 503), body

    # While it is down: degraded answers, without waiting out the LLM deadline (a refused
    # connection is not retried until then); or 503 with a clear message.
    body = ask(rag_llm, QUESTIONS[1]).json()
    assert body["timings_ms"]["answer"] < float(LLM_ENV["RAG_LLM__DEADLINE_S"]) * 1000, body["timings_ms"]
    assert body["degraded"] is True and body["model"]["llm"] == "extractive"
    assert_contract(rag_llm, body)
    assert body["abstained"] is False and "Peres" in body["answer"]
    assert "language model is unavailable" in body["answer"]

    r = ask(rag_strict, QUESTIONS[1])
    assert r.status_code == 503 and r.headers.get("retry-after")
    assert "language model" in r.json()["detail"] and r.json()["retryable"] is True

    events = read_events(rag_strict, {"question": QUESTIONS[1]})
    assert [name for name, _ in events][-1] == "error"
    assert "language model" in events[-1][1]["detail"]

    strict_client = openai.OpenAI(base_url=f"{rag_strict.url}/v1", api_key="unused", max_retries=0, timeout=60)
    with pytest.raises(openai.APIStatusError) as plain:
        strict_client.chat.completions.create(model="rag-news", messages=[{"role": "user", "content": QUESTIONS[1]}])
    assert plain.value.status_code == 503 and "language model" in plain.value.message
    with pytest.raises(openai.APIStatusError) as streamed:
        list(
            strict_client.chat.completions.create(
                model="rag-news", messages=[{"role": "user", "content": QUESTIONS[1]}], stream=True
            )
        )
    assert streamed.value.status_code == 503

    degraded = next(e for e in read_events(rag_llm, {"question": QUESTIONS[0]}) if e[0] == "done")[1]
    assert degraded["degraded"] is True and "Cairo" in degraded["answer"]

    # Bring it back: both use the LLM again, no restart of rag serve.
    llm.restart()
    for server in (rag_llm, rag_strict):
        r = ask(server, QUESTIONS[0])
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["model"]["llm"] == llm.model_id and body["degraded"] is False
        assert_contract(server, body)
    assert httpx.get(f"{rag_llm.url}/readyz", timeout=10).status_code == 200
