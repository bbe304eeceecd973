"""Ingest as a sync: make the index match a corpus folder.

Per document the order is: write the new version's chunks, switch the manifest
to that version, delete the old version's chunks. A crash at any point leaves
either the old or the new version active (the catalog only shows chunks of the
active version), and the next sync cleans up what the crash left behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag import wire
from rag.chunking import chunk_document
from rag.config import Settings
from rag.documents import load_corpus
from rag.errors import IngestLockedError
from rag.protocols import Embedder
from rag.records import DocRecord, meta_fields
from rag.store import ChromaStore
from rag.types import Chunk, Document, IngestReport, SkippedFile

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


Embedded = tuple[list[Chunk], np.ndarray, list[np.ndarray]]
# A big ingest embeds and writes documents in groups (``chunking.write_group_chars``
# characters of text, at most this many documents): enough texts to sort by length and
# fill batches, and few Chroma writes per document, while the progress bar still moves.
_GROUP_DOCS = 256
_BATCH_CHARS = 8_000


def embed_document(embedder: Embedder, doc: Document, settings: Settings) -> Embedded:
    """(chunks, chunk vectors, sentence vectors per chunk) of one document."""
    return embed_documents(embedder, [doc], settings)[0]


def embed_documents(embedder: Embedder, docs: Sequence[Document], settings: Settings) -> list[Embedded]:
    """``embed_document`` for many documents in one pass over the model.

    Each distinct text (a sentence two overlapping chunks share, a line repeated across
    articles) is embedded once, and texts go to the model shortest first so a batch is
    padded little. A text's vector does not depend on the other texts of its batch, so
    the vectors are exactly those of embedding every text alone.
    """
    return embed_plan(embedder, plan_documents(docs, settings), settings)


@dataclass(frozen=True, slots=True)
class Plan:
    """Documents cut into chunks, before embedding: the distinct texts to embed, and per
    document its chunks with the rows (in ``texts``) of each chunk and of its sentences."""

    texts: list[str]
    docs: list[tuple[list[Chunk], list[int], list[list[int]]]]


def plan_documents(docs: Sequence[Document], settings: Settings) -> Plan:
    rows: dict[str, int] = {}
    plans = []
    for doc in docs:
        chunks = chunk_document(
            doc, chunk_size=settings.chunking.chunk_size, chunk_overlap=settings.chunking.chunk_overlap
        )
        chunk_rows = [rows.setdefault(c.text, len(rows)) for c in chunks]
        sentence_rows = [[rows.setdefault(doc.text[s:e], len(rows)) for s, e in c.sentences] for c in chunks]
        plans.append((chunks, chunk_rows, sentence_rows))
    return Plan(list(rows), plans)


def embed_plan(embedder: Embedder, plan: Plan, settings: Settings) -> list[Embedded]:
    vectors = embed_texts(embedder, plan.texts, settings)
    return [
        (chunks, vectors[chunk_rows], [vectors[r] for r in sentence_rows])
        for chunks, chunk_rows, sentence_rows in plan.docs
    ]


def embed_texts(embedder: Embedder, texts: list[str], settings: Settings) -> np.ndarray:
    """Vectors of ``texts`` in their order: the embedder's bulk path (``embed_many``) when
    it has one, else ``embed`` over batches of texts of similar length."""
    bulk = getattr(embedder, "embed_many", None)
    if bulk is not None:
        return np.asarray(bulk(texts), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    by_length = np.vstack([embedder.embed(batch) for batch in _batches([texts[i] for i in order], settings)])
    vectors = np.empty_like(by_length)
    vectors[order] = by_length
    return vectors


def _batches(texts: list[str], settings: Settings) -> Iterator[list[str]]:
    """Cut texts sorted by length into model batches of similar length: a batch is padded
    to its longest text, so a short sentence never waits in a batch of long chunks. A batch
    also stays under ``_BATCH_CHARS`` padded: onnxruntime keeps its largest buffers (attention
    grows with batch x length^2), so 64 whole chunks at once would cost the process ~1 GB."""
    batch: list[str] = []
    for text in texts:
        if batch and (
            len(batch) >= settings.embedding.batch_size
            or len(text) * (len(batch) + 1) > _BATCH_CHARS
            or len(text) > 1.25 * len(batch[0]) + 16
        ):
            yield batch
            batch = []
        batch.append(text)
    if batch:
        yield batch


def _groups(docs: Sequence[Document], max_chars: int) -> Iterator[list[Document]]:
    group: list[Document] = []
    chars = 0
    for doc in docs:
        group.append(doc)
        chars += len(doc.text)
        if chars >= max_chars or len(group) >= _GROUP_DOCS:
            yield group
            group, chars = [], 0
    if group:
        yield group


def _planned_groups(docs: Sequence[Document], settings: Settings) -> Iterator[tuple[list[Document], Plan]]:
    """``docs`` in groups, each cut into chunks. The next group is cut (Python: pysbd, the
    splitter) on a thread of its own while the caller embeds this one (onnxruntime, which
    lets go of the GIL), so that work does not leave the other cores idle."""
    groups = list(_groups(docs, settings.chunking.write_group_chars))
    if not groups:
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chunk") as ahead:
        planned = ahead.submit(plan_documents, groups[0], settings)
        for group, following in zip(groups, [*groups[1:], None], strict=True):
            plan = planned.result()
            if following is not None:
                planned = ahead.submit(plan_documents, following, settings)
            yield group, plan


# Per document: (duplicate_of, minhash signature as stored).
WireInfo = dict[str, tuple[str | None, str]]


def _write_group(
    store: ChromaStore,
    group: Sequence[Document],
    embedded: Sequence[Embedded],
    existing: dict[str, DocRecord],
    copies: WireInfo,
) -> None:
    """Per document the order holds: its chunks are written, then its version is switched
    to, then its old chunks go. Documents of a group share each of the three writes."""
    store.upsert_chunks(
        [c for chunks, _v, _s in embedded for c in chunks],
        np.vstack([v for _c, v, _s in embedded]),
        [sv for _c, _v, svs in embedded for sv in svs],
        [doc.title for doc, (chunks, _v, _s) in zip(group, embedded, strict=True) for _ in chunks],
    )
    store.activate_many([(doc, len(chunks)) for doc, (chunks, _v, _s) in zip(group, embedded, strict=True)], copies)
    for doc in group:
        if doc.doc_id in existing:  # a new document has no old chunks (crash leftovers: see below)
            store.delete_stale_chunks(doc.doc_id, doc.sha256)


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

        copies = wire_groups(loaded.documents, existing, settings)
        todo = [d for d in loaded.documents if existing.get(d.doc_id) is None or existing[d.doc_id].sha256 != d.sha256]
        added = sum(1 for d in todo if d.doc_id not in existing)
        updated = len(todo) - added
        unchanged = len(wanted) - len(todo)
        total = len(todo)
        done = 0
        try:
            for group, plan in _planned_groups(todo, settings):
                if progress:
                    progress(group[0].doc_id, done, total)
                embedded = embed_plan(embedder, plan, settings)
                _write_group(store, group, embedded, existing, copies)
                done += len(group)
        finally:
            release = getattr(embedder, "release_bulk", None)
            if release is not None:
                release()
        if progress:
            progress("", total, total)
        retitled = refresh_metadata(store, loaded.documents, existing, copies)

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
            errors=tuple(
                SkippedFile(e.path or str(corpus), e.reason, e.message) for e in [*loaded.errors, *loaded.warnings]
            ),
            retitled=retitled,
            duplicates=sum(1 for canonical, _sig in copies.values() if canonical),
        )


def wire_groups(docs: Sequence[Document], existing: dict[str, DocRecord], settings: Settings) -> WireInfo:
    """Each document's canonical copy (None when it is one itself) and MinHash signature;
    an unchanged document's stored signature is reused."""
    blobs: dict[str, str] = {}
    signatures = {}
    for doc in docs:
        old = existing.get(doc.doc_id)
        sig = wire.decode(old.minhash) if old is not None and old.sha256 == doc.sha256 else None
        if sig is None:
            sig = wire.signature(doc.text)
            blobs[doc.doc_id] = wire.encode(sig)
        else:
            blobs[doc.doc_id] = old.minhash if old is not None else ""
        signatures[doc.doc_id] = sig
    by_id = {d.doc_id: d for d in docs}
    copies = wire.group(by_id, signatures, settings.wire.threshold) if settings.wire.group else {}
    return {doc_id: (copies.get(doc_id), blob) for doc_id, blob in blobs.items()}


