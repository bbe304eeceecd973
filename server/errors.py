"""Map errors to HTTP responses, in one place. Never a stack trace in a response."""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rag import errors as E

log = logging.getLogger("rag.server")

STATUS: list[tuple[type[E.RagError], int]] = [
    (E.DocumentNotFoundError, 404),
    (E.IndexNotReadyError, 503),
    (E.StoreUnavailableError, 503),
    (E.LLMUnavailableError, 503),
    (E.ModelUnavailableError, 503),
    (E.IngestLockedError, 409),
    (E.ConfigError, 500),
    (E.CorpusError, 400),
]


def status_for(exc: E.RagError) -> int:
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return 503 if exc.retryable else 500


def error_body(detail: str, request: Request, *, retryable: bool = False) -> dict[str, object]:
    return {"detail": detail, "retryable": retryable, "request_id": getattr(request.state, "request_id", None)}


def describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            reason = str((err.get("ctx") or {}).get("error", "")).strip()
            parts.append(f"body: not valid JSON ({reason or 'parse error'}).")
            continue
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        name = ".".join(loc) or "body"
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{name}: {msg}")
    return "; ".join(parts) or "Invalid request."


def api_methods(request: Request) -> list[str]:
    """The methods the API documents for this request's path (none: not an API path)."""
    app = request.app
    table = getattr(app.state, "api_methods", None)
    if table is None:
        table = [
            (
                re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$"),
                sorted(m.upper() for m in ops),
            )
            for path, ops in app.openapi().get("paths", {}).items()
        ]
        app.state.api_methods = table
    return next((methods for pattern, methods in table if pattern.match(request.url.path)), [])


def install(app: FastAPI) -> None:
    @app.exception_handler(E.RagError)
    async def _rag(request: Request, exc: E.RagError) -> JSONResponse:
        code = status_for(exc)
        headers = {"Retry-After": "5"} if code == 503 else None
        log.warning("request %s failed: %s", getattr(request.state, "request_id", "-"), exc.message)
        return JSONResponse(
            error_body(exc.message, request, retryable=exc.retryable), status_code=code, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body(describe_validation(exc), request), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
        status = exc.status_code
        headers = getattr(exc, "headers", None)
        allowed = api_methods(request)
        if status in (404, 405) and allowed and request.method not in allowed:
            # An API path asked with the wrong method (the UI's static mount would say
            # 404, or 405 with its own Allow): 405 with the methods the API offers there.
            status, headers = 405, {"Allow": ", ".join(allowed)}
            detail = f"Method {request.method} is not allowed on {request.url.path}; use {', '.join(allowed)}."
        elif status == 404 and detail == "Not Found":
            detail = f"No route {request.method} {request.url.path}."
        elif status == 405:
            detail = f"Method {request.method} is not allowed on {request.url.path}."
        elif status == 400 and detail == "There was an error parsing the body":
            # Starlette's words for a body that is not UTF-8 or nests too deeply: bad input, 422.
            status, detail = 422, "body: not valid JSON (it must be UTF-8 text, not nested too deeply)."
        return JSONResponse(error_body(detail, request), status_code=status, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        rid = getattr(request.state, "request_id", None)
        log.exception("unexpected error in request %s", rid)
        return JSONResponse(
            error_body(f"Internal error (request id {rid}); it has been logged.", request), status_code=500
        )
