"""Checks every LLM test applies: the JSON contract holds whatever the model wrote."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from rag.prompts import ABSTENTION
from tests.support import Server

MARKER = re.compile(r"\[(\d+)\]")


def ask(server: Server, question: str, timeout: float = 90, **extra: Any) -> httpx.Response:
    return httpx.post(f"{server.url}/api/ask", json={"question": question, **extra}, timeout=timeout)


def assert_contract(server: Server, body: dict[str, Any]) -> None:
    """Every [n] has its citation and every citation its [n]; every quote is an exact span of its document."""
    markers = {int(n) for n in MARKER.findall(body["answer"])}
    assert markers == {c["n"] for c in body["citations"]}, body
    assert sorted(c["n"] for c in body["citations"]) == list(range(1, len(body["citations"]) + 1))
    texts: dict[str, str] = {}
    for c in body["citations"]:
        if c["doc_id"] not in texts:
            doc = httpx.get(f"{server.url}/api/documents/{c['doc_id']}", timeout=10)
            texts[c["doc_id"]] = doc.json()["text"]
        assert texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"], c
    if body["abstained"]:
        assert body["answer"].startswith(ABSTENTION) and body["citations"] == []
    else:
        assert body["citations"], body
    v = body["verification"]
    assert {"sentences", "supported", "dropped"} <= set(v), v
    assert isinstance(body["unsupported"], list)


def read_events(server: Server, payload: dict[str, Any], timeout: float = 90) -> list[tuple[str, dict[str, Any]]]:
    """POST /api/ask/stream as (event, data) pairs."""
    events: list[tuple[str, dict[str, Any]]] = []
    with httpx.stream("POST", f"{server.url}/api/ask/stream", json=payload, timeout=timeout) as r:
        assert r.status_code == 200, r.read()
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
