"""The extension points. One small protocol per seam, one implementation per backend.

Backends are chosen in one place: ``rag.pipeline.build_components``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from rag.types import AnswerRequest, Verdict


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors. ``id`` names the model in collection names."""

    id: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@runtime_checkable
class Answerer(Protocol):
    """Writes an answer from numbered passages, citing them as ``[n]``.

    Yields the answer in pieces as it is produced (tokens for an LLM). An answer
    that starts with ``ABSTENTION`` (``rag.prompts``) is an abstention.
    """

    name: str

    def stream(self, request: AnswerRequest) -> Iterator[str]: ...


@runtime_checkable
class Judge(Protocol):
    """Decides whether ``evidence`` (sentences or passages) supports ``claim``."""

    name: str

    def judge(self, claim: str, evidence: Sequence[str]) -> Verdict: ...
