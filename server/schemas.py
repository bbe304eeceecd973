"""API request and response models (the JSON contract), apart from domain types."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls (NUL too) but tab and newlines
# What the schema says of a question: some character that is neither whitespace nor a control.
VISIBLE = r"[^\s\x00-\x1f\x7f-\x9f]"


def clean(value: str) -> str:
    """``value`` without control characters (NUL included) and surrounding whitespace."""
    return _CONTROL.sub("", value).strip()


def clean_text(value: str, field: str, max_len: int) -> str:
    value = clean(value)
    if not value:
        raise ValueError(f"{field} must not be empty (or only whitespace and control characters)")
    if len(value) > max_len:
        raise ValueError(f"{field} must be at most {max_len} characters (got {len(value)})")
    return value


def json_integer(value: Any, field: str) -> Any:
    """``value`` if it may be a JSON integer (2 or 2.0); a string or a boolean, which Python
    would coerce to one, is refused naming ``field``. For ``mode="before"`` validators."""
    if isinstance(value, (bool, str)):
        raise ValueError(f"{field} must be a JSON integer, not a string or a boolean")
    return value


class TurnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"] = Field(description="Who said it.")
    content: str = Field(
        max_length=8000, description="What was said; control characters are removed, a turn left empty is ignored."
    )

    @field_validator("content")
    @classmethod
    def _content(cls, v: str) -> str:
        return clean(v)


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"question": "Where were the talks held?"}]}
    )

    question: str = Field(
        min_length=1,
        max_length=2000,
        pattern=VISIBLE,
        description="1..2000 characters; control characters are removed and whitespace trimmed, something must be left.",
    )
    top_k: int | None = Field(None, ge=1, le=20, description="Passages to retrieve (1..20).")
    history: list[TurnIn] = Field(
        default_factory=list, max_length=20, description="Earlier turns, oldest first (at most 20)."
    )

    @field_validator("question", mode="before")
    @classmethod
    def _question(cls, v: Any) -> Any:
        # At most 2000 characters as sent; the pattern is then checked on what is left
        # once control characters are removed and whitespace trimmed.
        if not isinstance(v, str):
            return v
        if len(v) > 2000:
            raise ValueError(f"question must be at most 2000 characters (got {len(v)})")
        return clean_text(v, "question", 2000)

    @field_validator("top_k", mode="before")
    @classmethod
    def _top_k(cls, v: Any) -> Any:
        return json_integer(v, "top_k")

    @field_validator("history")
    @classmethod
    def _history(cls, v: list[TurnIn]) -> list[TurnIn]:
        return [turn for turn in v if turn.content]


class CopyOut(BaseModel):
    doc_id: str
    source: str | None = Field(description="The outlet that ran this copy; null when unknown.")
    published: str | None = Field(description="ISO 8601 date or date-time; null when unknown.")


class CitationOut(BaseModel):
    n: int
    doc_id: str
    chunk_id: str
    title: str
    quote: str = Field(description="Verbatim: document text[start:end].")
    start: int
    end: int
    score: float
    source: str | None = Field(None, description="The article's outlet (front matter `source`); null when unknown.")
    published: str | None = Field(
        None, description="The article's publication date, ISO 8601 (front matter `published`); null when unknown."
    )
    also_in: list[CopyOut] = Field(
        default_factory=list, description="Other outlets' copies of this wire story (not retrieved separately)."
    )


class AskResponse(BaseModel):
    answer: str
    short_answer: str | None = Field(
        None, description="The answer span (a name, number, date or phrase) inside the first cited sentence, or null."
    )
    abstained: bool
    citations: list[CitationOut]
    model: dict[str, str]
    timings_ms: dict[str, float]
    unsupported: list[str] = Field(default_factory=list, description="Answer sentences the verifier could not support.")
    verification: dict[str, Any] = Field(default_factory=dict)
    degraded: bool = Field(False, description="True when the LLM failed and the answer is extractive.")


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    chunks: int
    chars: int
    sha256: str
    source: str | None = Field(None, description="The outlet (front matter `source`); null when unknown.")
    published: str | None = Field(None, description="ISO 8601 date or date-time; null when unknown.")
    url: str | None = Field(None, description="The article's address; null when unknown.")
    author: str | None = Field(None, description="Null when unknown.")
    duplicate_of: str | None = Field(
        None, description="The canonical copy when this article is a wire copy of it (then it is not retrieved)."
    )


class DocumentOut(DocumentSummary):
    text: str


class DocumentList(BaseModel):
    documents: list[DocumentSummary] = Field(description="Newest first; undated articles last, by id.")


class Ready(BaseModel):
    documents: int
    chunks: int


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class ErrorOut(BaseModel):
    detail: str
    retryable: bool = False
    request_id: str | None = None
