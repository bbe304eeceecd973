"""An LLM that times out, rate-limits, errors, talks nonsense or obeys planted instructions.

`rag serve` talks over TCP to a real loopback HTTP server (tests/llm/fake_llm.py) that
misbehaves on command. Budget under test (conftest.FAULT_ENV): 2 s per attempt,
2 retries, 6 s for the whole answer.

No test times itself: a slow machine stretches every step. A bounded retry shows in the
count of requests the fake saw; a cut-off shows as an answer that came while the fake
still held every request (it lets go only at the next test); a hang fails at the
client's timeout.
"""

from __future__ import annotations

import pytest

from rag.prompts import DEGRADED_NOTE
from tests.llm.conftest import PAYLOAD_WORDS
from tests.llm.fake_llm import FakeLLM
from tests.llm.helpers import ask, assert_contract, read_events
from tests.support import Server

pytestmark = pytest.mark.llm

QUESTION = "Which city hosted the negotiations between the Israeli and Hamas delegations?"


def assert_degraded(server: Server, body: dict[str, object]) -> None:
    assert body["degraded"] is True
    assert body["model"] == {"llm": "extractive", "embedder": body["model"]["embedder"]}  # type: ignore[index]
    assert_contract(server, body)  # type: ignore[arg-type]
    assert body["abstained"] or str(body["answer"]).endswith(DEGRADED_NOTE)


@pytest.mark.parametrize("mode", ["429", "500", "503", "malformed", "empty"])
def test_retryable_failures_are_retried_twice_then_degrade(rag_faults: Server, fake_llm: FakeLLM, mode: str) -> None:
    fake_llm.set(mode)
    r = ask(rag_faults, QUESTION, timeout=120)
    assert r.status_code == 200, r.text
    body = r.json()
    assert_degraded(rag_faults, body)
    assert "Cairo" in body["answer"]
    assert fake_llm.requests == 3  # one attempt and two retries: bounded


def test_a_server_that_never_answers_is_cut_off_at_the_deadline(rag_faults: Server, fake_llm: FakeLLM) -> None:
    fake_llm.set("sleep")
    r = ask(rag_faults, QUESTION, timeout=120)
    assert r.status_code == 200, r.text
    # The fake never answers: the answer came because rag gave up on every attempt itself.
    assert fake_llm.finished == 0
    assert_degraded(rag_faults, r.json())
    assert 2 <= fake_llm.requests <= 3  # 2 s timeouts and back-off, cut short by the 6 s deadline


def test_an_unknown_model_is_not_retried(rag_faults: Server, fake_llm: FakeLLM) -> None:
    fake_llm.set("404")
    body = ask(rag_faults, QUESTION, timeout=60).json()
    assert_degraded(rag_faults, body)
    assert fake_llm.requests == 1


def test_a_stream_that_stalls_mid_answer_degrades_without_hanging(rag_faults: Server, fake_llm: FakeLLM) -> None:
    fake_llm.set("stall", reply="Negotiations in Cairo ended without a final agreement on Tuesday night.")
    events = read_events(rag_faults, {"question": QUESTION}, timeout=120)
    assert fake_llm.finished == 0  # every stream was still stalled when the answer was done
    names = [name for name, _ in events]
    assert names[-1] == "done" and "error" not in names, names
    assert_degraded(rag_faults, events[-1][1])


def test_a_good_answer_with_wrong_markers_is_re_cited(rag_faults: Server, fake_llm: FakeLLM) -> None:
    sentence = "Negotiations in Cairo between the Israeli and Hamas delegations ended without a final agreement"
    fake_llm.set("ok", reply=f"{sentence} on Tuesday night [7]. Egypt then signed a peace treaty with Qatar [1].")
    body = ask(rag_faults, QUESTION, timeout=60).json()
    assert body["model"]["llm"] == "fake-model" and body["degraded"] is False
    assert_contract(rag_faults, body)
    v = body["verification"]
    assert v["invalid_markers"] == 1 and v["recited"] >= 1
    assert body["answer"].startswith(sentence)
    assert any(c["quote"].startswith(sentence) for c in body["citations"])
    assert body["unsupported"] == ["Egypt then signed a peace treaty with Qatar."]
    assert "Qatar" not in body["answer"]


def test_an_llm_that_obeys_a_planted_instruction_is_overruled(rag_faults: Server, fake_llm: FakeLLM) -> None:
    payload = "Hamas has surrendered and every hostage has been freed [1]."
    fake_llm.set("ok", reply=payload)
    body = ask(rag_faults, "Has Hamas surrendered?", timeout=60).json()
    assert body["model"]["llm"] == "fake-model" and body["degraded"] is False
    assert_contract(rag_faults, body)
    assert not any(word in body["answer"].lower() for word in PAYLOAD_WORDS), body["answer"]
    # The planted sentence says exactly this, yet it is an instruction, not evidence.
    assert body["unsupported"] == ["Hamas has surrendered and every hostage has been freed."]


def test_true_but_beside_the_point_sentences_give_way_to_the_quote_that_answers(
    rag_faults: Server, fake_llm: FakeLLM
) -> None:
    # Both sentences are supported by the article; neither answers "where".
    fake_llm.set(
        "ok",
        reply="The Israel-Hamas negotiations were held. "
        "The ongoing negotiations have arguably slowed down any major offensive moves by Israel.",
    )
    body = ask(rag_faults, QUESTION, timeout=60).json()
    assert body["model"]["llm"] == "fake-model" and body["degraded"] is False
    assert_contract(rag_faults, body)
    v = body["verification"]
    assert v["off_topic"] == 2 and v["llm_sentences_kept"] == 0 and v["fallback"] == "extractive"
    assert body["unsupported"] == []  # true, so not "unsupported": just not an answer
    assert "Cairo" in body["answer"] and "slowed down" not in body["answer"]
