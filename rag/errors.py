"""One error hierarchy for the whole library.

Every error a user can see carries a message written for that user and a
``retryable`` flag; library exceptions are converted at the boundary with
``raise ... from exc`` so the cause stays in the logs but never in a response.
The server maps these classes to HTTP status codes in one place
(``server/errors.py``).
"""

from __future__ import annotations


class RagError(Exception):
    """Base class: ``message`` is safe to show to a user."""

    retryable: bool = False

    def __init__(self, message: str, *, retryable: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        if retryable is not None:
            self.retryable = retryable

    def __str__(self) -> str:
        return self.message


class ConfigError(RagError):
    """A setting is missing or invalid."""


class ModelUnavailableError(RagError):
    """An embedding model cannot be loaded (package missing, file corrupt)."""


class CorpusError(RagError):
    """A corpus file cannot be read as a document (``reason`` "unreadable"), or part of its
    front matter cannot be read ("metadata": the document is still ingested)."""

    def __init__(self, message: str, *, path: str | None = None, reason: str = "unreadable") -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class StoreUnavailableError(RagError):
    """The vector store cannot be reached or opened."""

    retryable = True


class IndexNotReadyError(RagError):
    """Nothing has been ingested yet."""

    retryable = True


class DocumentNotFoundError(RagError):
    """No document with that id is in the index."""


class IngestLockedError(RagError):
    """Another ingest holds the lock on this index."""

    retryable = True


class LLMUnavailableError(RagError):
    """The LLM backend failed after bounded retries."""

    retryable = True
