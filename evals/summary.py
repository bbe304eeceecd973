"""What `rag eval` prints: a rich table on a terminal, plain lines anywhere else.

A CI log has no terminal width to lay a table of many suites out in (rich squeezes every
column to "…"), so off a terminal each suite gets one line of the figures a reader looks
at first, then the gate's verdict with every floor that failed.
"""

from __future__ import annotations

from typing import Any, TextIO

from evals.metrics import METRICS

# (label, metric) of a plain summary line, in the order a reader scans them.
PLAIN_COLUMNS = (
    ("correctness", "answer_correctness"),
    ("gold citation", "gold_citation"),
    ("precision", "citation_precision"),
    ("abstention", "refusal_recall"),  # abstained on the unanswerable items
    ("false abstention", "false_abstention"),
    ("p50", "latency_p50_ms"),
)
_FAILING_SHOWN = 12


def _fmt(value: Any, metric: str = "") -> str:
    if value is None:
        return "–"
    if metric.endswith("_ms"):
        return f"{value:.0f}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def plain_line(name: str, values: dict[str, Any], width: int = 0) -> str:
    """One suite's figures: ``cairo_dev: items 62, correctness 0.935, …, p50 14 ms``."""
    cells = [f"items {values.get('items', 0)}"]
    for label, metric in PLAIN_COLUMNS:
        unit = " ms" if metric.endswith("_ms") and values.get(metric) is not None else ""
        cells.append(f"{label} {_fmt(values.get(metric), metric)}{unit}")
    return f"{name + ':':<{width + 1}} " + ", ".join(cells)


def _check_text(check: dict[str, Any]) -> str:
    bound = "max" if check["kind"] == "max" else "floor"
    value = _fmt(check["value"], check["metric"])
    return f"{check['scope']} {check['metric']} {value} ({bound} {_fmt(check['bound'], check['metric'])})"


def plain_verdict(gate: dict[str, Any]) -> str:
    failed = [c for c in gate["checks"] if not c["ok"]]
    if not gate["checks"]:
        return "gate: passed (no floor applies to these suites)"
    if not failed:
        return f"gate: passed (all {len(gate['checks'])} floors hold)"
    return f"gate: FAILED {len(failed)} of {len(gate['checks'])} checks: " + "; ".join(map(_check_text, failed))


def print_plain(report: dict[str, Any], out: TextIO) -> None:
    """The summary for a log: a line per suite, the pooled line, failing items, the verdict."""
    suites = report["suites"]
    width = max((len(name) for name in [*suites, "all"]), default=3)
    print(f"rag eval: {report['metrics']['items']} items in {len(suites)} suite(s), judge: {report['judge']}", file=out)
    for name, values in suites.items():
        print(plain_line(name, values, width), file=out)
    print(plain_line("all", report["metrics"], width), file=out)
    failing = [r for r in report["items"] if r["failures"]]
    if failing:
        print(f"{len(failing)} item(s) with failures (first {_FAILING_SHOWN}):", file=out)
        for r in failing[:_FAILING_SHOWN]:
            print(f"  {_item_tag(r)}: {'; '.join(r['failures'])}", file=out)
    print(plain_verdict(report["gate"]), file=out, flush=True)


def _item_tag(r: dict[str, Any]) -> str:
    return f"{r['id']}{'/' + str(r['variant']) if r.get('variant') else ''}"


def print_table(report: dict[str, Any], console: Any) -> None:
    """The terminal view: every metric by suite, pooled, and against its floor."""
    from rich.table import Table

    suites = list(report["suites"])
    bounds = {c["metric"]: c for c in report["gate"]["checks"] if c["scope"] == "all"}
    table = Table(title=f"rag eval — {report['metrics']['items']} items, judge: {report['judge']}")
    table.add_column("metric")
    for name in suites:
        table.add_column(name, justify="right")
    table.add_column("all", justify="right", style="bold")
    table.add_column("floor", justify="right")
    for metric in ("items", "accuracy", *METRICS):
        row = [metric, *(_fmt(report["suites"][s].get(metric), metric) for s in suites)]
        row.append(_fmt(report["metrics"].get(metric), metric))
        c = bounds.get(metric)
        if c:
            mark = "[green]✓[/]" if c["ok"] else "[red]✗[/]"
            row.append(f"{'≤' if c['kind'] == 'max' else '≥'} {_fmt(c['bound'], metric)} {mark}")
        else:
            row.append("")
        table.add_row(*row)
    console.print(table)
    failing = [r for r in report["items"] if r["failures"]]
    if failing:
        console.print(f"[bold]{len(failing)} item(s) with failures[/] (first {_FAILING_SHOWN}):")
        for r in failing[:_FAILING_SHOWN]:
            console.print(f"  [yellow]{_item_tag(r)}[/]: {'; '.join(r['failures'])}", highlight=False)
    for check in report["gate"]["checks"]:
        if not check["ok"]:
            console.print(f"[red]gate failed[/]: {_check_text(check)}", highlight=False)
