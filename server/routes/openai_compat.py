"""The assistant behind OpenAI's Chat Completions API: ``GET /v1/models``, ``POST /v1/chat/completions``.

Any OpenAI client or chat front-end can talk to ``rag serve`` here. Every role of
OpenAI's API is accepted, but only user and assistant messages are read: the last
one must be the user's question, the earlier ones are the history. System and
developer messages are ignored (the assistant's rules are not negotiable), and so
are tool and function results (answers come from the articles only). The
reply's text is the verified answer with its ``[n]`` markers plus a "Sources"
list; the citation objects ride along in an extra ``citations`` field and the
whole ``/api/ask`` object in ``rag`` -- on the completion, and on the final chunk
of a stream (``stream: true``: ``data: {chunk}`` lines, then ``data: [DONE]``).

Streamed content is verified sentence by sentence before it is sent (see
``rag.pipeline``), so what a chat window shows never needs taking back. Errors
before the first byte are HTTP errors (503 when the LLM is down and
``RAG_LLM__ON_FAILURE=error``); after it, an OpenAI-style ``{"error": ...}`` chunk.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationInfo, field_validator, model_validator

from rag.errors import RagError
from rag.pipeline import Event, Pipeline
from rag.tokens import count_tokens
from rag.types import Answer, Turn
from server.deps import get_pipeline
from server.errors import describe_validation, error_body, status_for
from server.routes.ask import limiter
from server.schemas import ErrorOut, clean_text, json_integer

log = logging.getLogger("rag.server")

MODEL_ID = "rag-news"
MAX_HISTORY = 20
_CREATED = int(time.time())

# -- schemas ----------------------------------------------------------------------------


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str = Field(description="Only text parts are read.")
    text: str | None = None


# The roles whose messages are read; the others (system, developer, tool, function) are accepted and skipped.
_READ_ROLES = ("user", "assistant")


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"] = Field(
        description="OpenAI's roles. Only user and assistant messages are read; the others are accepted and ignored."
    )
    content: str | list[ContentPart] | None = Field(
        None, description='A string or a list of parts (`[{"type": "text", "text": ...}]`); only text parts are read.'
    )

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return "\n".join(p.text for p in self.content or [] if p.type == "text" and p.text)


class ChatRequest(BaseModel):
    """OpenAI's request; sampling parameters are accepted and ignored (answers are verified, not sampled)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [{"model": MODEL_ID, "messages": [{"role": "user", "content": "Where were the talks held?"}]}]
        },
    )

    model: str = Field(MODEL_ID, max_length=200, description=f"Any value; the assistant answers as {MODEL_ID!r}.")
    messages: list[ChatMessage] = Field(min_length=1, max_length=200, description="The conversation, oldest first.")
    # Strict: JSON true/false only (null means false, as in OpenAI's API), never 0/1 or "true".
    stream: StrictBool | None = Field(
        False, description="true: a text/event-stream of chat.completion.chunk; false or null: one chat.completion."
    )
    n: int | None = Field(1, ge=1, le=1, description="Only 1 (null means 1).")
    top_k: int | None = Field(None, ge=1, le=20, description="Extra: passages to retrieve (1..20).")
    stream_options: dict[str, Any] | None = None

    @field_validator("n", "top_k", mode="before")
    @classmethod
    def _json_integer(cls, v: Any, info: ValidationInfo) -> Any:
        return json_integer(v, str(info.field_name))

    @model_validator(mode="after")
    def _last_is_user(self) -> ChatRequest:
        read = _conversation(self.messages)
        if not read or read[-1].role != "user":
            raise ValueError(
                "messages: the last message must be the user's question (system, developer, tool and function "
                "messages aside)"
            )
        return self

    @field_validator("messages")
    @classmethod
    def _question_text(cls, v: list[ChatMessage]) -> list[ChatMessage]:
        read = _conversation(v)
        if read and read[-1].role == "user":
            clean_text(read[-1].text(), "messages: the last user message", 2000)
        return v

    def question(self) -> str:
        return clean_text(_conversation(self.messages)[-1].text(), "question", 2000)

    def history(self) -> list[Turn]:
        turns = []
        for m in _conversation(self.messages)[:-1]:
            text = " ".join(m.text().split())[:8000]
            if text and m.role == "assistant":
                turns.append(Turn(role="assistant", content=_strip_sources(text)))
            elif text:
                turns.append(Turn(role="user", content=text))
        return turns[-MAX_HISTORY:]


