"""The in-memory view of the index: active chunks, their vectors, sentence vectors and BM25.

Built from the store at start-up and rebuilt after an ingest, never per query.
Only chunks whose version is the document's active version are visible, so a
reader never sees a mix of two versions of one document.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

from rag.injection import quotable
from rag.lexical import LexicalIndex
from rag.metadata import oldest_first, published_time
from rag.records import DocRecord
from rag.store import ChromaStore
from rag.types import Chunk, CopyRef, DocMeta

# Up to this many chunks (RAG_RETRIEVAL__DENSE_IN_MEMORY_MAX) the snapshot keeps their
# vectors (float32, 1.5 kB a chunk) and dense search runs here; above it, Chroma's HNSW
# index answers. At 42,000 chunks HNSW (default search_ef) returned 0.93 of the true top
# 20 for the dev questions (worst question 0.65) and lost gold passages.
DENSE_IN_MEMORY_MAX = 100_000
# Scanning all vectors is one matrix-vector product: exact, but it reads every vector,
# ~3 ms at 42,000 chunks on 2 cores. From SHORTLIST_FROM chunks on, a scan of their
# projection on the top PROJECTION_DIMS principal components (a third of the bytes)
# shortlists max(SHORTLIST_MIN, 5 n) chunks, which are then scored exactly: ~1.4 ms at
# 42,000, and it held 100 % of the exact top 50 and 99.9 % of the top 400 (worst 99.2 %)
# for the dev questions.
SHORTLIST_FROM = 25_000
PROJECTION_DIMS = 128
SHORTLIST_MIN = 2_000
# The products over many vectors run on one BLAS thread. OpenBLAS would split them over
# both cores, which helps an idle machine a little (the scan is memory-bound) and costs
# ~10x when the other core is busy (another request, an ingest): 16 ms, not 1.6 ms, for
# the nearest 400 at 42,000 chunks. The server already answers requests in parallel.
_THREADPOOLS = ThreadpoolController()
_BLAS_LOCK = threading.Lock()
_blas_users = 0
_blas_limit: Any = None


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS on one thread while any caller is inside. threadpoolctl's limit is process-wide
    and restores what it saw on entry, so two overlapping requests would each restore the
    other's setting mid-product; a count makes the first in set it and the last out restore it."""
    global _blas_users, _blas_limit
    with _BLAS_LOCK:
        if _blas_users == 0:
            _blas_limit = _THREADPOOLS.limit(limits=1, user_api="blas")
        _blas_users += 1
    try:
        yield
    finally:
        with _BLAS_LOCK:
            _blas_users -= 1
            if _blas_users == 0:
                _blas_limit.restore_original_limits()
                _blas_limit = None


