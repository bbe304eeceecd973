"""The thesaurus: a question word matches its own stem fully and a near-synonym at a discount."""

from __future__ import annotations

import pytest

from rag import text as T
from rag.lexicon import term_match


def _match(term: str, sentence: str) -> float:
    return term_match(term, sentence.lower(), T.stems(sentence))


@pytest.mark.parametrize(
    ("term", "sentence", "expected"),
    [
        ("insists", "Israel insisted on the return of all hostages.", 1.0),
        ("demand", "Israel insists on the return of all hostages.", 0.7),
        ("obtain", "Hamas is seeking to secure as many concessions as possible.", 0.7),
        ("sides", "Talks between the Israeli and Hamas delegations ended.", 0.7),
        ("realization", "It is driven by the recognition that this is their last chance.", 0.7),
        ("lives", "An offensive could lead to a significant loss of life.", 0.7),
        ("rounds", "Such talks go through iterations before progress is made.", 0.7),
        ("tension", "There is an apparent mismatch between the urgency and the threat.", 0.7),
        ("encourage", "This pressure may further incentivize Israel to strike a deal.", 0.7),
        # A phrase of the group counts as one of its words.
        ("private", "Behind the scenes, phone calls are ongoing.", 0.7),
        ("leader", "Prime Minister Netanyahu is under pressure.", 0.7),
        # ... only as a whole phrase.
        ("private", "The scenes behind the talks were tense.", 0.0),
        ("hotel", "Negotiations in Cairo ended without a final agreement.", 0.0),
    ],
)
def test_a_word_matches_itself_its_synonyms_and_their_phrases(term: str, sentence: str, expected: float) -> None:
    assert _match(term, sentence) == expected
