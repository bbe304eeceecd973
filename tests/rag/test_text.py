"""Words, names and their forms, as the answerer reads them."""

from __future__ import annotations

import pytest

from rag import text as T


@pytest.mark.parametrize(
    ("name", "sentence", "present"),
    [
        ("israel", "Israel's army moved.", True),
        ("palestinian", "Palestinians gathered.", True),
        ("us", "The US said so.", True),
        # A nickname, and a capital for its government.
        ("bibi", "Prime Minister Netanyahu is under pressure.", True),
        ("washington", "Pressure from the United States grew.", True),
        # A short name stands alone: "US" is not in "using".
        ("us", "Israel is using this as a deterrent.", False),
    ],
)
def test_a_name_is_found_in_its_forms_but_not_inside_other_words(name: str, sentence: str, present: bool) -> None:
    assert T.entity_present(name, sentence.lower(), T.stems(sentence)) is present


@pytest.mark.parametrize(
    ("sentence", "timed"),
    [
        ("The talks ended on Tuesday night.", True),
        ("The talks resume in May.", True),
        # "may" the verb is no month.
        ("Efforts may be underway to reach a resolution.", False),
    ],
)
def test_a_time_is_a_time_word_not_a_modal_verb(sentence: str, timed: bool) -> None:
    assert T.has_time(sentence) is timed


def test_a_question_typed_in_lower_case_gets_back_the_names_its_context_capitalises() -> None:
    context = [
        "Talks between Israel and Hamas ended. Pressure on Israel grows, said Shimon Peres.",
        "Negotiations resumed in Cairo on Monday.",
    ]
    assert T.truecase("what did peres say about israel in cairo?", context) == (
        "what did Peres say about Israel in Cairo?"
    )
    # A sentence-initial capital is no name; a question capitalised beyond its first letter is
    # left as typed.
    assert T.truecase("why did negotiations end?", context) == "why did negotiations end?"
    assert T.truecase("What did peres say?", context) == "What did Peres say?"
    assert T.truecase("What did Peres say about israel?", context) == "What did Peres say about israel?"


def test_a_word_opening_a_line_is_no_name() -> None:
    context = ["Second story\n\nMarkets rose in Tokyo on Monday."]
    assert T.truecase("where did markets rise?", context) == "where did markets rise?"


def test_a_country_is_a_name_even_where_the_articles_never_mention_it() -> None:
    context = ["Talks between Israel and Hamas ended in Cairo."]
    assert T.truecase("what role is qatar playing in the talks?", context) == "what role is Qatar playing in the talks?"
    assert T.truecase("did the united states push for a deal?", context) == "did the United States push for a deal?"
