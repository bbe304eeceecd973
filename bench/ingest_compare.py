"""Ingest time with wire grouping against LlamaIndex's ``IngestionPipeline``, same embedder,
measured in one run (docs/news.md).

    python -m bench.ingest_compare [--n 200] [--copies 10]

The corpus: ``--n`` generated articles (bench.synth) of which ``--copies`` are wire copies
(another outlet's front matter, a new headline, one sentence changed). LlamaIndex runs
``IngestionPipeline([SentenceSplitter(160/24 cl100k tokens), MiniLM int8])`` into a Chroma
collection (``llama-index-vector-stores-chroma``, the ``bench`` extra); rag runs its
``sync`` (front matter, MinHash grouping, chunks and sentence vectors, Chroma writes) into
a fresh index. Both embed with the same in-process int8 MiniLM, warmed up first; each is
timed from reading the files to the last write. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import synth
from bench.baseline import _base_embedding
from rag.config import Settings
from rag.documents import load_corpus
from rag.embeddings import MiniLMEmbedder
from rag.ingest import sync
from rag.store import ChromaStore


def write_corpus(folder: Path, n: int, copies: int, seed: int = 7) -> None:
    """``n`` articles, the last ``copies`` of them wire copies of earlier ones."""
    paths = synth.write_corpus(folder, n - copies, seed=seed)
    rng = random.Random(seed)
    for i, original in enumerate(rng.sample(paths, copies)):
        text = original.read_text(encoding="utf-8")
        head, _, body = text.partition("\n")
        sentences = body.split(". ")
        k = rng.randrange(1, max(2, len(sentences) - 1))
        sentences[k] = "A spokesperson declined to comment on the report when reached on Friday"
        front = f"---\nsource: Copy Outlet {i}\npublished: 2024-0{1 + i % 9}-1{i % 10}\n---\n"
        (folder / f"copy-{i:03d}.md").write_text(f"{front}Outlet headline {i}: {head}\n" + ". ".join(sentences))


def llamaindex_ingest(corpus: Path, embedder: MiniLMEmbedder, work: Path) -> tuple[float, int]:
    import chromadb
    from llama_index.core import Document
    from llama_index.core.ingestion import IngestionPipeline
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from rag.tokens import count_tokens_fn

    t0 = time.perf_counter()
    client = chromadb.PersistentClient(path=str(work / "li-chroma"))
    collection = client.get_or_create_collection("li-ingest", embedding_function=None)
    pipeline = IngestionPipeline(
        transformations=[
            SentenceSplitter(chunk_size=160, chunk_overlap=24, tokenizer=count_tokens_fn()),
            _base_embedding()(embedder),
        ],
        vector_store=ChromaVectorStore(chroma_collection=collection),
    )
    docs = [Document(text=d.text, id_=d.doc_id) for d in load_corpus(corpus).documents]
    nodes = pipeline.run(documents=docs)
    return time.perf_counter() - t0, len(nodes)


def rag_ingest(corpus: Path, embedder: MiniLMEmbedder, work: Path) -> tuple[float, dict[str, Any]]:
    settings = Settings(data_dir=work / "rag-data", corpus_dir=corpus, answerer="extractive")
    t0 = time.perf_counter()
    store = ChromaStore(settings, embedder.id, embedder.dim)
    report = sync(corpus, store=store, embedder=embedder, settings=settings)
    return time.perf_counter() - t0, report.to_dict()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="Articles in the corpus, copies included.")
    parser.add_argument("--copies", type=int, default=10, help="How many of them are wire copies.")
    args = parser.parse_args(argv)
    embedder = MiniLMEmbedder(threads=0, batch_size=64)
    embedder.embed(["warm up"] * 8)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        write_corpus(corpus, args.n, args.copies)
        li_s, nodes = llamaindex_ingest(corpus, embedder, work)
        rag_s, report = rag_ingest(corpus, embedder, work)
    out = {
        "articles": args.n,
        "wire_copies_written": args.copies,
        "llamaindex_ingestion_pipeline_s": round(li_s, 2),
        "llamaindex_nodes": nodes,
        "rag_ingest_s": round(rag_s, 2),
        "rag_report": {k: v for k, v in report.items() if k != "errors"},
        "ratio": round(rag_s / li_s, 2),
        "target": "<= 1.5",
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
