"""Wire copies: the same story republished by several outlets, grouped at ingest.

An outlet that runs a wire story gives it its own headline and may change a line or
two; the body is otherwise the same. Each document's body (its headline aside) is cut
into word shingles (``SHINGLE_WORDS`` consecutive words, lower-cased) and summarised
by a MinHash signature; documents whose estimated Jaccard similarity reaches the
threshold (``RAG_WIRE__THRESHOLD``) are one group. MinHash LSH finds the candidate
pairs without comparing every pair. Groups are closed transitively (a copy of a copy
is in the group).

One copy answers: the earliest published, else (no dates) the first by id; the
others carry ``duplicate_of`` and are not retrieved. Grouping is redone from every
document at each ingest, so removing the canonical copy promotes the next one.
Measurements behind the default threshold: docs/news.md.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping

import numpy as np
from datasketch import MinHash, MinHashLSH

from rag.metadata import oldest_first
from rag.types import Document

NUM_PERM = 128
SHINGLE_WORDS = 3
# Fewer shingles than this is too little text to call two documents copies of one story.
MIN_SHINGLES = 8
_SEED = 1
_WORD = re.compile(r"\w+")
_HEADLINE_MAX = 120
# datasketch 2's default scheme (hash values below 2**32, stored as uint32); signatures of
# two schemes cannot be compared, so it is named wherever one is built.
_SCHEME = "affine32"
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations  # generated once, shared


def body_of(text: str) -> str:
    """``text`` without its headline: a short first line that does not end a sentence."""
    head, _sep, rest = text.lstrip().partition("\n")
    if rest.strip() and len(head.strip()) <= _HEADLINE_MAX and not head.rstrip().endswith((".", "!", "?", '"', "”")):
        return rest
    return text


def shingles(text: str) -> set[str]:
    """The body's word shingles (lower case, punctuation ignored)."""
    words = _WORD.findall(body_of(text).lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> MinHash | None:
    """The MinHash of ``text``'s body; None when it is too short to compare."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    sig = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_PERMUTATIONS, scheme=_SCHEME)
    sig.update_batch([g.encode("utf-8") for g in grams])
    return sig


def encode(sig: MinHash | None) -> str:
    """A signature as stored in the manifest ("" for none)."""
    if sig is None:
        return ""
    return base64.b64encode(sig.hashvalues.astype(np.uint32).tobytes()).decode("ascii")


def decode(blob: str) -> MinHash | None:
    if not blob:
        return None
    values = np.frombuffer(base64.b64decode(blob), dtype=np.uint32)
    if len(values) != NUM_PERM:
        return None  # written with another NUM_PERM: recomputed by the caller
    return MinHash(num_perm=NUM_PERM, seed=_SEED, hashvalues=values, permutations=_PERMUTATIONS, scheme=_SCHEME)


def group(docs: Mapping[str, Document], signatures: Mapping[str, MinHash | None], threshold: float) -> dict[str, str]:
    """``{copy doc_id: canonical doc_id}`` for every document that is a wire copy of another."""
    sigs = {doc_id: s for doc_id, s in signatures.items() if s is not None and doc_id in docs}
    if len(sigs) < 2:
        return {}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for doc_id, sig in sigs.items():
            session.insert(doc_id, sig)
    parent = {doc_id: doc_id for doc_id in sigs}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc_id, sig in sigs.items():
        for other in lsh.query(sig):
            if other != doc_id and sig.jaccard(sigs[other]) >= threshold:
                parent[root(other)] = root(doc_id)
    members: dict[str, list[str]] = {}
    for doc_id in sigs:
        members.setdefault(root(doc_id), []).append(doc_id)
    copies: dict[str, str] = {}
    for ids in members.values():
        if len(ids) < 2:
            continue
        first = min(ids, key=lambda d: oldest_first(docs[d].meta.published, d))
        copies.update({d: first for d in ids if d != first})
    return copies
