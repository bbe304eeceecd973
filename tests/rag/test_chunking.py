"""Chunks and sentences keep exact offsets into the document text."""

from __future__ import annotations

from rag.chunking import chunk_document
from rag.documents import sha256_text
from rag.sentences import sentence_spans
from rag.types import Document
from tests.support import ARTICLE


def _doc(text: str, doc_id: str = "d") -> Document:
    return Document(doc_id=doc_id, title="t", text=text, sha256=sha256_text(text))


def test_every_chunk_is_an_exact_slice_of_the_article() -> None:
    doc = _doc(ARTICLE.read_text(encoding="utf-8"))
    chunks = chunk_document(doc, chunk_size=160, chunk_overlap=24)
    assert len(chunks) >= 3
    for chunk in chunks:
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert chunk.sentences, "a chunk lists the sentences it holds"
        for s, e in chunk.sentences:
            assert chunk.start <= s < e <= chunk.end
    assert chunks[0].start == 0 and chunks[-1].end == len(doc.text.rstrip())


def test_chunks_cover_the_whole_document_in_order() -> None:
    doc = _doc(ARTICLE.read_text(encoding="utf-8"))
    chunks = chunk_document(doc, chunk_size=64, chunk_overlap=8)
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
    assert all(i in covered for i, ch in enumerate(doc.text) if not ch.isspace())
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)


def test_offsets_hold_with_irregular_whitespace_and_unicode() -> None:
    text = "Héadline  with  spaces\n\n\nFirst  sentence here.   Second one — with a dash!\n\t Third?  Yes.\n" * 20
    doc = _doc(text)
    for chunk in chunk_document(doc, chunk_size=40, chunk_overlap=5):
        assert doc.text[chunk.start : chunk.end] == chunk.text


def test_chunk_ids_carry_the_document_version() -> None:
    a = chunk_document(_doc("One sentence. Two sentences."))
    b = chunk_document(_doc("One sentence. Two sentences, changed."))
    assert a[0].chunk_id != b[0].chunk_id
    assert a[0].chunk_id.startswith("d:")


def test_sentences_are_trimmed_and_split_at_paragraphs() -> None:
    text = "A headline without a full stop\nThe body starts here. It goes on."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "A headline without a full stop",
        "The body starts here.",
        "It goes on.",
    ]


def test_article_has_its_22_sentences() -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    sents = [text[s:e] for s, e in sentence_spans(text)]
    assert len(sents) == 22
    assert (
        sents[0]
        == "Negotiations in Cairo between the Israeli and Hamas delegations ended without a final agreement on Tuesday night."
    )
    assert "Shimon Peres" in sents[12] and sents[12].endswith("shooting.'")
