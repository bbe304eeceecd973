"""The JSON contract of /api, against a real `rag serve` on loopback."""

from __future__ import annotations

import re

import httpx

from tests.support import Server


def test_ask_returns_a_cited_answer_whose_quotes_are_exact_spans(live_server: Server) -> None:
    r = httpx.post(
        f"{live_server.url}/api/ask",
        json={"question": "Which former Israeli leader said that talking means not shooting?"},
        timeout=30,
    )
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"answer", "abstained", "citations", "model", "timings_ms"}
    assert body["abstained"] is False
    assert "Peres" in body["answer"]
    assert body["model"] == {"llm": "extractive", "embedder": "all-MiniLM-L6-v2-int8"}
    assert {"retrieve", "answer", "total"} <= set(body["timings_ms"])
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])}
    assert markers == {c["n"] for c in body["citations"]}
    for cit in body["citations"]:
        doc = httpx.get(f"{live_server.url}/api/documents/{cit['doc_id']}", timeout=10).json()
        assert doc["text"][cit["start"] : cit["end"]] == cit["quote"]
        assert set(cit) == {"n", "doc_id", "chunk_id", "title", "quote", "start", "end", "score"} | {
            "source",
            "published",
            "also_in",
        }
        # The Cairo article has no front matter: nothing is guessed.
        assert (cit["source"], cit["published"], cit["also_in"]) == (None, None, [])


def test_unanswerable_question_abstains_in_words(live_server: Server) -> None:
    body = httpx.post(
        f"{live_server.url}/api/ask",
        json={"question": "What did the Egyptian foreign minister promise Qatar?"},
        timeout=30,
    ).json()
    assert body["abstained"] is True
    assert body["answer"].startswith("The articles do not say")
    assert body["citations"] == []


def test_documents_list_and_readiness(live_server: Server) -> None:
    docs = httpx.get(f"{live_server.url}/api/documents", timeout=10).json()["documents"]
    assert [d["doc_id"] for d in docs] == ["cairo-negotiations"]
    assert docs[0]["chunks"] > 0
    ready = httpx.get(f"{live_server.url}/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json() == {"documents": 1, "chunks": docs[0]["chunks"]}
    assert httpx.get(f"{live_server.url}/healthz", timeout=10).json() == {"status": "ok"}


def test_bad_input_gets_422_naming_the_field(live_server: Server) -> None:
    cases = [
        ({"question": "   "}, "question"),
        ({"question": "x" * 2001}, "question"),
        ({"question": "ok?", "top_k": 0}, "top_k"),
        ({"question": "ok?", "top_k": 21}, "top_k"),
        ({"question": "ok?", "history": [{"role": "system", "content": "hi"}]}, "history"),
        ({}, "question"),
        ({"question": 5}, "question"),
    ]
    for payload, field in cases:
        r = httpx.post(f"{live_server.url}/api/ask", json=payload, timeout=10)
        assert r.status_code == 422, payload
        assert field in r.json()["detail"], (payload, r.json())


def test_oversized_body_is_413_and_unknown_things_are_404(live_server: Server) -> None:
    r = httpx.post(
        f"{live_server.url}/api/ask",
        content=b'{"question": "' + b"a" * 70_000 + b'"}',
        headers={"content-type": "application/json"},
        timeout=10,
    )
    assert r.status_code == 413 and "larger than" in r.json()["detail"]
    assert httpx.get(f"{live_server.url}/api/documents/no-such-doc", timeout=10).status_code == 404
    assert httpx.get(f"{live_server.url}/api/documents/..%2F..%2Fetc%2Fpasswd", timeout=10).status_code in (404, 422)
    assert httpx.get(f"{live_server.url}/api/nothing-here", timeout=10).status_code == 404
