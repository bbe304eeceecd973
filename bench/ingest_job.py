"""One timed ingest in its own process: prints one JSON line.

    python -m bench.ingest_job --data-dir D --corpus C

Model loading is timed apart from the ingest itself, and the catalog build (the
in-memory snapshot a server loads at start) apart from both.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    from rag.cli import limit_malloc_arenas

    limit_malloc_arenas()  # as `rag ingest` does
    from rag.config import Settings
    from rag.ingest import sync
    from rag.pipeline import Pipeline

    pipeline = Pipeline(Settings(data_dir=args.data_dir, corpus_dir=args.corpus, answerer="extractive"))
    # One-time set-up (tiktoken for the chunker, pysbd, the ONNX session's first run) is load, not ingest.
    from bench.synth import article
    from rag.ingest import embed_document
    from rag.types import Document

    warm = article(10**6)[1] * 3
    embed_document(pipeline.embedder, Document("warm-up", "Warm up", warm, "0" * 64), pipeline.settings)
    t1 = time.perf_counter()
    marks = [0.0]

    def progress(doc_id: str, done: int, total: int) -> None:  # to the log, about once a minute
        if time.perf_counter() - marks[-1] > 60 or done == total:
            marks.append(time.perf_counter())
            print(f"{time.strftime('%H:%M:%S')} {done}/{total} documents", file=sys.stderr, flush=True)

    report = sync(
        args.corpus, store=pipeline.store, embedder=pipeline.embedder, settings=pipeline.settings, progress=progress
    )
    t2 = time.perf_counter()
    ingest_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    snap = pipeline.catalog.reload()
    t3 = time.perf_counter()
    sentences = sum(len(c.sentences) for c in snap.chunks.values())
    seconds = t2 - t1
    out = {
        "documents": report.added + report.updated,
        "chunks": report.chunks,
        "sentences": sentences,
        "load_s": round(t1 - t0, 3),
        "ingest_s": round(seconds, 3),
        "catalog_build_s": round(t3 - t2, 3),
        "batch_size": pipeline.settings.embedding.batch_size,
        "docs_per_s": round((report.added + report.updated) / seconds, 2) if seconds else None,
        "chunks_per_s": round(report.chunks / seconds, 2) if seconds else None,
        "sentences_per_s": round(sentences / seconds, 2) if seconds else None,
        # The peak up to the end of the sync, then up to the end of the catalog build.
        "ingest_peak_rss_mb": round(ingest_rss / 1024, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "errors": report.to_dict()["errors"],
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
