"""POST /api/ask and its streaming twin."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import TypeAdapter

from rag.errors import RagError
from rag.pipeline import Event, Pipeline
from rag.types import Turn
from server.deps import PipelineDep, get_pipeline
from server.schemas import AskRequest, AskResponse, ErrorOut

router = APIRouter(prefix="/api", tags=["ask"])
log = logging.getLogger("rag.server")
_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorOut},
    422: {"model": ErrorOut},
    503: {"model": ErrorOut},
}


def _turns(body: AskRequest) -> list[Turn]:
    return [Turn(role=t.role, content=t.content) for t in body.history]


def limiter(request: Request) -> anyio.CapacityLimiter:
    lim: anyio.CapacityLimiter = request.app.state.limiter
    return lim


_ASK_RESPONSE = TypeAdapter(AskResponse)


@router.post("/ask", response_model=AskResponse, responses=_ERRORS)
async def ask(body: AskRequest, request: Request) -> Response:
    """Answer a question from the articles, with verified citations."""
    # Per-request overhead matters at a search box's speed: the pipeline is looked up
    # directly (a dependency costs a thread hop, and FastAPI re-inspects dependencies'
    # signatures on every request while dependency overrides are installed), and the
    # answer is validated against the response model and serialised in one pass.
    pipeline = get_pipeline(request)
    answer = await to_thread.run_sync(
        lambda: pipeline.ask(body.question, top_k=body.top_k, history=_turns(body)), limiter=limiter(request)
    )
    payload = _ASK_RESPONSE.dump_json(_ASK_RESPONSE.validate_python(answer.to_dict()))
    return Response(payload, media_type="application/json")


def sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def stream_events(pipeline: Pipeline, body: AskRequest, request: Request) -> AsyncIterator[str]:
    cancelled = False
    events: Iterator[Event] = pipeline.ask_stream(
        body.question, top_k=body.top_k, history=_turns(body), cancelled=lambda: cancelled
    )
    lim = limiter(request)
    try:
        while True:
            event = await to_thread.run_sync(next, events, None, limiter=lim)
            if event is None:
                return
            if await request.is_disconnected():
                cancelled = True
                return
            if event.kind == "token":
                yield sse("token", {"text": event.text})
            elif event.kind == "done" and event.answer is not None:
                yield sse("done", event.answer.to_dict())
    except RagError as exc:
        yield sse("error", {"detail": exc.message, "retryable": exc.retryable})
    except Exception:
        log.exception("stream failed")
        yield sse("error", {"detail": "Internal error; it has been logged.", "retryable": False})
    finally:
        cancelled = True
        close = getattr(events, "close", None)
        if close is not None:
            close()


@router.post(
    "/ask/stream",
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "token events, then done (or error)."},
        **_ERRORS,
    },
)
async def ask_stream(body: AskRequest, pipeline: PipelineDep, request: Request) -> StreamingResponse:
    """Server-Sent Events: ``token`` pieces as the answer is produced, then ``done`` with the /api/ask object."""
    return StreamingResponse(
        stream_events(pipeline, body, request),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
