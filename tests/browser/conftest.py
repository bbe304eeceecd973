"""Playwright (sync API) driving Debian's chromium against a real `rag serve`.

Playwright's own browser download does not work on these machines, so the browser is
the system's chromium (`scripts/setup.sh --test` installs it); `RAG_CHROMIUM` overrides
the path. Every test module here is marked `browser`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, ViewportSize, sync_playwright

from tests.browser.helpers import CHROMIUM_ARGS, DESKTOP, PHONE, Chat
from tests.support import Server

CHROMIUM = os.environ.get("RAG_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no chromium at {CHROMIUM}: run `scripts/setup.sh --test` (or set RAG_CHROMIUM)")
    b = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


def _chat(browser: Browser, server: Server, viewport: ViewportSize) -> Iterator[Chat]:
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    context.set_default_timeout(20_000)
    chat = Chat(context.new_page(), server.url)
    try:
        yield chat
        # A safety net on top of each test's own checks: no uncaught error, ever.
        assert chat.page_errors == [], chat.page_errors
        assert chat.csp_violations() == []
    finally:
        context.close()


@pytest.fixture
def chat(browser: Browser, live_server: Server) -> Iterator[Chat]:
    """The chat page at desktop size (1280x800), not yet opened."""
    yield from _chat(browser, live_server, DESKTOP)


@pytest.fixture
def phone_chat(browser: Browser, live_server: Server) -> Iterator[Chat]:
    """The chat page at phone width (390x844), not yet opened."""
    yield from _chat(browser, live_server, PHONE)
