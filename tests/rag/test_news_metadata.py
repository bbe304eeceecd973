"""Front matter: every field optional, nothing guessed, a bad field loses no article."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.documents import load_corpus, read_document
from rag.metadata import newest_first, parse_published, published_time, read_front_matter
from rag.types import DocMeta

NEWS = Path(__file__).resolve().parent.parent / "data" / "news"


def test_front_matter_fields_are_read_and_the_body_is_the_text() -> None:
    front = read_front_matter(
        "---\ntitle: Talks resume\nsource: Example Wire\npublished: 2019-11-19\n"
        "url: https://news.example.org/a\nauthor: A. Writer\n---\n\nThe talks resumed on Tuesday.\n"
    )
    assert front.title == "Talks resume"
    assert front.meta == DocMeta("Example Wire", "2019-11-19", "https://news.example.org/a", "A. Writer")
    assert front.body == "The talks resumed on Tuesday.\n"
    assert front.problems == ()


def test_without_front_matter_nothing_is_guessed() -> None:
    text = "Talks resume\n\nExample Wire reported on 19 November 2019 that the talks resumed.\n"
    front = read_front_matter(text)
    assert front == read_front_matter(text)
    assert front.body == text and front.title is None and front.meta == DocMeta() and front.problems == ()
    # A Markdown rule at the top with no closing one is text, not front matter.
    assert read_front_matter("---\nA story.\n").body == "---\nA story.\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-11-19", "2019-11-19"),
        ("2019-11-19T08:30:00", "2019-11-19T08:30:00"),
        ("2019-11-19T08:30:00Z", "2019-11-19T08:30:00+00:00"),
        ("2019-11-19 08:30:00+02:00", "2019-11-19T08:30:00+02:00"),
    ],
)
def test_published_accepts_iso_dates_and_date_times_with_or_without_a_zone(value: str, expected: str) -> None:
    assert parse_published(value) == expected
    # Quoted or not, YAML's own date types give the same value.
    assert read_front_matter(f"---\npublished: {value}\n---\nBody.\n").meta.published == expected


def test_ordering_treats_dates_as_midnight_and_puts_undated_last() -> None:
    times = [published_time(p) for p in ("2019-11-19", "2019-11-19T08:30:00+02:00", "2019-11-19T08:30:00")]
    assert times[0] is not None and times[1] is not None and times[2] is not None
    assert times[0] < times[1] < times[2]
    assert published_time(None) is None
    keys = {"a": None, "b": "2019-11-18", "c": "2019-11-19", "d": None}
    assert sorted(keys, key=lambda d: newest_first(keys[d], d)) == ["c", "b", "a", "d"]


@pytest.mark.parametrize(
    ("front", "problem"),
    [
        ("published: next Tuesday", "published: 'next Tuesday' is not an ISO 8601 date"),
        ("published: 2019-13-45", "published: '2019-13-45' is not an ISO 8601 date"),
        ("source: 12", "source: expected text, got int"),
        ("author: [A, B]", "author: expected text, got list"),
        ("url: javascript:alert(1)", "url: 'javascript:alert(1)' is not an http(s) address"),
    ],
)
def test_a_bad_field_is_left_out_and_named_the_others_kept(front: str, problem: str) -> None:
    got = read_front_matter(f"---\ntitle: Kept\n{front}\n---\nThe body.\n")
    assert got.title == "Kept" and got.body == "The body.\n"
    assert len(got.problems) == 1 and got.problems[0].startswith(problem), got.problems
    assert got.meta == DocMeta()


def test_yaml_that_does_not_parse_keeps_the_body_without_fields() -> None:
    got = read_front_matter("---\ntitle: [unclosed\nsource: X\n---\nThe body.\n")
    assert got.body == "The body.\n" and got.title is None and got.meta == DocMeta()
    assert got.problems and "YAML does not parse" in got.problems[0]
    assert read_front_matter("---\n- a list\n---\nThe body.\n").problems[0].startswith("not a mapping")


def test_the_stored_text_is_the_body_and_offsets_index_it(tmp_path: Path) -> None:
    doc, problems = read_document(NEWS / "bridge-wire.md", max_bytes=100_000)
    assert problems == []
    assert doc.text.startswith("The Eastport city council voted on Monday")
    assert "---" not in doc.text and "source:" not in doc.text
    assert doc.title == "Council approves repair of the Harbor Bridge"
    assert doc.meta.source == "Example Wire" and doc.meta.published == "2024-03-04"
    # The version is the body's: a front-matter-only edit leaves it unchanged (no re-embedding).
    edited = tmp_path / "bridge-wire.md"
    edited.write_text(
        (NEWS / "bridge-wire.md").read_text(encoding="utf-8").replace("Example Wire", "Example Wire Service"),
        encoding="utf-8",
    )
    again, _ = read_document(edited, max_bytes=100_000)
    assert again.sha256 == doc.sha256 and again.meta.source == "Example Wire Service"


def test_the_news_corpus_loads_every_article_and_lists_each_metadata_problem() -> None:
    loaded = load_corpus(NEWS)
    ids = {d.doc_id for d in loaded.documents}
    assert {"library-hours", "school-meals", "river-cleanup"} <= ids
    assert loaded.errors == []
    problems = {Path(w.path or "").name: w for w in loaded.warnings}
    assert set(problems) == {"library-hours.md", "school-meals.md"}
    assert all(w.reason == "metadata" for w in loaded.warnings)
    by_id = {d.doc_id: d for d in loaded.documents}
    # Bad date: the rest of the front matter is kept.
    assert by_id["library-hours"].meta == DocMeta(source="Valley Herald")
    assert by_id["library-hours"].title == "Town library to open on Sundays"
    # Broken YAML: no field, the title from the text as without front matter.
    assert by_id["school-meals"].meta == DocMeta()
    assert by_id["school-meals"].title.startswith("Primary schools in the district")
    # No front matter: the title rule as before, every other field null.
    assert by_id["river-cleanup"].meta == DocMeta()
    assert by_id["river-cleanup"].title == "Volunteers clear two tonnes of litter from the Alder River"


def test_common_other_names_of_the_fields_are_read() -> None:
    got = read_front_matter("---\nheadline: H\noutlet: O\ndate: 2024-03-04\nlink: https://o.example/h\n---\nBody.\n")
    assert got.title == "H" and got.meta == DocMeta("O", "2024-03-04", "https://o.example/h") and not got.problems
    bad = read_front_matter("---\ndate: soon\n---\nBody.\n")
    assert bad.meta.published is None and bad.problems[0].startswith("date: 'soon'")


def test_the_llm_passage_header_names_outlet_and_date() -> None:
    from rag.answerers.llm import quote_passage
    from rag.types import Chunk, Passage

    chunk = Chunk("a:1", "a", 0, 10, "Talks end.", "v", ((0, 10),))
    block = quote_passage(Passage(1, chunk, "T", 1.0, source='Wire "X"', published="2024-03-04"))
    assert block.startswith('<passage n="1" title="T" source="Wire \'X\'" published="2024-03-04">')
    assert quote_passage(Passage(1, chunk, "T", 1.0)).startswith('<passage n="1" title="T">')


@pytest.mark.parametrize(
    ("question", "latest"),
    [
        ("What's the latest on the Harbor Bridge?", True),
        ("As of now, when will work start?", True),
        ("What is the most recent figure?", True),
        ("Who currently leads the talks?", True),
        ("When will work start?", False),
        ("Who led the talks in 2019?", False),
    ],
)
def test_questions_asking_for_the_latest_state(question: str, latest: bool) -> None:
    from rag.questions import asks_latest

    assert asks_latest(question) is latest
