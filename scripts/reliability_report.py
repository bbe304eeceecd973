#!/usr/bin/env python3
"""Render docs/reliability.md from what the reliability tests recorded.

The tests under tests/reliability/ (and scripts/load.py --record) each write one row to
reports/reliability/<key>.json when they pass. This script turns those rows into the
README's reliability section: a summary (bad inputs tried, faults injected and survived,
load held, data lost) and one table row per proof, with the command that reproduces it.

    .venv/bin/pytest -q tests/reliability tests/server/test_chroma_server.py
    .venv/bin/python scripts/load.py --serve --ingest --clients 32 --duration 300 --record load-soak
    .venv/bin/python scripts/reliability_report.py            # writes docs/reliability.md
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports" / "reliability"
AREAS = ["Bad input", "Access", "Prompt injection", "Faults", "Load"]

INTRO = """\
## Reliability and security

Bad input, hostile documents, faults and load, each made to happen for real against
`rag serve` (a subprocess on loopback) and proved by a test. The table is generated
from the tests' own output (`reports/reliability/*.json`) by
`scripts/reliability_report.py`; every row names the command that reproduces it.
"""

NOTES = """\
### Access

| setting | default | what it does |
| --- | --- | --- |
| `RAG_API_KEY` | unset (open) | `/api/*` and `/v1/*` need `Authorization: Bearer <key>` (compared in constant time); 401 otherwise. `/healthz`, `/readyz`, `/openapi.json` and the web UI stay open. |
| `RAG_SERVER__RATE_LIMIT_PER_MINUTE` | `0` (off) | per client address on `/api` and `/v1`: a burst of that many requests, then that many a minute; 429 with `Retry-After`. Unauthorised requests count too. |
| `RAG_SERVER__CORS_ORIGINS` | `[]` (closed) | JSON list of origins allowed to call the API from a browser, e.g. `'["https://intranet.example"]'`. |
| `RAG_SERVER__MAX_BODY_BYTES` | `65536` | larger bodies get 413 before they are read whole. |

**The web UI with a key set.** A 401 also carries a `WWW-Authenticate: Basic` challenge
and the key is accepted as the password of HTTP Basic auth (any user name). So the
browser itself asks for the key the first time the page calls the API and sends it with
every later request of that page; the UI needs no code for it. Scripts and other
clients use `Authorization: Bearer <key>`.

Every response carries `Content-Security-Policy` (`default-src 'self'`, no inline
script, `frame-ancestors 'none'`), `X-Content-Type-Options: nosniff`,
`Referrer-Policy: no-referrer`, `X-Frame-Options: DENY` and an `X-Request-ID` that the
server logs with any error. Unexpected errors are a JSON 500 naming that request id,
never a stack trace.

### Input

`question`: 1..2000 characters; control characters (NUL included) are removed and
whitespace trimmed, and something must be left. `top_k`: a JSON integer 1..20.
`history`: at most 20 turns, roles `user`/`assistant` only, 8000 characters each, turns
left empty are ignored. Unknown fields, non-JSON bodies (415), wrong methods (405 with
`Allow`) and unknown routes (404) all get a JSON error naming the problem. Document ids
are looked up, never joined into a path: anything that is not an indexed id is 404.

### Hostile documents