def _conversation(messages: list[ChatMessage]) -> list[ChatMessage]:
    """The messages the assistant reads: the user's and its own, in order."""
    return [m for m in messages if m.role in _READ_ROLES]


def _strip_sources(text: str) -> str:
    """An earlier answer of ours, without its Sources list (noise for condensing)."""
    cut = text.find(" Sources: [")
    return text[:cut] if cut > 0 else text


# -- answer formatting ---------------------------------------------------------------------


def sources_block(answer: Answer) -> str:
    """The "Sources" list that follows an answer's text: one line per citation."""
    if not answer.citations:
        return ""
    lines = [
        f"[{c.n}] {c.title}{_outlet(c.source, c.published)} — “{c.quote}” ({c.doc_id}, chars {c.start}–{c.end})"
        + (f"; also in {', '.join(ref.source or ref.doc_id for ref in c.also_in)}" if c.also_in else "")
        for c in answer.citations
    ]
    return "\n\nSources:\n" + "\n".join(lines)


def _outlet(source: str | None, published: str | None) -> str:
    """ " (Outlet, 2019-11-19)" for a Sources line; "" when neither is known."""
    about = ", ".join(x for x in (source, (published or "")[:10]) if x)
    return f" ({about})" if about else ""


def _rag_object(answer: Answer) -> dict[str, Any]:
    return answer.to_dict()


def _usage(prompt: str, completion: str) -> dict[str, int]:
    p, c = count_tokens(prompt), count_tokens(completion)
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


def _error(message: str, code: int, request: Request, *, retryable: bool = False) -> JSONResponse:
    """Our error body (``detail``, ``retryable``, ``request_id``) plus OpenAI's ``error`` object for its clients."""
    body = error_body(message, request, retryable=retryable)
    kind = "server_error" if code >= 500 else "invalid_request_error"
    body["error"] = {"message": message, "type": kind, "param": None, "code": code}
    headers = {"Retry-After": "5"} if code == 503 else None
    return JSONResponse(body, status_code=code, headers=headers)


def _openai_error(exc: RagError, request: Request) -> JSONResponse:
    return _error(exc.message, status_for(exc), request, retryable=exc.retryable)


