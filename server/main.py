"""The FastAPI app: wiring only. Build it with ``create_app()``."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from rag.config import Settings
from rag.errors import RagError
from rag.pipeline import Pipeline
from server import errors
from server.deps import get_settings
from server.middleware import RequestContext
from server.routes import ask, documents, health, openai_compat
from server.security import ApiGuard, document_guard

log = logging.getLogger("rag.server")
STATIC = Path(__file__).parent / "static"


def _start(app: FastAPI, settings: Settings, ingest_if_empty: bool, retry_s: float = 1.0) -> None:
    """Load models and the index off the event loop, so /healthz answers at once.

    A retryable failure (a Chroma server not up yet) is retried, backing off to 30 s,
    until it succeeds; meanwhile requests get 503 with the reason."""
    while True:
        try:
            pipeline = Pipeline(settings)
            if ingest_if_empty and pipeline.status()["chunks"] == 0 and settings.corpus_dir.exists():
                log.info("index is empty: ingesting %s", settings.corpus_dir)
                pipeline.ingest()
            pipeline.warm_up()
            app.state.pipeline = pipeline
            app.state.startup_error = None
            log.info("ready: %s", pipeline.status())
            return
        except RagError as exc:
            app.state.startup_error = exc
            log.error("start-up failed: %s", exc.message)
            if not exc.retryable:
                return
        except Exception as exc:
            app.state.startup_error = RagError(f"Start-up failed: {type(exc).__name__}: {exc}")
            log.exception("start-up failed")
            return
        time.sleep(retry_s)
        retry_s = min(30.0, retry_s * 2)


def create_app(
    settings: Settings | None = None, *, pipeline: Pipeline | None = None, ingest_if_empty: bool = False
) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.limiter = anyio.CapacityLimiter(settings.server.workers or settings.cpu_threads)
        if pipeline is None:
            threading.Thread(target=_start, args=(app, settings, ingest_if_empty), daemon=True).start()
        yield

    app = FastAPI(
        title="rag-news",
        version="0.1.0",
        summary="Grounded, cited question answering over news articles.",
        lifespan=lifespan,
    )
    app.state.pipeline = pipeline
    app.state.startup_error = None
    app.state.settings = settings
    app.dependency_overrides[get_settings] = lambda: settings
    errors.install(app)
    # Innermost first: the guard, then CORS (answers preflights, adds headers to the
    # guard's 401/429 too), then the request context (ids, body cap, security headers).
    app.add_middleware(
        ApiGuard,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        rate_limit_per_minute=settings.server.rate_limit_per_minute,
    )
    document_guard(app, settings)
    if settings.server.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.server.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(RequestContext, max_body_bytes=settings.server.max_body_bytes)
    app.include_router(health.router)
    app.include_router(ask.router)
    app.include_router(documents.router)
    app.include_router(openai_compat.router)
    if STATIC.is_dir():
        app.mount("/", StaticFiles(directory=STATIC, html=True), name="ui")
    return app
