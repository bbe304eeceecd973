"""How a (question, passage) pair becomes the reader's input, shared by training and serving.

The input is ``[CLS] question [SEP] passage-window [SEP]``. A passage longer than the
window budget is read in overlapping windows. Every passage token keeps its character
offsets into the passage, so a predicted span maps back to exact text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tokenizers import Tokenizer

MAX_QUESTION_TOKENS = 40


@dataclass(frozen=True)
class Window:
    """One model input: token ids and, for each token, its passage offsets (-1 outside)."""

    ids: list[int]
    type_ids: list[int]
    starts: list[int]
    ends: list[int]
    first: int  # index of the first passage token

    def __len__(self) -> int:
        return len(self.ids)


class PairEncoder:
    """Tokenises pairs into windows with the WordPiece tokenizer of MiniLM."""

    def __init__(self, tokenizer_file: Path, max_len: int = 192, stride: int = 64) -> None:
        tok = Tokenizer.from_file(str(tokenizer_file))
        tok.no_truncation()
        tok.no_padding()
        self._tok = tok
        cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
        if cls is None or sep is None:
            raise ValueError(f"{tokenizer_file} has no [CLS]/[SEP] tokens")
        self.cls, self.sep = cls, sep
        self.max_len = max_len
        self.stride = stride

    def question_ids(self, question: str) -> list[int]:
        return self._tok.encode(question, add_special_tokens=False).ids[:MAX_QUESTION_TOKENS]

    def passage_tokens(self, passage: str) -> tuple[list[int], list[tuple[int, int]]]:
        enc = self._tok.encode(passage, add_special_tokens=False)
        return enc.ids, enc.offsets

    def windows(self, q_ids: list[int], p_ids: list[int], p_offsets: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Token ranges of the passage, each fitting one input, overlapping by ``stride``."""
        budget = self.max_len - len(q_ids) - 3
        if len(p_ids) <= budget:
            return [(0, len(p_ids))]
        ranges, start = [], 0
        while True:
            end = min(start + budget, len(p_ids))
            ranges.append((start, end))
            if end == len(p_ids):
                return ranges
            start = end - self.stride

    def build(
        self, q_ids: list[int], p_ids: list[int], p_offsets: list[tuple[int, int]], rng: tuple[int, int]
    ) -> Window:
        a, b = rng
        ids = [self.cls, *q_ids, self.sep, *p_ids[a:b], self.sep]
        first = len(q_ids) + 2
        n_p = b - a
        type_ids = [0] * first + [1] * (n_p + 1)
        starts = [-1] * first + [o[0] for o in p_offsets[a:b]] + [-1]
        ends = [-1] * first + [o[1] for o in p_offsets[a:b]] + [-1]
        return Window(ids, type_ids, starts, ends, first)

    def pieces(self, q_ids: list[int], pieces: list[tuple[list[int], list[tuple[int, int]]]]) -> Window:
        """One input from several passage pieces (token ids, absolute offsets), in order,
        cut to fit: serving reads chosen sentences of several passages in one window."""
        budget = self.max_len - len(q_ids) - 3
        ids: list[int] = []
        offsets: list[tuple[int, int]] = []
        for p_ids, p_off in pieces:
            room = budget - len(ids)
            ids += p_ids[:room]
            offsets += p_off[:room]
        return self.build(q_ids, ids, offsets, (0, len(ids)))

    def budget(self, q_ids: list[int]) -> int:
        return self.max_len - len(q_ids) - 3

    def encode(self, question: str, passage: str) -> list[Window]:
        q_ids = self.question_ids(question)
        p_ids, p_offsets = self.passage_tokens(passage)
        return [self.build(q_ids, p_ids, p_offsets, r) for r in self.windows(q_ids, p_ids, p_offsets)]
