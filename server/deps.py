"""FastAPI dependencies: settings (built once, overridable in tests) and the pipeline."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request

from rag.config import Settings
from rag.errors import IndexNotReadyError, RagError
from rag.pipeline import Pipeline


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def get_pipeline(request: Request) -> Pipeline:
    state = request.app.state
    if getattr(state, "pipeline", None) is None:
        error = getattr(state, "startup_error", None)
        if isinstance(error, RagError):
            raise error
        raise IndexNotReadyError("The assistant is still starting up; try again in a moment.")
    pipeline: Pipeline = state.pipeline
    return pipeline


SettingsDep = Annotated[Settings, Depends(get_settings)]
PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]
