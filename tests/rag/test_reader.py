"""The learned reader: its shipped model, what it reads, and the answers it gives.

The articles here are invented for the tests (a company, a court, a health study); none
is the Cairo article the older rules were grown on.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rag.errors import ModelUnavailableError
from rag.pipeline import Pipeline
from rag.reader.model import META_FILE, MODEL_FILE, OnnxReader
from tests.support import pipeline_over

ARTICLES = {
    "harbor-ferries.txt": (
        "Harbor Ferries names new chief executive\n\n"
        "Harbor Ferries said on Monday that Maria Olsen will become its chief executive in March, "
        "replacing Tom Reyes, who is retiring after eleven years in the job.\n\n"
        "The company, which runs 14 vessels between the island and the mainland, carried 2.3 million "
        "passengers last year. Olsen previously ran the regional rail operator Coastline.\n\n"
        "Shares in the company rose 4 percent after the announcement because investors expect Olsen "
        "to speed up the switch to electric boats."
    ),
    "court-ruling.txt": (
        "Appeals court upholds fine against chemical plant\n\n"
        "A state appeals court on Thursday upheld a $1.2 million fine against the Dalton chemical plant "
        "for releasing polluted water into the Green River in 2021.\n\n"
        "Judge Helen Marsh wrote that the plant had ignored three warnings from inspectors. "
        "The plant's owner said it would consider an appeal to the supreme court."
    ),
}


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    base = tmp_path_factory.mktemp("reader")
    return pipeline_over(base / "data", base / "corpus", ARTICLES)


def test_the_model_file_must_match_its_sha256(tmp_path: Path) -> None:
    model = tmp_path / MODEL_FILE.name
    shutil.copy(MODEL_FILE, model)
    meta = json.loads(META_FILE.read_text())
    (tmp_path / "reader.json").write_text(json.dumps({**meta, "sha256": "0" * 64}))
    with pytest.raises(ModelUnavailableError, match="sha256"):
        OnnxReader(model_file=model, meta_file=tmp_path / "reader.json")
    with pytest.raises(ModelUnavailableError, match="missing"):
        OnnxReader(model_file=tmp_path / "absent.onnx", meta_file=tmp_path / "reader.json")


def test_every_reading_is_a_span_inside_its_sentence(news: Pipeline) -> None:
    passages, vector, _ = news.retrieve("Who will run Harbor Ferries?")
    reading = news.reader.read("Who will run Harbor Ferries?", passages, vector)
    assert reading.sentences
    for r in reading.sentences:
        text = news.document(r.passage.chunk.doc_id)[1]
        assert text[r.span[0] : r.span[1]] == r.text
        assert r.span[0] <= r.answer[0] < r.answer[1] <= r.span[1]
        assert text[r.answer[0] : r.answer[1]] == r.short
    assert [r.margin for r in reading.sentences] == sorted((r.margin for r in reading.sentences), reverse=True)


@pytest.mark.parametrize(
    ("question", "short", "doc"),
    [
        ("Who is the new boss of Harbor Ferries?", "Olsen", "harbor-ferries"),
        ("how many boats does the ferry company operate", "14", "harbor-ferries"),
        ("Which judge wrote the ruling?", "Helen Marsh", "court-ruling"),
    ],
)
def test_a_plain_question_gets_the_span_and_the_sentence_that_holds_it(
    news: Pipeline, question: str, short: str, doc: str
) -> None:
    a = news.ask(question)
    assert not a.abstained
    assert a.short_answer and short in a.short_answer
    assert len(a.citations) == 1 and a.citations[0].doc_id == doc
    assert a.short_answer in a.citations[0].quote
    assert a.answer.count("[1]") == 1


def test_why_is_answered_by_a_sentence_without_a_short_answer(news: Pipeline) -> None:
    a = news.ask("Why did investors push up the company's shares?")
    assert a.short_answer is None
    assert a.abstained or len(a.citations) == 1


@pytest.mark.parametrize(
    "question",
    ["What is the capital of Peru?", "Who won the football match on Saturday?"],
)
def test_what_the_articles_never_say_is_refused(news: Pipeline, question: str) -> None:
    a = news.ask(question)
    assert a.abstained and a.citations == [] and a.short_answer is None
