"""All settings, in one place.

Read from ``RAG_*`` environment variables (nested groups use ``__``, e.g.
``RAG_RETRIEVAL__TOP_K=8``), the few standard names (``OPENAI_API_KEY``,
``OPENAI_BASE_URL``, ``CHROMA_HOST``, ``CHROMA_PORT``) and a ``.env`` file.
Build one with ``get_settings(**overrides)``; pass it down, never re-read it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ChunkingSettings(BaseModel):
    chunk_size: int = Field(160, ge=32, le=2048, description="Chunk size in cl100k_base tokens.")
    chunk_overlap: int = Field(24, ge=0, le=512, description="Token overlap between chunks.")
    max_file_bytes: int = Field(8_000_000, ge=1, description="Corpus files larger than this are skipped with an error.")
    write_group_chars: int = Field(
        250_000,
        ge=1_000,
        description="A big ingest embeds and writes documents in groups of about this many characters: "
        "each group is one set of Chroma writes and one step of the progress bar.",
    )


class EmbeddingSettings(BaseModel):
    backend: Literal["minilm", "openai"] = Field(
        "minilm", description="minilm: int8 ONNX all-MiniLM-L6-v2 from PyPI; openai: OpenAI API."
    )
    batch_size: int = Field(64, ge=1, le=1024, description="Texts per embedding batch on ingest.")
    threads: int = Field(0, ge=0, description="onnxruntime intra-op threads; 0 = CPU cores.")
    openai_model: str = Field("text-embedding-3-small", description="OpenAI embedding model.")


class RetrievalSettings(BaseModel):
    top_k: int = Field(5, ge=1, le=20, description="Passages returned per question.")
    candidates: int = Field(
        50, ge=1, le=200, description="Hits taken from each retriever (dense, BM25) into the fusion."
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    rescore_pool: int = Field(
        400,
        ge=0,
        le=5000,
        description="Dense candidates rescored by their closest sentence; the best `candidates` of them "
        "make the dense list.",
    )
    sentence_weight: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Weight of a chunk's closest sentence in its rescored similarity (the rest: the chunk's "
        "own); 0 = no sentence stage.",
    )
    document_weight: float = Field(
        0.3,
        ge=0,
        lt=1,
        description="Share of a chunk's fused score taken from its document's (the mean of the document's two "
        "best chunks); 0 = off.",
    )
    dense_in_memory_max: int = Field(
        100_000,
        ge=0,
        description="Up to this many chunks dense search runs over chunk vectors kept in memory (1.5 kB a "
        "chunk; from 25,000 chunks a 128-dimension projection shortlists those scored exactly); above it "
        "Chroma's HNSW index answers.",
    )


class WireSettings(BaseModel):
    group: bool = Field(
        True,
        description="Group wire copies (articles whose bodies are near-duplicates) at ingest: one copy answers, "
        "the others are listed with duplicate_of and named in citations' also_in.",
    )
    threshold: float = Field(
        0.6,
        gt=0,
        le=1,
        description="Estimated Jaccard similarity of two bodies' word 3-shingles (headline aside) from which "
        "they are copies of one story; measured in docs/news.md.",
    )


class ReaderSettings(BaseModel):
    min_margin: float | None = Field(
        None,
        description="Abstain when no sentence's answer span beats the no-answer score by this margin; "
        "unset = the threshold calibrated on held-out training articles (shipped with the model).",
    )
    llm_margin_slack: float = Field(
        4.0,
        ge=0,
        description="An LLM sentence is dropped when the reader read its evidence sentence and scored it more "
        "than this under the threshold (the LLM may see an answer the reader ranks under it).",
    )
    summary_sentences: int = Field(3, ge=1, le=6, description="Sentences quoted for a request for the gist.")
    windows: int = Field(
        3,
        ge=1,
        le=16,
        description="Model inputs (128 tokens each) read per question: the passage sentences closest to the "
        "question fill them. More reads more of the passages, at a cost in time.",
    )
    threads: int = Field(0, ge=0, description="onnxruntime intra-op threads for the reader; 0 = CPU cores.")


class LLMSettings(BaseModel):
    timeout_s: float = Field(30.0, gt=0, description="Timeout of one LLM request (connect and each read), seconds.")
    deadline_s: float = Field(
        60.0, gt=0, description="Upper bound on the LLM time of one answer, retries and back-off included, seconds."
    )
    max_retries: int = Field(2, ge=0, le=10, description="Retries after a retryable LLM error.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")
    max_tokens: int = Field(300, ge=16, le=4096, description="Most tokens in an LLM answer.")
    on_failure: Literal["degrade", "error"] = Field(
        "degrade",
        description="When the LLM fails: answer extractively, marked degraded, or return 503.",
    )


class VerifySettings(BaseModel):
    unsupported: Literal["drop", "mark"] = Field(
        "drop", description="What happens to an answer sentence no cited passage supports."
    )
    judge: Literal["lexical", "llm"] = Field("lexical", description="Judge backend.")


class ServerSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Bind address of `rag serve`.")
    port: int = Field(8000, ge=1, le=65535, description="Port of `rag serve`.")
    cors_origins: list[str] = Field(default_factory=list, description="Allowed CORS origins.")
    rate_limit_per_minute: int = Field(0, ge=0, description="Requests per minute per client on /api and /v1; 0 = off.")
    max_body_bytes: int = Field(65_536, ge=1024, description="Largest accepted request body.")
    workers: int = Field(0, ge=0, description="Threads for CPU-bound work; 0 = CPU cores.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RAG_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
        populate_by_name=True,
    )

    data_dir: Path = Field(Path(".rag"), description="Where the embedded index lives.")
    corpus_dir: Path = Field(Path("corpus"), description="Folder of .txt/.md articles.")
    answerer: Literal["extractive", "openai"] | None = Field(
        None,
        description="extractive (the learned reader, quotes only) | openai; default openai when an OpenAI "
        "key or base URL is set.",
    )
    llm_model: str = Field("gpt-4o-mini", description="Chat model name for the openai answerer.")
    api_key: SecretStr | None = Field(None, description="When set, /api and /v1 need `Authorization: Bearer <key>`.")
    openai_api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("OPENAI_API_KEY", "RAG_OPENAI_API_KEY"),
        description="OpenAI key (or any placeholder for a local server).",
    )
    openai_base_url: str | None = Field(
        None,
        validation_alias=AliasChoices("OPENAI_BASE_URL", "RAG_OPENAI_BASE_URL"),
        description="OpenAI-compatible server URL, e.g. http://127.0.0.1:8080/v1.",
    )
    chroma_host: str | None = Field(
        None,
        validation_alias=AliasChoices("CHROMA_HOST", "RAG_CHROMA_HOST"),
        description="Chroma server host; unset = embedded PersistentClient under data_dir.",
    )
    chroma_port: int = Field(
        8000,
        validation_alias=AliasChoices("CHROMA_PORT", "RAG_CHROMA_PORT"),
        description="Chroma server port.",
    )
    collection_prefix: str = Field("rag", description="Prefix of the Chroma collection names.")

    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    wire: WireSettings = Field(default_factory=WireSettings)
    reader: ReaderSettings = Field(default_factory=ReaderSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    verify: VerifySettings = Field(default_factory=VerifySettings)
    server: ServerSettings = Field(default_factory=ServerSettings)

    @model_validator(mode="after")
    def _default_answerer(self) -> Settings:
        if self.answerer is None:
            llm_configured = self.openai_api_key is not None or bool(self.openai_base_url)
            self.answerer = "openai" if llm_configured else "extractive"
        return self

    @property
    def answerer_name(self) -> str:
        return self.answerer or "extractive"

    @property
    def cpu_threads(self) -> int:
        return max(1, os.cpu_count() or 1)


def get_settings(settings: Settings | None = None, **overrides: Any) -> Settings:
    """The settings to use: ``settings`` (or the environment) with ``overrides``.

    Overrides take field names; nested groups accept dicts, merged into the group.
    """
    base = settings if settings is not None else Settings()
    if not overrides:
        return base
    data = base.model_dump()
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return Settings.model_validate(data)
