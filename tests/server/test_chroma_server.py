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


NEW_ARTICLE = (
    "Harbor Ferries names new chief executive\n\n"
    "Harbor Ferries said on Monday that Maria Olsen will become its chief executive in March, "
    "replacing Tom Reyes, who is retiring after eleven years in the job.\n"
)


def test_two_replicas_over_one_chroma_server_both_answer_an_article_added_by_ingest(
    chroma_server: ChromaServer, session_corpus: Path, tmp_path: Path
) -> None:
    import shutil
    import subprocess
    import sys

    from tests.support import clean_env, wait_until

    corpus = tmp_path / "corpus"
    shutil.copytree(session_corpus, corpus)
    env = {**chroma_server.env, "RAG_COLLECTION_PREFIX": "replicas"}
    question = "Who will be the new chief executive of Harbor Ferries?"
    with Server(tmp_path / "a", corpus, env=env) as a, Server(tmp_path / "b", corpus, env=env) as b:
        assert all(ask(s, question)["abstained"] for s in (a, b))
        (corpus / "harbor-ferries.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        rag = str(Path(sys.executable).parent / "rag")
        run_env = clean_env(RAG_DATA_DIR=str(tmp_path / "ingest"), RAG_CORPUS_DIR=str(corpus), **env)
        done = subprocess.run([rag, "ingest", "--json"], env=run_env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        for replica in (a, b):
            # Each replica sees the new manifest generation on its next request.
            assert wait_until(lambda r=replica: not ask(r, question)["abstained"], timeout=60, interval=0.5)
            body = ask(replica, question)
            assert [c["doc_id"] for c in body["citations"]] == ["harbor-ferries"]
            assert "Olsen" in body["answer"]
