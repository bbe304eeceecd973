from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from server.schemas import ErrorOut, Health, Ready

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """200 while the process lives."""
    return Health()


@router.get("/readyz", response_model=Ready, responses={503: {"model": ErrorOut}})
async def readyz(request: Request) -> Ready | JSONResponse:
    """200 with counts when the assistant can answer; 503 before (or when the store is down)."""
    from anyio import to_thread

    from rag.errors import RagError

    pipeline = getattr(request.app.state, "pipeline", None)
    if pipeline is None:
        error = getattr(request.app.state, "startup_error", None)
        detail = error.message if isinstance(error, RagError) else "Starting up."
        return JSONResponse({"detail": detail, "retryable": True}, status_code=503)
    try:
        counts = await to_thread.run_sync(pipeline.store_status)
    except RagError as exc:
        return JSONResponse({"detail": exc.message, "retryable": True}, status_code=503)
    if counts["chunks"] == 0:
        return JSONResponse({"detail": "The index is empty: run `rag ingest`.", "retryable": True}, status_code=503)
    return Ready(**counts)
