"""How documents and chunks are laid out in Chroma records, and read back.

A chunk record's metadata holds its document id, version (sha256 of the document
text), offsets, sentence spans (JSON) and sentence vectors (float16, base64); a
manifest record holds a document's title, sha256, chunk count, path and length, its
front-matter fields (source, published, url, author: "" when unknown, since Chroma
stores no nulls), ``duplicate_of`` (the canonical copy of a wire story, "" for none)
and ``minhash`` (its body's MinHash signature, base64, reused while the text is unchanged).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rag.types import Chunk, DocMeta

META_FIELDS = ("source", "published", "url", "author")


@dataclass(frozen=True, slots=True)
class DocRecord:
    doc_id: str
    title: str
    sha256: str
    chunks: int
    path: str
    chars: int
    meta: DocMeta = field(default_factory=DocMeta)
    duplicate_of: str | None = None
    minhash: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class DenseHit:
    chunk_id: str
    doc_id: str
    version: str
    similarity: float


def collection_names(prefix: str, embedder_id: str) -> tuple[str, str]:
    model = re.sub(r"[^A-Za-z0-9._-]+", "-", embedder_id).strip("-._")
    return f"{prefix}-chunks-{model}"[:500], f"{prefix}-docs-{model}"[:500]


def encode_vectors(vectors: np.ndarray) -> str:
    return base64.b64encode(np.asarray(vectors, dtype=np.float16).tobytes()).decode("ascii")


def decode_vectors(blob: str, dim: int) -> np.ndarray:
    if not blob:
        return np.zeros((0, dim), dtype=np.float16)
    return np.frombuffer(base64.b64decode(blob), dtype=np.float16).reshape(-1, dim)


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        doc_id=str(meta["doc_id"]),
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=text,
        version=str(meta["version"]),
        sentences=tuple((int(s), int(e)) for s, e in json.loads(str(meta["sentences"]))),
    )


def doc_record(doc_id: str, meta: dict[str, Any], chars: int | None = None) -> DocRecord:
    """The manifest entry of ``doc_id`` from its record's metadata."""
    return DocRecord(
        doc_id=doc_id,
        title=str(meta.get("title", doc_id)),
        sha256=str(meta.get("sha256", "")),
        chunks=int(meta.get("chunks", 0)),
        path=str(meta.get("path", "")),
        chars=int(meta.get("chars", 0)) if chars is None else chars,
        meta=DocMeta(**{name: str(meta.get(name) or "") or None for name in META_FIELDS}),
        duplicate_of=str(meta.get("duplicate_of") or "") or None,
        minhash=str(meta.get("minhash") or ""),
    )


def meta_fields(meta: DocMeta, *, duplicate_of: str | None, minhash: str) -> dict[str, str]:
    """The manifest keys that say what an article is and whether it is a wire copy."""
    fields = {name: getattr(meta, name) or "" for name in META_FIELDS}
    return {**fields, "duplicate_of": duplicate_of or "", "minhash": minhash}
