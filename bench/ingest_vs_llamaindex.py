"""rag's ingest against LlamaIndex's ``IngestionPipeline``: same articles, same embedder, one run.

    .venv/bin/python -m bench.ingest_vs_llamaindex                      # 200 articles
    .venv/bin/python -m bench.ingest_vs_llamaindex --articles 20 --rounds 2

Both start from the same folder (the Cairo article and N-1 synthetic ones, bench/synth.py)
in one process, with one int8 MiniLM embedder already loaded and warmed, and end with
every vector written to a fresh Chroma collection:

* rag: ``rag.ingest.sync``, what ``rag ingest`` runs: read, cut into chunks, embed every
  chunk and every sentence (the citations' index), write chunks, manifest and sentence
  vectors.
* LlamaIndex: what a user would build instead: the same Documents through an
  ``IngestionPipeline`` of ``SentenceSplitter`` (the same chunk size and overlap, cl100k
  tokens) and the same embedder as a ``BaseEmbedding``, into a ``ChromaVectorStore``
  (LlamaIndex's in-memory store when llama-index-vector-stores-chroma is missing; it says so).

A round times both; with several rounds the order alternates, so a noisy neighbour on the
machine hits both alike, and each contender's fastest round counts. The target (issue 18):
rag's ingest takes at most 1.5x LlamaIndex's time. The process's CPU seconds are reported
beside the wall-clock ones: on a machine shared with other work they say more. The last
stdout line is the JSON result.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_RATIO = 1.5


def time_rag(corpus: Path, data: Path, embedder: Any) -> tuple[float, dict[str, int]]:
    from rag.config import Settings
    from rag.ingest import sync
    from rag.store import ChromaStore

    settings = Settings(data_dir=data, corpus_dir=corpus, answerer="extractive")
    t0 = time.perf_counter()
    store = ChromaStore(settings, embedder.id, embedder.dim)
    report = sync(corpus, store=store, embedder=embedder, settings=settings)
    seconds = time.perf_counter() - t0
    return seconds, {"documents": report.added + report.updated, "chunks": report.chunks}


def _vector_store(path: Path) -> tuple[Any, str]:
    try:
        import chromadb
        from llama_index.vector_stores.chroma import ChromaVectorStore
    except ImportError:
        from llama_index.core.vector_stores import SimpleVectorStore

        return SimpleVectorStore(), "SimpleVectorStore (llama-index-vector-stores-chroma not installed)"
    client = chromadb.PersistentClient(path=str(path))
    collection = client.get_or_create_collection(
        "li-ingest", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    return ChromaVectorStore(chroma_collection=collection), "chroma"


def time_llamaindex(corpus: Path, data: Path, embedder: Any) -> tuple[float, dict[str, Any]]:
    from llama_index.core import Document
    from llama_index.core.ingestion import IngestionPipeline
    from llama_index.core.node_parser import SentenceSplitter

    from bench.baseline import _base_embedding
    from rag.config import Settings
    from rag.documents import load_corpus
    from rag.tokens import count_tokens_fn

    chunking = Settings().chunking
    embed_model = _base_embedding()(embedder)
    t0 = time.perf_counter()
    vector_store, kind = _vector_store(data)
    docs = [Document(text=d.text, id_=d.doc_id) for d in load_corpus(corpus).documents]
    splitter = SentenceSplitter(
        chunk_size=chunking.chunk_size, chunk_overlap=chunking.chunk_overlap, tokenizer=count_tokens_fn()
    )
    pipeline = IngestionPipeline(transformations=[splitter, embed_model], vector_store=vector_store)
    nodes = pipeline.run(documents=docs, show_progress=False)
    seconds = time.perf_counter() - t0
    return seconds, {"documents": len(docs), "chunks": len(nodes), "store": kind}


def warm_up(embedder: Any) -> None:
    """One-time set-up (tiktoken, pysbd, the ONNX session's first run) is paid before timing."""
    from bench.synth import article
    from rag.config import Settings
    from rag.ingest import embed_document
    from rag.types import Document

    text = article(10**6)[1] * 3
    embed_document(embedder, Document("warm-up", "Warm up", text, "0" * 64), Settings())


def run(articles: int, rounds: int, work: Path, seed: int, log: Any) -> dict[str, Any]:
    from bench.run import build_corpus
    from rag.cli import limit_malloc_arenas
    from rag.embeddings import MiniLMEmbedder

    limit_malloc_arenas()  # as `rag ingest` does; the same process for both
    corpus = work / "corpus"
    build_corpus(corpus, articles, seed)
    embedder = MiniLMEmbedder()
    warm_up(embedder)
    contenders = {"rag": time_rag, "llamaindex": time_llamaindex}
    times: dict[str, list[float]] = {name: [] for name in contenders}
    cpu: dict[str, list[float]] = {name: [] for name in contenders}
    details: dict[str, dict[str, Any]] = {}
    for r in range(rounds):
        order = list(contenders) if r % 2 == 0 else list(reversed(contenders))
        for name in order:
            data = work / f"{name}-{r}"
            cpu0 = time.process_time()
            seconds, details[name] = contenders[name](corpus, data, embedder)
            cpu[name].append(round(time.process_time() - cpu0, 2))
            times[name].append(round(seconds, 2))
            log(
                f"round {r + 1}/{rounds}: {name} ingested {details[name]['chunks']} chunks in {seconds:.1f} s"
                f" ({cpu[name][-1]:.1f} CPU-s)"
            )
            shutil.rmtree(data, ignore_errors=True)
    best = {name: min(values) for name, values in times.items()}
    ratio = best["rag"] / best["llamaindex"]
    return {
        "articles": articles,
        "rounds": rounds,
        "rag_s": best["rag"],
        "llamaindex_s": best["llamaindex"],
        "times_s": times,
        "cpu_s": cpu,
        "cpu_ratio": round(min(cpu["rag"]) / min(cpu["llamaindex"]), 3),
        "rag": details["rag"],
        "llamaindex": details["llamaindex"],
        "ratio": round(ratio, 3),
        "target": f"rag <= {TARGET_RATIO}x LlamaIndex IngestionPipeline",
        "pass": ratio <= TARGET_RATIO,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest_vs_llamaindex", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="Corpus size (default 200).")
    parser.add_argument("--rounds", type=int, default=1, help="Rounds; the order alternates (default 1).")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work-dir", type=Path, help="Where corpus and indexes go (default: a temp dir, removed).")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)

    work = args.work_dir or Path(tempfile.mkdtemp(prefix="rag-ingest-bench-"))
    try:
        result = run(args.articles, max(1, args.rounds), work, args.seed, log)
    finally:
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"ingest of {result['articles']} articles: rag {result['rag_s']:.1f} s ({result['rag']['chunks']} chunks"
        f" + sentence vectors), LlamaIndex IngestionPipeline {result['llamaindex_s']:.1f} s"
        f" ({result['llamaindex']['chunks']} nodes, {result['llamaindex']['store']}):"
        f" {result['ratio']:.2f}x, target <= {TARGET_RATIO}x: {'PASS' if result['pass'] else 'FAIL'}"
        f" (CPU-s: {min(result['cpu_s']['rag']):.1f} / {min(result['cpu_s']['llamaindex']):.1f}"
        f" = {result['cpu_ratio']:.2f}x)"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
