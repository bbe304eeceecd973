"""The one pipeline the server, the CLI and the evals share.

corpus -> documents -> chunks -> index -> passages -> answer -> verified citations.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from rag.answerers.reader import ReaderAnswerer, with_marker
from rag.catalog import Catalog
from rag.citations import Relevance, StreamVerifier, Verified, verify
from rag.config import Settings, get_settings
from rag.errors import IndexNotReadyError, LLMUnavailableError
from rag.followups import condense
from rag.ingest import Progress, sync
from rag.judge import LexicalJudge
from rag.prompts import DEGRADED_NOTE, is_abstention
from rag.protocols import Answerer, Embedder, Judge, Reader
from rag.questions import analyse, asks_latest
from rag.records import DocRecord
from rag.retrieval import newest_first, opening_passages, paragraph_passages, paragraph_span, retrieve
from rag.store import ChromaStore
from rag.text import MARKER, content_terms, stem, truecase
from rag.types import Answer, AnswerRequest, IngestReport, Passage, Span, Turn


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


def build_reader(settings: Settings) -> Reader:
    from rag.reader.model import OnnxReader

    return OnnxReader(threads=settings.reader.threads, windows=settings.reader.windows)


def build_answerer(settings: Settings, reader: Reader) -> Answerer:
    if settings.answerer_name == "openai":
        from rag.answerers.llm import OpenAIAnswerer

        return OpenAIAnswerer(settings)
    return ReaderAnswerer(settings.reader, reader.threshold)


def build_judge(settings: Settings) -> Judge:
    if settings.verify.judge == "llm":
        from rag.judge import LLMJudge

        return LLMJudge(settings)
    return LexicalJudge()


def _holds_any(doc_id: str, span: Span, sentences: Iterable[tuple[str, Span]]) -> bool:
    """Whether ``span`` of ``doc_id`` (a citation, a piece of evidence) holds one of ``sentences``."""
    return any(d == doc_id and span[0] <= s and e <= span[1] for d, (s, e) in sentences)


class Pipeline:
    """Loads models once; answers questions and syncs the corpus. Thread-safe."""

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        self.settings = get_settings(settings, **overrides)
        self.embedder = build_embedder(self.settings)
        self.store = ChromaStore(self.settings, self.embedder.id, getattr(self.embedder, "dim", 384))
        self.catalog = Catalog(self.store, dense_in_memory_max=self.settings.retrieval.dense_in_memory_max)
        self.reader = build_reader(self.settings)
        self.answerer = build_answerer(self.settings, self.reader)
        # The local answerer: the default, the fallback when an LLM fails, and the grounding of LLM answers.
        self.extractive = (
            self.answerer
            if isinstance(self.answerer, ReaderAnswerer)
            else ReaderAnswerer(self.settings.reader, self.reader.threshold)
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
        k = top_k or self.settings.retrieval.top_k
        passages = retrieve(
            question, vector, store=self.store, snapshot=snapshot, settings=self.settings.retrieval, top_k=k
        )
        asked = analyse(question)
        if asked.position:
            passages = paragraph_passages(snapshot, passages, asked.position, k)
        elif asked.kind == "summary":
            passages = opening_passages(snapshot, passages, k)
        elif asks_latest(question):
            passages = newest_first(snapshot, passages)
        passages = [replace(p, sentence_vectors=snapshot.sentence_vectors.get(p.chunk.chunk_id)) for p in passages]
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
        standalone = self.standalone(question, history)
        t_condense = time.perf_counter()
        passages, vector, timings = self.retrieve(standalone, top_k)
        # Read "what did peres say" as "what did Peres say": names carry the answer-type checks.
        standalone = truecase(standalone, (p.chunk.text for p in passages))
        asked = analyse(standalone)
        t_read = time.perf_counter()
        request = AnswerRequest(
            question=question,
            passages=tuple(passages),
            history=tuple(history),
            standalone=standalone,
            vector=vector,
            focus=paragraph_span(passages[0].chunk, asked.position) if asked.position and passages else None,
            reading=self.reader.read(asked.text, passages, vector),
        )
        t_answer = time.perf_counter()
        answerer: Answerer = self.answerer
        degraded = False
        mode = self.settings.verify.unsupported
        # Token events carry verified text only: each sentence is checked before it is sent.
        live = StreamVerifier(passages, self.judge, mode=mode, relevant=self._relevance(request, answerer))
        try:
            for piece in answerer.stream(request):
                if cancelled():
                    return
                if text := live.feed(piece):
                    yield Event("token", text)
            if text := live.finish():
                yield Event("token", text)
        except LLMUnavailableError:
            if self.settings.llm.on_failure != "degrade":
                raise
            # Degrade even mid-answer: the done event's answer replaces what was streamed.
            degraded, streamed = True, bool(live.emitted)
            answerer = self.extractive
            live = StreamVerifier(passages, self.judge, mode=mode)
            for piece in self.extractive.stream(request):
                live.feed(piece)
            if (text := live.finish()) and not streamed:
                yield Event("token", text)
        t_verify = time.perf_counter()
        extra = ""
        if answerer.quotes_only:
            verified = live.result()
        else:
            verified, extra = self._ground(live, request)
            if extra:
                yield Event("token", extra)
        t_end = time.perf_counter()
        text = verified.answer
        if not live.emitted and not (not answerer.quotes_only and extra):
            # Nothing was streamed (an abstention): the reader still sees the words arrive.
            yield Event("token", text)
        if degraded and not verified.abstained:
            text = f"{text} {DEGRADED_NOTE}"
        cited = [(c.doc_id, (c.start, c.end)) for c in verified.citations]
        short = None if verified.abstained else self.extractive.short_answer(request, cited)
        answer = Answer(
            answer=text,
            abstained=verified.abstained,
            citations=verified.citations,
            model={"llm": "extractive" if degraded else answerer.name, "embedder": self.embedder.id},
            timings_ms={
                **({"condense": (t_condense - t0) * 1000} if history else {}),
                "embed": timings["embed"],
                "retrieve": timings["retrieve"],
                "read": (t_answer - t_read) * 1000,
                "answer": (t_verify - t_answer) * 1000,
                "verify": (t_end - t_verify) * 1000,
                "total": (t_end - t0) * 1000,
            },
            unsupported=verified.unsupported,
            verification=verified.summary,
            degraded=degraded,
            passages=passages,
            short_answer=short,
        )
        yield Event("done", answer=answer)

    def standalone(self, question: str, history: Sequence[Turn]) -> str:
        """The question to retrieve with: the LLM rewrites a follow-up when it can, else the heuristic."""
        llm_condense = getattr(self.answerer, "condense", None)
        if history and llm_condense is not None:
            try:
                rewritten = llm_condense(question, history)
                if rewritten:
                    return str(rewritten)
            except LLMUnavailableError:
                pass
        return condense(question, history)

    def _relevance(self, request: AnswerRequest, answerer: Answerer) -> Relevance | None:
        """For an LLM: keep a verified sentence only when its evidence answers the question.

        The reader judges that: a sentence whose evidence the reader read and scored far under
        its threshold (by more than ``llm_margin_slack``) does not answer; evidence it did not
        read is left to the verifier. A weak model that repeats true but beside-the-point
        sentences, or says the question back as if it were the answer, is cut back to what
        answers the question.
        """
        if answerer.quotes_only:
            return None
        if analyse(request.standalone or request.question).kind == "summary":
            return None  # a summary may say anything the article says (each sentence is still verified)
        floor = self.extractive.threshold - self.settings.reader.llm_margin_slack
        reading = request.reading
        # Sentences the reader read and found no answer in; one it did not read is judged by the verifier alone.
        weak = {(r.passage.chunk.doc_id, r.span) for r in reading.sentences if r.margin < floor} if reading else set()
        asked = {stem(t) for t in content_terms(f"{request.question} {request.standalone}")}

        def relevant(claim: str, support: list[tuple[Passage, Span]]) -> bool:
            if not {stem(t) for t in content_terms(claim)} - asked:
                return False  # it only says the question back ("The article says talks go through ...")
            return any(not _holds_any(p.chunk.doc_id, span, weak) for p, span in support)

        return relevant

    def _ground(self, live: StreamVerifier, request: AnswerRequest) -> tuple[Verified, str]:
        """A verified LLM answer, or the reader's when nothing the LLM wrote survives.

        An LLM answer whose kept sentences cite a sentence the reader finds the answer in
        stands as written (no runner-ups are added); otherwise the reader's quoted answer is
        appended where the LLM has not said it. When every sentence was dropped, the reader's
        answer is used ("fallback"), or an abstention when the reader abstains too. An explicit abstention
        by the LLM is kept. Returns the final Verified and the text to stream after what was
        streamed.
        """
        llm = live.result()
        kept = cast(int, llm.summary.get("supported", 0))
        summary = {**llm.summary, "llm_sentences_kept": kept}
        if llm.abstained and is_abstention(live.draft):
            summary["llm_abstained"] = True
            return Verified(llm.answer, True, [], llm.unsupported, summary), ""
        quotes = [] if kept and self._cites_the_answer(llm, request) else self.extractive.select(request)
        if kept:
            # The reader's answer joins a kept LLM answer only where that answer cites no sentence
            # the reader finds the answer in (a weak model's true but beside-the-point sentence),
            # and only what the LLM has not already said; never runner-ups.
            written = MARKER.sub("", llm.answer)
            quotes = [c for c in quotes if not self._says(written, c.text)]
        summary["extractive_added"] = len(quotes)
        if kept == 0:
            summary["fallback"] = "extractive"
        if not quotes:
            return Verified(llm.answer, llm.abstained, llm.citations, llm.unsupported, summary), ""
        extra = live.feed("\n\n" + " ".join(with_marker(c.text, c.passage.n) for c in quotes))
        extra += live.finish()
        done = live.result()
        return Verified(done.answer, done.abstained, done.citations, llm.unsupported, summary), extra

    def _cites_the_answer(self, llm: Verified, request: AnswerRequest) -> bool:
        """Whether a citation of the LLM's (not a summary's) holds a sentence the reader answers from."""
        if analyse(request.standalone or request.question).kind == "summary" or request.reading is None:
            return False
        threshold = self.extractive.threshold
        answering = [(r.passage.chunk.doc_id, r.span) for r in request.reading.sentences if r.margin >= threshold]
        return any(_holds_any(c.doc_id, (c.start, c.end), answering) for c in llm.citations)

    def _says(self, written: str, quote: str) -> bool:
        return self.judge.judge(quote, [written]).supported

    def store_status(self) -> dict[str, int]:
        """Counts after a live check that the store answers (for readiness probes)."""
        self.store.ping()
        return self.status()

    def warm_up(self) -> None:
        """Touch every lazy path once so the first reader does not pay for it."""
        self.embedder.embed(["warm up"])
        snap = self.catalog.snapshot()
        if snap.chunks:  # the local answering path only: an LLM is not called at start-up
            passages, vector, _ = self.retrieve("What happened?")
            reading = self.reader.read("What happened?", passages, vector)
            request = AnswerRequest(
                "What happened?", tuple(passages), standalone="What happened?", vector=vector, reading=reading
            )
            verify("".join(self.extractive.stream(request)), passages, self.judge)
