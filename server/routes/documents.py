from __future__ import annotations

import re
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Path

from rag.errors import DocumentNotFoundError
from rag.metadata import newest_first
from rag.records import DocRecord
from server.deps import PipelineDep
from server.schemas import DocumentList, DocumentOut, DocumentSummary, ErrorOut

router = APIRouter(prefix="/api", tags=["documents"])

# Only ids of indexed documents are found, looked up in the store (never joined into a
# path); anything else, path traversal included, is simply not a document: 404.
DOC_ID = Path(description="A document id, as listed by GET /api/documents.")
_ID_OK = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@router.get("/documents", response_model=DocumentList)
async def list_documents(pipeline: PipelineDep) -> DocumentList:
    """Every indexed article, newest first (undated last), wire copies with ``duplicate_of``."""
    records = await to_thread.run_sync(pipeline.documents)
    records = sorted(records, key=lambda r: newest_first(r.meta.published, r.doc_id))
    return DocumentList(documents=[DocumentSummary(**_summary(r)) for r in records])


@router.get("/documents/{doc_id}", response_model=DocumentOut, responses={404: {"model": ErrorOut}})
async def get_document(pipeline: PipelineDep, doc_id: str = DOC_ID) -> DocumentOut:
    """The full text of one document; citations' start/end index into ``text``."""
    if not _ID_OK.fullmatch(doc_id):
        raise DocumentNotFoundError(f"No document with id {doc_id[:130]!r}.")
    record, text = await to_thread.run_sync(pipeline.document, doc_id)
    return DocumentOut(**{**_summary(record), "chars": len(text)}, text=text)


def _summary(r: DocRecord) -> dict[str, Any]:
    return {
        "doc_id": r.doc_id,
        "title": r.title,
        "chunks": r.chunks,
        "chars": r.chars,
        "sha256": r.sha256,
        "source": r.meta.source,
        "published": r.meta.published,
        "url": r.meta.url,
        "author": r.meta.author,
        "duplicate_of": r.duplicate_of,
    }
