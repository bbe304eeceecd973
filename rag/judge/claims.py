"""Claims: a sentence of an answer cleaned of markers and interjections, split into clauses."""

from __future__ import annotations

import re

from rag import text as T

_INTERJECTION = re.compile(r"^\s*(?:yes|no|not quite|correct|incorrect|right|wrong)\s*[,.:;!—–-]+\s*", re.I)
_CLAUSE_SPLIT = re.compile(
    r"\s*;\s*"
    r"|,\s+(?=(?:and|but|while|whereas|yet|although|though|so|because|as well as)\s)"
    r"|\s+(?=(?:but|whereas|because)\s)"
    r"|,?\s+(?=which is why\s)"
)


def clean_claim(claim: str) -> str:
    """The claim without ``[n]`` markers, extra space, or a leading "Yes,"/"No." interjection."""
    text = re.sub(r"\s+", " ", T.strip_markers(claim)).strip()
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return _INTERJECTION.sub("", text)


def is_claim(text: str) -> bool:
    """Whether a sentence states anything (has a content word): "Yes." does not."""
    return bool(T.content_terms(clean_claim(text)))


def split_clauses(claim: str) -> list[str]:
    """A claim's parts: split at ``;`` and coordinated clauses; short fragments stay with their neighbour."""
    pieces = [p.strip(" ,;.") for p in _CLAUSE_SPLIT.split(claim) if p and p.strip(" ,;.")]
    parts: list[str] = []
    for piece in pieces:
        if parts and len(T.content_terms(piece)) < 3:
            parts[-1] = f"{parts[-1]}, {piece}"
        else:
            parts.append(piece)
    if len(parts) > 1 and len(T.content_terms(parts[0])) < 3:
        parts[1] = f"{parts[0]}, {parts[1]}"
        parts.pop(0)
    return parts or [claim]
