"""The Chroma store: chunk vectors, the document manifest and full texts.

Two collections per embedding model (the model id is in their names, so vectors
of two models never mix):

* ``<prefix>-chunks-<model>``: one record per chunk, its vector, text and
  metadata (doc id, version = sha256 of the document text, offsets, sentence
  spans and sentence vectors);
* ``<prefix>-docs-<model>``: the manifest, one record per document with its
  full text and the version that is *active*. Retrieval ignores chunks of any
  other version, which is what makes a re-ingest atomic per document.

Embedded (``PersistentClient`` under ``data_dir``) by default; an ``HttpClient``
when ``CHROMA_HOST`` is set. Everything else is the same code path.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np

from rag.config import Settings
from rag.errors import DocumentNotFoundError, RagError, StoreUnavailableError
from rag.records import (
    DenseHit,
    DocRecord,
    chunk_from_record,
    collection_names,
    decode_vectors,
    doc_record,
    encode_vectors,
    meta_fields,
)
from rag.types import Chunk, Document

T = TypeVar("T")
_META_ID = "__manifest_meta__"
_PAGE = 2000
# Chroma's HttpClient waits forever by default; a hung server must not hang a request.
# Reads and writes get 15 s, connecting 3 s; a (re)connection first probes the heartbeat
# with a short timeout, since the client's constructor itself makes untimed requests.
_HTTP_TIMEOUT = {"timeout": 15.0, "connect": 3.0}
_PROBE_TIMEOUT_S = 3.0


class ChromaStore:
    """Store backed by Chroma, embedded or client/server."""

    def __init__(self, settings: Settings, embedder_id: str, dim: int) -> None:
        self.embedder_id = embedder_id
        self.dim = dim
        self._settings = settings
        self._chunks_name, self._docs_name = collection_names(settings.collection_prefix, embedder_id)
        self.mode = "server" if settings.chroma_host else "embedded"
        self._client: Any = None
        self._chunks: Any = None
        self._docs: Any = None
        self._seen_generation = -1
        self._connect()

    # -- connection -----------------------------------------------------------------

    def _connect(self) -> None:
        """Open the client and collections. An embedded index that another process is
        creating at the same moment (its first migration) is retried briefly."""
        attempts = 1 if self._settings.chroma_host else 4
        for attempt in range(attempts):
            try:
                self._open()
                return
            except Exception as exc:
                self._client = None
                if attempt + 1 == attempts:
                    raise StoreUnavailableError(self._describe_failure(exc)) from exc
                self._forget_embedded_system()
                time.sleep(0.25 * (attempt + 1))

    def _forget_embedded_system(self) -> None:
        """Drop chromadb's per-process cache entry for this path, so the next client is new."""
        from chromadb.api.shared_system_client import SharedSystemClient

        identifier = str(self._settings.data_dir / "chroma")
        with SharedSystemClient._refcount_lock:
            SharedSystemClient._identifier_to_system.pop(identifier, None)
            SharedSystemClient._identifier_to_refcount.pop(identifier, None)

    def _open(self) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if self._settings.chroma_host:
            import httpx

            probe = f"http://{self._settings.chroma_host}:{self._settings.chroma_port}/api/v2/heartbeat"
            httpx.get(probe, timeout=_PROBE_TIMEOUT_S).raise_for_status()
            self._client = chromadb.HttpClient(
                host=self._settings.chroma_host,
                port=self._settings.chroma_port,
                settings=chroma_settings,
            )
            session = getattr(getattr(self._client, "_server", None), "_session", None)
            if session is not None:
                session.timeout = httpx.Timeout(_HTTP_TIMEOUT["timeout"], connect=_HTTP_TIMEOUT["connect"])
        else:
            path = self._settings.data_dir / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        self._chunks = self._client.get_or_create_collection(
            self._chunks_name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": self.embedder_id},
        )
        self._docs = self._client.get_or_create_collection(
            self._docs_name, embedding_function=None, metadata={"embedder": self.embedder_id}
        )
        got = self._docs.get(ids=[_META_ID], include=["metadatas"])
        metas = got.get("metadatas") or []
        self._seen_generation = int(metas[0]["generation"]) if metas and metas[0] else 0

    def _describe_failure(self, exc: Exception) -> str:
        if self._settings.chroma_host:
            where = f"the Chroma server at {self._settings.chroma_host}:{self._settings.chroma_port} (CHROMA_HOST/CHROMA_PORT)"
        else:
            where = f"the index under {self._settings.data_dir} (RAG_DATA_DIR)"
        return f"Cannot use {where}: {type(exc).__name__}: {str(exc)[:200]}"

    def _call(self, target: str, method: str, **kwargs: Any) -> Any:
        """Call ``method`` on the client or a collection (looked up after any reconnect);
        reconnect once after a failure, since a Chroma server may have restarted."""

        def run() -> Any:
            if self._client is None:
                self._connect()
            obj = {"client": self._client, "chunks": self._chunks, "docs": self._docs}[target]
            return getattr(obj, method)(**kwargs)

        try:
            return run()
        except RagError:
            raise
        except Exception as exc:
            if self.mode == "server":
                try:
                    self._client = None
                    return run()
                except RagError:
                    raise
                except Exception as retry_exc:
                    raise StoreUnavailableError(self._describe_failure(retry_exc)) from retry_exc
            raise StoreUnavailableError(self._describe_failure(exc)) from exc

    def ping(self) -> None:
        self._call("client", "heartbeat")

    def refresh(self) -> None:
        """Embedded mode: reopen the index when another process changed it.

        An embedded Chroma keeps its vector index in this process's memory and does
        not see vectors another process (a ``rag ingest`` beside ``rag serve``) wrote
        since it was opened. A new client reads them; the old one is left to the
        garbage collector, so requests still using it finish normally.
        """
        if self.mode != "embedded" or self._client is None or self.generation() == self._seen_generation:
            return
        self.reopen()

    def reopen(self) -> None:
        """Open a new client, which sees everything written to the index so far, including
        the last writes of a process that was killed before it switched a version (which
        ``refresh`` cannot tell from the generation)."""
        if self.mode == "embedded":
            self._forget_embedded_system()
        self._connect()

    # -- writes ---------------------------------------------------------------------

    def upsert_chunks(
        self,
        chunks: Sequence[Chunk],
        vectors: np.ndarray,
        sentence_vectors: Sequence[np.ndarray],
        title: str | Sequence[str],
    ) -> None:
        """Write chunks (of one document, or of many with one ``title`` per chunk)."""
        if not chunks:
            return
        titles = [title] * len(chunks) if isinstance(title, str) else list(title)
        metadatas = [
            {
                "doc_id": c.doc_id,
                "version": c.version,
                "start": c.start,
                "end": c.end,
                "title": t,
                "sentences": json.dumps(c.sentences),
                "sentence_vectors": encode_vectors(sv),
            }
            for c, sv, t in zip(chunks, sentence_vectors, titles, strict=True)
        ]
        for i in range(0, len(chunks), _PAGE):
            sl = slice(i, i + _PAGE)
            self._call(
                "chunks",
                "upsert",
                ids=[c.chunk_id for c in chunks[sl]],
                embeddings=np.asarray(vectors[sl], dtype=np.float32),
                documents=[c.text for c in chunks[sl]],
                metadatas=metadatas[sl],
            )

    def activate(self, doc: Document, n_chunks: int) -> None:
        """Make ``doc``'s version the one retrieval uses (the atomic switch)."""
        self.activate_many([(doc, n_chunks)])

    def activate_many(
        self, docs: Sequence[tuple[Document, int]], wire: Mapping[str, tuple[str | None, str]] | None = None
    ) -> None:
        """``activate`` for many documents in one write (each switch is still per document);
        ``wire`` gives a document's (duplicate_of, minhash signature) where known."""
        if not docs:
            return
        now = time.time()
        metas = []
        for doc, n_chunks in docs:
            duplicate_of, minhash = (wire or {}).get(doc.doc_id, (None, ""))
            metas.append(
                {"title": doc.title, "sha256": doc.sha256, "chunks": n_chunks, "path": doc.path}
                | {"chars": len(doc.text), "updated": now}
                | meta_fields(doc.meta, duplicate_of=duplicate_of, minhash=minhash)
            )
        for i in range(0, len(docs), _PAGE):
            sl = slice(i, i + _PAGE)
            self._call(
                "docs",
                "upsert",
                ids=[doc.doc_id for doc, _n in docs[sl]],
                embeddings=[[0.0]] * len(metas[sl]),
                documents=[doc.text for doc, _n in docs[sl]],
                metadatas=metas[sl],
            )
        self._bump_generation()

    def deactivate(self, doc_id: str) -> None:
        self._call("docs", "delete", ids=[doc_id])
        self._bump_generation()

    def delete_stale_chunks(self, doc_id: str, keep_version: str | None) -> None:
        """Delete chunks of ``doc_id`` other than ``keep_version`` (all when None)."""
        where: dict[str, Any] = {"doc_id": doc_id}
        if keep_version is not None:
            where = {"$and": [{"doc_id": doc_id}, {"version": {"$ne": keep_version}}]}
        self._call("chunks", "delete", where=where)

    def retitle(self, titles: dict[str, str]) -> None:
        """Set the title of indexed documents (``{doc_id: title}``) without touching their text,
        version or vectors: a metadata update (Chroma merges the keys given), nothing re-embedded.

        Chunks first, then the manifest, which is what readers show and what the next sync
        compares: a crash in between leaves the old title there, so the next sync redoes it.
        """
        if not titles:
            return
        for doc_id, title in titles.items():
            ids = self._call("chunks", "get", where={"doc_id": doc_id}, include=[])["ids"]
            for i in range(0, len(ids), _PAGE):
                page = ids[i : i + _PAGE]
                self._call("chunks", "update", ids=page, metadatas=[{"title": title}] * len(page))
        self.update_manifest({doc_id: {"title": title} for doc_id, title in titles.items()})

    def update_manifest(self, fields: Mapping[str, Mapping[str, Any]]) -> None:
        """Merge ``fields`` (``{doc_id: {key: value}}``) into documents' manifest entries: front
        matter edited, a wire group regrouped. Text, version and vectors stay as they are."""
        if not fields:
            return
        doc_ids = list(fields)
        for i in range(0, len(doc_ids), _PAGE):
            page = doc_ids[i : i + _PAGE]
            self._call("docs", "update", ids=page, metadatas=[dict(fields[d]) for d in page])
        self._bump_generation()

    def _bump_generation(self) -> None:
        gen = self.generation() + 1
        self._seen_generation = gen
        self._call(
            "docs",
            "upsert",
            ids=[_META_ID],
            embeddings=[[0.0]],
            documents=[""],
            metadatas=[{"generation": gen, "updated": time.time()}],
        )

    # -- reads ----------------------------------------------------------------------

    def generation(self) -> int:
        """A counter bumped on every manifest change; replicas poll it to refresh."""
        got = self._call("docs", "get", ids=[_META_ID], include=["metadatas"])
        metas = got.get("metadatas") or []
        return int(metas[0]["generation"]) if metas and metas[0] else 0

    def documents(self) -> list[DocRecord]:
        records: list[DocRecord] = []
        offset = 0
        while True:
            got = self._call("docs", "get", include=["metadatas"], limit=_PAGE, offset=offset)
            ids = got["ids"]
            for doc_id, meta in zip(ids, got["metadatas"] or [], strict=False):
                if doc_id == _META_ID or not meta:
                    continue
                records.append(doc_record(doc_id, meta))
            if len(ids) < _PAGE:
                break
            offset += _PAGE
        return sorted(records, key=lambda r: r.doc_id)

    def document_text(self, doc_id: str) -> tuple[DocRecord, str]:
        got = self._call("docs", "get", ids=[doc_id], include=["metadatas", "documents"])
        if not got["ids"] or doc_id == _META_ID:
            raise DocumentNotFoundError(f"No document with id {doc_id!r}.")
        meta = got["metadatas"][0] or {}
        text = got["documents"][0] or ""
        return doc_record(doc_id, meta, chars=len(text)), text

    def iter_chunks(self) -> Iterator[tuple[Chunk, str, np.ndarray]]:
        """Every stored chunk, with its title and sentence vectors (to build the catalog)."""
        offset = 0
        while True:
            got = self._call("chunks", "get", include=["metadatas", "documents"], limit=_PAGE, offset=offset)
            ids = got["ids"]
            for cid, text, meta in zip(ids, got["documents"] or [], got["metadatas"] or [], strict=False):
                if meta is None:
                    continue
                yield (
                    chunk_from_record(cid, text or "", meta),
                    str(meta.get("title", "")),
                    decode_vectors(str(meta.get("sentence_vectors", "")), self.dim),
                )
            if len(ids) < _PAGE:
                break
            offset += _PAGE

    def chunk_ids(self) -> list[tuple[str, str, str]]:
        """(chunk_id, doc_id, version) of every stored chunk."""
        out: list[tuple[str, str, str]] = []
        offset = 0
        while True:
            got = self._call("chunks", "get", include=["metadatas"], limit=_PAGE, offset=offset)
            for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
                meta = meta or {}
                out.append((cid, str(meta.get("doc_id", "")), str(meta.get("version", ""))))
            if len(got["ids"]) < _PAGE:
                break
            offset += _PAGE
        return out

    def chunk_vectors(self, chunk_ids: Sequence[str]) -> np.ndarray:
        """The stored vectors of ``chunk_ids``, float32, one row each in that order."""
        pages = []
        for i in range(0, len(chunk_ids), _PAGE):
            page = list(chunk_ids[i : i + _PAGE])
            got = self._call("chunks", "get", ids=page, include=["embeddings"])
            by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
            pages.append(np.asarray([by_id[cid] for cid in page], dtype=np.float32))
        return np.vstack(pages) if pages else np.zeros((0, self.dim), dtype=np.float32)

    def query(self, vector: np.ndarray, k: int) -> list[DenseHit]:
        got = self._call(
            "chunks",
            "query",
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
            n_results=k,
            include=["distances", "metadatas"],
        )
        hits: list[DenseHit] = []
        for cid, dist, meta in zip(got["ids"][0], got["distances"][0], got["metadatas"][0], strict=False):
            meta = meta or {}
            hits.append(
                DenseHit(
                    chunk_id=cid,
                    doc_id=str(meta.get("doc_id", "")),
                    version=str(meta.get("version", "")),
                    similarity=1.0 - float(dist),
                )
            )
        return hits

    def query_ids(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """(chunk_id, similarity) of the ``k`` nearest chunks, without their metadata.

        A chunk's metadata carries its sentence vectors (~6 kB): fetching them for 48
        hits tripled the query time at 46,000 chunks. The chunk id names the version.
        """
        got = self._call(
            "chunks",
            "query",
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
            n_results=k,
            include=["distances"],
        )
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(got["ids"][0], got["distances"][0], strict=False)]

    def count_chunks(self) -> int:
        return int(self._call("chunks", "count"))
