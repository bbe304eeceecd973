"""The default answerer: quote the sentence that holds the learned reader's answer, or abstain.

The reader (``rag.reader``) scores every retrieved sentence by its best answer span
against the no-answer score. The answer is the best sentence, verbatim, with its passage
marker; a question with two parts ("who ... and when ...?") may quote a second sentence
that answers too. When no sentence clears the calibrated margin, it abstains. A question
asking for the gist keeps the summary path (``summary.py``). This backend never writes
words of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rag.answerers.summary import summary_sentences
from rag.config import ReaderSettings
from rag.prompts import ABSTENTION_ANSWER
from rag.questions import analyse, asks_latest, two_part
from rag.types import AnswerRequest, Passage, Reading, SentenceReading, Span

# Kinds of question answered by a sentence rather than a name, number or date.
SENTENCE_KINDS = frozenset({"why", "how", "summary", "yesno"})


def with_marker(sentence: str, n: int) -> str:
    """``sentence`` with ``[n]`` placed before its final full stop, as a reader expects."""
    if sentence and sentence[-1] in ".!?" and not sentence.endswith("..."):
        return f"{sentence[:-1]} [{n}]{sentence[-1]}"
    return f"{sentence} [{n}]"


@dataclass(frozen=True, slots=True)
class _Sentence:
    passage: Passage
    span: Span
    text: str


Quoted = SentenceReading | _Sentence


def _all_sentences(request: AnswerRequest) -> list[Quoted]:
    """Every sentence of the passages once, in passage order (a summary reads them all)."""
    seen: set[tuple[str, Span]] = set()
    out: list[Quoted] = []
    for passage in request.passages:
        for span, text in passage.sentence_texts():
            if (passage.chunk.doc_id, span) not in seen:
                seen.add((passage.chunk.doc_id, span))
                out.append(_Sentence(passage, span, text))
    return out


class ReaderAnswerer:
    name = "extractive"
    quotes_only = True

    def __init__(self, settings: ReaderSettings, threshold: float) -> None:
        self._settings = settings
        self.threshold = threshold if settings.min_margin is None else settings.min_margin

    def stream(self, request: AnswerRequest) -> Iterator[str]:
        chosen = self.select(request)
        if not chosen:
            yield ABSTENTION_ANSWER
            return
        for i, s in enumerate(chosen):
            yield ("" if i == 0 else " ") + with_marker(s.text, s.passage.n)

    def select(self, request: AnswerRequest) -> list[Quoted]:
        """The sentences to quote, in reading order; empty to abstain."""
        reading = request.reading
        if not isinstance(reading, Reading) or not reading.sentences:
            return []
        question = analyse(request.standalone or request.question)
        if question.payload_only:
            return []
        sentences = list(reading.sentences)
        if request.focus is not None:
            doc, start, end = request.focus
            sentences = [
                s for s in sentences if s.passage.chunk.doc_id == doc and start <= s.span[0] and s.span[1] <= end
            ]
            if question.kind == "summary" or not sentences or sentences[0].margin < self.threshold:
                focused = [
                    s
                    for s in _all_sentences(request)
                    if s.passage.chunk.doc_id == doc and start <= s.span[0] and s.span[1] <= end
                ]
                return summary_sentences(focused, 2)  # the paragraph's gist
        elif question.kind == "summary":
            return summary_sentences(_all_sentences(request), self._settings.summary_sentences)
        if not sentences or sentences[0].margin < self.threshold:
            if asks_latest(question.text) and question.kind == "what":
                # "What's the latest on X?" asks for the news itself: the lead of the newest article
                # about it (retrieval put it first), when no sentence answers a narrower question.
                return summary_sentences(_all_sentences(request), 1)
            return []
        chosen = [sentences[0]]
        if two_part(question.text):
            second = next((s for s in sentences[1:] if s.margin >= self.threshold), None)
            if second is not None:
                chosen.append(second)
        return sorted(chosen, key=lambda s: (s.passage.n, s.span))  # type: ignore[return-value]

    def short_answer(self, request: AnswerRequest, cited: list[tuple[str, Span]]) -> str | None:
        """The reader's span when a cited sentence holds it and the question asks for a name,
        number, date or phrase; None for why/how, summaries and abstentions."""
        reading = request.reading
        if not isinstance(reading, Reading) or reading.best is None or reading.margin < self.threshold:
            return None
        question = analyse(request.standalone or request.question)
        if question.kind in SENTENCE_KINDS or request.focus is not None:
            return None
        best = reading.best
        doc = best.passage.chunk.doc_id
        if not any(d == doc and s <= best.answer[0] and best.answer[1] <= e for d, (s, e) in cited):
            return None
        short = best.short.strip(" ,;:.\"'“”‘’()")
        if not short or len(short) >= 0.8 * len(best.text):
            return None
        return short
