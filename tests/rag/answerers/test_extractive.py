"""The extractive answerer end to end: which sentences it quotes together, and when it refuses."""

from __future__ import annotations

from pathlib import Path

from rag.pipeline import Pipeline
from tests.support import pipeline_over


def test_a_pronoun_carries_the_names_of_the_sentence_before_it(pipeline: Pipeline) -> None:
    # "...moves by Israel. However, there have been reports of targeted and surgical strikes to
    # demonstrate their seriousness": the strikes are Israel's though the sentence never says so.
    answer = pipeline.ask("What kind of strikes has Israel carried out during the talks?")
    assert any("targeted and surgical strikes" in c.quote for c in answer.citations)


def test_a_role_the_articles_never_fill_is_not_answered_with_a_place(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Who hosted the talks?")
    assert answer.abstained, answer.answer


def test_what_stands_in_the_way_answers_why_something_failed(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Why did the talks fail?")
    assert any("difficulties in bridging the gaps" in c.quote for c in answer.citations), answer.answer


def test_a_sentence_is_quoted_with_the_however_that_qualifies_it(pipeline: Pipeline) -> None:
    quotes = [c.quote for c in pipeline.ask("Have the negotiations slowed down Israel's offensive?").citations]
    assert any(q.startswith("The ongoing negotiations have arguably slowed") for q in quotes)
    assert any(q.startswith("However, there have been reports of targeted") for q in quotes)


def test_a_however_that_opens_the_next_paragraph_is_not_taken_as_a_qualifier(tmp_path: Path) -> None:
    summit = (
        "Summit in Vienna\n"
        "The trade summit opened in Vienna on Monday. However, the main delegation from Brazil arrived late.\n"
        "Energy ministers met in Oslo on Friday to discuss gas prices.\n"
        "However, the farm ministers stayed at home this year.\n"
    )
    p = pipeline_over(tmp_path / "data", tmp_path / "corpus", {"summit.txt": summit})
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


def test_a_sentence_that_leaves_out_the_one_actor_asked_about_does_not_answer(pipeline: Pipeline) -> None:
    # The United States appears once, as a source of pressure on Netanyahu; the best match for
    # what it threatened is a sentence about Israel's threat, without it.
    assert pipeline.ask("What has the United States threatened to do?").abstained
    answered = pipeline.ask("Who is putting pressure on Netanyahu?")
    assert any("United States" in c.quote for c in answered.citations)


def test_a_yes_no_question_is_answered_by_the_sentence_that_says_no(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Was it Netanyahu who said that while we're talking, we're not shooting?")
    assert any("Shimon Peres" in c.quote for c in answer.citations)


def test_a_place_named_in_the_sentence_before_is_still_what_the_next_one_is_about(pipeline: Pipeline) -> None:
    # "...the imminent threat of an Israeli offensive in Rafah. A potential offensive could lead
    # to a significant loss of life": the second sentence answers without naming Rafah.
    answer = pipeline.ask("What would an assault on Rafah cost in lives?")
    assert any("significant loss of life" in c.quote for c in answer.citations), answer.answer


def test_what_the_article_concludes_is_its_conclusion(pipeline: Pipeline) -> None:
    answer = pipeline.ask("What is the article's conclusion?")
    assert answer.citations and answer.citations[0].quote.startswith("In conclusion"), answer.answer


def test_what_a_quoted_line_means_is_answered_by_the_line_and_the_sentence_that_reads_it(pipeline: Pipeline) -> None:
    quotes = [c.quote for c in pipeline.ask("What does 'while we're talking, we're not shooting' mean here?").citations]
    assert any("while we're talking, we're not shooting" in q for q in quotes)
    assert "This sentiment seems to echo the current situation." in quotes


def test_a_question_in_lower_case_is_read_with_its_names(pipeline: Pipeline) -> None:
    # Israel and Hamas are names the question gives, not someone the sentence names who mediated.
    assert pipeline.ask("who mediated between israel and hamas?").abstained
    assert not pipeline.ask("what does israel insist on?").abstained


def test_a_despite_sentence_after_the_answer_qualifies_it(pipeline: Pipeline) -> None:
    # "ended without a final agreement on Tuesday night" -- "Despite talks continuing through
    # diplomatic and security channels for a few more days, ...": the talks have not stopped.
    quotes = [c.quote for c in pipeline.ask("Did the talks stop completely after Tuesday?").citations]
    assert any(q.startswith("Despite talks continuing") for q in quotes)


def test_a_place_named_earlier_in_the_paragraph_is_still_in_play(pipeline: Pipeline) -> None:
    # Rafah is named once, at the head of the paragraph about the threatened offensive.
    answer = pipeline.ask("How is Israel using the threat of a Rafah operation as leverage over Hamas?")
    assert not answer.abstained
    assert any("deterrent" in c.quote or "held over Hamas" in c.quote for c in answer.citations)


def test_a_bare_this_stands_for_what_the_paragraph_named_before(tmp_path: Path) -> None:
    strike = (
        "Port dispute\n"
        "A strike at the port of Rotterdam entered its third day on Monday. "
        "Shipping firms warned of delays across Europe. "
        "Union leaders are using this as leverage to win a pay rise.\n"
        "Ministers met in The Hague to discuss the budget. Farmers protested outside.\n"
    )
    p = pipeline_over(tmp_path / "data", tmp_path / "corpus", {"strike.txt": strike})
    answer = p.ask("How are unions using the strike at the port of Rotterdam?")
    assert any(c.quote.startswith("Union leaders are using this as leverage") for c in answer.citations)


def test_a_runner_up_without_what_is_asked_for_is_not_quoted(pipeline: Pipeline) -> None:
    # "What's the deal with X" asks about X, not for a deal; no sentence about a deal rides along.
    quotes = [c.quote for c in pipeline.ask("What's the deal with the phone calls?").citations]
    assert quotes == [
        "Behind the scenes, constant communication and phone calls are ongoing to work out the specific details."
    ]


def test_why_someone_holds_a_view_is_answered_by_the_view_and_the_grounds_after_it(pipeline: Pipeline) -> None:
    quotes = [c.quote for c in pipeline.ask("Why do experts think there is no need to worry yet?").citations]
    assert any(q.startswith("However, many experts believe") for q in quotes)
    assert any(q.startswith("Negotiations of this nature often involve") for q in quotes)


def test_the_sides_a_sentence_leaves_unnamed_are_spelled_out_by_the_next(pipeline: Pipeline) -> None:
    # "...the gaps between the two parties" says what the gaps are only with the sentence after it.
    quotes = [
        c.quote for c in pipeline.ask("How far apart are the two sides, and what is each of them after?").citations
    ]
    assert any(q.startswith("The open nature of these negotiations") for q in quotes)
    assert any(q.startswith("Israel insists on the return of all hostages") for q in quotes)
