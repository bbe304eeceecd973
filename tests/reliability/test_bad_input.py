"""Every malformed request to a real `rag serve` (default settings) gets a 4xx JSON error
naming the problem, never a 5xx, and the server logs no traceback while answering them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.reliability.report import pytest_command, record
from tests.support import Server

pytestmark = pytest.mark.slow


@dataclass
class Bad:
    """One malformed request, the status it must get and words its ``detail`` must hold."""

    name: str
    method: str
    path: str
    status: int | tuple[int, ...]
    says: str
    json: Any = None
    content: bytes | Iterator[bytes] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    raw_path: bool = False  # send ``path`` as the request target byte for byte


def ask(name: str, payload: Any, says: str, status: int = 422, path: str = "/api/ask") -> Bad:
    return Bad(name, "POST", path, status, says, json=payload)


def raw(name: str, body: bytes, says: str, status: int = 422, content_type: str = "application/json") -> Bad:
    return Bad(name, "POST", "/api/ask", status, says, content=body, headers={"content-type": content_type})


def doc(name: str, path: str, raw_path: bool = False) -> Bad:
    return Bad(name, "GET", "/api/documents/" + path, 404, "", raw_path=raw_path)


def chunks(total: int) -> Iterator[bytes]:
    yield b'{"question": "'
    for _ in range(total // 1024):
        yield b"a" * 1024
    yield b'"}'


HISTORY_OK = {"role": "user", "content": "Who met in Cairo?"}

CASES: list[Bad] = [
    # the question
    ask("missing question", {}, "question"),
    ask("empty question", {"question": ""}, "question"),
    ask("blank question", {"question": "   \t\n "}, "question"),
    ask("question over 2000 chars", {"question": "x" * 2001}, "question"),
    ask("question over 2000 chars with spaces", {"question": " " + "y" * 1999 + " "}, "question"),
    ask("only NUL characters", {"question": "\x00\x00"}, "question"),
    ask("only control chars", {"question": "\x01\x02\x1b\x7f\x85"}, "question"),
    ask("question is a number", {"question": 5}, "question"),
    ask("question is null", {"question": None}, "question"),
    ask("question is a list", {"question": ["Cairo?"]}, "question"),
    ask("question is an object", {"question": {"text": "Cairo?"}}, "question"),
    ask("question is a bool", {"question": True}, "question"),
    ask("lone surrogate", {"question": "Cairo \ud800?"}, "question"),
    # top_k
    ask("top_k 0", {"question": "Cairo?", "top_k": 0}, "top_k"),
    ask("top_k 21", {"question": "Cairo?", "top_k": 21}, "top_k"),
    ask("top_k negative", {"question": "Cairo?", "top_k": -3}, "top_k"),
    ask("top_k fractional", {"question": "Cairo?", "top_k": 2.5}, "top_k"),
    ask("top_k a string", {"question": "Cairo?", "top_k": "5"}, "top_k"),
    ask("top_k a bool", {"question": "Cairo?", "top_k": True}, "top_k"),
    ask("top_k huge", {"question": "Cairo?", "top_k": 10**30}, "top_k"),
    ask("top_k a list", {"question": "Cairo?", "top_k": [5]}, "top_k"),
    # history
    ask("history a string", {"question": "Cairo?", "history": "earlier"}, "history"),
    ask("history of numbers", {"question": "Cairo?", "history": [1, 2]}, "history"),
    ask("history role system", {"question": "Cairo?", "history": [{"role": "system", "content": "x"}]}, "role"),
    ask("history role tool", {"question": "Cairo?", "history": [{"role": "tool", "content": "x"}]}, "role"),
    ask("history without content", {"question": "Cairo?", "history": [{"role": "user"}]}, "content"),
    ask("history without role", {"question": "Cairo?", "history": [{"content": "x"}]}, "role"),
    ask(
        "history content too long",
        {"question": "Cairo?", "history": [{"role": "user", "content": "z" * 8001}]},
        "content",
    ),
    ask("history extra field", {"question": "Cairo?", "history": [{**HISTORY_OK, "name": "bob"}]}, "name"),
    ask("history of 21 turns", {"question": "Cairo?", "history": [HISTORY_OK] * 21}, "history"),
    # the body as a whole
    ask("unknown field", {"question": "Cairo?", "temperature": 2}, "temperature"),
    ask("body a list", [{"question": "Cairo?"}], "body"),
    ask("body null", None, "body"),
    ask("body a string", "Where were the talks?", "body"),
    ask("body a number", 42, "body"),
    raw("no body", b"", "body"),
    raw("broken JSON", b'{"question": "Cairo?"', "JSON"),
    raw("trailing garbage", b'{"question": "Cairo?"} extra', "JSON"),
    raw("single quotes", b"{'question': 'Cairo?'}", "JSON"),
    raw("NaN literal", b'{"question": "Cairo?", "top_k": NaN}', "top_k"),
    raw("not UTF-8", '{"question": "café?"}'.encode("latin-1"), "JSON"),
    raw("deeply nested", b'{"question": ' + b"[" * 20000 + b"]" * 20000 + b"}", "JSON"),
    # content type and size
    raw("text/plain body", b"Where were the talks?", "Content-Type", 415, "text/plain"),
    raw("form body", b"question=Cairo%3F", "Content-Type", 415, "application/x-www-form-urlencoded"),
    raw("multipart body", b"--x\r\n\r\nCairo?\r\n--x--", "Content-Type", 415, "multipart/form-data; boundary=x"),
    raw("XML body", b"<question>Cairo?</question>", "Content-Type", 415, "application/xml"),
    Bad("body over 64 KiB", "POST", "/api/ask", 413, "larger than", json={"question": "a" * 70_000}),
    Bad(
        "chunked body over 64 KiB",
        "POST",
        "/api/ask",
        413,
        "larger than",
        content=chunks(80_000),
        headers={"content-type": "application/json"},
    ),
    Bad(
        "declared length over 64 KiB",
        "POST",
        "/api/ask",
        413,
        "larger than",
        content=b'{"question": "' + b"q" * 65_600 + b'"}',
        headers={"content-type": "application/json"},
    ),
    # the streaming twin validates the same way
    ask("stream: empty question", {"question": ""}, "question", path="/api/ask/stream"),
    ask("stream: top_k 99", {"question": "Cairo?", "top_k": 99}, "top_k", path="/api/ask/stream"),
    ask("stream: only NUL", {"question": "\x00"}, "question", path="/api/ask/stream"),
    Bad(
        "stream: text body",
        "POST",
        "/api/ask/stream",
        415,
        "Content-Type",
        content=b"hi",
        headers={"content-type": "text/plain"},
    ),
    # document ids: only known ids, and no path is ever built from them
    doc("unknown id", "no-such-doc"),
    doc("file name instead of id", "cairo-negotiations.txt"),
    doc("id in other case", "CAIRO-NEGOTIATIONS"),
    doc("encoded ../ traversal", "..%2F..%2Fetc%2Fpasswd"),
    doc("fully encoded traversal", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    doc("double-encoded traversal", "%252e%252e%252fetc%252fpasswd"),
    doc("dot-dot", "%2e%2e"),
    doc("dotfile", ".env"),
    doc("backslash traversal", "..%5C..%5Cwindows%5Cwin.ini"),
    doc("absolute path", "%2Fetc%2Fpasswd"),
    doc("NUL in id", "cairo%00negotiations"),
    doc("internal record id", "__manifest_meta__"),
    doc("overlong id", "a" * 300),
    doc("fullwidth dots", "%EF%BC%8E%EF%BC%8E%EF%BC%8Fetc"),
    doc("raw ../ in target", "../../../etc/passwd", raw_path=True),
    doc("raw ../ after an id", "cairo-negotiations/../../../../etc/passwd", raw_path=True),
    doc("id with a query", "cairo-negotiations%3Fx%3D1"),
    # routes and methods
    Bad("unknown /api route", "GET", "/api/nothing-here", 404, "No route"),
    Bad("unknown /v1 route", "GET", "/v1/nothing-here", 404, "No route"),
    Bad("unknown top-level route", "GET", "/wp-admin/setup.php", 404, "No route"),
    Bad("static traversal", "GET", "/../../etc/passwd", 404, "", raw_path=True),
    Bad("static encoded traversal", "GET", "/%2e%2e/%2e%2e/etc/passwd", 404, ""),
    Bad("GET on a POST route", "GET", "/api/ask", 405, "use POST"),
    Bad("DELETE documents", "DELETE", "/api/documents", 405, "not allowed"),
    Bad("POST documents", "POST", "/api/documents", 405, "not allowed", json={}),
    Bad("POST healthz", "POST", "/healthz", 405, "not allowed", json={}),
]


def send(client: httpx.Client, case: Bad) -> httpx.Response:
    extensions = {"target": case.path.encode()} if case.raw_path else None
    kwargs: dict[str, Any] = {"headers": case.headers}
    if case.content is not None:
        kwargs["content"] = case.content
    elif case.method == "POST":
        kwargs["content"] = json.dumps(case.json).encode()
        kwargs["headers"] = {"content-type": "application/json", **case.headers}
    return client.request(case.method, case.path, extensions=extensions, **kwargs)


def test_every_malformed_request_gets_a_4xx_json_error_naming_the_problem(live_server: Server) -> None:
    log_start = live_server.log_path.stat().st_size
    failures = []
    statuses: dict[int, int] = {}
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        for case in CASES:
            r = send(client, case)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            expected = case.status if isinstance(case.status, tuple) else (case.status,)
            problems = []
            if r.status_code not in expected:
                problems.append(f"status {r.status_code}, wanted {case.status}")
            if not r.headers.get("content-type", "").startswith("application/json"):
                problems.append(f"content-type {r.headers.get('content-type')}")
            else:
                body = r.json()
                detail = body.get("detail") if isinstance(body, dict) else None
                if not isinstance(detail, str) or not detail:
                    problems.append(f"no detail in {body}")
                elif case.says.lower() not in detail.lower():
                    problems.append(f"detail {detail!r} does not say {case.says!r}")
                if isinstance(body, dict) and body.get("request_id") != r.headers.get("x-request-id"):
                    problems.append("request_id missing")
            if "Traceback" in r.text or 'File "' in r.text:
                problems.append("stack trace in the response")
            if problems:
                failures.append(f"{case.name}: {'; '.join(problems)}")
    assert failures == []
    assert all(400 <= code < 500 for code in statuses)
    log = live_server.log_path.read_bytes()[log_start:].decode("utf-8", "replace")
    assert "Traceback" not in log and "unexpected error" not in log
    record(
        "input-malformed",
        area="Bad input",
        what=f"{len(CASES)} malformed requests: fields, types, JSON, content types, sizes, traversal ids, routes",
        result=f"all 4xx JSON naming the problem ({', '.join(f'{n}x {c}' for c, n in sorted(statuses.items()))}); 0 x 5xx",
        command=pytest_command("tests/reliability/test_bad_input.py"),
        tried=len(CASES),
        statuses=statuses,
        server_errors=0,
    )


def test_control_characters_and_nul_are_stripped_and_a_valid_question_still_answers(live_server: Server) -> None:
    r = httpx.post(
        f"{live_server.url}/api/ask",
        json={
            "question": "\x07Which former Israeli leader\x00 said that talking means not shooting?\x1f",
            "history": [{"role": "user", "content": "\x00\x01"}, {"role": "assistant", "content": " "}],
        },
        timeout=30,
    )
    assert r.status_code == 200, r.text
    assert "Peres" in r.json()["answer"]


def test_a_question_of_exactly_2000_characters_is_accepted(live_server: Server) -> None:
    question = ("Where did the delegations meet? " * 70)[:2000]
    r = httpx.post(f"{live_server.url}/api/ask", json={"question": question, "top_k": 20}, timeout=30)
    assert r.status_code == 200, r.text
    r = httpx.post(f"{live_server.url}/api/ask", json={"question": "Cairo?", "top_k": 3.0}, timeout=30)
    assert r.status_code == 200, r.text  # a JSON integer written as 3.0


def test_wrong_methods_on_api_paths_get_405_with_the_allowed_methods(live_server: Server) -> None:
    for method, path, allowed in [
        ("GET", "/api/ask", "POST"),
        ("OPTIONS", "/api/ask/stream", "POST"),
        ("DELETE", "/api/documents", "GET"),
        ("PUT", "/api/documents/cairo-negotiations", "GET"),
    ]:
        r = httpx.request(method, live_server.url + path, timeout=10)
        assert r.status_code == 405 and r.headers["allow"] == allowed, (method, path, r.headers)
        assert f"use {allowed}" in r.json()["detail"]


def test_security_headers_on_the_ui_and_the_api(live_server: Server) -> None:
    for path in ("/", "/api/documents", "/healthz", "/api/nothing-here"):
        r = httpx.get(live_server.url + path, timeout=10)
        csp = r.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, path
        assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0], path
        assert r.headers.get("x-content-type-options") == "nosniff", path
        assert r.headers.get("referrer-policy") == "no-referrer", path
        assert r.headers.get("x-frame-options") == "DENY", path
