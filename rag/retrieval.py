"""Hybrid retrieval: dense (Chroma) + lexical (BM25), fused by reciprocal rank."""

from __future__ import annotations

import numpy as np

from rag.catalog import Snapshot
from rag.config import RetrievalSettings
from rag.store import ChromaStore
from rag.types import Passage


def retrieve(
    question: str,
    vector: np.ndarray,
    *,
    store: ChromaStore,
    snapshot: Snapshot,
    settings: RetrievalSettings,
    top_k: int,
) -> list[Passage]:
    """The ``top_k`` best passages for ``question``, numbered from 1.

    Score: the fused reciprocal-rank score scaled to 0..1 (1 = first in both lists).
    """
    if not snapshot.chunks:
        return []
    n = min(settings.candidates, len(snapshot.chunks))
    dense_ranks: dict[str, int] = {}
    if snapshot.vectors is not None:  # exact search in memory, active chunks only
        dense_ranks = {chunk_id: rank for rank, chunk_id in enumerate(snapshot.dense(vector, n), start=1)}
    else:
        # Over-fetch: chunks of a version being written (or left by a crash) are in the
        # store but not active, and must not crowd out the active ones. A chunk id holds
        # its document's version, so the snapshot (active chunks only) tells them apart.
        for chunk_id, _similarity in store.query_ids(vector, 2 * n + 8):
            if chunk_id in snapshot.chunks:
                dense_ranks.setdefault(chunk_id, len(dense_ranks) + 1)
                if len(dense_ranks) == n:
                    break
    lexical_ranks: dict[str, int] = {}
    for position, _score in snapshot.lexical.search(question, n):
        lexical_ranks[snapshot.order[position]] = len(lexical_ranks) + 1

    k = settings.rrf_k
    fused: dict[str, float] = {}
    for ranks in (dense_ranks, lexical_ranks):
        for chunk_id, rank in ranks.items():
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (k + rank)
    best = 2.0 / (k + 1)
    ordered = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:top_k]
    passages: list[Passage] = []
    for i, (chunk_id, score) in enumerate(ordered, start=1):
        chunk = snapshot.chunks[chunk_id]
        passages.append(
            Passage(
                n=i,
                chunk=chunk,
                title=snapshot.titles.get(chunk.doc_id, chunk.doc_id),
                score=score / best,
                dense_rank=dense_ranks.get(chunk_id),
                lexical_rank=lexical_ranks.get(chunk_id),
            )
        )
    return passages
