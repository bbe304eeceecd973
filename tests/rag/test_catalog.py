"""The in-memory snapshot: which chunks it holds and how it searches their vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.catalog import Snapshot
from rag.config import Settings
from rag.pipeline import Pipeline


def _unit(rows: list[list[float]]) -> np.ndarray:
    m = np.asarray(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_nearest_is_exact_best_first_with_ties_by_position() -> None:
    snap = Snapshot(order=["a", "b", "c", "d"], vectors=_unit([[1, 0], [0, 1], [1, 1], [1, 0]]))
    positions, sims = snap.nearest(np.array([1.0, 0.0]), 3)
    assert positions.tolist() == [0, 3, 2]  # "a" and "d" tie: the earlier position first
    assert np.allclose(sims, [1.0, 1.0, np.sqrt(0.5)])
    assert snap.dense(np.array([0.0, 1.0]), 10) == ["b", "c", "a", "d"]  # n above the size: all of them
    assert snap.nearest(np.array([0.0, 1.0]), 0)[0].size == 0


def test_dense_search_is_exact_up_to_the_setting(tmp_path: Path, corpus: Path) -> None:
    exact = Pipeline(Settings(data_dir=tmp_path / "idx", corpus_dir=corpus, answerer="extractive"))
    exact.ingest()
    snap = exact.catalog.snapshot()
    assert snap.vectors is not None and snap.vectors.dtype == np.float32
    stored = exact.store.chunk_vectors(snap.order)
    vector = exact.embedder.embed(["What does Israel insist on?"])[0]
    brute = np.argsort(-(stored @ vector), kind="stable")
    assert snap.nearest(vector, len(snap.order))[0].tolist() == brute.tolist()

    fewer = len(snap.order) - 1  # one chunk more than the setting allows: Chroma's HNSW answers
    above = Pipeline(
        Settings(data_dir=tmp_path / "idx", corpus_dir=corpus, answerer="extractive"),
        retrieval={"dense_exact_max": fewer},
    )
    assert above.catalog.snapshot().vectors is None
    assert [p.chunk.chunk_id for p in above.retrieve("What does Israel insist on?")[0]] == [
        p.chunk.chunk_id for p in exact.retrieve("What does Israel insist on?")[0]
    ]
