"""API request and response models (the JSON contract), apart from domain types."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls but tab and newlines


def clean_text(value: str, field: str, max_len: int) -> str:
    if "\x00" in value:
        raise ValueError(f"{field} must not contain NUL characters")
    value = _CONTROL.sub("", value).strip()
    if not value:
        raise ValueError(f"{field} must not be empty")
    if len(value) > max_len:
        raise ValueError(f"{field} must be at most {max_len} characters (got {len(value)})")
    return value


class TurnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"] = Field(description="Who said it.")
    content: str = Field(max_length=8000, description="What was said.")

    @field_validator("content")
    @classmethod
    def _content(cls, v: str) -> str:
        return clean_text(v, "history content", 8000)


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"question": "Where were the talks held?"}]}
    )

    question: str = Field(min_length=1, max_length=4000, description="1..2000 characters after trimming.")
    top_k: int | None = Field(None, ge=1, le=20, strict=True, description="Passages to retrieve (1..20).")
    history: list[TurnIn] = Field(
        default_factory=list, max_length=20, description="Earlier turns, oldest first (at most 20)."
    )

    @field_validator("question")
    @classmethod
    def _question(cls, v: str) -> str:
        return clean_text(v, "question", 2000)


class CitationOut(BaseModel):
    n: int
    doc_id: str
    chunk_id: str
    title: str
    quote: str = Field(description="Verbatim: document text[start:end].")
    start: int
    end: int
    score: float


class AskResponse(BaseModel):
    answer: str
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


class DocumentOut(DocumentSummary):
    text: str


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class Ready(BaseModel):
    documents: int
    chunks: int


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class ErrorOut(BaseModel):
    detail: str
    retryable: bool = False
    request_id: str | None = None
