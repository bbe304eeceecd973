"""Answering "what is the article about?": its lead, then what is most central to it.

News is written lead first: the opening sentence says what happened. A summary request
that names no topic (``rag.questions``: kind ``summary``) is answered with the lead of the
top-ranked document, then the sentences closest to that document's centre (the mean of
its sentence vectors) that do not repeat one already chosen (maximal marginal relevance),
quoted in reading order. One document: a question about "the article" means one.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

import numpy as np

from rag.types import Passage, Span


class Quotable(Protocol):
    """A sentence of a passage that can be quoted."""

    @property
    def passage(self) -> Passage: ...
    @property
    def span(self) -> Span: ...
    @property
    def text(self) -> str: ...


Q = TypeVar("Q", bound=Quotable)

# A lead is a sentence, not a headline or a dateline.
_LEAD_MIN_WORDS = 8
# Maximal marginal relevance: how much being central counts against repeating a chosen sentence.
_MMR_LAMBDA = 0.5


def summary_sentences(candidates: list[Q], limit: int) -> list[Q]:
    """Up to ``limit`` sentences of the top-ranked document that summarise it, in reading order."""
    if not candidates:
        return []
    top_doc = min(candidates, key=lambda c: c.passage.n).passage.chunk.doc_id
    own = sorted((c for c in candidates if c.passage.chunk.doc_id == top_doc), key=lambda c: c.span)
    lead = next((c for c in own if len(c.text.split()) >= _LEAD_MIN_WORDS), own[0])
    vectors = [_vector(c) for c in own]
    if any(v is None for v in vectors):  # no sentence vectors (an embedder that gave none): lead only
        return [lead]
    mat = np.vstack([v for v in vectors if v is not None]).astype(np.float32)
    mat /= np.clip(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9, None)
    centre = mat.mean(axis=0)
    centre /= max(float(np.linalg.norm(centre)), 1e-9)
    central = mat @ centre
    chosen = [own.index(lead)]
    while len(chosen) < min(limit, len(own)):
        redundancy = (mat @ mat[chosen].T).max(axis=1)
        score = _MMR_LAMBDA * central - (1 - _MMR_LAMBDA) * redundancy
        score[chosen] = -np.inf
        chosen.append(int(np.argmax(score)))
    return [own[i] for i in sorted(chosen)]


def _vector(cand: Quotable) -> np.ndarray | None:
    vectors = cand.passage.sentence_vectors
    sentences = cand.passage.chunk.sentences
    if vectors is None or cand.span not in sentences:
        return None
    i = sentences.index(cand.span)
    return vectors[i] if i < len(vectors) else None
