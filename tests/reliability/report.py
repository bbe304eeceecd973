"""Tests record what they proved here; scripts/reliability_report.py renders the table.

Each passing test writes ``reports/reliability/<key>.json`` (the folder is not
committed): one row of the README's reliability table, with the numbers the test
measured and the command that reproduces it.
"""

from __future__ import annotations

import json
import time
from typing import Any

from tests.support import ROOT

REPORTS = ROOT / "reports" / "reliability"


def pytest_command(nodeid: str) -> str:
    return f".venv/bin/pytest -q '{nodeid}'"


def record(key: str, *, area: str, what: str, result: str, command: str, **data: Any) -> None:
    """Write one row: ``area`` groups rows, ``what`` was tried, ``result`` is what held."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    row = {
        "key": key,
        "area": area,
        "what": what,
        "result": result,
        "command": command,
        "data": data,
        "recorded": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    (REPORTS / f"{key}.json").write_text(json.dumps(row, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
