"""Client/server mode: `rag serve` with CHROMA_HOST/CHROMA_PORT keeps its vectors in a
Chroma server started by `chroma run`, and answers exactly as the embedded default."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support import ChromaServer, Server

pytestmark = [pytest.mark.chroma_server, pytest.mark.slow]

QUESTIONS = [
    "Where were the Israel-Hamas negotiations held?",
    "Which former Israeli leader said that talking means not shooting?",
    "What is Israel demanding in the talks?",
    "Did the Israeli and Hamas negotiators manage to reach a final deal?",
    "What did the Egyptian foreign minister promise Qatar?",  # not in the article: abstains
]


def ask(server: Server, question: str) -> dict:  # type: ignore[type-arg]
    r = httpx.post(f"{server.url}/api/ask", json={"question": question}, timeout=60)
    assert r.status_code == 200, r.text
    body: dict = r.json()  # type: ignore[type-arg]
    return body


def test_rag_serve_stores_vectors_in_a_chroma_server_and_answers_as_embedded(
    chroma_server: ChromaServer, live_server: Server, session_corpus: Path, tmp_path: Path
) -> None:
    data = tmp_path / "api-data"
    with Server(data, session_corpus, env=chroma_server.env) as remote:
        ready = httpx.get(f"{remote.url}/readyz", timeout=10).json()
        assert ready["documents"] == 1 and ready["chunks"] > 0

        # The vectors are in the Chroma server, in the collection named after the embedder...
        client = chroma_server.client()
        names = {c.name for c in client.list_collections()}
        chunk_collections = [n for n in names if "-chunks-" in n]
        assert chunk_collections == ["rag-chunks-all-MiniLM-L6-v2-int8"], names
        collection = client.get_collection(chunk_collections[0])
        stored = collection.get(include=["embeddings", "metadatas", "documents"])
        assert len(stored["ids"]) == ready["chunks"]
        assert {m["doc_id"] for m in stored["metadatas"]} == {"cairo-negotiations"}
        assert all(len(e) == 384 for e in stored["embeddings"])
        article = httpx.get(f"{remote.url}/api/documents/cairo-negotiations", timeout=10).json()["text"]
        for text, meta in zip(stored["documents"], stored["metadatas"], strict=True):
            assert article[meta["start"] : meta["end"]] == text
        # ...and nothing was written to an embedded index on the API's side.
        assert not (data / "chroma").exists()

        # Same answers, same citations as the embedded default.
        for question in QUESTIONS:
            got, want = ask(remote, question), ask(live_server, question)
            assert got["answer"] == want["answer"], question
            assert got["abstained"] == want["abstained"], question
            assert [(c["doc_id"], c["start"], c["end"]) for c in got["citations"]] == [
                (c["doc_id"], c["start"], c["end"]) for c in want["citations"]
            ], question
