"""Ingest as a sync: make the index match a corpus folder.

Per document the order is: write the new version's chunks, switch the manifest
to that version, delete the old version's chunks. A crash at any point leaves
either the old or the new version active (the catalog only shows chunks of the
active version), and the next sync cleans up what the crash left behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rag.chunking import chunk_document
from rag.config import Settings
from rag.documents import load_corpus
from rag.errors import IngestLockedError
from rag.protocols import Embedder
from rag.store import ChromaStore
from rag.types import Document, IngestReport

Progress = Callable[[str, int, int], None]


@contextmanager
def ingest_lock(data_dir: Path, *, wait: bool) -> Iterator[None]:
    """An exclusive lock on the index; a second ingest waits or is refused."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / "ingest.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise IngestLockedError(
                f"Another ingest is running on {data_dir} (lock file {data_dir / 'ingest.lock'}); "
                "wait for it to finish."
            ) from exc
        yield
    finally:
        os.close(fd)


def embed_document(embedder: Embedder, doc: Document, settings: Settings):  # type: ignore[no-untyped-def]
    chunks = chunk_document(doc, chunk_size=settings.chunking.chunk_size, chunk_overlap=settings.chunking.chunk_overlap)
    chunk_vecs = embedder.embed([c.text for c in chunks])
    sentence_texts = [[doc.text[s:e] for s, e in c.sentences] for c in chunks]
    flat = [t for group in sentence_texts for t in group]
    flat_vecs = embedder.embed(flat)
    per_chunk = []
    pos = 0
    for group in sentence_texts:
        per_chunk.append(flat_vecs[pos : pos + len(group)])
        pos += len(group)
    return chunks, chunk_vecs, per_chunk


def sync(
    corpus: Path,
    *,
    store: ChromaStore,
    embedder: Embedder,
    settings: Settings,
    progress: Progress | None = None,
    wait_for_lock: bool = True,
) -> IngestReport:
    """Make the index hold exactly the readable documents under ``corpus``."""
    with ingest_lock(settings.data_dir, wait=wait_for_lock):
        store.refresh()  # an ingest that waited for the lock starts from what the other one wrote
        loaded = load_corpus(corpus, max_bytes=settings.chunking.max_file_bytes)
        existing = {d.doc_id: d for d in store.documents()}
        wanted = {d.doc_id: d for d in loaded.documents}
        # A file that failed to load keeps its indexed version rather than vanishing.
        failed = {Path(e.path).stem for e in loaded.errors if e.path}

        todo = [d for d in loaded.documents if existing.get(d.doc_id) is None or existing[d.doc_id].sha256 != d.sha256]
        added = sum(1 for d in todo if d.doc_id not in existing)
        updated = len(todo) - added
        unchanged = len(wanted) - len(todo)
        total = len(todo)
        for i, doc in enumerate(todo):
            if progress:
                progress(doc.doc_id, i, total)
            chunks, vecs, sent_vecs = embed_document(embedder, doc, settings)
            store.upsert_chunks(chunks, vecs, sent_vecs, doc.title)
            store.activate(doc, len(chunks))
            store.delete_stale_chunks(doc.doc_id, doc.sha256)
        if progress:
            progress("", total, total)

        deleted = 0
        for doc_id in existing:
            if doc_id not in wanted and doc_id not in failed:
                store.deactivate(doc_id)
                store.delete_stale_chunks(doc_id, None)
                deleted += 1
        _remove_orphans(store)
        return IngestReport(
            added=added,
            updated=updated,
            unchanged=unchanged,
            deleted=deleted,
            chunks=store.count_chunks(),
            errors=tuple(e.message for e in loaded.errors),
        )


def _remove_orphans(store: ChromaStore) -> None:
    """Delete chunks a crashed ingest left: unknown documents or inactive versions."""
    active = {d.doc_id: d.sha256 for d in store.documents()}
    stale = {(doc_id, version) for _cid, doc_id, version in store.chunk_ids() if active.get(doc_id) != version}
    for doc_id, _version in stale:
        store.delete_stale_chunks(doc_id, active.get(doc_id))
