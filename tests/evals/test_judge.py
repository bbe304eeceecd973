"""The lexical judge's vetoes and fast path, claim splitting, and the LLM judge's plumbing."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from rag.config import Settings
from rag.errors import LLMUnavailableError
from rag.judge import LexicalJudge, LLMJudge, parse_entailment, split_clauses
from rag.pipeline import build_judge

EV = (
    "Harbor Rail said on Monday that it would cut 1,200 jobs at its plant in Doncaster, "
    "while the union is seeking to protect pensions."
)
EV2 = "The regulator did not approve the merger, citing concerns about higher fares."


@pytest.fixture(scope="module")
def judge() -> LexicalJudge:
    return LexicalJudge()


def test_a_verbatim_quote_with_its_marker_is_supported(judge: LexicalJudge) -> None:
    v = judge.judge(EV[:-1] + " [1].", [EV])
    assert v.supported and v.reasons == ("verbatim",)
    # A quoted fragment is verbatim too, unless it drops the negation right before it.
    assert judge.judge("approve the merger", [EV2]).supported is False


def test_a_faithful_paraphrase_is_supported(judge: LexicalJudge) -> None:
    assert judge.judge("Harbor Rail will cut 1,200 jobs at its Doncaster plant [2].", [EV]).supported
    assert judge.judge("No, the regulator did not approve the merger.", [EV2]).supported
    sued = ["Northwind Bank sued Castor Media over the leaked report, Harbor Rail said."]
    assert judge.judge("Northwind Bank has sued Castor Media over a leaked report.", sued).supported


@pytest.mark.parametrize(
    ("claim", "reason"),
    [
        ("Harbor Rail said it would cut 1,500 jobs at its plant in Doncaster.", "number not in evidence"),
        ("Harbor Rail said on Friday that it would cut 1,200 jobs at its plant.", "name not in evidence"),
        ("Harbor Rail said last week that it would cut 1,200 jobs.", "time not in evidence"),
        ("Harbor Rail said it would cut 1,200 jobs at its plant in Sheffield.", "name not in evidence"),
        ("Harbor Rail said it would not cut jobs at its plant in Doncaster.", "negat"),
        ("The regulator approved the merger, citing concerns about higher fares.", "evidence negates"),
        ("The regulator did not approve the merger, citing concerns about lower fares.", "antonym"),
        ("Harbor Rail said it would add 1,200 jobs at its plant in Doncaster.", "antonym"),
        ("Castor Media sued Northwind Bank over the leaked report.", "roles swapped"),
        ("Northwind Bank sued Harbor Rail over the leaked report.", "roles swapped"),
    ],
)
def test_vetoes(judge: LexicalJudge, claim: str, reason: str) -> None:
    evidence = [EV, EV2] if "regulator" in claim else [EV]
    if "sued" in claim:
        evidence = ["Northwind Bank sued Castor Media over the leaked report, Harbor Rail said."]
    v = judge.judge(claim, evidence)
    assert not v.supported
    assert any(reason in r for r in v.reasons), v.reasons


def test_an_added_unsupported_clause_fails_the_whole_claim(judge: LexicalJudge) -> None:
    base = "Harbor Rail said it would cut 1,200 jobs at its plant in Doncaster"
    assert judge.judge(base + ".", [EV]).supported
    v = judge.judge(base + ", and managers expect further redundancies across the network.", [EV])
    assert not v.supported and "low support" in v.reasons[0]


def test_the_wrong_sentence_does_not_support_a_claim(judge: LexicalJudge) -> None:
    assert not judge.judge("Harbor Rail will cut 1,200 jobs at its Doncaster plant.", [EV2]).supported


def test_split_clauses_at_semicolons_and_coordinated_clauses_but_not_noun_pairs() -> None:
    assert split_clauses("Israel wants all hostages back; Hamas wants concessions") == [
        "Israel wants all hostages back",
        "Hamas wants concessions",
    ]
    assert len(split_clauses("The council approved the plan, but opponents warned of higher costs")) == 2
    assert split_clauses("The Israeli and Hamas delegations met in Cairo") == [
        "The Israeli and Hamas delegations met in Cairo"
    ]


def test_build_judge_selects_the_backend() -> None:
    assert build_judge(Settings()).name == "lexical"
    settings = Settings(verify={"judge": "llm"}, openai_base_url="http://127.0.0.1:9/v1")
    assert isinstance(build_judge(settings), LLMJudge)


def _fake_openai(reply: str, seen: list[dict[str, object]]) -> openai.OpenAI:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        body = {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": reply}}],
        }
        return httpx.Response(200, json=body)

    return openai.OpenAI(
        base_url="http://llm.test/v1", api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )


def test_llm_judge_sends_the_entailment_prompt_claim_by_claim() -> None:
    seen: list[dict[str, object]] = []
    client = _fake_openai('{"supported": false, "reason": "The evidence says Doncaster."}', seen)
    judge = LLMJudge(Settings(llm_model="judge-model"), client=client)
    v = judge.judge("Harbor Rail will close its Sheffield plant [1].", [EV])
    assert v.supported is False and v.reasons == ("The evidence says Doncaster.",)
    assert seen[0]["model"] == "judge-model" and seen[0]["temperature"] == 0
    prompt = seen[0]["messages"][0]["content"]  # type: ignore[index]
    assert "Claim: Harbor Rail will close its Sheffield plant." in prompt and f"[1] {EV}" in prompt
    judge.judge("Harbor Rail will close its Sheffield plant [1].", [EV])
    assert len(seen) == 1  # cached


def test_llm_judge_errors_become_llm_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"error": {"message": "boom"}})

    client = openai.OpenAI(
        base_url="http://llm.test/v1",
        api_key="k",
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with pytest.raises(LLMUnavailableError):
        LLMJudge(Settings(), client=client).judge("A claim with words.", ["Evidence."])


@pytest.mark.parametrize(
    ("reply", "supported"),
    [
        ('{"supported": true, "reason": "stated"}', True),
        ('Sure! {"supported": false}', False),
        ("SUPPORTED - the evidence states it", True),
        ("Not supported: the date differs.", False),
        ("I cannot tell.", False),
    ],
)
def test_parse_entailment(reply: str, supported: bool) -> None:
    assert parse_entailment(reply).supported is supported
