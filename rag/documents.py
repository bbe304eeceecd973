"""Load corpus files (.txt, .md) as Documents."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import CorpusError
from rag.metadata import read_front_matter
from rag.sentences import sentence_spans
from rag.types import Document

SUFFIXES = (".txt", ".md")
_ID_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_TITLE_MAX = 120


@dataclass(frozen=True, slots=True)
class LoadResult:
    documents: list[Document]
    errors: list[CorpusError]  # files skipped
    # Front-matter fields left out of documents that were loaded (reason "metadata").
    warnings: list[CorpusError] = field(default_factory=list)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def corpus_files(root: Path) -> Iterator[Path]:
    """Every .txt/.md under ``root`` (recursively), in a stable order, skipping dotfiles."""
    if root.is_file():
        yield root
        return
    if not root.is_dir():
        raise CorpusError(f"Corpus folder {root} does not exist.", path=str(root))
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in SUFFIXES:
            yield path


def title_of(text: str, fallback: str) -> str:
    """The first non-empty line, without Markdown heading marks; a long first line
    (an article with no headline) gives its first sentence, cut to a readable length."""
    for line in text.splitlines():
        line = _MD_HEADING.sub("", line).strip()
        if not line:
            continue
        if len(line) <= _TITLE_MAX:
            return line
        spans = sentence_spans(line)
        first = line[spans[0][0] : spans[0][1]] if spans else line
        if len(first) <= _TITLE_MAX:
            return first.rstrip(".")
        return first[:_TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return fallback


def load_document(path: Path, *, max_bytes: int) -> Document:
    """Read one file as a Document; raise CorpusError naming the file when it cannot be."""
    return read_document(path, max_bytes=max_bytes)[0]


def read_document(path: Path, *, max_bytes: int) -> tuple[Document, list[CorpusError]]:
    """One file as a Document, and the front-matter fields that could not be read (the
    document is loaded without them); raise CorpusError when the file cannot be read."""
    doc_id = path.stem
    if not _ID_OK.match(doc_id):
        raise CorpusError(
            f"{path}: file name must start with a letter or digit and use only letters, "
            "digits, '.', '_' or '-' (it becomes the document id).",
            path=str(path),
            reason="name",
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise CorpusError(
                f"{path}: {size:,} bytes is over the limit of {max_bytes:,} (RAG_CHUNKING__MAX_FILE_BYTES).",
                path=str(path),
                reason="size",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror}).", path=str(path), reason="unreadable") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _undecodable(path, raw, exc) from exc
    # Offsets must stay stable across platforms: normalise newlines and Unicode form.
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\x00", "")
    front = read_front_matter(text)
    text = front.body
    if not text.strip():
        raise CorpusError(f"{path}: the file is empty.", path=str(path), reason="empty")
    problems = [
        CorpusError(f"{path}: front matter: {problem}", path=str(path), reason="metadata") for problem in front.problems
    ]
    doc = Document(
        doc_id=doc_id,
        title=front.title or title_of(text, doc_id),
        text=text,
        sha256=sha256_text(text),
        path=str(path),
        metadata={"file": path.name},
        meta=front.meta,
    )
    return doc, problems


def _undecodable(path: Path, raw: bytes, exc: UnicodeDecodeError) -> CorpusError:
    """Text in another encoding ("encoding": re-save it) or not text at all ("binary").

    A NUL byte is the usual sign of a binary file, but UTF-16 text has them too: after a
    byte-order mark, or (without one) at many even or many odd offsets and none of the other.
    """
    head = raw[:8192]
    even, odd = head[0::2], head[1::2]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or any(
        zeros.count(0) > len(zeros) // 3 and other.count(0) == 0 for zeros, other in ((even, odd), (odd, even))
    )
    if head.count(0) and not utf16:
        return CorpusError(
            f"{path}: binary data, not text; only UTF-8 .txt/.md files are read.", path=str(path), reason="binary"
        )
    return CorpusError(
        f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8.", path=str(path), reason="encoding"
    )


def load_corpus(root: Path, *, max_bytes: int = 8_000_000) -> LoadResult:
    """Every readable document under ``root``; unreadable files are reported, not fatal."""
    docs: dict[str, Document] = {}
    errors: list[CorpusError] = []
    warnings: list[CorpusError] = []
    for path in corpus_files(root):
        try:
            doc, problems = read_document(path, max_bytes=max_bytes)
        except CorpusError as exc:
            errors.append(exc)
            continue
        if doc.doc_id in docs:
            errors.append(
                CorpusError(
                    f"{path}: document id {doc.doc_id!r} is already used by {docs[doc.doc_id].path}.",
                    path=str(path),
                    reason="duplicate",
                )
            )
            continue
        docs[doc.doc_id] = doc
        warnings.extend(problems)
    return LoadResult(documents=list(docs.values()), errors=errors, warnings=warnings)
