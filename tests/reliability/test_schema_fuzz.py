"""Schema fuzzing: schemathesis (its `st` command) against /openapi.json of a real `rag serve`.

A short, bounded, reproducible run (seed 1, at most MAX_EXAMPLES cases per operation and
phase, no example database): valid and invalid requests (schemathesis' positive and
negative modes) through its examples, coverage, fuzzing and stateful phases. On /api and
the probes every check runs: no server error, status code, content type, headers and
body as documented, valid data accepted, invalid data rejected (413/415 count as
rejections: the body cap and the JSON-only rule are documented responses). /v1 (the
OpenAI-compatible endpoint) gets every check but positive_data_acceptance: a schema-valid
conversation can still hold no question to answer (only a tool message, or an assistant
message last), which the server refuses with a 422, as OpenAI's API refuses it. Its stream's
events are checked against the documented text/event-stream event schema.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.report import pytest_command, record
from tests.support import Server

pytestmark = pytest.mark.slow
MAX_EXAMPLES = 50
CONFIG = """
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "413", "415", "422", "428", "429"]
"""
RUNS = {
    "api": ["--exclude-path-regex", "^/v1/", "--checks", "all"],
    "v1": ["--include-path-regex", "^/v1/", "--checks", "all", "--exclude-checks", "positive_data_acceptance"],
}


def st(server: Server, workdir: Path, name: str, args: list[str]) -> dict[str, Any]:
    exe = shutil.which("st", path=str(Path(sys.executable).parent)) or "st"
    report = workdir / f"{name}.json"
    cmd = [
        exe,
        "--config-file",
        str(workdir / "schemathesis.toml"),
        "run",
        f"{server.url}/openapi.json",
        *args,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "1",
        "--generation-database",
        "none",
        "--generation-codec",
        "utf-8",
        "--request-timeout",
        "60",
        "--workers",
        "1",
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    done = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=600)
    assert report.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    result["stdout_tail"] = done.stdout[-4000:]
    return result


def test_schemathesis_finds_no_server_error_and_no_schema_breach(live_server: Server, tmp_path: Path) -> None:
    (tmp_path / "schemathesis.toml").write_text(CONFIG, encoding="utf-8")
    results = {name: st(live_server, tmp_path, name, args) for name, args in RUNS.items()}
    for name, result in results.items():
        assert result["complete"] and result["errors"] == [], (name, result["errors"], result["stdout_tail"])
        assert result["failures"] == [], (name, result["failures"], result["stdout_tail"])
        assert result["operations"]["tested"] == result["operations"]["selected"] > 0
    generated = sum(r["test_cases"]["generated"] for r in results.values())
    operations = sum(r["operations"]["tested"] for r in results.values())
    record(
        "fuzz-schemathesis",
        area="Bad input",
        what=(
            f"schemathesis on /openapi.json: {generated} generated requests, valid and invalid, over "
            f"{operations} operations (≤ {MAX_EXAMPLES} per operation and phase, seed 1)"
        ),
        result="0 server errors, 0 schema breaches (status, content type, headers, body), valid accepted, invalid rejected",
        command=pytest_command("tests/reliability/test_schema_fuzz.py"),
        generated=generated,
        operations=operations,
        seconds=round(sum(r["running_time"] for r in results.values()), 1),
    )
