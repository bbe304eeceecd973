"""Loading corpus files: ids, titles, hashes and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.documents import load_corpus, load_document
from rag.errors import CorpusError


def test_txt_document_has_stem_id_first_line_title_and_sha(corpus: Path) -> None:
    result = load_corpus(corpus)
    assert result.errors == []
    (doc,) = result.documents
    assert doc.doc_id == "cairo-negotiations"
    assert doc.title.startswith("Negotiations in Cairo between the Israeli and Hamas delegations")
    assert len(doc.sha256) == 64


def test_markdown_title_drops_heading_marks(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text("\n\n# Talks resume in Cairo\n\nBody text here.\n", encoding="utf-8")
    doc = load_document(path, max_bytes=10_000)
    assert doc.title == "Talks resume in Cairo"


def test_bad_files_are_reported_and_good_ones_still_load(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Fine article. It has text.", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "empty.md").write_text("   \n", encoding="utf-8")
    (tmp_path / "huge.txt").write_text("word " * 300_000, encoding="utf-8")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    result = load_corpus(tmp_path, max_bytes=1_000_000)
    assert [d.doc_id for d in result.documents] == ["good"]
    messages = " ".join(e.message for e in result.errors)
    assert "latin1.txt: not UTF-8" in messages
    assert "empty.md: the file is empty" in messages
    assert "huge.txt" in messages and "over the limit" in messages


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")


def test_crlf_is_normalised_so_offsets_are_stable(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Title\r\nFirst line.\r\nSecond line.\r\n")
    doc = load_document(path, max_bytes=10_000)
    assert "\r" not in doc.text


def test_each_bad_file_has_a_one_word_reason(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Fine article. It has text.", encoding="utf-8")
    bad = {
        "latin1.txt": ("Caf\xe9 au lait".encode("latin-1"), "encoding"),
        "utf16-bom.txt": ("Ports reopened.".encode("utf-16"), "encoding"),
        "image.md": (bytes(range(256)) * 4, "binary"),
        "empty.md": (b"", "empty"),
        "blank.txt": (b" \n\t\n", "empty"),
        "bad name!.txt": (b"Text under a name that cannot be an id.", "name"),
        "huge.txt": (b"word " * 300_000, "size"),
    }
    for name, (raw, _reason) in bad.items():
        (tmp_path / name).write_bytes(raw)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.md").write_text("Same id as good.txt.", encoding="utf-8")
    result = load_corpus(tmp_path, max_bytes=1_000_000)
    assert [d.doc_id for d in result.documents] == ["good"]
    reasons = {e.path: e.reason for e in result.errors}
    assert reasons == {
        **{str(tmp_path / name): reason for name, (_raw, reason) in bad.items()},
        str(tmp_path / "sub" / "good.md"): "duplicate",
    }
