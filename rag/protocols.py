"""The extension points. One small protocol per seam, one implementation per backend.

Backends are chosen in one place: the ``build_*`` functions of ``rag.pipeline``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from rag.types import AnswerRequest, Passage, Reading, Verdict


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors. ``id`` names the model in collection names."""

    id: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@runtime_checkable
class Store(Protocol):
    """Where chunk vectors, the manifest of active document versions and full texts live.

    ``ChromaStore`` (rag.store) is the one implementation, embedded or client/server.
    Writes follow the order upsert_chunks -> activate -> delete_stale_chunks, which is
    what keeps a re-ingest atomic per document.
    """

    def query(self, vector: np.ndarray, k: int) -> list[Any]: ...
    def upsert_chunks(
        self, chunks: Sequence[Any], vectors: np.ndarray, sentence_vectors: Sequence[np.ndarray], title: str
    ) -> None: ...
    def activate(self, doc: Any, n_chunks: int) -> None: ...
    def deactivate(self, doc_id: str) -> None: ...
    def delete_stale_chunks(self, doc_id: str, keep_version: str | None) -> None: ...
    def documents(self) -> list[Any]: ...
    def generation(self) -> int: ...


@runtime_checkable
class Reader(Protocol):
    """Scores every sentence of the passages as holding the answer to a question.

    ``threshold`` is the margin over "no answer" above which a sentence answers,
    calibrated with the model on articles it was not trained on.
    """

    id: str
    threshold: float

    def read(self, question: str, passages: Sequence[Passage], vector: np.ndarray | None = None) -> Reading: ...


@runtime_checkable
class Answerer(Protocol):
    """Writes an answer from numbered passages, citing them as ``[n]``.

    Yields the answer in pieces as it is produced (tokens for an LLM). An answer
    that starts with ``ABSTENTION`` (``rag.prompts``) is an abstention.
    """

    name: str
    # True for answerers that only quote passage sentences: their answers need no grounding.
    quotes_only: bool

    def stream(self, request: AnswerRequest) -> Iterator[str]: ...


@runtime_checkable
class Judge(Protocol):
    """Decides whether ``evidence`` (sentences or passages) supports ``claim``."""

    name: str

    def judge(self, claim: str, evidence: Sequence[str]) -> Verdict: ...
