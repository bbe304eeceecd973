"""Compare two `rag eval --json` results: metric deltas and regressions item by item."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evals.metrics import METRICS, EvalInputError
from evals.runner import CEILING_METRICS

# A per-item score that drops by more than this is a regression.
TOLERANCE = 1e-9


def _key(item: dict[str, Any]) -> str:
    variant = item.get("variant")
    return f"{item['id']}/{variant}" if variant else str(item["id"])


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalInputError(f"cannot read eval result {path}: {exc}") from exc
    if not isinstance(data, dict) or "items" not in data or "metrics" not in data:
        raise EvalInputError(f"{path} is not a `rag eval --json` result")
    return data


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    old_items = {_key(i): i for i in old["items"]}
    new_items = {_key(i): i for i in new["items"]}
    regressions: list[dict[str, Any]] = []
    improvements: list[dict[str, Any]] = []
    for key, n in new_items.items():
        o = old_items.get(key)
        if o is None:
            continue
        changes = []
        for field in ("correct", "faithful"):
            if o.get(field) is True and n.get(field) is False:
                changes.append(("regression", f"{field}: true → false"))
            elif o.get(field) is False and n.get(field) is True:
                changes.append(("improvement", f"{field}: false → true"))
        for field in ("citation_recall", "citation_precision", "faithfulness"):
            ov, nv = o.get(field), n.get(field)
            if isinstance(ov, int | float) and isinstance(nv, int | float):
                if nv < ov - TOLERANCE:
                    changes.append(("regression", f"{field}: {ov:.2f} → {nv:.2f}"))
                elif nv > ov + TOLERANCE:
                    changes.append(("improvement", f"{field}: {ov:.2f} → {nv:.2f}"))
        for kind, what in changes:
            entry = {"id": key, "suite": n.get("suite"), "change": what, "answer": n.get("answer", "")}
            (regressions if kind == "regression" else improvements).append(entry)
    deltas: dict[str, dict[str, Any]] = {}
    for metric in ("accuracy", *METRICS):
        ov, nv = old["metrics"].get(metric), new["metrics"].get(metric)
        if isinstance(ov, int | float) and isinstance(nv, int | float):
            worse = nv > ov if metric in CEILING_METRICS else nv < ov
            deltas[metric] = {"old": ov, "new": nv, "delta": round(nv - ov, 4), "worse": worse and nv != ov}
        else:
            deltas[metric] = {"old": ov, "new": nv, "delta": None, "worse": False}
    return {
        "regressions": regressions,
        "improvements": improvements,
        "metrics": deltas,
        "only_old": sorted(set(old_items) - set(new_items)),
        "only_new": sorted(set(new_items) - set(old_items)),
    }


def compare_files(old: Path, new: Path) -> dict[str, Any]:
    return compare(_load(old), _load(new))


def print_comparison(result: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    table = Table(title="metrics: old → new")
    for col in ("metric", "old", "new", "Δ"):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for metric, d in result["metrics"].items():
        delta = "" if d["delta"] is None else f"{d['delta']:+.3f}"
        style = "red" if d["worse"] else ""
        table.add_row(metric, str(d["old"]), str(d["new"]), f"[{style}]{delta}[/]" if style else delta)
    console.print(table)
    if result["regressions"]:
        console.print(f"[red bold]{len(result['regressions'])} regression(s)[/]")
        for r in result["regressions"]:
            console.print(f"  [red]{r['id']}[/] ({r['suite']}): {r['change']}", highlight=False)
    else:
        console.print("[green]no regressions[/]")
    if result["improvements"]:
        console.print(f"{len(result['improvements'])} improvement(s)")
        for r in result["improvements"]:
            console.print(f"  [green]{r['id']}[/]: {r['change']}", highlight=False)
