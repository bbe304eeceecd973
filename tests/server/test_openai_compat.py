"""POST /v1/chat/completions against a real `rag serve` (extractive, no LLM): what OpenAI clients send."""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pytest

from tests.support import Server

QUESTION = "Where were the Israel-Hamas negotiations held?"
FOLLOW_UP = "When did they end?"


def complete(server: Server, payload: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/chat/completions", json=payload, timeout=30)


def ask(server: Server, question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
    r = httpx.post(f"{server.url}/api/ask", json={"question": question, "history": history or []}, timeout=30)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_v1_accepts_every_openai_role_and_reads_only_user_and_assistant_messages(live_server: Server) -> None:
    """System, developer, tool and function messages (and non-text parts) neither fail the request nor
    reach retrieval: the answer is the one /api/ask gives for the same question and user history."""
    decoy = "The negotiations were held in Paris, on a boat."
    messages = [
        {"role": "system", "content": decoy},
        {"role": "developer", "content": [{"type": "text", "text": decoy}]},
        {"role": "user", "content": QUESTION},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "search", "arguments": "{}"}}],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": [{"type": "text", "text": decoy}]},
        {"role": "function", "name": "search", "content": decoy},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": FOLLOW_UP},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
            ],
        },
        {"role": "tool", "tool_call_id": "call_2", "content": decoy},  # after the question: ignored too
    ]
    r = complete(live_server, {"model": "rag-news", "messages": messages})
    assert r.status_code == 200, r.text
    body = r.json()
    expected = ask(live_server, FOLLOW_UP, history=[{"role": "user", "content": QUESTION}])
    assert body["rag"]["answer"] == expected["answer"]
    assert body["rag"]["citations"] == expected["citations"]
    assert "Paris" not in body["choices"][0]["message"]["content"]


@pytest.mark.parametrize(
    "messages",
    [
        [{"role": "tool", "tool_call_id": "call_1", "content": "Cairo."}],
        [{"role": "system", "content": "Answer."}, {"role": "developer", "content": "Answer."}],
        [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "In Cairo."}, {"role": "tool"}],
    ],
)
def test_v1_without_a_user_question_last_is_422(live_server: Server, messages: list[dict[str, Any]]) -> None:
    r = complete(live_server, {"messages": messages})
    assert r.status_code == 422
    assert "last message must be the user's question" in r.json()["error"]["message"]


@pytest.mark.parametrize("value", [0, 1, "true", "false", [], {}])
def test_v1_stream_is_a_strict_boolean(live_server: Server, value: object) -> None:
    r = complete(live_server, {"messages": [{"role": "user", "content": QUESTION}], "stream": value})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("stream:") and r.json()["error"]["message"].startswith("stream:")


@pytest.mark.parametrize(("field", "value"), [("n", True), ("n", "1"), ("top_k", "3"), ("top_k", False)])
def test_v1_integers_are_not_coerced_from_strings_or_booleans(live_server: Server, field: str, value: object) -> None:
    r = complete(live_server, {"messages": [{"role": "user", "content": QUESTION}], field: value})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(f"{field}:")


def test_v1_stream_false_or_null_is_one_completion_and_true_is_an_event_stream(live_server: Server) -> None:
    messages = [{"role": "user", "content": QUESTION}]
    for value in (False, None):
        r = complete(live_server, {"messages": messages, "stream": value, "n": None})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json"), r.text
        assert r.json()["object"] == "chat.completion"
    with httpx.stream(
        "POST", f"{live_server.url}/v1/chat/completions", json={"messages": messages, "stream": True}, timeout=30
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        data = [line.removeprefix("data: ") for line in r.iter_lines() if line.startswith("data: ")]
    assert data[-1] == "[DONE]"
    chunks = [json.loads(d) for d in data[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["citations"]


def test_v1_openapi_schema_documents_the_event_stream_and_the_request(live_server: Server) -> None:
    spec = httpx.get(f"{live_server.url}/openapi.json", timeout=10).json()
    ok = spec["paths"]["/v1/chat/completions"]["post"]["responses"]["200"]
    assert set(ok["content"]) == {"application/json", "text/event-stream"}
    event = ok["content"]["text/event-stream"]["itemSchema"]
    assert event["required"] == ["data"] and event["properties"]["data"]["type"] == "string"
    schemas = spec["components"]["schemas"]
    assert set(schemas["ChatMessage"]["properties"]["role"]["enum"]) >= {
        "system",
        "developer",
        "user",
        "assistant",
        "tool",
    }
    stream_types = {t.get("type") for t in schemas["ChatRequest"]["properties"]["stream"]["anyOf"]}
    assert stream_types == {"boolean", "null"}


def test_the_openai_client_sends_tool_results_and_text_parts(live_server: Server) -> None:
    messages: list[Any] = [
        {"role": "developer", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": QUESTION}]},
    ]
    with openai.OpenAI(base_url=f"{live_server.url}/v1", api_key="unused", max_retries=0, timeout=30) as client:
        r = client.chat.completions.create(model="rag-news", messages=messages, stream=None)
        assert r.object == "chat.completion" and "Cairo" in (r.choices[0].message.content or "")
        messages += [
            {"role": "assistant", "content": r.choices[0].message.content},
            {"role": "tool", "tool_call_id": "call_1", "content": [{"type": "text", "text": "unused"}]},
            {"role": "user", "content": FOLLOW_UP},
        ]
        with client.chat.completions.create(model="rag-news", messages=messages, stream=True) as stream:
            chunks = list(stream)
    final = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(final) == 1 and (final[0].model_extra or {})["rag"]["abstained"] is False
