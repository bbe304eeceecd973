"""The one pipeline the server, the CLI and the evals share.

corpus -> documents -> chunks -> index -> passages -> answer -> verified citations.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.answerers.extractive import ExtractiveAnswerer
from rag.catalog import Catalog
from rag.citations import verify
from rag.config import Settings, get_settings
from rag.errors import IndexNotReadyError, LLMUnavailableError
from rag.ingest import Progress, sync
from rag.judge import LexicalJudge
from rag.prompts import DEGRADED_NOTE
from rag.protocols import Answerer, Embedder, Judge
from rag.retrieval import retrieve
from rag.store import ChromaStore, DocRecord
from rag.text import content_terms
from rag.types import Answer, AnswerRequest, IngestReport, Passage, Turn

_FOLLOW_UP = re.compile(
    r"(?i)\b(it|its|they|them|their|he|him|his|she|her|this|that|these|those|there|then|the same)\b"
)


@dataclass(frozen=True, slots=True)
class Event:
    """A streaming event: ``token`` pieces, then one ``done`` with the Answer."""

    kind: str
    text: str = ""
    answer: Answer | None = None


def build_embedder(settings: Settings) -> Embedder:
    if settings.embedding.backend == "openai":
        from rag.embeddings import OpenAIEmbedder

        return OpenAIEmbedder(settings)
    from rag.embeddings import MiniLMEmbedder

    return MiniLMEmbedder(threads=settings.embedding.threads, batch_size=settings.embedding.batch_size)


def build_answerer(settings: Settings) -> Answerer:
    if settings.answerer_name == "openai":
        from rag.answerers.llm import OpenAIAnswerer

        return OpenAIAnswerer(settings)
    return ExtractiveAnswerer(settings.extractive)


def build_judge(settings: Settings) -> Judge:
    if settings.verify.judge == "llm":
        from rag.judge import LLMJudge

        return LLMJudge(settings)
    return LexicalJudge()


def condense(question: str, history: Sequence[Turn]) -> str:
    """A standalone question for retrieval: a follow-up borrows the topic of the last turn."""
    users = [t.content for t in history if t.role == "user"]
    if not users or not _FOLLOW_UP.search(question) or len(content_terms(question)) > 6:
        return question
    topic = " ".join(dict.fromkeys(content_terms(users[-1])))
    return f"{question} ({topic})"


class Pipeline:
    """Loads models once; answers questions and syncs the corpus. Thread-safe."""

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        self.settings = get_settings(settings, **overrides)
        self.embedder = build_embedder(self.settings)
        self.store = ChromaStore(self.settings, self.embedder.id, getattr(self.embedder, "dim", 384))
        self.catalog = Catalog(self.store)
        self.answerer = build_answerer(self.settings)
        self.extractive = (
            self.answerer
            if isinstance(self.answerer, ExtractiveAnswerer)
            else ExtractiveAnswerer(self.settings.extractive)
        )
        self.judge = build_judge(self.settings)
        self._ingest_lock = threading.Lock()

    # -- index ------------------------------------------------------------------------

    def ingest(
        self, corpus: Path | None = None, *, progress: Progress | None = None, wait: bool = True
    ) -> IngestReport:
        with self._ingest_lock:
            report = sync(
                corpus or self.settings.corpus_dir,
                store=self.store,
                embedder=self.embedder,
                settings=self.settings,
                progress=progress,
                wait_for_lock=wait,
            )
            self.catalog.reload()
            return report

    def status(self) -> dict[str, int]:
        snap = self.catalog.snapshot()
        return {"documents": snap.documents, "chunks": len(snap.chunks)}

    def documents(self) -> list[DocRecord]:
        return self.store.documents()

    def document(self, doc_id: str) -> tuple[DocRecord, str]:
        return self.store.document_text(doc_id)

    # -- answering --------------------------------------------------------------------

    def retrieve(self, question: str, top_k: int | None = None) -> tuple[list[Passage], Any, dict[str, float]]:
        t0 = time.perf_counter()
        snapshot = self.catalog.snapshot()
        if not snapshot.chunks:
            raise IndexNotReadyError("The index is empty: run `rag ingest` to add articles first.")
        vector = self.embedder.embed([question])[0]
        t1 = time.perf_counter()
        passages = retrieve(
            question,
            vector,
            store=self.store,
            snapshot=snapshot,
            settings=self.settings.retrieval,
            top_k=top_k or self.settings.retrieval.top_k,
        )
        passages = [
            Passage(
                n=p.n,
                chunk=p.chunk,
                title=p.title,
                score=p.score,
                dense_rank=p.dense_rank,
                lexical_rank=p.lexical_rank,
                sentence_vectors=snapshot.sentence_vectors.get(p.chunk.chunk_id),
            )
            for p in passages
        ]
        t2 = time.perf_counter()
        return passages, vector, {"embed": (t1 - t0) * 1000, "retrieve": (t2 - t0) * 1000}

    def ask(self, question: str, *, top_k: int | None = None, history: Sequence[Turn] = ()) -> Answer:
        answer: Answer | None = None
        for event in self.ask_stream(question, top_k=top_k, history=history):
            if event.kind == "done":
                answer = event.answer
        assert answer is not None
        return answer

    def ask_stream(
        self,
        question: str,
        *,
        top_k: int | None = None,
        history: Sequence[Turn] = (),
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[Event]:
        """Stream the answer as it is written, then the verified Answer."""
        t0 = time.perf_counter()
        question = question.strip()
        standalone = condense(question, history)
        passages, vector, timings = self.retrieve(standalone, top_k)
        request = AnswerRequest(
            question=question, passages=tuple(passages), history=tuple(history), standalone=standalone, vector=vector
        )
        t_answer = time.perf_counter()
        answerer: Answerer = self.answerer
        degraded = False
        pieces: list[str] = []
        try:
            for piece in answerer.stream(request):
                if cancelled():
                    return
                pieces.append(piece)
                yield Event("token", piece)
        except LLMUnavailableError:
            if self.settings.llm.on_failure != "degrade" or pieces:
                raise
            degraded = True
            answerer = self.extractive
            pieces = list(self.extractive.stream(request))
            for piece in pieces:
                yield Event("token", piece)
        t_verify = time.perf_counter()
        verified = verify("".join(pieces), passages, self.judge, mode=self.settings.verify.unsupported)
        t_end = time.perf_counter()
        text = verified.answer
        if degraded and not verified.abstained:
            text = f"{text} {DEGRADED_NOTE}"
        answer = Answer(
            answer=text,
            abstained=verified.abstained,
            citations=verified.citations,
            model={"llm": "extractive" if degraded else answerer.name, "embedder": self.embedder.id},
            timings_ms={
                "embed": timings["embed"],
                "retrieve": timings["retrieve"],
                "answer": (t_verify - t_answer) * 1000,
                "verify": (t_end - t_verify) * 1000,
                "total": (t_end - t0) * 1000,
            },
            unsupported=verified.unsupported,
            verification=verified.summary,
            degraded=degraded,
            passages=passages,
        )
        yield Event("done", answer=answer)

    def store_status(self) -> dict[str, int]:
        """Counts after a live check that the store answers (for readiness probes)."""
        self.store.ping()
        return self.status()

    def warm_up(self) -> None:
        """Touch every lazy path once so the first reader does not pay for it."""
        self.embedder.embed(["warm up"])
        snap = self.catalog.snapshot()
        if snap.chunks:
            self.ask("What happened?")
