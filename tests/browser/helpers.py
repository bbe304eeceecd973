"""A thin driver for the chat page, shared by the browser tests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import ConsoleMessage, Error, Locator, Page, Request, Route, ViewportSize, expect

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}

# Runs before the page's own scripts: records CSP violations so tests can assert none.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || ""));
});
"""

# Re-times the answer stream as the page sees it: every SSE event arrives as its own
# two pieces (split mid-line, to exercise the parser), with pauses in between, and just
# before the `done` event is handed over, the latest answer bubble is snapshotted. The
# server's answer is untouched; only its pacing changes.
PACE_STREAM = """
window.__stream = { events: [], beforeDone: null };
(() => {
  const original = window.fetch.bind(window);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const snapshot = () => {
    const items = document.querySelectorAll(".msg-assistant");
    const last = items[items.length - 1];
    if (!last) return null;
    return { state: last.dataset.state, text: last.querySelector(".answer-text").textContent };
  };
  window.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = typeof input === "string" ? input : input.url;
    if (!url.includes("/api/ask/stream") || !response.ok || !response.body) return response;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    let buffer = "";
    const body = new ReadableStream({
      async start(controller) {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf("\\n\\n")) !== -1) {
            const block = buffer.slice(0, end + 2);
            buffer = buffer.slice(end + 2);
            const name = (block.match(/^event: ?(.*)$/m) || [])[1] || "message";
            if (name === "done") {
              await sleep(400);
              window.__stream.beforeDone = snapshot();
            }
            window.__stream.events.push(name);
            const cut = Math.max(1, Math.floor(block.length / 2));
            controller.enqueue(encoder.encode(block.slice(0, cut)));
            await sleep(20);
            controller.enqueue(encoder.encode(block.slice(cut)));
            await sleep(150);
          }
        }
        if (buffer) controller.enqueue(encoder.encode(buffer));
        controller.close();
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
})();
"""


def sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def fake_answer(answer: str, citations: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """An /api/ask object, for routes that stand in for the server."""
    return {
        "answer": answer,
        "abstained": False,
        "citations": citations or [],
        "model": {"llm": "extractive", "embedder": "all-MiniLM-L6-v2-int8"},
        "timings_ms": {"total": 1.0},
        "unsupported": [],
        "verification": {},
        "degraded": False,
        **extra,
    }


def fulfill_stream(route: Route, *events: tuple[str, dict[str, Any]]) -> None:
    route.fulfill(
        status=200,
        headers={"content-type": "text/event-stream", "cache-control": "no-cache"},
        body="".join(sse(name, data) for name, data in events),
    )


def shown(answer: str) -> str:
    """The text a reader sees for an answer: each [n] marker becomes a button labelled n."""
    return re.sub(r"\[(\d+)\]", r"\1", answer)


@dataclass
class Chat:
    """The chat page in one browser context, with what went wrong in it."""

    page: Page
    base_url: str
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    asks: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.add_init_script(WATCH_CSP)
        self.page.on("pageerror", self._on_error)
        self.page.on("console", self._on_console)
        self.page.on("request", self._on_request)

    def _on_error(self, err: Error) -> None:
        self.page_errors.append(str(err))

    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.console_errors.append(msg.text)

    def _on_request(self, request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/api/ask/stream"):
            body = request.post_data_json
            assert isinstance(body, dict), body
            self.asks.append(body)

    # -- actions ----------------------------------------------------------------------

    def open(self) -> Chat:
        self.page.goto(self.base_url + "/")
        self.page.wait_for_selector("#app[data-ready='true']")
        return self

    @property
    def box(self) -> Locator:
        return self.page.get_by_label("Your question about the articles")

    def ask(self, question: str, *, wait: bool = True) -> Locator:
        """Type the question, press Enter, and (by default) wait until the answer settles."""
        before = self.page.locator(".msg-assistant").count()
        self.box.fill(question)
        self.box.press("Enter")
        reply = self.page.locator(".msg-assistant").nth(before)
        if wait:
            self.settled(reply)
        return reply

    def settled(self, reply: Locator) -> None:
        expect(reply).to_have_attribute("data-state", re.compile(r"^(done|error)$"))

    def answers(self) -> Locator:
        return self.page.locator(".msg-assistant")

    # -- checks -----------------------------------------------------------------------

    def csp_violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__cspViolations || []")
        return found

    def assert_clean(self) -> None:
        assert self.page_errors == [], self.page_errors
        assert self.csp_violations() == []
        assert self.page.locator("[style]").count() == 0, "inline style attributes would break under the CSP"

    def horizontal_overflow(self) -> int:
        overflow: int = self.page.evaluate(
            "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth"
        )
        return overflow
