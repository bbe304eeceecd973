"""POST /api/ask/stream against a real `rag serve`: token events, then the /api/ask object."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.support import Server


def read_events(server: Server, payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The stream as (event, data) pairs, parsed the way a browser's EventSource would."""
    events: list[tuple[str, dict[str, Any]]] = []
    with httpx.stream("POST", f"{server.url}/api/ask/stream", json=payload, timeout=30) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        name, data = "message", list[str]()
        for line in r.iter_lines():
            if line == "":
                if data:
                    events.append((name, json.loads("\n".join(data))))
                name, data = "message", []
            elif line.startswith("event:"):
                name = line[len("event:") :].strip()
            elif line.startswith("data:"):
                data.append(line[len("data:") :].removeprefix(" "))
    return events


def without_timings(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "timings_ms"}


@pytest.mark.parametrize(
    "question",
    [
        "Why did Hamas make a strategic move?",  # two sentences, two citations
        "Which former Israeli leader said that talking means not shooting?",
    ],
)
def test_stream_sends_tokens_then_a_done_equal_to_the_ask_object(live_server: Server, question: str) -> None:
    events = read_events(live_server, {"question": question})
    names = [name for name, _ in events]
    assert names[0] == "token", names
    assert names[-1] == "done" and names.count("done") == 1, names
    assert set(names[:-1]) == {"token"}, names
    assert all(isinstance(data["text"], str) and data["text"] for name, data in events if name == "token")

    done = events[-1][1]
    assert done["abstained"] is False and done["citations"]
    asked = httpx.post(f"{live_server.url}/api/ask", json={"question": question}, timeout=30).json()
    assert without_timings(done) == without_timings(asked)
    assert set(done["timings_ms"]) == set(asked["timings_ms"])
    # The answer arrives in pieces, not in one block at the end: at least one per cited sentence.
    assert names.count("token") >= len(done["citations"])


def test_an_abstention_streams_to_the_same_done_as_ask(live_server: Server) -> None:
    question = "What did the Egyptian foreign minister promise Qatar?"
    events = read_events(live_server, {"question": question})
    names = [name for name, _ in events]
    assert names[-1] == "done" and set(names[:-1]) <= {"token"}, names
    done = events[-1][1]
    assert done["abstained"] is True
    asked = httpx.post(f"{live_server.url}/api/ask", json={"question": question}, timeout=30).json()
    assert without_timings(done) == without_timings(asked)


def test_a_follow_up_with_history_streams_to_the_same_done_as_ask(live_server: Server) -> None:
    first = "Which former Israeli leader said that talking means not shooting?"
    answer = httpx.post(f"{live_server.url}/api/ask", json={"question": first}, timeout=30).json()["answer"]
    payload = {
        "question": "What did he say about shooting?",
        "history": [{"role": "user", "content": first}, {"role": "assistant", "content": answer}],
    }
    events = read_events(live_server, payload)
    assert events[-1][0] == "done"
    asked = httpx.post(f"{live_server.url}/api/ask", json=payload, timeout=30).json()
    assert without_timings(events[-1][1]) == without_timings(asked)


def test_stream_rejects_bad_input_before_streaming(live_server: Server) -> None:
    r = httpx.post(f"{live_server.url}/api/ask/stream", json={"question": "  "}, timeout=10)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/json")
    assert "question" in r.json()["detail"]
