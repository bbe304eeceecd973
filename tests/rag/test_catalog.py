"""The in-memory snapshot: which chunks it holds and how it searches their vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag import catalog
from rag.catalog import Snapshot, assemble
from rag.config import Settings
from rag.pipeline import Pipeline
from rag.types import Chunk


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
        retrieval={"dense_in_memory_max": fewer},
    )
    assert above.catalog.snapshot().vectors is None
    assert [p.chunk.chunk_id for p in above.retrieve("What does Israel insist on?")[0]] == [
        p.chunk.chunk_id for p in exact.retrieve("What does Israel insist on?")[0]
    ]


def _chunk(chunk_id: str, n_sentences: int) -> Chunk:
    return Chunk(
        chunk_id, chunk_id.split(":")[0], 0, 10, "some text", "v1", tuple((i, i + 1) for i in range(n_sentences))
    )


def test_sentence_vectors_are_views_of_one_matrix_with_int8_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "_BLOCK_ROWS", 3)  # chunks straddle the blocks the rows arrive in
    rng = np.random.default_rng(1)
    given = {
        "b:0": _unit(rng.standard_normal((4, 8)).tolist()).astype(np.float16),
        "a:0": _unit(rng.standard_normal((2, 8)).tolist()).astype(np.float16),
        "c:0": np.zeros((0, 8), dtype=np.float16),  # no sentence vectors
        "a:1": _unit(rng.standard_normal((5, 8)).tolist()).astype(np.float16),
    }
    snap = assemble([(_chunk(c, len(v)), v) for c, v in given.items()], dim=8)
    assert snap.order == ["a:0", "a:1", "b:0", "c:0"] and snap.vectors is None
    for chunk_id, vecs in given.items():
        assert np.array_equal(snap.sentence_vectors[chunk_id], vecs)
        assert np.shares_memory(snap.sentence_vectors[chunk_id], snap.sentence_matrix) or not len(vecs)
    q = _unit(rng.standard_normal((1, 8)).tolist())[0]
    best = snap.best_sentence(q, np.array([2, 0, 3, 1]))
    expected = [float((given[c].astype(np.float32) @ q).max()) for c in ("b:0", "a:0", "a:1")]
    assert np.allclose(best[[0, 1, 3]], expected, atol=0.01) and np.isnan(best[2])
    assert snap.doc_numbers.tolist() == [0, 0, 1, 2]  # per position: a, a, b, c


def test_a_large_corpus_is_searched_through_a_shortlist_that_keeps_the_exact_top(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(catalog, "SHORTLIST_FROM", 1000)
    monkeypatch.setattr(catalog, "PROJECTION_DIMS", 8)
    monkeypatch.setattr(catalog, "SHORTLIST_MIN", 100)
    rng = np.random.default_rng(2)
    # Embeddings vary along a few directions: 6 of 32 here, plus a little noise.
    vectors = rng.standard_normal((3000, 6)) @ rng.standard_normal((6, 32)) + 0.01 * rng.standard_normal((3000, 32))
    vectors = _unit(vectors.tolist())
    ids = [f"d{i:04d}:0" for i in range(len(vectors))]
    snap = assemble(
        [(_chunk(c, 0), np.zeros((0, 32), dtype=np.float16)) for c in ids],
        dim=32,
        chunk_vectors=lambda order: vectors[[ids.index(c) for c in order]],
    )
    assert snap.projection is not None and snap.projection.shape == (32, 8)
    for q in _unit(rng.standard_normal((10, 32)).tolist()):
        positions, sims = snap.nearest(q, 20)
        exact = np.argsort(-(vectors @ q), kind="stable")[:20]
        assert positions.tolist() == exact.tolist()
        assert np.allclose(sims, (vectors @ q)[exact], atol=1e-5)


def test_overlapping_requests_keep_blas_on_one_thread_until_the_last_one_leaves() -> None:
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads() -> set[int]:
        # numpy's own BLAS, the one the vector products use (other libraries may load their own).
        return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas" and "numpy" in i["filepath"]}

    with threadpool_limits(limits=2, user_api="blas"):  # as on a 2-core machine, whatever this one has
        assert blas_threads() == {2}, "numpy's BLAS should be loaded"
        first, second = catalog.one_blas_thread(), catalog.one_blas_thread()
        first.__enter__()
        second.__enter__()
        assert blas_threads() == {1}
        first.__exit__(None, None, None)
        # threadpoolctl's own limit would have restored 2 here, under the second request.
        assert blas_threads() == {1}
        second.__exit__(None, None, None)
        assert blas_threads() == {2}
