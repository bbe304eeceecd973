"""The bulk embedding path of ingest gives exactly the vectors of embedding each text alone."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from rag.embeddings import BULK_BATCH_TOKENS, MiniLMEmbedder, _token_batches
from rag.pipeline import Pipeline
from tests.support import ARTICLE

TEXTS = [
    "Israeli and Hamas delegations met in Cairo on Tuesday.",
    "",
    "Talks",
    ARTICLE.read_text(encoding="utf-8"),  # longer than the model's 256 tokens: truncated alike
    "Israeli and Hamas delegations met in Cairo on Tuesday.",  # a duplicate
    *[f"Sentence number {i} about ceasefire talks in {'Doha ' * (i % 7)}and Cairo." for i in range(150)],
]


def _alone(embedder: MiniLMEmbedder, texts: list[str]) -> np.ndarray:
    return np.vstack([embedder.embed([t]) for t in texts])


def test_embed_many_gives_each_text_its_own_vector_bit_for_bit_in_order(pipeline: Pipeline) -> None:
    embedder = pipeline.embedder
    assert isinstance(embedder, MiniLMEmbedder)
    many = embedder.embed_many(TEXTS)
    assert many.shape == (len(TEXTS), embedder.dim) and many.dtype == np.float32
    assert np.array_equal(many, _alone(embedder, TEXTS))
    assert embedder.embed_many([]).shape == (0, embedder.dim)
    embedder.release_bulk()
    assert embedder._bulk_session is None
    assert np.array_equal(embedder.embed_many(TEXTS[:3]), many[:3])  # a new bulk session, same vectors


def test_embed_many_on_one_thread_uses_the_query_session_and_agrees() -> None:
    one = MiniLMEmbedder(threads=1)
    many = one.embed_many(TEXTS[:40])
    assert one._bulk_session is None
    assert np.array_equal(many, _alone(one, TEXTS[:40]))


@pytest.mark.parametrize("max_texts", [1, 3, 64])
def test_token_batches_cover_every_text_once_within_the_budget(max_texts: int) -> None:
    lengths = sorted([2, 3, 3, 5, 8, 8, 8, 13, 40, 41, 200, 256, 256, 256, 256, 256, 256] + [17] * 100)
    spans = list(_token_batches(lengths, max_texts))
    assert spans[0][0] == 0 and spans[-1][1] == len(lengths)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    for start, end in spans:
        assert 0 < end - start <= max_texts
        assert (end - start) * lengths[end - 1] <= BULK_BATCH_TOKENS or end - start == 1
    assert list(_token_batches([], 64)) == []
