"""Hybrid retrieval: dense + lexical (BM25) candidates, a sentence-level second stage, fused by rank.

1. Candidates. Dense: the ``rescore_pool`` chunks nearest the question (in memory
   up to ``dense_in_memory_max`` chunks, else Chroma's HNSW). Lexical: the
   ``candidates`` best chunks by BM25.
2. Second stage. A chunk's vector stands for ~8 sentences at once, so a chunk
   holding the one sentence that answers can sit hundreds deep among chunks that
   are on the topic as a whole. Each dense candidate is rescored by the mean of its own
   similarity and that of its closest sentence (sentence vectors are in memory);
   the ``candidates`` best by that score form the dense list.
3. Fusion. Reciprocal rank over the dense and lexical lists, then each chunk takes
   ``document_weight`` of its score from its document's (the mean of the document's
   two best chunks): an article with several chunks on the question outranks a lone
   chunk that happens to share its words.

The ``top_k`` best by that score are returned, numbered in first-stage order: RRF of
the chunk's own dense rank (among the ``rescore_pool`` nearest) and its BM25 rank,
the order retrieval gave before the second stage existed. The extractive answerer
was fitted with passages in that order and counts a passage's number among a
sentence's features; numbering by the final score changed its answers on the
one-article dev set (one fewer correct of 50) with nothing gained there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

import numpy as np

from rag.catalog import Snapshot
from rag.config import RetrievalSettings
from rag.store import ChromaStore
from rag.types import Chunk, Passage


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

    Score: the first-stage fused reciprocal-rank score scaled to 0..1 (1 = first in
    both lists); ``dense_rank`` is the rank by the chunk's own vector, ``lexical_rank``
    the BM25 rank.
    """
    if not snapshot.chunks:
        return []
    n = min(settings.candidates, len(snapshot.chunks))
    positions, similarities = _dense_candidates(vector, store, snapshot, max(n, settings.rescore_pool))
    lexical_ranks = {p: rank for rank, (p, _score) in enumerate(snapshot.lexical.search(question, n), start=1)}

    k = settings.rrf_k
    fused: dict[int, float] = defaultdict(float)
    for rank, p in enumerate(_rescored(vector, snapshot, positions, similarities, settings.sentence_weight)[:n], 1):
        fused[int(p)] += 1.0 / (k + rank)
    for p, rank in lexical_ranks.items():
        fused[p] += 1.0 / (k + rank)
    final = _with_document_share(fused, snapshot, settings.document_weight)
    chosen = sorted(final, key=lambda p: (-final[p], p))[:top_k]

    # The chosen chunks' own dense ranks (1-based places in ``positions``).
    dense_ranks = {p: int(at[0]) + 1 for p in chosen if len(at := np.flatnonzero(positions == p))}
    first_stage = {p: sum(1.0 / (k + ranks[p]) for ranks in (dense_ranks, lexical_ranks) if p in ranks) for p in chosen}
    best = 2.0 / (k + 1)
    passages: list[Passage] = []
    for i, p in enumerate(sorted(chosen, key=lambda p: (-first_stage[p], p)), start=1):
        chunk = snapshot.chunks[snapshot.order[p]]
        passages.append(
            Passage(
                n=i,
                chunk=chunk,
                score=first_stage[p] / best,
                dense_rank=dense_ranks.get(p),
                lexical_rank=lexical_ranks.get(p),
                **_about(snapshot, chunk.doc_id),
            )
        )
    return passages


def _about(snapshot: Snapshot, doc_id: str) -> dict[str, Any]:
    """What a passage says of its article: title, outlet, date and wire copies."""
    meta = snapshot.meta.get(doc_id)
    return {
        "title": snapshot.titles.get(doc_id, doc_id),
        "source": meta.source if meta else None,
        "published": meta.published if meta else None,
        "also_in": snapshot.copies.get(doc_id, ()),
    }


def newest_first(snapshot: Snapshot, passages: list[Passage]) -> list[Passage]:
    """``passages`` from newer articles first (undated last), renumbered from 1; passages of
    one article, or of articles of one date, keep their order. For questions that ask for
    the latest state of a story, which the newest article tells."""

    def recency(p: Passage) -> tuple[bool, float]:
        when = snapshot.published_time(p.chunk.doc_id)
        return (when is None, -(when or 0.0))

    return [replace(p, n=i) for i, p in enumerate(sorted(passages, key=recency), 1)]


def _dense_candidates(
    vector: np.ndarray, store: ChromaStore, snapshot: Snapshot, m: int
) -> tuple[np.ndarray, np.ndarray]:
    """Positions (in ``snapshot.order``) and cosine similarities of the ``m`` active chunks
    nearest ``vector``, best first."""
    m = min(m, len(snapshot.order))
    if snapshot.vectors is not None:  # search in memory, active chunks only
        return snapshot.nearest(vector, m)
    # Over-fetch: chunks of a version being written (or left by a crash) are in the
    # store but not active, and must not crowd out the active ones. A chunk id holds
    # its document's version, so the snapshot (active chunks only) tells them apart.
    index = snapshot.index
    positions: list[int] = []
    sims: list[float] = []
    for chunk_id, similarity in store.query_ids(vector, 2 * m + 8):
        p = index.get(chunk_id)
        if p is not None:
            positions.append(p)
            sims.append(similarity)
            if len(positions) == m:
                break
    return np.asarray(positions, dtype=np.int64), np.asarray(sims, dtype=np.float32)


