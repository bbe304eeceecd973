"""Cut documents into token-sized chunks with exact offsets (LlamaIndex SentenceSplitter)."""

from __future__ import annotations

from functools import lru_cache

from rag.sentences import sentence_spans
from rag.types import Chunk, Document, Span


@lru_cache(maxsize=4)
def _splitter(chunk_size: int, chunk_overlap: int):  # type: ignore[no-untyped-def]
    from llama_index.core.node_parser import SentenceSplitter

    from rag.tokens import count_tokens_fn

    return SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap, tokenizer=count_tokens_fn())


def chunk_id_for(doc: Document, index: int) -> str:
    # The version is in the id, so chunks of an old and a new version never collide.
    return f"{doc.doc_id}:{doc.sha256[:12]}:{index:04d}"


def chunk_document(doc: Document, *, chunk_size: int = 160, chunk_overlap: int = 24) -> list[Chunk]:
    """Chunks of ``doc`` such that ``doc.text[c.start:c.end] == c.text``.

    Each chunk lists the document's sentences that lie inside it, so a citation can
    quote whole sentences.
    """
    pieces = _splitter(chunk_size, chunk_overlap).split_text(doc.text)
    sentences = sentence_spans(doc.text)
    chunks: list[Chunk] = []
    cursor = 0
    for piece in pieces:
        start = doc.text.find(piece, cursor)
        if start < 0:
            start = doc.text.find(piece)
        if start < 0:
            start, end = _locate_loosely(doc.text, piece, cursor)
        else:
            end = start + len(piece)
        inside = tuple(s for s in sentences if s[0] >= start and s[1] <= end)
        if not inside:  # a piece inside one long sentence: cite the part it covers
            inside = ((start, end),)
        chunks.append(
            Chunk(
                chunk_id=chunk_id_for(doc, len(chunks)),
                doc_id=doc.doc_id,
                start=start,
                end=end,
                text=doc.text[start:end],
                version=doc.sha256,
                sentences=inside,
            )
        )
        cursor = start + 1
    return chunks


def _locate_loosely(text: str, piece: str, cursor: int) -> Span:
    """Find ``piece`` when the splitter changed its whitespace: match word by word."""
    words = piece.split()
    if not words:
        return cursor, cursor
    start = text.find(words[0], cursor)
    if start < 0:
        start = cursor
    pos = start
    for word in words:
        found = text.find(word, pos)
        if found < 0:
            break
        pos = found + len(word)
    return start, pos