class _OpenAIRoute(APIRoute):
    """Validation errors in OpenAI's shape too, so its clients show the message (it names the field)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return _error(describe_validation(exc), 422, request)

        return route


router = APIRouter(prefix="/v1", tags=["openai"], route_class=_OpenAIRoute)


# -- routes ----------------------------------------------------------------------------------


@router.get("/models")
async def list_models() -> dict[str, Any]:
    """The one model this server offers: the grounded assistant."""
    return {
        "object": "list",
        "data": [{"id": MODEL_ID, "object": "model", "created": _CREATED, "owned_by": "rag-news"}],
    }


# One event of the stream, as FastAPI documents its own SSE routes (OpenAPI 3.2's itemSchema): every event
# is a `data:` line holding a chat.completion.chunk (or an {"error": ...} object) as JSON, the last one [DONE].
_CHUNK = {
    "type": "object",
    "anyOf": [
        {
            "required": ["id", "object", "created", "model", "choices"],
            "properties": {"object": {"const": "chat.completion.chunk"}, "choices": {"type": "array"}},
        },
        {"required": ["error"], "properties": {"error": {"type": "object", "required": ["message"]}}},
    ],
}
_SSE_EVENT = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {
            "type": "string",
            "anyOf": [
                {"const": "[DONE]"},
                {"contentMediaType": "application/json", "contentSchema": _CHUNK},
            ],
        },
        "event": {"type": "string"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "minimum": 0},
    },
}


@router.post(
    "/chat/completions",
    responses={
        200: {
            "description": "A chat.completion (application/json), or with stream=true Server-Sent Events "
            '(text/event-stream): `data: {chat.completion.chunk}` lines (the one with finish_reason "stop" '
            'carries citations and rag), then `data: [DONE]`; a `data: {"error": ...}` line if it fails midway.',
            "content": {"text/event-stream": {"itemSchema": _SSE_EVENT}},
        },
        413: {"model": ErrorOut},
        422: {"model": ErrorOut},
        503: {"model": ErrorOut},
    },
)
async def chat_completions(body: ChatRequest, request: Request) -> Response:
    """Answer the last user message from the articles, with verified ``[n]`` citations and Sources."""
    try:
        pipeline = get_pipeline(request)
        question = body.question()
    except RagError as exc:
        return _openai_error(exc, request)
    except ValueError as exc:  # pragma: no cover - the validators above already checked it
        return JSONResponse(error_body(str(exc), request), status_code=422)
    history = body.history()
    cid = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    if body.stream:
        return await _stream(pipeline, body, question, history, cid, request)
    try:
        answer = await to_thread.run_sync(
            lambda: pipeline.ask(question, top_k=body.top_k, history=history), limiter=limiter(request)
        )
    except RagError as exc:
        return _openai_error(exc, request)
    content = answer.answer + sources_block(answer)
    payload = {
        "id": cid,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": _usage(question, content),
        "citations": _rag_object(answer)["citations"],
        "rag": _rag_object(answer),
    }
    return JSONResponse(payload)


def _chunk(cid: str, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
    data = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _stream(
    pipeline: Pipeline, body: ChatRequest, question: str, history: list[Turn], cid: str, request: Request
) -> Response:
    cancelled = False
    events: Iterator[Event] = pipeline.ask_stream(
        question, top_k=body.top_k, history=history, cancelled=lambda: cancelled
    )
    lim = limiter(request)

    def close() -> None:
        nonlocal cancelled
        cancelled = True
        with contextlib.suppress(ValueError):  # still running in a worker thread: ``cancelled`` stops it
            getattr(events, "close", lambda: None)()

    # The first event decides the status: an LLM that is down (on_failure=error) is a 503, not a 200 stream.
    try:
        first = await to_thread.run_sync(next, events, None, limiter=lim)
    except RagError as exc:
        close()
        return _openai_error(exc, request)

    async def chunks() -> AsyncIterator[str]:
        nonlocal cancelled
        sent = ""
        event = first
        try:
            yield _chunk(cid, {"role": "assistant", "content": ""})
            while event is not None:
                if event.kind == "token" and event.text:
                    sent += event.text
                    yield _chunk(cid, {"content": event.text})
                elif event.kind == "done" and event.answer is not None:
                    answer = event.answer
                    # Normally the streamed text is the start of the answer; if the LLM failed mid-answer,
                    # what was sent stays (it was verified) and the degraded answer follows it.
                    rest = answer.answer[len(sent) :] if answer.answer.startswith(sent) else "\n\n" + answer.answer
                    content = rest + sources_block(answer)
                    rag = _rag_object(answer)
                    if content:
                        yield _chunk(cid, {"content": content})
                    yield _chunk(cid, {}, "stop", citations=rag["citations"], rag=rag)
                    if (body.stream_options or {}).get("include_usage"):
                        usage = _usage(question, sent + content)
                        data = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()),
                                "model": MODEL_ID, "choices": [], "usage": usage}  # fmt: skip
                        yield f"data: {json.dumps(data)}\n\n"
                    break
                if await request.is_disconnected():
                    return
                event = await to_thread.run_sync(next, events, None, limiter=lim)
            yield "data: [DONE]\n\n"
        except RagError as exc:
            yield f"data: {json.dumps({'error': {'message': exc.message, 'type': 'server_error', 'code': 503}})}\n\n"
            yield "data: [DONE]\n\n"
        except Exception:
            log.exception("chat completion stream failed")
            error = {"error": {"message": "Internal error; it has been logged.", "type": "server_error", "code": 500}}
            yield f"data: {json.dumps(error)}\n\n"
            yield "data: [DONE]\n\n"
        finally:
            close()

    return StreamingResponse(
        chunks(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
