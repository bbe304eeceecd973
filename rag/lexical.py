"""Lexical retrieval: BM25 (bm25s) over chunk texts, kept in memory."""

from __future__ import annotations

import re
from collections.abc import Sequence

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

_STEMMER = Stemmer.Stemmer("english")
# bm25s.tokenize's defaults, for one query without its per-call set-up (a tqdm bar, a stopword set).
_SPLIT = re.compile(r"(?u)\b\w\w+\b").findall
_STOPWORDS = frozenset(STOPWORDS_EN)


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    return bm25s.tokenize(  # type: ignore[no-any-return]
        list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False
    )


def query_tokens(text: str) -> list[str]:
    """``tokenize([text])[0]``, about ten times faster (a query per request)."""
    return [str(_STEMMER.stemWord(t)) for t in _SPLIT(text.lower()) if t not in _STOPWORDS]


class LexicalIndex:
    """An immutable BM25 index over ``texts``; rebuild it when the corpus changes."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.size = len(texts)
        self._retriever: bm25s.BM25 | None = None
        if texts:
            retriever = bm25s.BM25()
            retriever.index(tokenize(texts), show_progress=False)
            self._retriever = retriever

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(position, score) of the best ``k`` texts with a positive score."""
        if self._retriever is None or k <= 0:
            return []
        tokens = [t for t in query_tokens(query) if t in self._retriever.vocab_dict]
        if not tokens:
            return []
        scores = np.asarray(self._retriever.get_scores(tokens))
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