def _rescored(
    vector: np.ndarray, snapshot: Snapshot, positions: np.ndarray, similarities: np.ndarray, weight: float
) -> np.ndarray:
    """``positions`` reordered by ``(1 - weight) * chunk similarity + weight * best sentence similarity``
    (a chunk without sentence vectors keeps its own similarity); ties keep the dense order."""
    if weight <= 0 or len(positions) == 0:
        return positions
    best = snapshot.best_sentence(vector, positions)
    best = np.where(np.isnan(best), similarities, best)
    score = (1.0 - weight) * similarities + weight * best
    return positions[np.argsort(-score, kind="stable")]


def _with_document_share(fused: dict[int, float], snapshot: Snapshot, weight: float) -> dict[int, float]:
    """``(1 - weight) * own score + weight * the mean of the two best scores of the chunk's document``
    (a document with one fused chunk counts 0 for the second)."""
    if weight <= 0:
        return dict(fused)
    doc_of = dict(zip(fused, snapshot.doc_numbers[list(fused)].tolist(), strict=True))
    top2: dict[int, list[float]] = defaultdict(list)
    for p, score in sorted(fused.items(), key=lambda kv: -kv[1]):
        best = top2[doc_of[p]]
        if len(best) < 2:
            best.append(score)
    doc_score = {doc: sum(best) / 2 for doc, best in top2.items()}
    return {p: (1.0 - weight) * score + weight * doc_score[doc_of[p]] for p, score in fused.items()}


def opening_passages(snapshot: Snapshot, retrieved: list[Passage], top_k: int) -> list[Passage]:
    """The first ``top_k`` chunks of the best retrieved document, in reading order and
    numbered from 1: what a request for an article's gist is answered from, since news
    puts the gist first and a long article's opening need not be among the chunks that
    "what is this article about?" retrieves. A chunk keeps its retrieval score if it had
    one, else scores 0 (chosen by position, not by likeness to the question)."""
    return _numbered(snapshot, retrieved, _own_chunks(snapshot, retrieved)[:top_k])


def paragraph_passages(snapshot: Snapshot, retrieved: list[Passage], position: str, top_k: int) -> list[Passage]:
    """For a question about the first or last paragraph of the best retrieved document ("how
    does the article end?"): the chunk holding that paragraph first, then the rest as retrieved.
    That chunk need not be among those retrieved by likeness to the question."""
    chunks = _own_chunks(snapshot, retrieved)
    if not chunks:
        return retrieved
    chunk = chunks[0] if position == "first" else max(chunks, key=lambda c: c.end)
    rest = [p.chunk for p in retrieved if p.chunk.chunk_id != chunk.chunk_id]
    return _numbered(snapshot, retrieved, [chunk, *rest][:top_k])


def paragraph_span(chunk: Chunk, position: str) -> tuple[str, int, int]:
    """The first or last paragraph of ``chunk`` (doc_id, start, end): lines are paragraphs."""
    text = chunk.text.rstrip()
    if position == "first":
        cut = text.find("\n")
        return chunk.doc_id, chunk.start, chunk.start + (cut if cut > 0 else len(text))
    return chunk.doc_id, chunk.start + text.rfind("\n") + 1, chunk.start + len(text)


def _own_chunks(snapshot: Snapshot, retrieved: list[Passage]) -> list[Chunk]:
    """The chunks of the best retrieved document, in reading order."""
    if not retrieved:
        return []
    doc_id = retrieved[0].chunk.doc_id
    pos = snapshot.index.get(retrieved[0].chunk.chunk_id)
    if pos is not None and len(snapshot.doc_numbers) == len(snapshot.order):
        # The document's chunks by its number, without walking every chunk of the index.
        same = np.flatnonzero(snapshot.doc_numbers == snapshot.doc_numbers[pos]).tolist()
        mine = [snapshot.chunks[snapshot.order[i]] for i in same]
    else:
        mine = [c for c in snapshot.chunks.values() if c.doc_id == doc_id]
    return sorted(mine, key=lambda c: c.start)


def _numbered(snapshot: Snapshot, retrieved: list[Passage], chunks: list[Chunk]) -> list[Passage]:
    scores = {p.chunk.chunk_id: p.score for p in retrieved}
    return [
        Passage(n=i, chunk=c, score=scores.get(c.chunk_id, 0.0), **_about(snapshot, c.doc_id))
        for i, c in enumerate(chunks, 1)
    ]
