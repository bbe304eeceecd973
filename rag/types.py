"""Typed values that cross module seams: corpus -> chunks -> passages -> answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class DocMeta:
    """Who published an article, when and where (from its front matter); None when unknown."""

    source: str | None = None  # the outlet
    published: str | None = None  # ISO 8601 date or date-time
    url: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class CopyRef:
    """Another outlet's copy of a wire story, named in a citation's ``also_in``."""

    doc_id: str
    source: str | None
    published: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "source": self.source, "published": self.published}


@dataclass(frozen=True, slots=True)
class Document:
    """A corpus file as text (the body after any front matter); ``sha256`` identifies
    the version of ``text``, so a change to ``meta`` or the title alone re-embeds nothing."""

    doc_id: str
    title: str
    text: str
    sha256: str
    path: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    meta: DocMeta = field(default_factory=DocMeta)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A slice of a document: ``document.text[start:end] == text``.

    ``sentences`` are absolute (start, end) offsets into the document of the
    sentences that lie inside the chunk; citations quote these, never a chunk.
    ``version`` is the sha256 of the document text the chunk was cut from.
    """

    chunk_id: str
    doc_id: str
    start: int
    end: int
    text: str
    version: str
    sentences: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieved chunk, numbered ``n`` (1-based) for the answerer."""

    n: int
    chunk: Chunk
    title: str
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    source: str | None = None
    published: str | None = None
    also_in: tuple[CopyRef, ...] = ()  # the wire copies of this passage's article
    sentence_vectors: np.ndarray | None = field(default=None, repr=False, compare=False)

    def sentence_texts(self) -> list[tuple[Span, str]]:
        """Each sentence of the passage with its absolute span."""
        base = self.chunk.start
        text = self.chunk.text
        return [((s, e), text[s - base : e - base]) for s, e in self.chunk.sentences]


@dataclass(frozen=True, slots=True)
class SentenceReading:
    """A sentence of a passage with its best answer span (absolute document offsets)."""

    passage: Passage
    span: Span
    text: str
    answer: Span
    margin: float

    @property
    def short(self) -> str:
        base = self.span[0]
        return self.text[self.answer[0] - base : self.answer[1] - base]


@dataclass(frozen=True, slots=True)
class Reading:
    """Every retrieved sentence, best first. ``best`` is None when there were none."""

    sentences: tuple[SentenceReading, ...]

    @property
    def best(self) -> SentenceReading | None:
        return self.sentences[0] if self.sentences else None

    @property
    def margin(self) -> float:
        return self.sentences[0].margin if self.sentences else float("-inf")


@dataclass(frozen=True, slots=True)
class Turn:
    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class AnswerRequest:
    """Everything an answerer may use: the question as asked, the standalone
    question retrieval used, the numbered passages and the question's vector."""

    question: str
    passages: tuple[Passage, ...]
    history: tuple[Turn, ...] = ()
    standalone: str = ""
    vector: np.ndarray | None = field(default=None, repr=False, compare=False)
    # The paragraph the question points at ("the closing paragraph"): doc_id, start, end.
    focus: tuple[str, int, int] | None = None
    # The reader's scores of every passage sentence (rag.reader.Reading), read once per question.
    reading: Reading | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Citation:
    n: int
    doc_id: str
    chunk_id: str
    title: str
    quote: str
    start: int
    end: int
    score: float
    source: str | None = None
    published: str | None = None
    also_in: tuple[CopyRef, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """A judge's decision on whether evidence supports a claim."""

    supported: bool
    score: float
    reasons: tuple[str, ...] = ()


@dataclass(slots=True)
class Answer:
    answer: str
    abstained: bool
    citations: list[Citation]
    model: dict[str, str]
    timings_ms: dict[str, float]
    unsupported: list[str] = field(default_factory=list)
    verification: dict[str, Any] = field(default_factory=dict)
    degraded: bool = False
    passages: list[Passage] = field(default_factory=list)
    # The answer span itself (a name, a number, a date) inside the first cited sentence, or None.
    short_answer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract object of ``POST /api/ask``."""
        return {
            "answer": self.answer,
            "short_answer": self.short_answer,
            "abstained": self.abstained,
            "citations": [
                {
                    "n": c.n,
                    "doc_id": c.doc_id,
                    "chunk_id": c.chunk_id,
                    "title": c.title,
                    "quote": c.quote,
                    "start": c.start,
                    "end": c.end,
                    "score": round(c.score, 4),
                    "source": c.source,
                    "published": c.published,
                    "also_in": [ref.to_dict() for ref in c.also_in],
                }
                for c in self.citations
            ],
            "model": dict(self.model),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "unsupported": list(self.unsupported),
            "verification": dict(self.verification),
            "degraded": self.degraded,
        }


# Why a corpus file was skipped, in one word a script can branch on (`rag ingest --json`):
# encoding (text, not UTF-8), binary (not text), size (over max_file_bytes), name (cannot
# be a document id), empty, unreadable (the OS refused), duplicate (its id is taken),
# metadata (front matter that cannot be read). A new kind of failure adds a word rather
# than reusing one, so existing readers are never misled.
SkipReason = Literal["encoding", "binary", "size", "name", "empty", "unreadable", "duplicate", "metadata"]


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A corpus file an ingest left out: ``path`` as the corpus walk gave it, ``message``
    in words for a person (it names the file and what to do)."""

    path: str
    reason: SkipReason
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason, "message": self.message}


# A corpus file with a problem: skipped, or ingested without the front matter it could not read.
FileProblem = SkippedFile


@dataclass(frozen=True, slots=True)
class IngestReport:
    added: int
    updated: int
    unchanged: int
    deleted: int
    chunks: int
    errors: tuple[SkippedFile, ...] = ()
    # Unchanged documents whose stored title was refreshed (counted in ``unchanged``; not in to_dict).
    retitled: int = 0
    # Documents that are a wire copy of another (``duplicate_of`` set), after this ingest.
    duplicates: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "chunks": self.chunks,
            "duplicates": self.duplicates,
            "errors": [e.to_dict() for e in self.errors],
        }
