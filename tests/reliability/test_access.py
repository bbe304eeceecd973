"""Who gets in: API key, CORS, rate limit, and the JSON 500 handler."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from rag.config import Settings
from server.main import create_app
from server.security import RateLimiter, presented_key
from tests.reliability.report import pytest_command, record
from tests.support import Server

KEY = "newsroom-key-5f1c9a"
ORIGIN = "http://newsroom.example"
LIMIT = 40
QUESTION = {"question": "Which former Israeli leader said that talking means not shooting?"}


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory, session_corpus: Path) -> Iterator[Server]:
    """`rag serve` with an API key, one allowed CORS origin and a rate limit."""
    env = {
        "RAG_API_KEY": KEY,
        "RAG_SERVER__CORS_ORIGINS": f'["{ORIGIN}"]',
        "RAG_SERVER__RATE_LIMIT_PER_MINUTE": str(LIMIT),
    }
    with Server(tmp_path_factory.mktemp("secured"), session_corpus, env=env) as server:
        yield server


def bearer(key: str = KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def basic(password: str, user: str = "reader") -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.mark.slow
def test_api_key_is_needed_on_api_and_v1_but_not_on_health_or_the_ui(secured: Server) -> None:
    with httpx.Client(base_url=secured.url, timeout=30) as c:
        refused = [
            c.post("/api/ask", json=QUESTION),
            c.post("/api/ask", json=QUESTION, headers=bearer("wrong-key")),
            c.post("/api/ask", json=QUESTION, headers=bearer(KEY + "x")),
            c.post("/api/ask", json=QUESTION, headers={"Authorization": KEY}),
            c.post("/api/ask", json=QUESTION, headers={"Authorization": f"Token {KEY}"}),
            c.post("/api/ask", json=QUESTION, headers=basic("wrong-key")),
            c.post("/api/ask/stream", json=QUESTION),
            c.get("/api/documents"),
            c.get("/api/documents/cairo-negotiations"),
            c.get("/api/no-such-route"),
            c.get("/v1/models"),
            c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]}),
        ]
        for r in refused:
            assert r.status_code == 401, (r.request.url, r.text)
            assert "API key" in r.json()["detail"]
            challenges = r.headers.get_list("www-authenticate")
            assert any(h.startswith("Bearer") for h in challenges) and any(h.startswith("Basic") for h in challenges)
        # The key is never echoed back.
        assert all(KEY not in r.text for r in refused)

        ok = c.post("/api/ask", json=QUESTION, headers=bearer())
        assert ok.status_code == 200 and "Peres" in ok.json()["answer"]
        assert c.get("/api/documents", headers=bearer()).status_code == 200
        # The browser's way (the UI): the key as the password of a Basic challenge.
        assert c.get("/api/documents", headers=basic(KEY)).status_code == 200
        # Open: probes, the UI and the API description.
        assert c.get("/healthz").status_code == 200
        assert c.get("/readyz").status_code == 200
        ui = c.get("/")
        assert ui.status_code == 200 and "text/html" in ui.headers["content-type"]
        spec = c.get("/openapi.json").json()
        assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
        assert "401" in spec["paths"]["/api/ask"]["post"]["responses"]
    record(
        "access-api-key",
        area="Access",
        what=f"{len(refused)} requests without a valid key (none, wrong, wrong scheme) on /api and /v1",
        result="all 401 with a Bearer/Basic challenge; the right key (Bearer or Basic) 200; /healthz, /readyz, UI open",
        command=pytest_command("tests/reliability/test_access.py"),
        refused=len(refused),
    )


@pytest.mark.slow
def test_cors_allows_only_the_configured_origin(secured: Server) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    with httpx.Client(base_url=secured.url, timeout=30) as c:
        good = c.options("/api/ask", headers={"Origin": ORIGIN, **preflight})
        assert good.status_code == 200
        assert good.headers["access-control-allow-origin"] == ORIGIN
        bad = c.options("/api/ask", headers={"Origin": "http://evil.example", **preflight})
        assert bad.status_code >= 400 and "access-control-allow-origin" not in bad.headers
        r = c.post("/api/ask", json=QUESTION, headers={"Origin": ORIGIN, **bearer()})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == ORIGIN
        r = c.post("/api/ask", json=QUESTION, headers={"Origin": "http://evil.example", **bearer()})
        assert "access-control-allow-origin" not in r.headers


def test_cors_is_closed_by_default(live_server: Server) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    with httpx.Client(base_url=live_server.url, timeout=30) as c:
        for origin in ("http://evil.example", "null", live_server.url.replace("127.0.0.1", "localhost")):
            r = c.options("/api/ask", headers={"Origin": origin, **preflight})
            assert "access-control-allow-origin" not in r.headers
            assert r.status_code >= 400
            r = c.get("/api/documents", headers={"Origin": origin})
            assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


def test_no_key_and_no_rate_limit_by_default(live_server: Server) -> None:
    with httpx.Client(base_url=live_server.url, timeout=30) as c:
        codes = [c.get("/api/documents").status_code for _ in range(60)]
    assert codes == [200] * 60


@pytest.mark.slow
def test_rate_limit_answers_429_with_retry_after_and_lets_the_client_back_in(secured: Server) -> None:
    with httpx.Client(base_url=secured.url, timeout=30) as c:
        codes = []
        limited: httpx.Response | None = None
        for _ in range(LIMIT + 5):
            r = c.get("/api/documents", headers=bearer())
            codes.append(r.status_code)
            if r.status_code == 429:
                limited = r
                break
        assert limited is not None, codes
        assert set(codes[:-1]) == {200}
        retry_after = int(limited.headers["retry-after"])
        assert 1 <= retry_after <= 60
        assert "Too many requests" in limited.json()["detail"] and limited.json()["retryable"] is True
        # Unauthenticated guessing is throttled too, and probes are never limited.
        assert c.get("/api/documents", headers=bearer("guess")).status_code == 429
        assert c.get("/healthz").status_code == 200 and c.get("/readyz").status_code == 200
        # Tokens refill at LIMIT per minute: after Retry-After the client is served again.
        import time

        time.sleep(retry_after + 0.2)
        assert c.get("/api/documents", headers=bearer()).status_code == 200
    record(
        "access-rate-limit",
        area="Access",
        what=f"a client over {LIMIT} requests/minute (RAG_SERVER__RATE_LIMIT_PER_MINUTE)",
        result=f"429 with Retry-After: {retry_after} after {len(codes) - 1} requests; served again after it",
        command=pytest_command(
            "tests/reliability/test_access.py::test_rate_limit_answers_429_with_retry_after_and_lets_the_client_back_in"
        ),
    )


def test_token_bucket_refills_at_the_configured_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(6, clock=lambda: now[0])  # 6 a minute: one every 10 s
    assert [limiter.take("a") for _ in range(6)] == [0.0] * 6
    assert limiter.take("a") == pytest.approx(10.0)
    assert limiter.take("b") == 0.0  # clients are independent
    now[0] = 5.0
    assert limiter.take("a") == pytest.approx(5.0)
    now[0] = 10.0
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0
    now[0] = 1000.0  # a long pause refills to the burst size, not beyond
    assert [limiter.take("a") for _ in range(7)].count(0.0) == 6


def test_presented_key_parses_bearer_and_basic_only() -> None:
    assert presented_key("Bearer abc") == "abc"
    assert presented_key("bearer   abc ") == "abc"
    assert presented_key("Basic " + base64.b64encode(b"anyone:abc").decode()) == "abc"
    assert presented_key("Basic " + base64.b64encode(b"abc").decode()) is None
    assert presented_key("Basic !!!") is None
    assert presented_key("Bearer") is None
    assert presented_key("abc") is None
    assert presented_key(None) is None


class _Exploding:
    """A pipeline whose every answer fails in a way no handler knows."""

    def ask(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail /srv/rag/x.py")


def test_unexpected_errors_become_json_500_without_a_stack_trace_and_are_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(data_dir=tmp_path), pipeline=_Exploding())  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="rag.server"), TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/ask", json=QUESTION)
    assert r.status_code == 500
    body = r.json()
    rid = body["request_id"]
    assert rid and rid in body["detail"]
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    logged = [rec for rec in caplog.records if rid in rec.getMessage()]
    assert logged and logged[0].exc_info is not None
