"""The extractive answerer's reading of a sentence: does it hold what the question asks for?"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answerers.extractive import _type_ok
from rag.config import Settings
from rag.pipeline import Pipeline
from rag.questions import analyse


@pytest.mark.parametrize(
    ("sentence", "answers"),
    [
        ("Egypt mediated the negotiations in Cairo.", True),
        ("Many experts believe the lack of progress should not cause alarm.", True),
        ("Hamas is seeking as many concessions as possible.", True),
        # A place and a demonym adjective name no one who acted.
        ("Negotiations in Cairo ended without a final agreement.", False),
        ("The threat of an Israeli offensive looms.", False),
    ],
)
def test_who_is_answered_by_someone_who_acts_not_by_a_place_or_an_adjective(sentence: str, answers: bool) -> None:
    # Names the passages capitalise mid-sentence, so that one opening a sentence still counts.
    known = frozenset({"egypt", "hamas", "cairo"})
    assert _type_ok(analyse("Who mediated the talks?"), sentence, known) == float(answers)


def test_a_common_word_opening_a_sentence_is_no_name() -> None:
    assert _type_ok(analyse("Who mediated the talks?"), "Negotiations ended without a deal.") == 0.0


def test_a_name_the_question_already_gives_does_not_answer_who() -> None:
    assert _type_ok(analyse("Who is Hamas negotiating with?"), "Hamas is seeking concessions.") == 0.0


def test_a_pronoun_carries_the_names_of_the_sentence_before_it(pipeline: Pipeline) -> None:
    # "...moves by Israel. However, there have been reports of targeted and surgical strikes to
    # demonstrate their seriousness": the strikes are Israel's though the sentence never says so.
    answer = pipeline.ask("What kind of strikes has Israel carried out during the talks?")
    assert any("targeted and surgical strikes" in c.quote for c in answer.citations)


def test_a_role_the_articles_never_fill_is_not_answered_with_a_place(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Who hosted the talks?")
    assert answer.abstained, answer.answer


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("How many parties are negotiating?", "The gaps between the two parties remain.", True),
        ("How many of the hostages were freed?", "Seven hostages were freed on Sunday.", True),
        # A quantity of something else is no count of what was asked.
        ("How many rounds of talks were held?", "Talks continue for a few more days.", False),
        ("How many hostages were freed?", "The talks went on for three days.", False),
    ],
)
def test_how_many_is_answered_by_a_quantity_of_what_it_counts(question: str, sentence: str, answers: bool) -> None:
    assert _type_ok(analyse(question), sentence) == float(answers)


def test_what_stands_in_the_way_answers_why_something_failed(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Why did the talks fail?")
    assert any("difficulties in bridging the gaps" in c.quote for c in answer.citations), answer.answer


def test_a_sentence_is_quoted_with_the_however_that_qualifies_it(pipeline: Pipeline) -> None:
    quotes = [c.quote for c in pipeline.ask("Have the negotiations slowed down Israel's offensive?").citations]
    assert any(q.startswith("The ongoing negotiations have arguably slowed") for q in quotes)
    assert any(q.startswith("However, there have been reports of targeted") for q in quotes)


def test_a_however_that_opens_the_next_paragraph_is_not_taken_as_a_qualifier(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "summit.txt").write_text(
        "Summit in Vienna\n"
        "The trade summit opened in Vienna on Monday. However, the main delegation from Brazil arrived late.\n"
        "Energy ministers met in Oslo on Friday to discuss gas prices.\n"
        "However, the farm ministers stayed at home this year.\n",
        encoding="utf-8",
    )
    p = Pipeline(Settings(data_dir=tmp_path / "data", corpus_dir=corpus, answerer="extractive"))
    p.ingest()
    same = [c.quote for c in p.ask("Where did the trade summit open?").citations]
    assert "However, the main delegation from Brazil arrived late." in same
    apart = [c.quote for c in p.ask("Where did the energy ministers meet?").citations]
    assert "Energy ministers met in Oslo on Friday to discuss gas prices." in apart
    assert "However, the farm ministers stayed at home this year." not in apart


def test_why_the_article_quotes_someone_is_answered_by_the_quote_and_what_it_is_for(pipeline: Pipeline) -> None:
    quotes = [c.quote for c in pipeline.ask("Why does the author quote Peres?").citations]
    assert any("while we're talking, we're not shooting" in q for q in quotes)
    assert "This sentiment seems to echo the current situation." in quotes
    assert pipeline.ask("Why does the article mention Qatar?").abstained
