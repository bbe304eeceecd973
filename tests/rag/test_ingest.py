"""Ingest is a sync: idempotent, atomic per document, and cleans up after crashes."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from bench import synth
from rag import documents, ingest
from rag.chunking import chunk_document
from rag.config import Settings
from rag.documents import load_corpus, load_document
from rag.errors import IngestLockedError, StoreUnavailableError
from rag.ingest import embed_document, ingest_lock
from rag.pipeline import Pipeline
from rag.types import Chunk, Document


@pytest.fixture
def fresh(tmp_path: Path, corpus: Path) -> Pipeline:
    return Pipeline(Settings(data_dir=tmp_path / "idx", corpus_dir=corpus))


def test_second_sync_changes_nothing(fresh: Pipeline) -> None:
    first = fresh.ingest()
    assert (first.added, first.updated, first.unchanged, first.deleted) == (1, 0, 0, 0)
    assert first.chunks == fresh.status()["chunks"] > 0
    second = fresh.ingest()
    assert (second.added, second.updated, second.unchanged, second.deleted) == (0, 0, 1, 0)
    assert second.chunks == first.chunks


def test_edit_remove_and_add_are_counted(fresh: Pipeline, corpus: Path) -> None:
    fresh.ingest()
    article = corpus / "cairo-negotiations.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new closing sentence was added.\n", encoding="utf-8")
    (corpus / "second.md").write_text("# Second story\n\nMarkets rose in Tokyo on Monday.\n", encoding="utf-8")
    report = fresh.ingest()
    assert (report.added, report.updated, report.unchanged, report.deleted) == (1, 1, 0, 0)
    answer = fresh.ask("Where did markets rise?")
    assert "Tokyo" in answer.answer
    (corpus / "second.md").unlink()
    report = fresh.ingest()
    assert (report.added, report.updated, report.unchanged, report.deleted) == (0, 0, 1, 1)
    assert [d.doc_id for d in fresh.documents()] == ["cairo-negotiations"]
    # No chunk of a removed document or an old version survives.
    versions = {(doc_id, v) for _c, doc_id, v in fresh.store.chunk_ids()}
    assert versions == {("cairo-negotiations", fresh.documents()[0].sha256)}


def test_a_new_title_rule_reaches_unchanged_documents_without_re_embedding(
    fresh: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unchanged document (same sha256) is skipped, but its stored title follows the current rule."""
    fresh.ingest()
    old_title = fresh.documents()[0].title
    ids = sorted(cid for cid, _d, _v in fresh.store.chunk_ids())
    vectors = fresh.store.chunk_vectors(ids)
    generation = fresh.store.generation()

    monkeypatch.setattr(documents, "title_of", lambda text, fallback: f"Retitled: {fallback}")
    embed = fresh.embedder.embed
    monkeypatch.setattr(fresh.embedder, "embed", lambda texts: pytest.fail(f"re-embedded {len(texts)} texts"))
    report = fresh.ingest()
    assert (report.added, report.updated, report.unchanged, report.deleted, report.retitled) == (0, 0, 1, 0, 1)
    assert set(report.to_dict()) == {"added", "updated", "unchanged", "deleted", "chunks", "duplicates", "errors"}
    new_title = "Retitled: cairo-negotiations"
    assert new_title != old_title
    assert [d.title for d in fresh.documents()] == [new_title]
    assert fresh.store.document_text("cairo-negotiations")[0].title == new_title
    assert {title for _c, title, _s in fresh.store.iter_chunks()} == {new_title}
    # Metadata only: same chunks, same vectors, the text and version untouched.
    assert sorted(cid for cid, _d, _v in fresh.store.chunk_ids()) == ids
    assert np.array_equal(fresh.store.chunk_vectors(ids), vectors)
    generation_after = fresh.store.generation()
    assert generation_after > generation  # other processes reload their view

    monkeypatch.setattr(fresh.embedder, "embed", embed)
    answer = fresh.ask("Which former Israeli leader said that talking means not shooting?")
    assert answer.citations and {c.title for c in answer.citations} == {new_title}
    again = fresh.ingest()  # nothing left to refresh: no write at all
    assert (again.unchanged, again.retitled) == (1, 0)
    assert fresh.store.generation() == generation_after and again.chunks == report.chunks


def test_half_written_new_version_is_invisible_and_cleaned_up(fresh: Pipeline, corpus: Path) -> None:
    """A crash after writing new chunks but before the switch leaves the old version answering."""
    fresh.ingest()
    old_sha = fresh.documents()[0].sha256
    article = corpus / "cairo-negotiations.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("Cairo", "Geneva"), encoding="utf-8")
    doc = load_document(article, max_bytes=10_000_000)
    chunks, vecs, sent_vecs = embed_document(fresh.embedder, doc, fresh.settings)
    fresh.store.upsert_chunks(chunks, vecs, sent_vecs, doc.title)  # ...and the process dies here
    fresh.catalog.reload()
    answer = fresh.ask("In which city did the Israeli and Hamas delegations negotiate?")
    assert "Cairo" in answer.answer and "Geneva" not in answer.answer
    assert all(c.chunk_id.split(":")[1] == old_sha[:12] for c in answer.citations)

    report = fresh.ingest()  # the next sync finishes the job
    assert report.updated == 1
    assert {v for _c, _d, v in fresh.store.chunk_ids()} == {doc.sha256}
    assert "Geneva" in fresh.ask("In which city did the Israeli and Hamas delegations negotiate?").answer


