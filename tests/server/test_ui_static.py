"""The chat page's static files: served with a strict CSP, and nothing in them it would block."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support import Server


@pytest.mark.parametrize("path", ["/", "/app.js", "/style.css"])
def test_static_files_are_served_under_a_strict_csp(live_server: Server, path: str) -> None:
    r = httpx.get(live_server.url + path, timeout=10)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    if path == "/":
        # No inline script or style for the CSP to block: only the module file and the stylesheet.
        html = r.text
        assert re.findall(r"<script\b[^>]*>", html) == ['<script type="module" src="app.js">']
        assert "<style" not in html and " style=" not in html
        assert not re.search(r"\son[a-z]+\s*=", html)
    if path == "/app.js":
        assert "javascript" in r.headers["content-type"]
        assert ".innerHTML" not in r.text and "insertAdjacentHTML" not in r.text and "eval(" not in r.text
