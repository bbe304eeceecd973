"""The chat page in headless Chromium against a real `rag serve` (extractive, offline)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Route, expect

from tests.browser.helpers import PACE_STREAM, Chat, fake_answer, fulfill_stream, shown
from tests.support import ROOT, Server

pytestmark = pytest.mark.browser

TWO_CITATIONS = "Where were the talks held and what does Israel insist on?"
PERES = "Which former Israeli leader said that talking means not shooting?"
UNANSWERABLE = "What did the Egyptian foreign minister promise Qatar?"


def api_answer(server: Server, question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
    r = httpx.post(f"{server.url}/api/ask", json={"question": question, "history": history or []}, timeout=30)
    r.raise_for_status()
    body: dict[str, Any] = r.json()
    return body


def test_enter_streams_a_cited_answer_and_a_citation_opens_its_highlighted_source(
    chat: Chat, live_server: Server
) -> None:
    expected = api_answer(live_server, TWO_CITATIONS)
    assert len(expected["citations"]) == 2, "the question should draw a two-sentence, two-citation answer"
    chat.page.add_init_script(PACE_STREAM)
    chat.open()

    reply = chat.ask(TWO_CITATIONS)

    # Streamed text was on screen while the answer was still streaming, before `done`.
    stream = chat.page.evaluate("window.__stream")
    assert stream["events"][0] == "token" and stream["events"][-1] == "done"
    assert stream["events"].count("token") >= 2
    before_done = stream["beforeDone"]
    assert before_done["state"] == "streaming"
    first_sentence = shown(expected["answer"]).split(". ")[0]
    assert before_done["text"].startswith(first_sentence), before_done
    # ...and once done, the bubble holds the verified answer with live citation buttons.
    expect(reply).to_have_attribute("data-state", "done")
    answer_text = reply.locator(".answer-text")
    expect(answer_text).to_have_text(shown(expected["answer"]))
    # The reader's short answer (a name, a place) stands in bold above the quoted sentences.
    assert expected["short_answer"]
    expect(reply.locator(".short-answer")).to_have_text(expected["short_answer"])
    expect(answer_text).to_have_attribute("aria-live", "polite")
    expect(answer_text).to_have_attribute("aria-busy", "false")
    cites = reply.locator(".answer-text [data-cite]")
    expect(cites).to_have_count(2)
    assert [cites.nth(i).evaluate("e => e.tagName") for i in range(2)] == ["BUTTON", "BUTTON"]
    expect(reply.locator(".sources-list li")).to_have_count(2)

    # Clicking the first citation shows that exact quote, highlighted, in the article.
    first = chat.page.locator("[data-cite]").first
    n = int(first.get_attribute("data-cite") or "0")
    citation = next(c for c in expected["citations"] if c["n"] == n)
    first.click()
    panel = chat.page.locator("#source-panel")
    expect(panel).to_be_visible()
    mark = panel.locator("mark")
    expect(mark).to_have_count(1)
    expect(mark).to_be_visible()
    expect(mark).to_have_text(citation["quote"])
    expect(mark).to_be_in_viewport()
    expect(panel.locator("#source-eyebrow")).to_have_text(f"Source [{n}]")
    document = httpx.get(f"{live_server.url}/api/documents/{citation['doc_id']}", timeout=10).json()
    expect(panel.locator("#source-title")).to_have_text(document["title"])
    article = panel.locator("#source-text")
    assert re.sub(r"\s+", "", article.text_content() or "") == re.sub(r"\s+", "", document["text"])
    # The answer's other citations are listed with their quotes.
    listed = panel.locator("[data-panel-cite]")
    expect(listed).to_have_count(2)
    for i, cit in enumerate(expected["citations"]):
        expect(listed.nth(i)).to_contain_text(cit["quote"])
    expect(panel.locator(f"[data-panel-cite='{n}']")).to_have_attribute("aria-current", "true")

    # Choosing the second citation in the panel moves the highlight to its quote.
    other = next(c for c in expected["citations"] if c["n"] != n)
    panel.locator(f"[data-panel-cite='{other['n']}']").click()
    expect(mark).to_have_text(other["quote"])
    expect(mark).to_be_in_viewport()
    chat.assert_clean()
    assert chat.console_errors == []


def test_follow_up_sends_the_conversation_as_history_and_new_chat_clears_it(chat: Chat, live_server: Server) -> None:
    first = api_answer(live_server, PERES)
    chat.open()
    chat.ask(PERES)
    follow_up = "What did he say about shooting?"
    second = chat.ask(follow_up)
    expect(second).to_have_attribute("data-state", "done")

    assert chat.asks[0]["history"] == []
    assert chat.asks[1]["question"] == follow_up
    assert chat.asks[1]["history"] == [
        {"role": "user", "content": PERES},
        {"role": "assistant", "content": first["answer"]},
    ]

    chat.page.locator("[data-cite]").first.click()
    expect(chat.page.locator("#source-panel")).to_be_visible()
    chat.page.get_by_role("button", name="New chat").click()
    expect(chat.page.locator("#messages > li")).to_have_count(0)
    expect(chat.page.locator("#empty-state")).to_be_visible()
    expect(chat.page.locator("#source-panel")).to_be_hidden()
    expect(chat.box).to_be_focused()

    chat.ask(UNANSWERABLE)
    assert len(chat.asks) == 3
    assert chat.asks[2]["history"] == []
    chat.assert_clean()


def test_history_keeps_only_the_last_twenty_turns(chat: Chat) -> None:
    def answer(route: Route) -> None:
        question = (route.request.post_data_json or {})["question"]
        fulfill_stream(route, ("token", {"text": f"echo {question}"}), ("done", fake_answer(f"echo {question}")))

    chat.page.route("**/api/ask/stream", answer)
    chat.open()
    for i in range(12):
        chat.ask(f"question {i}")
    history = chat.asks[-1]["history"]
    assert len(history) == 20
    # 11 earlier exchanges are 22 turns: the oldest one is dropped, order is kept.
    assert history[0] == {"role": "user", "content": "question 1"}
    assert history[1] == {"role": "assistant", "content": "echo question 1"}
    assert history[-1] == {"role": "assistant", "content": "echo question 10"}
    assert [t["role"] for t in history] == ["user", "assistant"] * 10
    chat.assert_clean()


def test_markup_typed_as_a_question_is_shown_literally_and_never_runs(chat: Chat) -> None:
    chat.open()
    question = "<img src=x onerror=window.__pwned=1> <b>bold?</b>"
    reply = chat.ask(question)
    expect(reply).to_have_attribute("data-state", "done")
    expect(chat.page.locator(".msg-user-text")).to_have_text(question)
    assert chat.page.locator("#messages img, #messages b").count() == 0
    assert chat.page.evaluate("typeof window.__pwned") == "undefined"
    chat.assert_clean()


def test_markup_from_the_server_is_shown_as_text_too(chat: Chat) -> None:
    """Answers, quotes, titles and article text are data, never HTML."""
    evil = "<img src=x onerror=window.__pwned=1>"
    text = f"Intro line.\n{evil} is the quote.\nLast line <script>window.__pwned=2</script>"
    start = text.index(evil)
    quote = f"{evil} is the quote."
    cit = {
        "n": 1,
        "doc_id": "evil",
        "chunk_id": "evil:0",
        "title": f"Title {evil}",
        "quote": quote,
        "start": start,
        "end": start + len(quote),
        "score": 1.0,
    }
    doc = {"doc_id": "evil", "title": f"Title {evil}", "chunks": 1, "chars": len(text), "sha256": "0" * 64}
    chat.page.route("**/api/documents", lambda r: r.fulfill(json={"documents": [doc]}))
    chat.page.route("**/api/documents/evil", lambda r: r.fulfill(json={**doc, "text": text}))
    chat.page.route(
        "**/api/ask/stream",
        lambda r: fulfill_stream(
            r, ("token", {"text": f"{evil} [1]"}), ("done", fake_answer(f"Answer {evil} [1].", [cit]))
        ),
    )
    chat.open()
    expect(chat.page.locator("#doc-list .doc-title")).to_have_text(f"Title {evil}")
    reply = chat.ask("What is in the evil article?")
    expect(reply.locator(".answer-text")).to_have_text(f"Answer {evil} 1.")
    reply.locator("[data-cite='1']").click()
    expect(chat.page.locator("#source-panel mark")).to_have_text(quote)
    expect(chat.page.locator("#source-text")).to_contain_text("<script>window.__pwned=2</script>")
    assert chat.page.locator("#app img:not(.brand-logo), #app script").count() == 0
    assert chat.page.evaluate("typeof window.__pwned") == "undefined"
    chat.assert_clean()


def test_a_starter_question_asks_itself_and_gets_a_cited_summary(chat: Chat, live_server: Server) -> None:
    chat.open()
    starter = chat.page.get_by_role("button", name="What is this article about?")
    expect(starter).to_be_visible()
    starter.click()
    reply = chat.answers().first
    chat.settled(reply)
    expect(chat.page.locator(".msg-user-text").first).to_have_text("What is this article about?")
    expect(reply).not_to_have_attribute("data-abstained", "true")
    lead = api_answer(live_server, "What is this article about?")["citations"][0]["quote"]
    assert lead.startswith("Negotiations in Cairo")
    expect(reply.locator(".answer-text")).to_contain_text(lead.rstrip("."))
    assert reply.locator(".answer-text [data-cite]").count() >= 2
    expect(chat.page.locator("#empty-state")).to_be_hidden()
    chat.assert_clean()


def test_an_abstention_looks_different_from_an_answer(chat: Chat) -> None:
    chat.open()
    answered = chat.ask(PERES)
    abstained = chat.ask(UNANSWERABLE)
    expect(abstained).to_have_attribute("data-abstained", "true")
    expect(abstained.locator(".msg-label")).to_have_text("Not in the articles")
    expect(abstained.locator(".answer-text")).to_contain_text("The articles do not say")
    expect(abstained.locator("[data-cite]")).to_have_count(0)
    expect(answered).not_to_have_attribute("data-abstained", "true")
    expect(answered.locator(".msg-label")).to_have_text("Answer")

    def look(el: Any) -> dict[str, str]:
        style: dict[str, str] = el.evaluate(
            "e => { const s = getComputedStyle(e); return {bg: s.backgroundColor, border: s.borderTopStyle + ' ' + s.borderTopColor}; }"
        )
        return style

    assert look(abstained)["bg"] != look(answered)["bg"]
    assert look(abstained)["border"] != look(answered)["border"]
    chat.assert_clean()


def test_errors_are_shown_in_words_with_a_retry_that_works(chat: Chat) -> None:
    chat.page.route(
        "**/api/ask/stream",
        lambda r: r.fulfill(
            status=503,
            json={"detail": "The language model is unreachable; try again shortly.", "retryable": True},
            headers={"Retry-After": "5"},
        ),
    )
    chat.open()
    reply = chat.ask(PERES)
    expect(reply).to_have_attribute("data-state", "error")
    expect(reply.get_by_role("alert")).to_have_text("The language model is unreachable; try again shortly.")
    retry = reply.get_by_role("button", name="Retry")
    expect(retry).to_be_visible()

    # The server is back: Retry asks again, in place, and the failed turn is not history.
    chat.page.unroute("**/api/ask/stream")
    retry.click()
    expect(chat.page.locator("#messages .msg-error")).to_have_count(0)
    answers = chat.answers()
    expect(answers).to_have_count(1)
    chat.settled(answers.first)
    expect(answers.first).to_have_attribute("data-state", "done")
    expect(answers.first.locator("[data-cite]")).not_to_have_count(0)
    assert [a["question"] for a in chat.asks] == [PERES, PERES]
    assert chat.asks[1]["history"] == []
    expect(chat.page.locator(".msg-user")).to_have_count(1)
    chat.assert_clean()


def test_a_server_that_cannot_be_reached_or_fails_mid_answer_is_explained(chat: Chat) -> None:
    chat.page.route("**/api/ask/stream", lambda r: r.abort("connectionrefused"))
    chat.open()
    reply = chat.ask("Where were the talks held?")
    expect(reply.get_by_role("alert")).to_contain_text("Could not reach the server")
    expect(reply.get_by_role("button", name="Retry")).to_be_visible()

    chat.page.unroute("**/api/ask/stream")
    chat.page.route(
        "**/api/ask/stream",
        lambda r: fulfill_stream(
            r,
            ("token", {"text": "The talks were held"}),
            ("error", {"detail": "The answer failed halfway.", "retryable": True}),
        ),
    )
    reply = chat.ask("Where were the talks held, again?")
    expect(reply.get_by_role("alert")).to_have_text("The answer failed halfway.")
    expect(reply.locator(".partial")).to_contain_text("The talks were held")
    # Only the newest failure offers a retry.
    expect(chat.page.get_by_role("button", name="Retry")).to_have_count(1)
    chat.assert_clean()


def test_stop_aborts_an_answer_in_progress(chat: Chat) -> None:
    pending: list[Route] = []
    chat.page.route("**/api/ask/stream", lambda r: pending.append(r))
    chat.open()
    reply = chat.ask("Where were the talks held?", wait=False)
    stop = chat.page.get_by_role("button", name="Stop")
    expect(stop).to_be_visible()
    expect(reply).to_have_attribute("data-state", "waiting")
    stop.click()
    expect(reply).to_have_attribute("data-state", "error")
    expect(reply.get_by_role("alert")).to_have_text("Stopped.")
    expect(chat.page.get_by_role("button", name="Send")).to_be_visible()
    assert len(pending) == 1
    chat.assert_clean()


def test_degraded_answers_and_unsupported_sentences_are_flagged(chat: Chat) -> None:
    cit = {
        "n": 1,
        "doc_id": "cairo-negotiations",
        "chunk_id": "c:0",
        "title": "Cairo",
        "quote": "Negotiations in Cairo between the Israeli and Hamas delegations ended without a final agreement on Tuesday night.",
        "start": 0,
        "end": 113,
        "score": 0.9,
    }
    done = fake_answer(
        "The talks ended without agreement [1].",
        [cit],
        degraded=True,
        unsupported=["The talks will resume on Monday."],
    )
    chat.page.route("**/api/ask/stream", lambda r: fulfill_stream(r, ("token", {"text": "x"}), ("done", done)))
    chat.open()
    reply = chat.ask("How did the talks end?")
    expect(reply.locator(".note-degraded")).to_contain_text("language model was unavailable")
    unsupported = reply.locator(".note-unsupported")
    expect(unsupported).to_contain_text("1 sentence could not be verified")
    unsupported.locator("summary").click()
    expect(unsupported.locator("li")).to_have_text(["The talks will resume on Monday."])
    chat.assert_clean()


def test_keyboard_use_shift_enter_and_focus(chat: Chat) -> None:
    chat.open()
    box = chat.box
    box.click()
    box.type("first line")
    box.press("Shift+Enter")
    box.type("second line")
    expect(box).to_have_value("first line\nsecond line")
    assert chat.asks == [] and chat.answers().count() == 0
    box.fill("")
    expect(chat.page.get_by_role("button", name="Send")).to_be_disabled()
    # Empty or blank questions are not sent.
    box.press("Enter")
    box.fill("   ")
    box.press("Enter")
    assert chat.asks == []

    reply = chat.ask(PERES)
    cite = reply.locator("[data-cite]").first
    cite.focus()
    chat.page.keyboard.press("Enter")
    panel = chat.page.locator("#source-panel")
    expect(panel).to_be_visible()
    expect(chat.page.locator("#source-title")).to_be_focused()
    chat.page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(cite).to_be_focused()
    chat.assert_clean()


def test_the_library_lists_what_the_assistant_has_read(chat: Chat, live_server: Server) -> None:
    docs = httpx.get(f"{live_server.url}/api/documents", timeout=10).json()["documents"]
    chat.open()
    items = chat.page.locator("#doc-list .doc")
    expect(items).to_have_count(len(docs))
    expect(items.first.locator(".doc-title")).to_have_text(docs[0]["title"])
    expect(chat.page.locator("#library-count")).to_have_text("1 article")
    items.first.click()
    panel = chat.page.locator("#source-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#source-eyebrow")).to_have_text("Article")
    expect(panel.locator("#source-text")).to_contain_text("Shimon Peres")
    expect(panel.locator("mark")).to_have_count(0)
    chat.assert_clean()


def test_phone_width_has_no_horizontal_scroll_and_everything_is_reachable(
    phone_chat: Chat, live_server: Server
) -> None:
    chat = phone_chat
    chat.open()
    assert chat.horizontal_overflow() <= 0
    expect(chat.box).to_be_in_viewport()
    reply = chat.ask(PERES)
    expect(reply).to_have_attribute("data-state", "done")
    assert chat.horizontal_overflow() <= 0
    box = reply.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390

    # The library sits behind a toggle that says how many articles there are.
    toggle = chat.page.locator("#library-toggle")
    expect(toggle).to_have_text("Library (1)")
    expect(chat.page.locator("#library")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(chat.page.locator("#doc-list .doc")).to_be_visible()
    toggle.click()
    expect(chat.page.locator("#library")).to_be_hidden()

    # The source opens full-width over the chat, with the quote highlighted, and closes.
    cite = chat.page.locator("[data-cite]").first
    cite.click()
    panel = chat.page.locator("#source-panel")
    expect(panel).to_be_visible()
    panel_box = panel.bounding_box()
    assert panel_box is not None and panel_box["x"] >= 0 and panel_box["x"] + panel_box["width"] <= 390
    expect(panel.locator("mark")).to_be_in_viewport()
    assert chat.horizontal_overflow() <= 0
    chat.page.get_by_role("button", name="Close the source").click()
    expect(panel).to_be_hidden()
    expect(cite).to_be_focused()
    chat.assert_clean()


def test_screenshot_of_a_cited_answer_with_its_source_open(browser: Any, live_server: Server, tmp_path: Path) -> None:
    """Takes the README's screenshot; `RAG_UI_SCREENSHOT=docs/ui.png` writes it there too."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
    try:
        chat = Chat(context.new_page(), live_server.url).open()
        chat.ask(PERES)
        chat.ask(UNANSWERABLE)
        reply = chat.ask(TWO_CITATIONS)
        expect(chat.page.locator("#doc-list .doc")).to_have_count(1)
        # The chat follows the newest answer to its end (let the smooth scroll finish).
        chat.page.wait_for_function(
            "() => { const c = document.getElementById('conversation');"
            " return c.scrollHeight - c.scrollTop - c.clientHeight < 2; }"
        )
        reply.locator("[data-cite]").first.click()
        expect(chat.page.locator("#source-panel mark")).to_be_in_viewport()
        chat.page.evaluate("document.activeElement && document.activeElement.blur()")
        chat.page.wait_for_timeout(1300)  # let the highlight's flash animation finish
        chat.assert_clean()  # before the screenshot, which itself sets a style on the textarea
        path = tmp_path / "ui.png"
        chat.page.screenshot(path=str(path))
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1440, 900)
        target = os.environ.get("RAG_UI_SCREENSHOT")
        if target:
            out = Path(target) if Path(target).is_absolute() else ROOT / target
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
    finally:
        context.close()
