"""Hybrid retrieval: candidates, the sentence-level second stage, the document share, numbering."""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from rag.catalog import Snapshot, assemble
from rag.config import RetrievalSettings
from rag.pipeline import Pipeline
from rag.retrieval import retrieve
from rag.store import ChromaStore
from rag.types import Chunk

DIM = 4
NO_STORE = cast(ChromaStore, None)  # every snapshot here holds its vectors: the store is never asked


def _unit(v: list[float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float32)
    return a / np.linalg.norm(a)


def _towards(cos: float, axis: int = 1) -> np.ndarray:
    """A unit vector at cosine ``cos`` to e0, the rest along ``axis``."""
    v = np.zeros(DIM, dtype=np.float32)
    v[0], v[axis] = cos, np.sqrt(1 - cos**2)
    return v


def _snapshot(rows: list[tuple[str, str, np.ndarray, list[np.ndarray]]]) -> Snapshot:
    """(chunk id, text, chunk vector, sentence vectors); the document is the id before ':'."""
    items = []
    vectors = {}
    for chunk_id, text, vec, sentences in rows:
        spans = tuple((i, i + 1) for i in range(len(sentences)))
        chunk = Chunk(chunk_id, chunk_id.split(":")[0], 0, len(text), text, "v1", spans)
        items.append((chunk, np.asarray(sentences, dtype=np.float16).reshape(-1, DIM)))
        vectors[chunk_id] = vec
    return assemble(items, dim=DIM, chunk_vectors=lambda ids: np.vstack([vectors[i] for i in ids]))


def _ids(question: str, snap: Snapshot, top_k: int, **settings: Any) -> list[str]:
    q = _unit([1, 0, 0, 0])
    passages = retrieve(question, q, store=NO_STORE, snapshot=snap, settings=RetrievalSettings(**settings), top_k=top_k)
    return [p.chunk.chunk_id for p in passages]


def test_the_sentence_stage_finds_a_chunk_whose_one_sentence_answers() -> None:
    # Six chunks on the topic as a whole (chunk and every sentence at cosine 0.6), and one
    # whose vector is further off (0.3) but holds the one sentence that answers (0.95).
    rows = [(f"topic{i}:0", "alpha beta", _towards(0.6 - i / 100), [_towards(0.6 - i / 100)] * 3) for i in range(6)]
    rows.append(("answer:0", "gamma delta", _towards(0.3), [_towards(0.2, 2), _towards(0.95), _towards(0.2, 3)]))
    snap = _snapshot(rows)
    off = {"candidates": 3, "rescore_pool": 10, "document_weight": 0.0}
    assert "answer:0" not in _ids("zzz", snap, 3, sentence_weight=0.0, **off)
    assert "answer:0" in _ids("zzz", snap, 3, sentence_weight=0.5, **off)
    # Only dense candidates are rescored: a pool of the 3 nearest chunks cannot reach it.
    assert "answer:0" not in _ids("zzz", snap, 3, sentence_weight=0.5, **{**off, "rescore_pool": 3})


def test_a_document_with_two_matching_chunks_outranks_a_lone_chunk() -> None:
    # Dense order: lone:0, doc:0, other:0, doc:1 (no sentence stage, no lexical hits).
    rows = [
        ("lone:0", "apple", _towards(0.9), [_towards(0.9)]),
        ("doc:0", "pear", _towards(0.85), [_towards(0.85)]),
        ("other:0", "plum", _towards(0.8), [_towards(0.8)]),
        ("doc:1", "melon", _towards(0.75), [_towards(0.75)]),
    ]
    snap = _snapshot(rows)
    plain = {"candidates": 4, "sentence_weight": 0.0}
    assert _ids("zzz", snap, 1, document_weight=0.0, **plain) == ["lone:0"]
    assert _ids("zzz", snap, 1, document_weight=0.3, **plain) == ["doc:0"]


def test_passages_are_numbered_in_first_stage_order(pipeline: Pipeline) -> None:
    """Whatever the second stage and the document share choose, the passages are numbered by
    the fusion of each chunk's own dense rank and BM25 rank: with one article (every chunk
    returned) the answerer sees exactly what it saw before either existed."""
    snap = pipeline.catalog.snapshot()
    first_stage_only = RetrievalSettings(rescore_pool=0, sentence_weight=0.0, document_weight=0.0)

    def run(question: str, settings: RetrievalSettings) -> list[tuple[str, float, int | None, int | None]]:
        vector = pipeline.embedder.embed([question])[0]
        passages = retrieve(
            question, vector, store=pipeline.store, snapshot=snap, settings=settings, top_k=len(snap.chunks)
        )
        return [(p.chunk.chunk_id, p.score, p.dense_rank, p.lexical_rank) for p in passages]

    for question in [
        "What does Israel insist on?",
        "Why might Hamas be pushing so hard to get as much as it can?",
        "Who said that while they are talking they are not shooting?",
    ]:
        assert run(question, RetrievalSettings()) == run(question, first_stage_only)
        assert [p.n for p in pipeline.retrieve(question)[0]] == list(range(1, len(snap.chunks) + 1))


def test_each_retriever_gives_at_most_candidates_hits() -> None:
    rows = [
        (f"d{i}:0", "word" if i == 5 else "other", _towards(0.9 - i / 10), [_towards(0.9 - i / 10)]) for i in range(6)
    ]
    snap = _snapshot(rows)
    plain = {"sentence_weight": 0.0, "document_weight": 0.0}
    # Dense ranks d0..d5, BM25 finds only d5 ("word"): two from each list fuse to three chunks.
    assert set(_ids("word", snap, 6, candidates=2, **plain)) == {"d0:0", "d1:0", "d5:0"}
    assert len(_ids("word", snap, 6, candidates=6, **plain)) == 6
