"""Follow-ups read as standalone questions, so the reader sees a question it was trained on."""

from __future__ import annotations

import pytest

from rag.followups import condense, subject_of
from rag.types import Turn


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        ("Where were the trade talks held?", "When did they end?", "When did the trade talks end?"),
        ("What does the union demand?", "Why does it want that?", "Why does the union want that?"),
        ("What did Maria Lopez say?", "What office did she hold?", "What office did Maria Lopez hold?"),
        ("And what is the new law about?", "When was it signed?", "When was the new law signed?"),
        ("What is the company's plan?", "What is its cost?", "What is the company's plan's cost?"),
    ],
)
def test_a_pronoun_takes_the_subject_of_the_last_question(previous: str, follow_up: str, standalone: str) -> None:
    history = [Turn("user", previous), Turn("assistant", "An answer [1].")]
    assert condense(follow_up, history) == standalone


def test_without_a_subject_the_follow_up_borrows_the_topic_words() -> None:
    history = [Turn("user", "Who leads the delegation in the Geneva talks?")]
    assert subject_of("Who leads the delegation in the Geneva talks?") is None
    assert condense("When did they arrive?", history) == "When did they arrive? (leads delegation geneva talks)"


def test_a_standalone_question_is_left_alone() -> None:
    assert condense("Who is the mayor of Lyon?", [Turn("user", "Where is Lyon?")]) == "Who is the mayor of Lyon?"
    assert condense("When did they end?", []) == "When did they end?"
