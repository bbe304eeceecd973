"""News-aware articles through the real pipeline (embedded Chroma, and a `chroma run` server):
outlet and date on every citation, wire copies grouped, newest first when asked.

The corpus (tests/data/news) is invented: one wire story run by three outlets (new headline,
one sentence changed in each copy), a later follow-up and an older story on the same bridge,
an undated article, and two articles with bad front matter.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from rag.config import Settings
from rag.pipeline import Pipeline
from rag.types import Answer, IngestReport
from tests.support import ChromaServer

NEWS = Path(__file__).resolve().parent.parent / "data" / "news"
WIRE_GROUP = {"bridge-wire", "bridge-coastal", "bridge-metro"}
# Questions the wire story answers (each copy holds the answer).
FROM_THE_WIRE_STORY = [
    "How much will the Harbor Bridge repair cost?",
    "What did Mayor Lena Ortiz say?",
    "How often will the ferry run during the closure?",
]


def news_corpus(folder: Path) -> Path:
    shutil.copytree(NEWS, folder)
    return folder


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Pipeline, IngestReport]]:
    corpus = news_corpus(tmp_path_factory.mktemp("news") / "corpus")
    pipeline = Pipeline(Settings(data_dir=corpus.parent / "data", corpus_dir=corpus, answerer="extractive"))
    yield pipeline, pipeline.ingest()


def check_citations(pipeline: Pipeline, answer: Answer) -> None:
    """Every citation quotes its document exactly and names its outlet and date."""
    assert not answer.abstained and answer.citations
    for c in answer.citations:
        _record, text = pipeline.document(c.doc_id)
        assert text[c.start : c.end] == c.quote
        record = {r.doc_id: r for r in pipeline.documents()}[c.doc_id]
        assert (c.source, c.published) == (record.meta.source, record.meta.published)
    for cited in answer.to_dict()["citations"]:
        assert {"source", "published", "also_in"} <= set(cited)


def test_ingest_groups_the_copies_and_lists_each_metadata_problem(news: tuple[Pipeline, IngestReport]) -> None:
    pipeline, report = news
    assert report.added == 8 and report.duplicates == 2
    errors = report.to_dict()["errors"]
    assert sorted((Path(e["path"]).name, e["reason"]) for e in errors) == [
        ("library-hours.md", "metadata"),
        ("school-meals.md", "metadata"),
    ]
    records = {r.doc_id: r for r in pipeline.documents()}
    assert len(records) == 8  # nothing lost: bad front matter, undated, copies all listed
    # The earliest published copy answers; the others point at it.
    assert {d: r.duplicate_of for d, r in records.items() if r.duplicate_of} == {
        "bridge-coastal": "bridge-wire",
        "bridge-metro": "bridge-wire",
    }
    assert records["bridge-coastal"].meta.source == "Coastal Daily"
    assert records["river-cleanup"].meta.published is None
    # Copies are not retrieved: no chunk of theirs is in the snapshot.
    snap = pipeline.catalog.snapshot()
    assert {c.doc_id for c in snap.chunks.values()} == set(records) - {"bridge-coastal", "bridge-metro"}


@pytest.mark.parametrize("question", FROM_THE_WIRE_STORY)
def test_the_wire_story_is_cited_once_with_its_copies_in_also_in(
    news: tuple[Pipeline, IngestReport], question: str
) -> None:
    pipeline, _ = news
    answer = pipeline.ask(question)
    check_citations(pipeline, answer)
    cited = {c.doc_id for c in answer.citations}
    assert len(cited & WIRE_GROUP) == 1, cited  # one copy only, never two
    for c in answer.citations:
        if c.doc_id == "bridge-wire":
            assert (c.source, c.published) == ("Example Wire", "2024-03-04")
            # The copies, earliest first: 18:30 New York time on the 4th is before the 5th.
            assert [(r.doc_id, r.source, r.published) for r in c.also_in] == [
                ("bridge-metro", "Metro Post", "2024-03-04T18:30:00-05:00"),
                ("bridge-coastal", "Coastal Daily", "2024-03-05"),
            ]
    for passage in answer.passages:
        assert passage.chunk.doc_id not in {"bridge-coastal", "bridge-metro"}


def test_a_question_for_the_latest_ranks_newer_articles_first(news: tuple[Pipeline, IngestReport]) -> None:
    pipeline, _ = news
    plain, _v, _t = pipeline.retrieve("When will work on the Harbor Bridge start?")
    latest, _v, _t = pipeline.retrieve("What is the latest on when work on the Harbor Bridge will start?")
    dates = [p.published or "" for p in latest]
    assert dates == sorted(dates, reverse=True) and latest[0].chunk.doc_id == "bridge-contract"
    assert [p.n for p in latest] == list(range(1, len(latest) + 1))
    assert {p.chunk.chunk_id for p in plain} & {p.chunk.chunk_id for p in latest}
    answer = pipeline.ask("What is the latest on the Harbor Bridge repair?")
    check_citations(pipeline, answer)
    assert answer.citations[0].doc_id == "bridge-contract"
    # An answer that cites articles of different dates shows each one's date.
    mixed = pipeline.ask("How long will the Harbor Bridge be closed?")
    check_citations(pipeline, mixed)
    assert all(c.published for c in mixed.citations)


def test_metadata_edit_is_not_re_embedded_and_removing_the_canonical_promotes_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = news_corpus(tmp_path / "corpus")
    pipeline = Pipeline(Settings(data_dir=tmp_path / "data", corpus_dir=corpus, answerer="extractive"))
    pipeline.ingest()
    ids = sorted(cid for cid, _d, _v in pipeline.store.chunk_ids())
    vectors = pipeline.store.chunk_vectors(ids)

    # A front-matter-only edit: new outlet name, date fixed. Nothing is embedded.
    contract = corpus / "bridge-contract.md"
    contract.write_text(contract.read_text(encoding="utf-8").replace("Example Wire", "Example Wire Service"))
    hours = corpus / "library-hours.md"
    hours.write_text(hours.read_text(encoding="utf-8").replace("next Tuesday", "2024-03-01"))
    embed = pipeline.embedder.embed
    monkeypatch.setattr(pipeline.embedder, "embed", lambda texts: pytest.fail(f"re-embedded {len(texts)} texts"))
    report = pipeline.ingest()
    assert (report.added, report.updated, report.unchanged, report.deleted) == (0, 0, 8, 0)
    assert [Path(e.path).name for e in report.errors] == ["school-meals.md"]
    records = {r.doc_id: r for r in pipeline.documents()}
    assert records["bridge-contract"].meta.source == "Example Wire Service"
    assert records["library-hours"].meta.published == "2024-03-01"
    assert sorted(cid for cid, _d, _v in pipeline.store.chunk_ids()) == ids
    assert np.array_equal(pipeline.store.chunk_vectors(ids), vectors)
    monkeypatch.setattr(pipeline.embedder, "embed", embed)
    answer = pipeline.ask("What is the latest on the Harbor Bridge repair?")
    assert answer.citations and answer.citations[0].doc_id == "bridge-contract"
    assert answer.citations[0].source == "Example Wire Service"

    # The canonical copy goes: the next earliest copy answers, with the other in also_in.
    (corpus / "bridge-wire.md").unlink()
    report = pipeline.ingest()
    assert (report.deleted, report.duplicates) == (1, 1)
    records = {r.doc_id: r for r in pipeline.documents()}
    assert records["bridge-metro"].duplicate_of is None
    assert records["bridge-coastal"].duplicate_of == "bridge-metro"
    answer = pipeline.ask("How much will the Harbor Bridge repair cost?")
    check_citations(pipeline, answer)
    cited = [c for c in answer.citations if c.doc_id in WIRE_GROUP]
    assert cited and {c.doc_id for c in cited} == {"bridge-metro"}
    assert [r.doc_id for r in cited[0].also_in] == ["bridge-coastal"]


@pytest.mark.chroma_server
def test_metadata_and_groups_round_trip_through_a_chroma_server(chroma_server: ChromaServer, tmp_path: Path) -> None:
    corpus = news_corpus(tmp_path / "corpus")
    settings = Settings(
        data_dir=tmp_path / "data",
        corpus_dir=corpus,
        answerer="extractive",
        chroma_host="127.0.0.1",
        chroma_port=chroma_server.port,
        collection_prefix="news",
    )
    pipeline = Pipeline(settings)
    report = pipeline.ingest()
    assert report.duplicates == 2 and len(report.errors) == 2
    assert not (tmp_path / "data" / "chroma").exists()
    # A second process (a replica) reads the same metadata and groups from the server.
    replica = Pipeline(settings)
    records = {r.doc_id: r for r in replica.documents()}
    assert records["bridge-metro"].duplicate_of == "bridge-wire"
    assert records["bridge-contract"].meta.published == "2024-03-21"
    answer = replica.ask(FROM_THE_WIRE_STORY[0])
    check_citations(replica, answer)
    assert {c.doc_id for c in answer.citations} & WIRE_GROUP == {"bridge-wire"}
    assert [r.doc_id for c in answer.citations if c.doc_id == "bridge-wire" for r in c.also_in] == [
        "bridge-metro",
        "bridge-coastal",
    ]
