from __future__ import annotations

from anyio import to_thread
from fastapi import APIRouter, Path

from server.deps import PipelineDep
from server.schemas import DocumentList, DocumentOut, DocumentSummary, ErrorOut

router = APIRouter(prefix="/api", tags=["documents"])

DOC_ID = Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", description="A document id.")


@router.get("/documents", response_model=DocumentList)
async def list_documents(pipeline: PipelineDep) -> DocumentList:
    records = await to_thread.run_sync(pipeline.documents)
    return DocumentList(
        documents=[
            DocumentSummary(doc_id=r.doc_id, title=r.title, chunks=r.chunks, chars=r.chars, sha256=r.sha256)
            for r in records
        ]
    )


@router.get("/documents/{doc_id}", response_model=DocumentOut, responses={404: {"model": ErrorOut}})
async def get_document(pipeline: PipelineDep, doc_id: str = DOC_ID) -> DocumentOut:
    """The full text of one document; citations' start/end index into ``text``."""
    record, text = await to_thread.run_sync(pipeline.document, doc_id)
    return DocumentOut(
        doc_id=record.doc_id, title=record.title, chunks=record.chunks, chars=len(text), sha256=record.sha256, text=text
    )
