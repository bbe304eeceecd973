"""Playwright (sync API) driving Debian's chromium against a real `rag serve`.

The `browser` fixture lives in tests/conftest.py: one Playwright session for the whole run,
since the sync API cannot be started twice in one thread. Every test module here is marked
`browser`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ViewportSize

from tests.browser.helpers import DESKTOP, PHONE, Chat
from tests.support import Server


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