@dataclass(slots=True)
class Snapshot:
    """One consistent version of the index; replaced whole, never mutated."""

    generation: int = -1
    versions: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    meta: dict[str, DocMeta] = field(default_factory=dict)  # front matter of the retrievable documents
    copies: dict[str, tuple[CopyRef, ...]] = field(default_factory=dict)  # canonical doc id -> its wire copies
    chunks: dict[str, Chunk] = field(default_factory=dict)
    sentence_vectors: dict[str, np.ndarray] = field(default_factory=dict)  # views of ``sentence_matrix``
    order: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)  # chunk id -> its position in ``order``
    lexical: LexicalIndex = field(default_factory=lambda: LexicalIndex([]))
    vectors: np.ndarray | None = None  # chunk vectors in ``order``, float32 (up to DENSE_IN_MEMORY_MAX chunks)
    # From SHORTLIST_FROM chunks: a (dim, PROJECTION_DIMS) projection and the centred vectors projected.
    projection: np.ndarray | None = None
    projected: np.ndarray | None = None
    doc_numbers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # per position
    # Every chunk's sentence vectors in one float16 matrix: the chunk at position i owns rows
    # sentence_starts[i] .. + sentence_counts[i]. ``sentence_codes`` holds them again as int8
    # (row r ~ sentence_codes[r] * sentence_scales[r]) for scoring many at once: numpy widens
    # int8 to float32 ~7x faster than float16, and the codes take half the room.
    sentence_matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float16))
    sentence_starts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sentence_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sentence_codes: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int8))
    sentence_scales: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    @property
    def documents(self) -> int:
        return len(self.versions)

    def published_time(self, doc_id: str) -> float | None:
        meta = self.meta.get(doc_id)
        return published_time(meta.published) if meta else None

    def is_active(self, chunk_id: str, doc_id: str, version: str) -> bool:
        return self.versions.get(doc_id) == version and chunk_id in self.chunks

    def nearest(self, vector: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``n`` nearest chunks by cosine (vectors are unit length): their positions in
        ``order`` and similarities, best first (ties by position); needs ``vectors``.
        Exact, or exact over a shortlist (see SHORTLIST_FROM)."""
        assert self.vectors is not None
        q = np.asarray(vector, dtype=np.float32)
        n = min(n, len(self.vectors))
        if n <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        shortlist = max(SHORTLIST_MIN, 5 * n)
        with one_blas_thread():
            if self.projection is not None and self.projected is not None and shortlist < len(self.vectors):
                coarse = self.projected @ (q @ self.projection)
                ids = np.argpartition(-coarse, shortlist - 1)[:shortlist]
                sims = self.vectors[ids] @ q
            else:
                ids, sims = np.arange(len(self.vectors)), self.vectors @ q
        top = np.argpartition(-sims, n - 1)[:n] if n < len(sims) else np.arange(len(sims))
        top = top[np.lexsort((ids[top], -sims[top]))]
        return ids[top].astype(np.int64), sims[top]

    def dense(self, vector: np.ndarray, n: int) -> list[str]:
        """The ids of the ``n`` nearest chunks, best first; needs ``vectors``."""
        return [self.order[i] for i in self.nearest(vector, n)[0]]

    def best_sentence(self, vector: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """For each chunk at ``positions``: the cosine of its sentence closest to ``vector``
        (NaN for a chunk without sentence vectors), from the int8 codes (error ~1e-3)."""
        positions = np.asarray(positions, dtype=np.int64)
        starts = self.sentence_starts[positions]
        counts = self.sentence_counts[positions]
        best = np.full(len(positions), np.nan, dtype=np.float32)
        has = counts > 0
        if not has.any():
            return best
        starts, counts = starts[has], counts[has]
        # The rows of every chunk, one after another: start + 0 .. count - 1 for each.
        first = np.cumsum(counts) - counts
        rows = np.repeat(starts - first, counts) + np.arange(int(counts.sum()))
        with one_blas_thread():
            sims = self.sentence_codes[rows].astype(np.float32) @ np.asarray(vector, dtype=np.float32)
        sims *= self.sentence_scales[rows]
        best[has] = np.maximum.reduceat(sims, first)
        return best


class Catalog:
    """Holds the current Snapshot and swaps in a new one when the store changes."""

    def __init__(
        self, store: ChromaStore, *, poll_s: float = 2.0, dense_in_memory_max: int = DENSE_IN_MEMORY_MAX
    ) -> None:
        self._store = store
        self._poll_s = poll_s
        self._dense_in_memory_max = dense_in_memory_max
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._checked = 0.0

    @property
    def loaded(self) -> bool:
        return self._snapshot is not None

    def snapshot(self) -> Snapshot:
        """The current snapshot, refreshed when another process changed the store."""
        snap = self._snapshot
        now = time.monotonic()
        if snap is None or now - self._checked > self._poll_s:
            # Raises while the store is unreachable; not marked checked, so every request
            # asks again (and fails clearly) until the store is back.
            generation = self._store.generation()
            self._checked = now
            if snap is None or generation != snap.generation:
                return self.reload()
        assert snap is not None
        return snap

    def reload(self) -> Snapshot:
        with self._lock:
            self._store.refresh()  # see another process's writes (embedded mode)
            generation = self._store.generation()
            docs = self._store.documents()
            versions = {d.doc_id: d.sha256 for d in docs}
            copied = {d.doc_id for d in docs if d.duplicate_of}

            def visible() -> Iterator[tuple[Chunk, np.ndarray]]:
                for chunk, _title, sent_vecs in self._store.iter_chunks():
                    if versions.get(chunk.doc_id) != chunk.version or chunk.doc_id in copied:
                        continue  # a half-written or superseded version, or a wire copy: not retrieved
                    kept = quotable(chunk, sent_vecs)  # planted instructions are never quoted
                    if kept is not None:  # None: nothing but planted instructions, never retrieved
                        yield kept

            snap = assemble(
                visible(),
                dim=self._store.dim,
                generation=generation,
                versions=versions,
                titles={d.doc_id: d.title for d in docs},
                chunk_vectors=self._store.chunk_vectors,
                in_memory_max=self._dense_in_memory_max,
            )
            snap.meta = {d.doc_id: d.meta for d in docs if d.doc_id not in copied}
            snap.copies = wire_copies(docs)
            self._snapshot = snap
            self._checked = time.monotonic()
            return snap


def wire_copies(docs: Iterable[DocRecord]) -> dict[str, tuple[CopyRef, ...]]:
    """Each canonical document's wire copies, earliest published first (undated last)."""
    copies: dict[str, list[DocRecord]] = {}
    for doc in docs:
        if doc.duplicate_of:
            copies.setdefault(doc.duplicate_of, []).append(doc)
    return {
        canonical: tuple(
            CopyRef(d.doc_id, d.meta.source, d.meta.published)
            for d in sorted(group, key=lambda d: oldest_first(d.meta.published, d.doc_id))
        )
        for canonical, group in copies.items()
    }


def assemble(
    chunks: Iterable[tuple[Chunk, np.ndarray]],
    *,
    dim: int,
    generation: int = -1,
    versions: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
    chunk_vectors: Callable[[list[str]], np.ndarray] | None = None,
    in_memory_max: int = DENSE_IN_MEMORY_MAX,
) -> Snapshot:
    """A snapshot of ``chunks`` (each with its sentence vectors, float16, ``dim`` wide).

    ``chunk_vectors`` gives the chunk vectors of a list of ids; they are kept for dense search
    in memory when there are at most ``in_memory_max`` chunks (and a ``chunk_vectors``).
    """
    snap = Snapshot(generation=generation, versions=dict(versions or {}), titles=dict(titles or {}))
    rows = _RowWriter(dim)  # every chunk's sentence vectors, one after another, as they arrive
    spans: dict[str, tuple[int, int]] = {}
    for chunk, sent_vecs in chunks:
        snap.chunks[chunk.chunk_id] = chunk
        spans[chunk.chunk_id] = (rows.add(sent_vecs), len(sent_vecs))
    snap.order = sorted(snap.chunks)
    snap.index = {chunk_id: i for i, chunk_id in enumerate(snap.order)}
    _set_sentence_vectors(snap, rows.finish(), spans)
    numbers: dict[str, int] = {}
    snap.doc_numbers = np.array(
        [numbers.setdefault(snap.chunks[c].doc_id, len(numbers)) for c in snap.order], dtype=np.int64
    )
    snap.lexical = LexicalIndex([snap.chunks[c].text for c in snap.order])
    if chunk_vectors is not None and len(snap.order) <= in_memory_max:
        snap.vectors = np.ascontiguousarray(chunk_vectors(snap.order), dtype=np.float32)
        if len(snap.order) >= SHORTLIST_FROM:
            snap.projection, snap.projected = project(snap.vectors, PROJECTION_DIMS)
    return snap


def project(vectors: np.ndarray, dims: int, sample: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """The top ``dims`` principal directions of ``vectors`` (from a fixed sample of them) as a
    (dim, dims) matrix, and the centred vectors projected on them. Ranking by
    ``projected @ (q @ projection)`` approximates ranking by ``vectors @ q``: the mean's share
    of the product is the same for every vector."""
    rows = np.random.default_rng(0).choice(len(vectors), min(len(vectors), sample), replace=False)
    mean = vectors[rows].mean(axis=0)
    with one_blas_thread():  # ~1 s; 17 s on two threads beside an ingest
        _u, _s, vt = np.linalg.svd(vectors[rows] - mean, full_matrices=False)
        projection = np.ascontiguousarray(vt[:dims].T, dtype=np.float32)
        projected = np.ascontiguousarray((vectors - mean) @ projection, dtype=np.float32)
    return projection, projected


_BLOCK_ROWS = 65_536


class _RowWriter:
    """Appends float16 rows to blocks (of up to _BLOCK_ROWS) as they arrive, so the vectors of
    10,000 articles are not first held as 40,000 small arrays (whose freed memory the
    allocator keeps: ~260 MB more resident memory at 10,000 articles)."""

    def __init__(self, dim: int) -> None:
        self._dim = dim
        self._blocks: list[np.ndarray] = []
        self._fill = 0
        self.total = 0

    def add(self, rows: np.ndarray) -> int:
        """Append ``rows``; the index of the first of them."""
        start, done = self.total, 0
        while done < len(rows):
            if not self._blocks or self._fill == len(self._blocks[-1]):
                size = min(_BLOCK_ROWS, max(1024, self.total))  # small corpora get small blocks
                self._blocks.append(np.empty((size, self._dim), dtype=np.float16))
                self._fill = 0
            block = self._blocks[-1]
            take = min(len(block) - self._fill, len(rows) - done)
            block[self._fill : self._fill + take] = rows[done : done + take]
            self._fill += take
            self.total += take
            done += take
        return start

    def finish(self) -> np.ndarray:
        """All rows, in one matrix of their own (no unused block rows kept alive)."""
        if not self._blocks:
            return np.zeros((0, self._dim), dtype=np.float16)
        self._blocks[-1] = self._blocks[-1][: self._fill]
        matrix = np.concatenate(self._blocks)
        self._blocks = []
        return matrix


def _set_sentence_vectors(snap: Snapshot, matrix: np.ndarray, spans: dict[str, tuple[int, int]]) -> None:
    """Give ``snap`` the sentence matrix, each chunk's rows of it (views) and their int8 codes."""
    snap.sentence_matrix = matrix
    snap.sentence_starts = np.array([spans[c][0] for c in snap.order], dtype=np.int64)
    snap.sentence_counts = np.array([spans[c][1] for c in snap.order], dtype=np.int64)
    for chunk_id, (start, count) in spans.items():
        snap.sentence_vectors[chunk_id] = matrix[start : start + count]
    codes = np.empty(matrix.shape, dtype=np.int8)
    scales = np.empty(len(matrix), dtype=np.float32)
    for start in range(0, len(matrix), _BLOCK_ROWS):  # in blocks: all of it as float32 is 0.5 GB at 10k articles
        block = matrix[start : start + _BLOCK_ROWS].astype(np.float32)
        peak = np.abs(block).max(axis=1)
        scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
        codes[start : start + len(block)] = np.rint(block / scale[:, None])
        scales[start : start + len(block)] = scale
    snap.sentence_codes, snap.sentence_scales = codes, scales
