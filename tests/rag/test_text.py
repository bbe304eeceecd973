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
        # A short name stands alone: "US" is not in "using".
        ("us", "Israel is using this as a deterrent.", False),
    ],
)
def test_a_name_is_found_in_its_forms_but_not_inside_other_words(name: str, sentence: str, present: bool) -> None:
    assert T.entity_present(name, sentence.lower(), T.stems(sentence)) is present
