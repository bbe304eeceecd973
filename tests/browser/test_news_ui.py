"""Outlet and date in the web UI: on each citation, in the source panel and in the library
(newest first), against a real `rag serve` over the news corpus (tests/data/news)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.helpers import Chat
from tests.conftest import NewsServer
from tests.support import ROOT

pytestmark = pytest.mark.browser

COST = "How much will the Harbor Bridge repair cost?"
CLOSED = "Who won the repair contract, and how many council members voted for the closure?"


@pytest.fixture
def news_chat(browser: Browser, news_server: NewsServer) -> Iterator[Chat]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
    context.set_default_timeout(30_000)
    chat = Chat(context.new_page(), news_server.server.url)
    try:
        yield chat
        assert chat.page_errors == [], chat.page_errors
        assert chat.csp_violations() == []
    finally:
        context.close()


def test_citations_panel_and_library_show_outlet_and_date(news_chat: Chat, news_server: NewsServer) -> None:
    chat = news_chat.open()
    # The library: newest first, each article with "Outlet · 21 Mar 2024"; undated ones without.
    docs = httpx.get(f"{news_server.server.url}/api/documents", timeout=10).json()["documents"]
    items = chat.page.locator("#doc-list .doc")
    expect(items).to_have_count(len(docs))
    expect(items.nth(0).locator(".doc-title")).to_have_text("Harbor Bridge repair contract goes to Northline Steel")
    expect(items.nth(0).locator(".doc-byline")).to_have_text("Example Wire · 21 Mar 2024")
    expect(items.nth(1).locator(".doc-byline")).to_have_text("Coastal Daily · 5 Mar 2024")
    expect(items.nth(1).locator(".doc-meta")).to_contain_text("wire copy of bridge-wire")
    expect(items.nth(2).locator(".doc-byline")).to_have_text("Metro Post · 4 Mar 2024")
    undated = chat.page.locator('#doc-list .doc[data-doc-id="river-cleanup"]')
    expect(undated.locator(".doc-byline")).to_have_count(0)
    assert [items.nth(i).get_attribute("data-doc-id") for i in range(len(docs))] == [d["doc_id"] for d in docs]

    # A citation of the wire story: its outlet and date, and the outlets that ran copies.
    reply = chat.ask(COST)
    expect(reply).to_have_attribute("data-state", "done")
    source = reply.locator(".source-item").first
    expect(source.locator(".source-byline")).to_have_text("Example Wire · 4 Mar 2024")
    expect(source.locator(".source-also")).to_have_text("Also in Metro Post (4 Mar 2024), Coastal Daily (5 Mar 2024)")

    # The source panel names the outlet and date (a link to the article) and the author.
    reply.locator("[data-cite]").first.click()
    panel = chat.page.locator("#source-panel")
    expect(panel.locator("mark")).to_be_visible()
    byline = panel.locator("#source-byline")
    expect(byline).to_have_text("Example Wire · 4 Mar 2024 · Dana Whitfield")
    expect(byline.locator("a")).to_have_attribute("href", "https://wire.example.org/2024/03/04/harbor-bridge")
    expect(panel.locator("[data-panel-cite] .source-byline").first).to_have_text("Example Wire · 4 Mar 2024")
    chat.assert_clean()


def test_an_answer_citing_articles_of_two_dates_shows_each_date(news_chat: Chat, news_server: NewsServer) -> None:
    body = httpx.post(f"{news_server.server.url}/api/ask", json={"question": CLOSED}, timeout=60).json()
    dates = {c["published"] for c in body["citations"]}
    assert len(dates) == 2, body["citations"]
    chat = news_chat.open()
    reply = chat.ask(CLOSED)
    bylines = reply.locator(".source-item .source-byline")
    expect(bylines).to_have_count(len(body["citations"]))
    shown = {bylines.nth(i).text_content() for i in range(len(body["citations"]))}
    assert shown == {"Example Wire · 21 Mar 2024", "Example Wire · 4 Mar 2024"}


def test_screenshot_of_citations_with_outlet_and_date(news_chat: Chat) -> None:
    """docs/news.md's screenshot; `RAG_NEWS_SCREENSHOT=docs/img/news-citations.png` writes it there."""
    chat = news_chat.open()
    chat.ask(COST)
    reply = chat.ask(CLOSED)
    chat.page.wait_for_function(
        "() => { const c = document.getElementById('conversation');"
        " return c.scrollHeight - c.scrollTop - c.clientHeight < 2; }"
    )
    reply.locator("[data-cite]").first.click()
    expect(chat.page.locator("#source-panel mark")).to_be_in_viewport()
    chat.page.evaluate("document.activeElement && document.activeElement.blur()")
    chat.page.wait_for_timeout(1300)  # the highlight's flash animation
    chat.assert_clean()
    data = chat.page.screenshot()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    target = os.environ.get("RAG_NEWS_SCREENSHOT")
    if target:
        out = Path(target) if Path(target).is_absolute() else ROOT / target
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