Sentences addressed to an assistant rather than a reader ("ignore previous
instructions…", "note to the AI: …", chat-template markup) are recognised by narrow
patterns (`rag/injection.py`) and are never quoted; a chunk made only of them is not
retrieved. The extractive answerer writes nothing but whole sentences of the corpus.

### Faults

- Chroma server (client/server mode) down or restarted: `/readyz` 503 at once, answers
  503 naming `CHROMA_HOST` within the catalog's 2 s check, recovery without restarting
  the API; a server that starts before Chroma keeps retrying (back-off to 30 s). A hung
  Chroma (accepts connections, answers nothing) costs a request at most ~18 s (15 s
  timeout, then a 3 s reconnection probe), then 503 at once until it answers again.
- `kill -9` during `rag ingest`: per document, new chunks are written, then the switch,
  then old chunks deleted; readers only see the active version, and the next ingest
  completes the sync exactly. Two ingests take turns on a lock (`RAG_DATA_DIR/ingest.lock`).
- An ingest beside a running embedded `rag serve` (two processes on one index): the
  server reopens the index when it sees the change, so new vectors are searchable.

### Load

`scripts/load.py` holds N concurrent clients (asyncio + httpx, loopback only, bounded
by `--duration` and `--requests`) asking questions from `evals/suites/*.jsonl`, and
reports requests, errors, p50/p95/p99, throughput and the server's RSS (psutil) at
start, each minute and at the end; `--serve --ingest` starts a server of its own and
keeps `rag ingest` rewriting 200 synthetic articles on its index the whole time. The
soak above ran on a 2-core machine shared with other work (load average 5-10), so its
latencies are those of a busy box; the burst row is closer to an idle one. Memory:
most growth is in the first minute (worker threads and allocator arenas warming up
under 32 concurrent requests); after that RSS rises by about 10 MB a minute while the
index grows from 1 to 201 documents and each ingest from another process makes the
embedded server reopen Chroma (a few MB of native memory per reopen, levelling off
after a few dozen). An ingest inside the server process or a Chroma server needs no
reopen.
"""


FAULT_NAMES = {
    "fault-chroma-server": "Chroma server down at start, killed, restarted and hung",
    "fault-corpus-files": "bad corpus files",
    "fault-data-dir": "corrupt data directory",
    "fault-ingest-beside-reader": "ingest beside a running reader",
    "fault-kill-ingest": "`kill -9` during ingest (twice)",
    "fault-model-package": "missing model package",
    "fault-reingest-consistency": "re-ingest while answering",
    "fault-two-ingests": "two ingests at once",
}


def load_rows(folder: Path) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(folder.glob("*.json")):
        try:
            row = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if {"key", "area", "what", "result", "command"} <= set(row):
            rows.append(row)
    return sorted(rows, key=lambda r: (AREAS.index(r["area"]) if r["area"] in AREAS else 99, r["key"]))


def clean_command(command: str) -> str:
    if command.startswith("scripts/"):
        command = ".venv/bin/python " + command
    command = re.sub(r"--pid \d+", "--pid <server pid>", command)
    return re.sub(r"/tmp/\S+", "<dir>", command)


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    by_key = {r["key"]: r for r in rows}
    bad = by_key.get("input-malformed", {}).get("data", {}).get("tried", 0)
    fuzz = by_key.get("fuzz-schemathesis", {}).get("data", {}).get("generated", 0)
    faults = [r for r in rows if r["area"] == "Faults"]
    names = [FAULT_NAMES.get(r["key"], r["key"]) for r in faults]
    out = [("Bad inputs tried", f"{bad} hand-written malformed requests + {fuzz} schemathesis cases; 0 server errors")]
    out.append(("Faults injected and survived", f"{len(faults)} of {len(faults)}: " + "; ".join(names)))
    soak = by_key.get("load-soak")
    if soak:
        d = soak["data"]
        out.append(
            (
                "Load held",
                f"{d['clients']} clients x {d['duration_s'] / 60:.0f} min, {len(d.get('ingest', {}).get('rounds', []))} "
                f"ingests of {d.get('ingest_articles', '?')} articles meanwhile: {d['requests']} requests, "
                f"{d['errors']} errors, p50 {d['latency_ms']['p50']} ms, p95 {d['latency_ms']['p95']} ms; "
                "server RSS by minute "
                + " → ".join(str(v) for v in d["rss_mb"].get("by_minute", [d["rss_mb"]["start"], d["rss_mb"]["end"]]))
                + f" MB ({d.get('cpu_count', '?')} cores, shared)",
            )
        )
    burst = by_key.get("load-burst")
    if burst:
        out.append(("Burst", burst["result"]))
    lost = [r["data"].get("data_lost") for r in rows if "data_lost" in r.get("data", {})]
    if lost:
        out.append(("Data lost", "none" if not any(lost) else f"{sum(lost)} (see the faults rows)"))
    return out


def render(rows: list[dict[str, Any]]) -> str:
    lines = [INTRO, "| | |", "| --- | --- |"]
    lines += [f"| **{k}** | {cell(v)} |" for k, v in summary(rows)]
    lines += ["", "| area | tried | result | reproduce |", "| --- | --- | --- | --- |"]
    for r in rows:
        lines.append(
            f"| {r['area']} | {cell(r['what'])} | {cell(r['result'])} | `{cell(clean_command(r['command']))}` |"
        )
    recorded = sorted(r.get("recorded", "") for r in rows)
    if recorded:
        lines += ["", f"Recorded {recorded[0][:10]} to {recorded[-1][:10]}; machine: see the load rows (`cpu_count`)."]
    lines += ["", NOTES]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reports", type=Path, default=REPORTS)
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "reliability.md", help="'-' for stdout")
    args = p.parse_args(argv)
    rows = load_rows(args.reports)
    if not rows:
        print(f"no rows under {args.reports}: run the reliability tests first", file=sys.stderr)
        return 1
    text = render(rows)
    if str(args.out) == "-":
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
