"""Access control on ``/api`` and ``/v1``: rate limit, API key, JSON content type.

One pure ASGI middleware, :class:`ApiGuard`, in this order:

1. rate limit (``RAG_SERVER__RATE_LIMIT_PER_MINUTE``, 0 = off): a token bucket per
   client address holding a minute's worth of requests, refilled continuously;
   an empty bucket answers 429 with ``Retry-After``. Refused and unauthorised
   requests count too, so guessing the key is throttled as well;
2. API key (``RAG_API_KEY``, unset = open): ``Authorization: Bearer <key>``,
   compared in constant time. ``Authorization: Basic`` with the key as password
   (any user name) is accepted too, and a 401 also offers a ``Basic`` challenge:
   that is how the web UI works with a key set, since the browser asks for the
   key once and then sends it with every request the page makes;
3. a request body must be JSON (415 otherwise), so a form post or plain text
   gets a clear answer instead of a schema error.

``/healthz``, ``/readyz``, the OpenAPI document and the static UI stay open. CORS
is closed unless ``RAG_SERVER__CORS_ORIGINS`` lists origins (see server/main.py).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from rag.config import Settings

PROTECTED_PREFIXES = ("/api", "/v1")
REALM = "rag-news"
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def is_protected(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PROTECTED_PREFIXES)


class RateLimiter:
    """Token buckets per client: ``per_minute`` requests in a burst, then ``per_minute`` a minute."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one token; 0.0 when allowed, else the seconds until one is available."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            if len(self._buckets) > self._max_clients:
                self._prune(now)
            return (1.0 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        """Forget clients whose bucket has refilled: they are back to the default state."""
        full_after = self.capacity / self.rate
        for client in [c for c, (_t, last) in self._buckets.items() if now - last >= full_after]:
            del self._buckets[client]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def presented_key(authorization: str | None) -> str | None:
    """The key in an ``Authorization`` header: a Bearer token or a Basic password."""
    if not authorization:
        return None
    scheme, _, credentials = authorization.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        return credentials or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class ApiGuard:
    """Rate limit, API key and JSON content type for ``/api`` and ``/v1`` (see the module doc)."""

    def __init__(
        self, app: ASGIApp, *, api_key: str | None, rate_limit_per_minute: int, limiter: RateLimiter | None = None
    ) -> None:
        self.app = app
        self._key = api_key.encode("utf-8") if api_key else None
        self._limiter = limiter or (RateLimiter(rate_limit_per_minute) if rate_limit_per_minute > 0 else None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_protected(scope["path"]) or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        if self._limiter is not None:
            client = scope.get("client")
            wait = self._limiter.take(client[0] if client else "unknown")
            if wait > 0:
                retry_after = str(max(1, math.ceil(wait)))
                detail = f"Too many requests from this client; retry in {retry_after} s."
                await _reply(scope, send, 429, detail, [(b"retry-after", retry_after.encode())], retryable=True)
                return
        if self._key is not None:
            key = presented_key(_header(scope, b"authorization"))
            if key is None or not hmac.compare_digest(key.encode("utf-8"), self._key):
                detail = (
                    "Missing API key: send `Authorization: Bearer <RAG_API_KEY>`."
                    if key is None
                    else "Invalid API key."
                )
                challenges = [
                    (b"www-authenticate", f'Bearer realm="{REALM}"'.encode()),
                    (b"www-authenticate", f'Basic realm="{REALM}", charset="UTF-8"'.encode()),
                ]
                await _reply(scope, send, 401, detail, challenges)
                return
        if scope["method"] in _BODY_METHODS and _has_body(scope):
            content_type = _header(scope, b"content-type") or ""
            if not _is_json(content_type):
                got = content_type.split(";", 1)[0].strip() or "none"
                detail = f"Content-Type must be application/json (got {got})."
                await _reply(scope, send, 415, detail, [(b"accept", b"application/json")])
                return
        await self.app(scope, receive, send)


def _has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return _header(scope, b"transfer-encoding") is not None


async def _reply(
    scope: Scope, send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]], *, retryable: bool = False
) -> None:
    request_id = scope.get("state", {}).get("request_id")
    payload = json.dumps({"detail": detail, "retryable": retryable, "request_id": request_id}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


# -- OpenAPI: the guard's answers are part of the contract --------------------------------

_ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
GUARD_RESPONSES: dict[str, str] = {
    "401": "Missing or invalid API key (only when RAG_API_KEY is set).",
    "413": "Request body over the size limit.",
    "415": "Request body is not JSON.",
    "429": "Rate limit reached; see Retry-After.",
}


def document_guard(app: FastAPI, settings: Settings) -> None:
    """Add the guard's responses (and the bearer scheme when a key is set) to ``/openapi.json``."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {})
        if "ErrorOut" not in components.get("schemas", {}):
            components.setdefault("schemas", {})["ErrorOut"] = {
                "type": "object",
                "properties": {
                    "detail": {"type": "string"},
                    "retryable": {"type": "boolean"},
                    "request_id": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                },
                "required": ["detail"],
            }
        if settings.api_key is not None:
            components.setdefault("securitySchemes", {})["bearer"] = {"type": "http", "scheme": "bearer"}
        for path, operations in schema.get("paths", {}).items():
            if not is_protected(path):
                continue
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for code, description in GUARD_RESPONSES.items():
                    if code == "401" and settings.api_key is None:
                        continue
                    if code in ("413", "415") and method.upper() not in _BODY_METHODS:
                        continue
                    responses.setdefault(code, {"description": description, **_ERROR_REF})
                if settings.api_key is not None:
                    operation["security"] = [{"bearer": []}]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
