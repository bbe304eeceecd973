"""A question that takes for granted what the articles deny is not answered with the denial."""

from __future__ import annotations

import pytest

from rag.answerers.premises import asked_event, denied_terms, event_untold
from rag.pipeline import Pipeline
from rag.questions import analyse

DENIAL = "Negotiations in Cairo ended without a final agreement on Tuesday night."


@pytest.mark.parametrize(
    "question",
    [
        "When was the agreement signed?",
        "Since the deal was signed in Cairo, when will the hostages be released?",
        "What ceasefire terms did Hamas accept on Tuesday?",
        "When will the agreement be carried out?",
    ],
)
def test_a_question_assuming_what_the_sentence_denies_is_caught(question: str) -> None:
    assert denied_terms(analyse(question), DENIAL)


@pytest.mark.parametrize(
    "question",
    [
        # Asking whether, or asking about the absence itself, assumes nothing.
        "Did the talks end with an agreement?",
        "Why did the talks end without an agreement?",
        "What is the status of the agreement?",
        # What someone tried or hoped to do is not assumed done.
        "What were the two sides trying to agree on?",
    ],
)
def test_a_question_that_assumes_nothing_denied_is_left_alone(question: str) -> None:
    assert not denied_terms(analyse(question), DENIAL)


def test_a_contracted_denial_counts() -> None:
    assert denied_terms(analyse("What deal did they sign?"), "They didn't sign a deal.")


def test_a_denial_reaches_the_noun_it_denies_not_the_word_qualifying_it() -> None:
    # "without a conclusive agreement" denies an agreement, not that the talks concluded.
    sentence = "Negotiations in Cairo ended without a conclusive agreement."
    assert not denied_terms(analyse("On what day did the negotiations conclude?"), sentence)
    assert denied_terms(analyse("What agreement did they sign?"), sentence)
    # To agree is to reach an agreement.
    assert denied_terms(analyse("What did Israel agree to give up?"), sentence)


def test_a_denial_inside_quoted_words_is_the_speakers_not_the_articles() -> None:
    sentence = "Shimon Peres once remarked that 'while we're talking, we're not shooting.'"
    question = analyse("The article quotes a former leader about talking versus shooting - who was it?")
    assert not denied_terms(question, sentence)
    assert denied_terms(question, "Peres said they were not shooting.")


def test_a_false_premise_gets_an_abstention_not_the_sentence_that_denies_it(pipeline: Pipeline) -> None:
    assert pipeline.ask("What deal did the two sides reach on Tuesday?").abstained
    answered = pipeline.ask("Did the Cairo talks end with a final agreement?")
    assert not answered.abstained
    assert "without a final agreement" in answered.citations[0].quote


def test_a_denial_just_below_the_best_match_still_refutes_the_premise(pipeline: Pipeline) -> None:
    assert pipeline.ask("After the deal was signed, what did Netanyahu do?").abstained


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("Why did Hamas accept the deal?", "accept"),
        ("Why did the talks succeed?", "succeed"),
        ("Why did the United States stop pressuring Netanyahu?", "stop"),
        ("Why did the Israeli delegation leave early?", "leave"),
        # A light verb's object is the event; thinking and saying are not what is asked about.
        ("Why did Israel conduct targeted strikes?", "targeted"),
        ("Why do experts think there is no need to worry?", ""),
        ("What did Hamas accept?", "accept"),
        # What someone is asked to be about to do is the event; "going to happen" names none.
        ("Is Netanyahu going to resign?", "resign"),
        # How long something takes is no deed: "take so long" names nothing taken.
        ("Why do these talks take so long?", ""),
        ("Is Hamas willing to release all the hostages?", "release"),
        ("Is the Rafah offensive actually going to happen?", ""),
        # "What did <someone> <verb>?" asks for the object of a deed, which must have been done.
        ("What did the Israeli delegation eat in Cairo?", "eat"),
        ("What did Israel's war cabinet decide after the talks?", "decide"),
        ("What could push Israel toward a deal?", ""),
        ("What could a Rafah offensive cause?", ""),
        # After "is", only a participle is a deed: "What is the population of Rafah?" asks for none.
        ("What is Israel demanding as its core condition?", "demanding"),
        ("What is the population of Rafah?", ""),
        ("What is Hamas trying to get out of the talks?", ""),
    ],
)
def test_why_did_someone_do_something_takes_the_deed_for_granted(question: str, event: str) -> None:
    assert asked_event(question) == event


def test_a_deed_the_answering_sentences_never_tell_of_leaves_nothing_to_explain() -> None:
    assert event_untold("Why did Hamas accept the deal?", DENIAL)
    assert not event_untold("Why did the talks end without a deal?", DENIAL)
    # Failing is told by what did not happen, to what failed.
    assert not event_untold("Why did the talks fail?", DENIAL)
    assert event_untold("Why did the hostage rescue attempt fail?", DENIAL + " A rescue attempt caused casualties.")


DEMANDS = (
    "Israel insists on the return of all hostages, while Hamas is seeking to secure as many concessions as possible."
)


@pytest.mark.parametrize(
    ("question", "untold"),
    [
        # The deed is told of someone else: Israel insists on the hostages' return, Hamas seeks concessions.
        ("Why did Hamas demand the return of all hostages?", True),
        ("Is Hamas willing to release all the hostages?", True),
        ("Why does Israel insist on the return of all hostages?", False),
        ("Why did Hamas demand concessions?", False),
        ("What does Israel insist on in the talks?", False),
    ],
)
def test_a_deed_told_of_someone_else_is_not_told_of_the_one_asked_about(question: str, untold: bool) -> None:
    assert event_untold(question, DEMANDS) is untold


def test_a_pronoun_and_a_this_may_stand_for_the_doer_and_the_thing() -> None:
    sentence = "An Israeli offensive looms, but it is believed that this serves as a tool rather than a threat."
    assert not event_untold("Why does Israel threaten an offensive?", sentence)


def test_why_something_never_happened_is_not_answered(pipeline: Pipeline) -> None:
    assert pipeline.ask("Why did Hamas walk out of the talks?").abstained
    assert not pipeline.ask("Why did the talks fail?").abstained
