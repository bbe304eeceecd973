"""A misbehaving OpenAI-compatible server on loopback, for the failure paths of the LLM answerer.

A real HTTP server (``http.server`` in a thread), not a mock: ``rag serve`` talks to it
over TCP exactly as it talks to OpenAI. Switch its behaviour with ``mode``:

- ``ok``: streams ``reply`` as a chat completion (the tests' "obedient" model);
- ``sleep``: accepts the request and says nothing until the next ``set`` (or ``stop``);
- ``stall``: streams two pieces of ``reply`` then goes silent the same way (a mid-answer failure);
- ``429`` / ``500`` / ``503``: OpenAI-style error JSON with that status (429 with ``Retry-After``);
- ``404``: ``model_not_found``, as real servers answer an unknown model;
- ``malformed``: 200 with a body that is not a chat completion;
- ``empty``: a well-formed stream with no content at all;
- ``ideal``: the ideal model of a suite: for a question in ``oracle`` it answers with exactly
  the sentences that answer it (``oracle[question]``), each marked with the passage that holds
  it, or with the abstention phrase when none does (or the question is unanswerable: ``[]``);

``requests`` counts chat-completion requests, ``bodies`` keeps their JSON, ``finished``
counts the requests it has finished answering (or holding): all three since the last ``set``.
A test checks what a client did while the fake still held it, not how long it took.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_PASSAGE = re.compile(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', re.S)


class FakeLLM:
    def __init__(self) -> None:
        self.mode = "ok"
        self.reply = "The talks were held in Cairo [1]."
        self.requests = 0
        self.finished = 0
        self.bodies: list[dict[str, Any]] = []
        self.oracle: dict[str, list[str]] = {}
        self._generation = 0
        self._lock = threading.Lock()
        self._wake = threading.Event()  # set: every held request lets go
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
                else:
                    self._json(404, {"error": {"message": "no such route"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                with fake._lock:
                    fake.requests += 1
                    fake.bodies.append(body)
                    mode, generation, wake = fake.mode, fake._generation, fake._wake
                try:
                    fake._serve(self, mode, body, wake)
                finally:
                    with fake._lock:
                        if generation == fake._generation:
                            fake.finished += 1

            def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

        self._handler = Handler
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def set(self, mode: str, reply: str | None = None) -> None:
        with self._lock:
            self._wake.set()  # requests a previous test left held are let go, and not counted
            self._wake = threading.Event()
            self._generation += 1
            self.mode = mode
            if reply is not None:
                self.reply = reply
            self.requests = 0
            self.finished = 0
            self.bodies = []

    def stop(self) -> None:
        self._wake.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- behaviours ------------------------------------------------------------------------

    def _serve(self, h: Any, mode: str, body: dict[str, Any], wake: threading.Event) -> None:
        if mode in ("429", "500", "503"):
            headers = {"retry-after": "0"} if mode == "429" else None
            h._json(int(mode), {"error": {"message": f"fake {mode}", "type": "server_error", "code": mode}}, headers)
        elif mode == "404":
            h._json(404, {"error": {"message": "model not found", "type": "invalid_request_error",
                                    "code": "model_not_found"}})  # fmt: skip
        elif mode == "malformed":
            payload = b'data: {"choices": [{"delta": {"content": "half'
            h.send_response(200)
            h.send_header("content-type", "text/event-stream" if body.get("stream") else "application/json")
            h.end_headers()
            h.wfile.write(payload)
        elif mode == "sleep":
            wake.wait()
        elif mode == "empty":
            self._stream(h, [], body)
        elif mode == "ideal":
            reply = self.ideal_reply(body)
            words = reply.split(" ")
            self._stream(h, [w if i == len(words) - 1 else w + " " for i, w in enumerate(words)], body)
        elif mode == "stall":
            pieces = self.reply.split(" ")
            self._stream(h, [p + " " for p in pieces[:2]], body, stall=wake)
        else:
            words = self.reply.split(" ")
            self._stream(h, [w if i == len(words) - 1 else w + " " for i, w in enumerate(words)], body)

    def ideal_reply(self, body: dict[str, Any]) -> str:
        """Each answering sentence with the number of a passage holding it, or the abstention."""
        from rag.prompts import ABSTENTION

        prompt = str(body.get("messages", [{}])[-1].get("content", ""))
        question = prompt.rsplit("Question:", 1)[-1].split("\n(Standalone form:", 1)[0].strip()
        passages = {int(n): text for n, text in _PASSAGE.findall(prompt)}
        said = []
        for sentence in self.oracle.get(question, []):
            n = next((n for n, text in passages.items() if sentence in " ".join(text.split())), None)
            if n is not None:
                said.append(f"{sentence.rstrip('.')} [{n}].")
        return " ".join(said) or f"{ABSTENTION}."

    def _stream(self, h: Any, pieces: list[str], body: dict[str, Any], *, stall: threading.Event | None = None) -> None:
        if not body.get("stream"):
            message = {"role": "assistant", "content": "".join(pieces)}
            h._json(200, {"id": "fake", "object": "chat.completion", "created": 0, "model": "fake-model",
                          "choices": [{"index": 0, "message": message, "finish_reason": "stop"}]})  # fmt: skip
            return
        h.send_response(200)
        h.send_header("content-type", "text/event-stream")
        h.end_headers()

        def send(delta: dict[str, Any], finish: str | None = None) -> None:
            chunk = {"id": "fake", "object": "chat.completion.chunk", "created": 0, "model": "fake-model",
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}  # fmt: skip
            h.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            h.wfile.flush()

        try:
            send({"role": "assistant", "content": ""})
            for piece in pieces:
                send({"content": piece})
                time.sleep(0.01)
            if stall is not None:
                stall.wait()
                return
            send({}, "stop")
            h.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
