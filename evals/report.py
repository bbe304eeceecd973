"""Reports of a `rag eval` run: a self-contained HTML page and a Markdown summary."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from evals.metrics import METRICS

_CSS = """
*{box-sizing:border-box}body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;
background:#f6f7f9;color:#1d2330}main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}.sub{color:#5b6475;margin:0 0 16px}
.banner{padding:10px 14px;border-radius:8px;font-weight:600;margin:12px 0}.pass{background:#e3f6e8;color:#17642e}
.fail{background:#fde8e8;color:#9b1c1c}table{border-collapse:collapse;width:100%;background:#fff;
border:1px solid #dde1e8;border-radius:8px;overflow:hidden}th,td{padding:6px 10px;border-bottom:1px solid #eceef2;
text-align:right;font-variant-numeric:tabular-nums}th:first-child,td:first-child{text-align:left}
th{background:#eef1f5;font-weight:600}td.bad{color:#9b1c1c;font-weight:700}td.good{color:#17642e}
.item{background:#fff;border:1px solid #dde1e8;border-left:5px solid #2e9c4f;border-radius:8px;padding:12px 16px;
margin:12px 0}.item.failed{border-left-color:#d33}.head{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.id{font-weight:700;font-family:ui-monospace,monospace;margin-right:6px}.q{font-weight:600;margin:6px 0}
.badge{font-size:12px;padding:1px 8px;border-radius:10px;background:#eef1f5;color:#333}.badge.bad{background:#fde8e8;
color:#9b1c1c}.badge.ok{background:#e3f6e8;color:#17642e}.answer{margin:8px 0;padding:8px 10px;background:#fafbfc;
border-radius:6px}.unsup{background:#ffd9d9;text-decoration:underline wavy #d33;text-underline-offset:3px}
.abst{color:#7a5b00;font-style:italic}sup.cite{color:#1f5fbf;font-weight:700}ol.cites{margin:6px 0 0;
padding-left:22px;font-size:14px;color:#39404d}ol.cites li{margin:2px 0}.quote{font-style:italic}
.loc{color:#7b8494;font-size:12px;font-family:ui-monospace,monospace}.reasons{font-size:13px;color:#9b1c1c;
margin:6px 0 0}.ref{font-size:13px;color:#5b6475;margin-top:6px}.fails{font-size:13px;color:#9b1c1c;
font-weight:600;margin-top:4px}
"""


def _fmt(value: Any, metric: str = "") -> str:
    if value is None:
        return "–"
    if metric.endswith("_ms"):
        return f"{value:.0f} ms"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _sorted_items(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Failures first (most failures first), then the rest in suite order."""
    items = list(enumerate(report["items"]))
    items.sort(key=lambda p: (not p[1]["failures"], -len(p[1]["failures"]), p[0]))
    return [i for _, i in items]


def _answer_html(item: dict[str, Any]) -> str:
    esc = html.escape
    if item["abstained"]:
        return f'<div class="answer abst">{esc(item["answer"])}</div>'
    text = item["answer"]
    spans = []
    cursor = 0
    for s in item.get("sentences", []):
        at = text.find(s["text"], cursor)
        if at < 0:
            continue
        spans.append((at, at + len(s["text"]), s))
        cursor = at + len(s["text"])
    out = []
    cursor = 0
    for start, end, s in spans:
        out.append(_cites(esc(text[cursor:start])))
        body = _cites(esc(text[start:end]))
        if not s["supported"]:
            title = esc("; ".join(s["reasons"]) or "unsupported")
            body = f'<span class="unsup" title="{title}">{body}</span>'
        out.append(body)
        cursor = end
    out.append(_cites(esc(text[cursor:])))
    return f'<div class="answer">{"".join(out)}</div>'


def _cites(escaped: str) -> str:
    return re.sub(r"\[(\d{1,3})\]", r'<sup class="cite">[\1]</sup>', escaped)


def _item_html(item: dict[str, Any]) -> str:
    esc = html.escape
    failed = bool(item["failures"])
    badges = [f'<span class="badge">{esc(item["suite"])}</span>']
    if item.get("variant"):
        kind = "bad" if item.get("hallucinated") else "ok"
        badges.append(f'<span class="badge {kind}">{esc(str(item["variant"]))}</span>')
    badges.append(f'<span class="badge">{"answerable" if item["answerable"] else "unanswerable"}</span>')
    badges.append(_badge("correct", item["correct"]))
    if item.get("faithful") is not None:
        badges.append(_badge("faithful", item["faithful"]))
    if item.get("citation_recall") is not None:
        badges.append(f'<span class="badge">cit. recall {item["citation_recall"]:.2f}</span>')
        badges.append(f'<span class="badge">cit. precision {item["citation_precision"]:.2f}</span>')
    if item.get("retrieval_rank") is not None:
        rank = item["retrieval_rank"]
        badges.append(f'<span class="badge{" bad" if not rank else ""}">gold at rank {rank or "—"}</span>')
    if item.get("latency_ms") is not None:
        badges.append(f'<span class="badge">{item["latency_ms"]:.0f} ms</span>')
    cites = "".join(
        f'<li value="{c["n"]}"><span class="quote">“{esc(str(c.get("quote", "")))}”</span> '
        f'<span class="loc">{esc(str(c.get("doc_id", "")))} {c.get("start")}–{c.get("end")}</span></li>'
        for c in item["citations"]
    )
    reasons = "".join(
        f"<div>✗ {esc(s['claim'])} <span class='loc'>({esc('; '.join(s['reasons']))})</span></div>"
        for s in item.get("sentences", [])
        if not s["supported"]
    )
    return (
        f'<section class="item{" failed" if failed else ""}" id="{esc(item["id"])}">'
        f'<div class="head"><span class="id">{esc(item["id"])}</span>{"".join(badges)}</div>'
        f'<div class="q">{esc(item["question"])}</div>'
        f"{_answer_html(item)}"
        + (f'<ol class="cites">{cites}</ol>' if cites else "")
        + (f'<div class="reasons"><b>Unsupported claims</b>{reasons}</div>' if reasons else "")
        + (f'<div class="fails">{esc(" · ".join(item["failures"]))}</div>' if failed else "")
        + (f'<div class="ref">Reference: {esc(item["reference"])}</div>' if item.get("reference") else "")
        + "</section>"
    )


def _badge(label: str, ok: bool) -> str:
    return f'<span class="badge {"ok" if ok else "bad"}">{label} {"✓" if ok else "✗"}</span>'


def render_html(report: dict[str, Any]) -> str:
    esc = html.escape
    suites = list(report["suites"])
    checks = {(c["scope"], c["metric"]): c for c in report["gate"]["checks"]}
    head = "".join(f"<th>{esc(s)}</th>" for s in suites) + "<th>all</th><th>floor</th>"
    rows = []
    for metric in ("items", "accuracy", *METRICS):
        cells = []
        for scope in [*suites, "all"]:
            values = report["metrics"] if scope == "all" else report["suites"][scope]
            c = checks.get((scope, metric))
            cls = "" if c is None else (' class="good"' if c["ok"] else ' class="bad"')
            cells.append(f"<td{cls}>{_fmt(values.get(metric), metric)}</td>")
        c = checks.get(("all", metric)) or (checks.get((suites[0], metric)) if len(suites) == 1 else None)
        floor = "" if c is None else f"{'≤' if c['kind'] == 'max' else '≥'} {_fmt(c['bound'], metric)}"
        rows.append(f"<tr><td>{esc(metric)}</td>{''.join(cells)}<td>{floor}</td></tr>")
    passed = report["gate"]["passed"]
    failed_checks = [c for c in report["gate"]["checks"] if not c["ok"]]
    banner = (
        '<div class="banner pass">Gate passed: every gated metric clears its floor.</div>'
        if passed
        else '<div class="banner fail">Gate failed: '
        + esc(", ".join(f"{c['scope']} {c['metric']} {_fmt(c['value'], c['metric'])}" for c in failed_checks))
        + "</div>"
    )
    items = _sorted_items(report)
    n_failed = sum(1 for i in items if i["failures"])
    m = report["metrics"]
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>rag eval report</title><style>{_CSS}</style></head><body><main>"
        "<h1>rag eval report</h1>"
        f"<p class='sub'>{m['items']} items from {len(suites)} suite(s) · source: {esc(str(report.get('source', '')))}"
        f" · judge: {esc(report['judge'])} · {m['answered']} answered, {m['abstained']} abstained</p>"
        f"{banner}<h2>Metrics</h2><table><thead><tr><th>metric</th>{head}</tr></thead><tbody>{''.join(rows)}"
        f"</tbody></table><h2>Items ({n_failed} with failures, shown first)</h2>"
        + "".join(_item_html(i) for i in items)
        + "</main></body></html>\n"
    )


def render_markdown(report: dict[str, Any]) -> str:
    suites = list(report["suites"])
    checks = {(c["scope"], c["metric"]): c for c in report["gate"]["checks"]}
    lines = [
        "## rag eval",
        "",
        f"{'✅ gate passed' if report['gate']['passed'] else '❌ gate failed'} · {report['metrics']['items']} items · "
        f"judge `{report['judge']}`",
        "",
        "| metric | " + " | ".join(suites) + " | all | floor |",
        "|---|" + "---:|" * (len(suites) + 2),
    ]
    for metric in ("items", "accuracy", *METRICS):
        vals = [_fmt(report["suites"][s].get(metric), metric) for s in suites]
        c = checks.get(("all", metric))
        floor = "" if c is None else f"{'≤' if c['kind'] == 'max' else '≥'} {_fmt(c['bound'], metric)}"
        if c is not None and not c["ok"]:
            floor += " ❌"
        lines.append(f"| {metric} | {' | '.join(vals)} | {_fmt(report['metrics'].get(metric), metric)} | {floor} |")
    lines += _by_article(report)
    failing = [i for i in _sorted_items(report) if i["failures"]]
    if failing:
        lines += ["", f"### {len(failing)} item(s) with failures", ""]
        for i in failing:
            tag = f"{i['id']}{'/' + str(i['variant']) if i.get('variant') else ''}"
            lines.append(f"- `{tag}` ({i['suite']}): {'; '.join(i['failures'])}")
            for claim in i["unsupported_claims"]:
                lines.append(f"  - unsupported: {claim}")
    return "\n".join(lines) + "\n"


ARTICLE_METRICS = ("items", "answer_correctness", "gold_citation", "correct_abstention", "false_abstention")


def _by_article(report: dict[str, Any]) -> list[str]:
    """One row per article of the multi-article suites: held-out articles are judged apart."""
    articles = report.get("articles") or {}
    if not articles:
        return []
    lines = ["", "### By article", "", "| suite | article | " + " | ".join(ARTICLE_METRICS) + " |"]
    lines.append("|---|---|" + "---:|" * len(ARTICLE_METRICS))
    for key, m in articles.items():
        suite, doc = key.split("/", 1)
        lines.append(f"| {suite} | {doc} | " + " | ".join(_fmt(m.get(k), k) for k in ARTICLE_METRICS) + " |")
    return lines


def write_report(report: dict[str, Any], path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".md", ".markdown"):
        path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".html", ".htm"):
        path.write_text(render_html(report), encoding="utf-8")
    elif suffix in (".md", ".markdown"):
        path.write_text(render_markdown(report), encoding="utf-8")
    else:
        from evals.metrics import EvalInputError

        raise EvalInputError(f"unknown report type {path.suffix!r}: use .html or .md")
