"""Sentence boundaries with exact character offsets (pysbd, no downloads)."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import pysbd

from rag.types import Span

_local = threading.local()
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*[-*#>\d])")


def _segmenter() -> pysbd.Segmenter:
    # pysbd keeps per-call state on the instance; one per thread is safe.
    seg = getattr(_local, "segmenter", None)
    if seg is None:
        seg = _local.segmenter = pysbd.Segmenter(language="en", clean=False)
    return seg


def sentence_spans(text: str, offset: int = 0) -> list[Span]:
    """(start, end) of each sentence of ``text``, trimmed of surrounding space.

    Paragraph breaks always end a sentence, whatever pysbd thinks, so a headline
    never merges with the first line of the body.
    """
    spans: list[Span] = []
    para_start = 0
    for match in [*_PARAGRAPH.finditer(text), None]:
        para_end = match.start() if match else len(text)
        spans.extend(_segment(text, para_start, para_end))
        if match:
            para_start = match.end()
    return [(s + offset, e + offset) for s, e in spans]


def _segment(text: str, start: int, end: int) -> list[Span]:
    block = text[start:end]
    if not block.strip():
        return []
    spans: list[Span] = []
    cursor = 0
    for piece in _segmenter().segment(block):
        piece = piece.strip()
        if not piece:
            continue
        found = block.find(piece, cursor)
        if found < 0:  # pysbd altered the text; fall back to the remaining block
            found = cursor
            piece = block[cursor:].strip()
        spans.append((start + found, start + found + len(piece)))
        cursor = found + len(piece)
        if cursor >= len(block):
            break
    return _merge_tiny(text, spans)


def _merge_tiny(text: str, spans: list[Span]) -> list[Span]:
    """Join fragments pysbd splits off (a lone quote mark, "U.S." tails)."""
    merged: list[Span] = []
    for s, e in spans:
        if merged and sum(ch.isalnum() for ch in text[s:e]) < 3:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


@lru_cache(maxsize=4096)
def split_sentences(text: str) -> tuple[str, ...]:
    """The sentences of ``text`` as strings (for claims, not for citations)."""
    return tuple(text[s:e] for s, e in sentence_spans(text))
