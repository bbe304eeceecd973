"""The in-memory view of the index: active chunks, sentence vectors and BM25.

Built from the store at start-up and rebuilt after an ingest, never per query.
Only chunks whose version is the document's active version are visible, so a
reader never sees a mix of two versions of one document.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np

from rag.injection import quotable
from rag.lexical import LexicalIndex
from rag.store import ChromaStore
from rag.types import Chunk

# Up to this many chunks (RAG_RETRIEVAL__DENSE_EXACT_MAX) the snapshot keeps their vectors
# and dense search is exact: one matrix-vector product here, ~0.1 ms per 1,000 chunks on
# this machine (1.5 kB of float32 each). Above it, Chroma's HNSW index answers; at 42,000
# chunks its recall of the true top 20 was 0.93 (worst question 0.65) with the default
# search_ef, and it lost gold passages a matrix product finds.
DENSE_EXACT_MAX = 100_000


@dataclass(slots=True)
class Snapshot:
    """One consistent version of the index; replaced whole, never mutated."""

    generation: int = -1
    versions: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    chunks: dict[str, Chunk] = field(default_factory=dict)
    sentence_vectors: dict[str, np.ndarray] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    lexical: LexicalIndex = field(default_factory=lambda: LexicalIndex([]))
    vectors: np.ndarray | None = None  # chunk vectors in ``order``, float32 (up to DENSE_EXACT_MAX chunks)

    @property
    def documents(self) -> int:
        return len(self.versions)

    def is_active(self, chunk_id: str, doc_id: str, version: str) -> bool:
        return self.versions.get(doc_id) == version and chunk_id in self.chunks

    def nearest(self, vector: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact nearest chunks by cosine (vectors are unit length): their positions in
        ``order`` and similarities, best first (ties by position); needs ``vectors``."""
        assert self.vectors is not None
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        n = min(n, len(sims))
        if n <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        top = np.argpartition(-sims, n - 1)[:n] if n < len(sims) else np.arange(len(sims))
        top = top[np.lexsort((top, -sims[top]))]
        return top.astype(np.int64), sims[top]

    def dense(self, vector: np.ndarray, n: int) -> list[str]:
        """The ids of the exact ``n`` nearest chunks, best first; needs ``vectors``."""
        return [self.order[i] for i in self.nearest(vector, n)[0]]


class Catalog:
    """Holds the current Snapshot and swaps in a new one when the store changes."""

    def __init__(self, store: ChromaStore, *, poll_s: float = 2.0, dense_exact_max: int = DENSE_EXACT_MAX) -> None:
        self._store = store
        self._poll_s = poll_s
        self._dense_exact_max = dense_exact_max
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
            snap = Snapshot(generation=generation, versions=versions, titles={d.doc_id: d.title for d in docs})
            for chunk, _title, sent_vecs in self._store.iter_chunks():
                if versions.get(chunk.doc_id) != chunk.version:
                    continue  # a half-written or superseded version: invisible
                kept = quotable(chunk, sent_vecs)  # planted instructions are never quoted
                if kept is None:
                    continue  # nothing but planted instructions: never retrieved
                chunk, sent_vecs = kept
                snap.chunks[chunk.chunk_id] = chunk
                snap.sentence_vectors[chunk.chunk_id] = sent_vecs
            snap.order = sorted(snap.chunks)
            snap.lexical = LexicalIndex([snap.chunks[c].text for c in snap.order])
            if len(snap.order) <= self._dense_exact_max:
                snap.vectors = self._store.chunk_vectors(snap.order)
            self._snapshot = snap
            self._checked = time.monotonic()
            return snap