def refresh_metadata(
    store: ChromaStore, docs: Sequence[Document], existing: dict[str, DocRecord], copies: WireInfo
) -> int:
    """Give unchanged documents the title, front matter and wire group they have now, where
    the stored ones differ; the number of titles changed.

    A document whose sha256 (of its text) is unchanged is skipped by the sync, so an edit of
    its front matter, a new wire group or a change to how titles are derived
    (``rag.documents.title_of``) would never reach the index. These are only metadata: they
    are rewritten in place, nothing is re-embedded, and the document still counts as
    unchanged (``IngestReport.retitled`` says how many got a new title).
    """
    unchanged = [d for d in docs if (old := existing.get(d.doc_id)) is not None and old.sha256 == d.sha256]
    titles = {d.doc_id: d.title for d in unchanged if existing[d.doc_id].title != d.title}
    store.retitle(titles)
    fields = {}
    for doc in unchanged:
        old = existing[doc.doc_id]
        duplicate_of, minhash = copies.get(doc.doc_id, (None, ""))
        now = meta_fields(doc.meta, duplicate_of=duplicate_of, minhash=minhash)
        if now != meta_fields(old.meta, duplicate_of=old.duplicate_of, minhash=old.minhash):
            fields[doc.doc_id] = now
    store.update_manifest(fields)
    return len(titles)


def _remove_orphans(store: ChromaStore) -> None:
    """Delete chunks a crashed ingest left: unknown documents or inactive versions."""
    active = {d.doc_id: d.sha256 for d in store.documents()}
    stale = {(doc_id, version) for _cid, doc_id, version in store.chunk_ids() if active.get(doc_id) != version}
    for doc_id, _version in stale:
        store.delete_stale_chunks(doc_id, active.get(doc_id))
