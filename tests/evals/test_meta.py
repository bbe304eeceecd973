"""Meta-evaluation: the default judge tells hallucinated answers from faithful ones.

The answers (evals/meta/) were written by hand for the Cairo held-out questions and are
never used to tune the judge; they are scored exactly as a user would, through
`rag eval --suite cairo_heldout --predictions ...`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evals import runner
from evals.meta import build as meta_build

PREDICTIONS = Path(meta_build.OUT)


@pytest.fixture(scope="module")
def scored() -> list[dict[str, Any]]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = runner.main(["--suite", "cairo_heldout", "--predictions", str(PREDICTIONS), "--json", "--no-gate"])
    assert code == 0
    items: list[dict[str, Any]] = json.loads(out.getvalue())["items"]
    return items


def test_the_committed_predictions_match_their_source() -> None:
    assert meta_build.main(["--check"]) == 0


def test_hallucinated_answers_are_flagged(scored: list[dict[str, Any]]) -> None:
    bad = [i for i in scored if i["hallucinated"]]
    assert len(bad) >= 60
    assert {i["variant"] for i in bad} >= {
        "entity_swap",
        "time_swap",
        "negation",
        "antonym",
        "added_clause",
        "wrong_citation",
    }
    flagged = sum(i["faithful"] is False for i in bad)
    assert flagged / len(bad) >= 0.90
    for i in bad:
        if i["faithful"] is False:
            assert i["unsupported_claims"], i["id"]


def test_faithful_answers_are_not_flagged(scored: list[dict[str, Any]]) -> None:
    good = [i for i in scored if not i["hallucinated"]]
    assert len(good) >= 30
    assert sum(i["faithful"] is False for i in good) / len(good) <= 0.10


def test_wrong_citations_are_caught_even_when_the_text_is_true(scored: list[dict[str, Any]]) -> None:
    wrong = [i for i in scored if i["variant"] == "wrong_citation"]
    assert wrong and all(i["faithful"] is False and i["citation_recall"] < 1 for i in wrong)


def test_the_gate_fails_on_hallucinated_predictions(capsys: pytest.CaptureFixture[str]) -> None:
    code = runner.main(["--suite", "cairo_heldout", "--predictions", str(PREDICTIONS), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["gate"]["passed"] is False
    failed = {c["metric"] for c in report["gate"]["checks"] if not c["ok"]}
    assert "faithfulness" in failed
