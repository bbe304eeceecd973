"""The benchmark's own parts: synthetic corpus, fast paths equal to reference paths, the load client.

No timings are asserted here; speed targets live in the benchmark's output.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bench import synth
from bench.client import Sequential, load
from bench.run import verdicts
from evals.metrics import corpus_suites
from rag.config import Settings
from rag.documents import load_corpus, load_document
from rag.ingest import embed_document, embed_documents
from rag.lexical import query_tokens, tokenize
from rag.pipeline import Pipeline
from rag.retrieval import retrieve
from tests.support import ARTICLE, Server

QUESTIONS = [
    json.loads(line)["question"]
    for suite in corpus_suites()
    for line in suite.read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def test_synthetic_articles_are_labelled_seeded_and_varied(tmp_path: Path) -> None:
    assert synth.article(3, seed=7) == synth.article(3, seed=7)
    assert synth.article(3, seed=7) != synth.article(3, seed=8)
    paths = synth.write_corpus(tmp_path, 40, seed=7)
    docs = load_corpus(tmp_path).documents
    assert len(paths) == len(docs) == 40
    texts = [d.text for d in docs]
    assert len(set(texts)) == 40
    for doc in docs:
        assert doc.title.startswith("Synthetic:")
        assert "not real news" in doc.text.splitlines()[2]
    names = {w for t in texts for w in re.findall(r"\b[A-Z][a-z]{3,}\b", t)}
    vocabulary = {w.lower() for t in texts for w in re.findall(r"[A-Za-z]+", t)}
    assert len(names) > 150 and len(vocabulary) > 1500
    words = [len(t.split()) for t in texts]
    assert 150 < sum(words) / len(words) < 700


def test_batched_ingest_gives_the_vectors_of_embedding_each_text_alone(pipeline: Pipeline, tmp_path: Path) -> None:
    synth.write_corpus(tmp_path, 3, seed=11)
    docs = [load_document(ARTICLE, max_bytes=10**7), *load_corpus(tmp_path).documents]
    for doc, (chunks, chunk_vecs, sentence_vecs) in zip(
        docs, embed_documents(pipeline.embedder, docs, pipeline.settings), strict=True
    ):
        assert np.array_equal(chunk_vecs, pipeline.embedder.embed([c.text for c in chunks]))
        for chunk, vecs in zip(chunks, sentence_vecs, strict=True):
            alone = np.vstack([pipeline.embedder.embed([doc.text[s:e]]) for s, e in chunk.sentences])
            assert np.array_equal(vecs, alone)


def test_fast_paths_match_the_reference_paths(pipeline: Pipeline) -> None:
    for q in [*QUESTIONS, "Ünïcode café, naïve 2024 U.S. e-mail", ARTICLE.read_text(encoding="utf-8")]:
        assert query_tokens(q) == tokenize([q])[0]
    snap = pipeline.catalog.snapshot()
    assert snap.vectors is not None  # a one-article corpus is searched in memory
    n = len(snap.chunks)
    for q in QUESTIONS[:20]:
        vector = pipeline.embedder.embed([q])[0]
        assert snap.dense(vector, n) == [hit.chunk_id for hit in pipeline.store.query(vector, n)]


def test_chroma_path_returns_the_in_memory_passages_and_skips_inactive_versions(tmp_path: Path, corpus: Path) -> None:
    """Above RAG_RETRIEVAL__DENSE_IN_MEMORY_MAX chunks Chroma answers the dense half; it must agree."""
    pipeline = Pipeline(Settings(data_dir=tmp_path / "idx", corpus_dir=corpus, answerer="extractive"))
    pipeline.ingest()
    article = corpus / ARTICLE.name
    edited = load_document(article, max_bytes=10**7)
    edited = replace(edited, text=edited.text.replace("Cairo", "Geneva"), sha256="f" * 64)
    chunks, vecs, sent_vecs = embed_document(pipeline.embedder, edited, pipeline.settings)
    pipeline.store.upsert_chunks(chunks, vecs, sent_vecs, edited.title)  # a half-written new version
    snap = pipeline.catalog.reload()
    assert snap.vectors is not None
    via_chroma = replace(snap, vectors=None)
    for q in QUESTIONS[:25]:
        vector = pipeline.embedder.embed([q])[0]
        args = {"store": pipeline.store, "settings": pipeline.settings.retrieval, "top_k": 20}
        fast = retrieve(q, vector, snapshot=snap, **args)
        slow = retrieve(q, vector, snapshot=via_chroma, **args)
        assert [(p.chunk.chunk_id, p.dense_rank, p.lexical_rank) for p in fast] == [
            (p.chunk.chunk_id, p.dense_rank, p.lexical_rank) for p in slow
        ]
        assert all(p.chunk.version == snap.versions[p.chunk.doc_id] for p in slow)


def test_load_client_counts_answers_and_errors(live_server: Server) -> None:
    host, port = "127.0.0.1", live_server.port
    client = Sequential(host, port)
    status, body, ms = client.ask("Where were the Israel-Hamas negotiations held?")
    client.close()
    assert status == 200 and "Cairo" in body["answer"] and body["citations"] and ms > 0
    result = load(host, port, QUESTIONS[:5], clients=3, seconds=1.0)
    assert result.ok > 0 and result.errors == 0 and len(result.latencies_ms) == result.ok
    refused = load(host, 9, QUESTIONS[:1], clients=1, seconds=0.2)  # nothing listens on port 9
    assert refused.ok == 0 and refused.errors > 0


def _result(n: int, p50: float, li: float, rps8: float, err32: int, rss: float, found: int) -> dict:
    return {
        "articles": n,
        "latency_ms": {"http": {"p50": p50}, "llamaindex": {"p50": li}, "ratio_p50_http_vs_llamaindex": p50 / li},
        "throughput": [{"clients": 8, "rps": rps8, "errors": 0}, {"clients": 32, "rps": rps8, "errors": err32}],
        "rss_mb_after_warmup": rss,
        "rss_mb_after_load": rss,
        "cairo_retrieved": {"items": 30, "retrieved": found},
        "cairo_cited": {"items": 30, "cited": found},
    }


def test_verdicts_check_every_must_show_target() -> None:
    good = verdicts([_result(1, 6.0, 5.5, 90, 0, 400, 30), _result(10_000, 9.0, 7.0, 70, 0, 1500, 30)])
    assert len(good) == 6 and all(v["pass"] for v in good)
    bad = verdicts([_result(1, 9.0, 5.0, 40, 3, 400, 30), _result(10_000, 20.0, 7.0, 30, 0, 2500, 29)])
    assert not any(v["pass"] for v in bad)


@pytest.mark.slow
def test_bench_runs_end_to_end_on_a_tiny_corpus(tmp_path: Path) -> None:
    from bench.run import main

    out = tmp_path / "reports"
    args = ["--articles", "1", "--requests", "6", "--block", "3", "--warmup", "2", "--duration", "0.5"]
    assert main([*args, "--concurrency", "1,2", "--out", str(out)]) == 0
    report = json.loads(next(out.glob("bench-*.json")).read_text())
    assert [r["articles"] for r in report["results"]] == [1]
    for r in report["results"]:
        assert r["latency_ms"]["http"]["n"] == 6 and r["latency_ms"]["http_errors"] == 0
        assert r["ingest"]["documents"] == r["articles"] and r["ingest"]["chunks"] > 0
        assert [row["errors"] for row in r["throughput"]] == [0, 0]
        assert r["cairo_retrieved"]["retrieved"] > 0 and r["rss_mb_after_load"] > 0
    assert report["machine"]["cpu_count"] and report["targets"]


@pytest.mark.slow
def test_ingest_benchmark_prints_rag_and_llamaindex_times(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.ingest_vs_llamaindex import main

    assert main(["--articles", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "rag " in lines[-2] and "LlamaIndex IngestionPipeline" in lines[-2] and "target <= 1.5x" in lines[-2]
    result = json.loads(lines[-1])
    assert result["rag_s"] > 0 and result["llamaindex_s"] > 0 and result["ratio"] > 0
    assert result["rag"]["documents"] == result["llamaindex"]["documents"] == 2
    assert result["rag"]["chunks"] > 0 and result["llamaindex"]["chunks"] > 0
