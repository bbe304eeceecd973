"""The web UI keeps working when RAG_API_KEY is set: the API's 401 offers a Basic challenge,
the browser asks for the key once and sends it with the page's every request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.helpers import Chat
from tests.reliability.report import pytest_command, record
from tests.support import Server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
KEY = "ui-key-7d3e"


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory, session_corpus: Path) -> Iterator[Server]:
    with Server(tmp_path_factory.mktemp("keyed"), session_corpus, env={"RAG_API_KEY": KEY}) as server:
        yield server


def test_the_ui_answers_once_the_browser_has_the_key(keyed: Server, browser: Browser) -> None:
    # A reader who typed the key into the browser's prompt (Playwright answers it here).
    context = browser.new_context(http_credentials={"username": "reader", "password": KEY})
    context.set_default_timeout(30_000)
    try:
        chat = Chat(context.new_page(), keyed.url).open()
        reply = chat.ask("Which former Israeli leader said that talking means not shooting?")
        assert reply.get_attribute("data-state") == "done"
        assert "Peres" in reply.inner_text()
        chat.assert_clean()
    finally:
        context.close()

    # Without the key the page still loads (a real browser would now show its password
    # prompt), and the API does not answer.
    context = browser.new_context()
    try:
        page = context.new_page()
        loaded = page.goto(keyed.url + "/")
        assert loaded is not None and loaded.status == 200
        denied = context.request.get(keyed.url + "/api/documents")
        assert denied.status == 401 and "Basic" in (denied.headers.get("www-authenticate") or "")
    finally:
        context.close()
    record(
        "access-ui-key",
        area="Access",
        what="the web UI in Chromium with RAG_API_KEY set",
        result="the page loads without the key; with the key given to the browser's Basic prompt the UI answers; without it the API is 401",
        command=pytest_command("tests/reliability/test_ui_key.py"),
    )