def test_orphan_chunks_of_unknown_documents_are_removed(fresh: Pipeline, tmp_path: Path) -> None:
    fresh.ingest()
    stray = tmp_path / "stray.txt"
    stray.write_text("A stray article about ports in Rotterdam.", encoding="utf-8")
    doc = load_document(stray, max_bytes=10_000)
    chunks, vecs, sent_vecs = embed_document(fresh.embedder, doc, fresh.settings)
    fresh.store.upsert_chunks(chunks, vecs, sent_vecs, doc.title)  # never activated
    fresh.ingest()
    assert all(d == "cairo-negotiations" for _c, d, _v in fresh.store.chunk_ids())


def test_a_second_ingest_is_refused_while_one_holds_the_lock(tmp_path: Path) -> None:
    with (
        ingest_lock(tmp_path, wait=False),
        pytest.raises(IngestLockedError, match="Another ingest"),
        ingest_lock(tmp_path, wait=False),
    ):
        pass


def test_collection_name_carries_the_embedder_id(fresh: Pipeline) -> None:
    assert "all-MiniLM-L6-v2-int8" in fresh.store._chunks_name


def test_chunks_of_copy_share_no_ids(tmp_path: Path, corpus: Path) -> None:
    shutil.copy(corpus / "cairo-negotiations.txt", corpus / "copy.txt")
    docs = [load_document(p, max_bytes=10_000_000) for p in sorted(corpus.iterdir())]
    ids = [c.chunk_id for d in docs for c in chunk_document(d)]
    assert len(ids) == len(set(ids))


def _index(p: Pipeline) -> dict[str, tuple[object, ...]]:
    """Everything an ingest stored per chunk: text, metadata (offsets, sentences, sentence
    vectors, title) and chunk vector."""
    got = p.store._chunks.get(include=["documents", "metadatas", "embeddings"])
    return {
        cid: (text, meta, tuple(np.asarray(vec).tolist()))
        for cid, text, meta, vec in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)
    }


@pytest.fixture
def synthetic(tmp_path: Path, corpus: Path) -> Path:
    synth.write_corpus(corpus, 7, seed=3)
    return corpus


def test_documents_in_many_groups_are_stored_as_in_one(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Groups are cut into chunks ahead, on another thread, while the previous one is embedded:
    the index is the same as one group's, chunk by chunk and vector by vector."""
    one = Pipeline(Settings(data_dir=tmp_path / "one", corpus_dir=synthetic))
    assert one.ingest().added == 8
    monkeypatch.setattr(ingest, "_GROUP_DOCS", 3)
    calls: list[int] = []
    original = ingest.embed_plan
    monkeypatch.setattr(ingest, "embed_plan", lambda e, plan, s: calls.append(len(plan.docs)) or original(e, plan, s))
    many = Pipeline(Settings(data_dir=tmp_path / "many", corpus_dir=synthetic))
    report = many.ingest()
    assert calls == [3, 3, 2]
    assert (report.added, report.chunks) == (8, one.status()["chunks"])
    assert _index(many) == _index(one)
    assert [(d.doc_id, d.sha256, d.chunks) for d in many.documents()] == [
        (d.doc_id, d.sha256, d.chunks) for d in one.documents()
    ]
    assert many.embedder._bulk_session is None  # type: ignore[attr-defined]  # released after the sync


def test_a_failed_write_in_a_later_group_leaves_each_document_on_one_whole_version(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = Pipeline(Settings(data_dir=tmp_path / "idx", corpus_dir=synthetic))
    p.ingest()
    before = {d.doc_id: d.sha256 for d in p.documents()}
    for path in sorted(synthetic.glob("*.txt")):
        path.write_text(path.read_text(encoding="utf-8") + "\nA closing line was added.\n", encoding="utf-8")
    monkeypatch.setattr(ingest, "_GROUP_DOCS", 3)
    writes = 0
    upsert = p.store.upsert_chunks

    def failing(*args: object, **kwargs: object) -> None:
        nonlocal writes
        writes += 1
        if writes == 2:
            raise StoreUnavailableError("Chroma went away")
        upsert(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(p.store, "upsert_chunks", failing)
    with pytest.raises(StoreUnavailableError):
        p.ingest()
    after = {d.doc_id: d.sha256 for d in p.documents()}
    wanted = {d.doc_id: d.sha256 for d in load_corpus(synthetic, max_bytes=10**7).documents}
    switched = sorted(k for k in after if after[k] == wanted[k])
    assert len(switched) == 3 and all(after[k] == before[k] for k in after if k not in switched)
    snap = p.catalog.reload()
    for doc_id, version in after.items():  # readers see every chunk of the active version, none other
        seen = {c.chunk_id for c in snap.chunks.values() if c.doc_id == doc_id}
        assert all(cid.split(":")[1] == version[:12] for cid in seen)
        assert len(seen) == next(d.chunks for d in p.documents() if d.doc_id == doc_id)
    monkeypatch.setattr(p.store, "upsert_chunks", upsert)
    report = p.ingest()
    assert (report.updated, report.unchanged) == (5, 3)
    assert {d.doc_id: d.sha256 for d in p.documents()} == wanted
    assert {v for _c, _d, v in p.store.chunk_ids()} == set(wanted.values())


def test_a_chunking_error_on_the_thread_ahead_stops_the_sync(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = Pipeline(Settings(data_dir=tmp_path / "idx", corpus_dir=synthetic))
    monkeypatch.setattr(ingest, "_GROUP_DOCS", 3)
    original = ingest.chunk_document

    def chunk(doc: Document, **kwargs: int) -> list[Chunk]:
        if doc.doc_id == sorted(d.stem for d in synthetic.iterdir())[4]:  # in the second group
            raise RuntimeError("splitter broke")
        return original(doc, **kwargs)

    monkeypatch.setattr(ingest, "chunk_document", chunk)
    with pytest.raises(RuntimeError, match="splitter broke"):
        p.ingest()
    assert len(p.documents()) == 3  # the first group only, complete
    assert p.store.count_chunks() == sum(d.chunks for d in p.documents())
