"""Lean HTTP clients for the benchmark, so the numbers measure the server, not the client.

* ``Sequential``: one keep-alive ``http.client`` connection, for per-request latency;
* ``load()``: N concurrent keep-alive connections on asyncio streams (a few dozen
  lines of HTTP/1.1), for throughput; it shares the machine's cores with the server,
  so it must cost little per request.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


class Sequential:
    def __init__(self, host: str, port: int, timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def request(self, method: str, path: str, payload: Any = None) -> tuple[int, bytes]:
        body = json.dumps(payload).encode() if payload is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        for attempt in (0, 1):
            try:
                self._conn.request(method, path, body=body, headers=headers)
                resp = self._conn.getresponse()
                return resp.status, resp.read()
            except (ConnectionError, http.client.HTTPException):
                self._conn.close()
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def ask(self, question: str) -> tuple[int, dict[str, Any], float]:
        """(status, body, client-side milliseconds) of one POST /api/ask."""
        t0 = time.perf_counter()
        status, raw = self.request("POST", "/api/ask", {"question": question})
        ms = (time.perf_counter() - t0) * 1000
        return status, json.loads(raw) if raw else {}, ms

    def close(self) -> None:
        self._conn.close()


@dataclass
class LoadResult:
    clients: int
    seconds: float
    ok: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _worker(
    host: str, port: int, questions: Sequence[str], offset: int, deadline: float, result: LoadResult
) -> None:
    bodies = [json.dumps({"question": q}).encode() for q in questions]
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    i = offset
    while time.perf_counter() < deadline:
        body = bodies[i % len(bodies)]
        i += 1
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            assert reader is not None
            writer.write(
                b"POST /api/ask HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                % (host.encode(), port, len(body))
                + body
            )
            status, payload = await asyncio.wait_for(_read_response(reader), timeout=60)
            ok = status == 200 and payload.startswith(b'{"answer"')
            kind = "" if ok else f"http {status}"
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError) as exc:
            ok, kind = False, type(exc).__name__
            if writer is not None:
                writer.close()
            reader = writer = None
        if ok:
            result.ok += 1
            result.latencies_ms.append((time.perf_counter() - t0) * 1000)
        else:
            result.errors += 1
            result.error_kinds[kind] = result.error_kinds.get(kind, 0) + 1
    if writer is not None:
        writer.close()


async def _load(host: str, port: int, questions: Sequence[str], clients: int, seconds: float) -> LoadResult:
    result = LoadResult(clients=clients, seconds=seconds)
    t0 = time.perf_counter()
    deadline = t0 + seconds
    await asyncio.gather(*(_worker(host, port, questions, k * 7, deadline, result) for k in range(clients)))
    result.seconds = time.perf_counter() - t0  # includes the requests in flight at the deadline
    return result


def load(host: str, port: int, questions: Sequence[str], clients: int, seconds: float) -> LoadResult:
    """``clients`` connections asking in a closed loop for ``seconds``."""
    try:
        import uvloop

        return uvloop.run(_load(host, port, questions, clients, seconds))  # type: ignore[no-any-return]
    except ImportError:
        return asyncio.run(_load(host, port, questions, clients, seconds))
