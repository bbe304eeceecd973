"""`rag eval`: run question suites, score every answer offline, gate on floors.

    rag eval                                   # the gate's suites ([gate] in thresholds.toml), in-process
    rag eval --all                             # every suite under evals/suites/ (per-suite floors only)
    rag eval --suite cairo_heldout --json      # one suite, one JSON object on stdout
    rag eval --suite S --predictions P.jsonl   # score saved predictions instead of asking
    rag eval --url http://127.0.0.1:8000       # ask a running server over HTTP
    rag eval --report out.html --report out.md # self-contained HTML page, Markdown summary
    rag eval --compare old.json new.json       # regressions item by item (exit 1 if any)

On a terminal the results are a table; off one (a CI log, a file) they are one plain line
per suite and the gate's verdict naming every floor that failed (evals/summary.py).

Exit status: 0 when every gated metric clears its floor in evals/thresholds.toml,
1 when one does not (or --compare finds regressions), 2 on bad input or an unreachable server.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from evals.metrics import (
    EvalInputError,
    Item,
    aggregate,
    default_suites,
    gate_suites,
    load_predictions,
    load_suite,
    resolve_suite,
    score_item,
)
from evals.summary import print_plain, print_table
from rag.protocols import Judge

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"
# Lower is better for these; their thresholds are ceilings.
CEILING_METRICS = frozenset({"latency_p50_ms", "latency_p95_ms", "false_abstention"})

Asker = Callable[[Item], dict[str, Any]]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="rag eval",
        description="Run eval suites and score faithfulness, citations and abstention offline.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 2)[1] if __doc__ else None,
    )
    p.add_argument("suites", nargs="*", metavar="SUITE", help="suite names or paths (same as --suite)")
    p.add_argument("--suite", action="append", default=[], metavar="S", help="a suite name or JSONL path; repeatable")
    p.add_argument("--predictions", type=Path, metavar="P", help="JSONL of /api/ask objects plus id, to score")
    p.add_argument("--url", help="ask a running server (POST URL/api/ask) instead of the in-process pipeline")
    p.add_argument("--api-key", help="bearer token for --url (default: RAG_API_KEY)")
    p.add_argument("--top-k", type=int, default=None, help="passages per question")
    p.add_argument("--json", action="store_true", help="print one JSON object {metrics, suites, items, gate}")
    p.add_argument("--output", type=Path, help="also write that JSON object to a file (for --compare)")
    p.add_argument("--report", type=Path, action="append", default=[], help="write out.html or out.md; repeatable")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"), help="compare two --json results")
    p.add_argument("--judge", choices=["lexical", "llm"], help="judge backend (default: the verify.judge setting)")
    p.add_argument("--thresholds", type=Path, default=THRESHOLDS, help="floors file (default evals/thresholds.toml)")
    p.add_argument("--all", action="store_true", help="every suite, not only the gate's (pooled floors not applied)")
    p.add_argument("--no-gate", action="store_true", help="report only; never exit 1 for a floor")
    return p


# -- answering ----------------------------------------------------------------------


def pipeline_asker(top_k: int | None) -> Asker:
    """Asks in-process: one pipeline per corpus, each with its own index under the data dir."""
    from evals.metrics import CORPORA_DIR
    from rag.config import Settings, get_settings
    from rag.pipeline import Pipeline

    base = Settings()
    pipelines: dict[str, Pipeline] = {}

    def pipeline_for(corpus: str) -> Pipeline:
        if corpus not in pipelines:
            settings = base
            if corpus:
                settings = get_settings(
                    base, corpus_dir=CORPORA_DIR / corpus, data_dir=base.data_dir / "eval-corpora" / corpus
                )
            pipeline = Pipeline(settings)
            if corpus or pipeline.status()["chunks"] == 0:
                pipeline.ingest()
            pipelines[corpus] = pipeline
        return pipelines[corpus]

    def ask(item: Item) -> dict[str, Any]:
        pipeline = pipeline_for(item.corpus)
        t0 = time.perf_counter()
        answer = pipeline.ask(item.question, top_k=top_k)
        latency = (time.perf_counter() - t0) * 1000
        out = answer.to_dict()
        out["contexts"] = [p.chunk.text for p in answer.passages]
        out["latency_ms"] = latency
        return out

    return ask


def http_asker(url: str, api_key: str | None, top_k: int | None) -> tuple[Asker, Callable[[], None]]:
    import httpx

    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    client = httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=120)

    def ask(item: Item) -> dict[str, Any]:
        body: dict[str, Any] = {"question": item.question}
        if top_k:
            body["top_k"] = top_k
        t0 = time.perf_counter()
        try:
            r = client.post("/api/ask", json=body)
        except httpx.HTTPError as exc:
            raise EvalInputError(f"cannot reach {url}: {exc}") from exc
        latency = (time.perf_counter() - t0) * 1000
        if r.status_code != 200:
            detail = r.text[:200]
            return {
                "answer": "",
                "abstained": False,
                "citations": [],
                "latency_ms": latency,
                "error": f"HTTP {r.status_code}: {detail}",
            }
        out = dict(r.json())
        out["latency_ms"] = latency  # no "contexts": retrieval metrics are null over HTTP
        return out

    return ask, client.close


def build_eval_judge(choice: str | None) -> Judge:
    from rag.config import Settings, get_settings
    from rag.pipeline import build_judge

    settings = Settings()
    if choice:
        settings = get_settings(settings, verify={"judge": choice})
    return build_judge(settings)


# -- running ------------------------------------------------------------------------


def run(
    items: Sequence[Item],
    judge: Judge,
    *,
    asker: Asker | None = None,
    predictions: Sequence[dict[str, Any]] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Score every item (asking ``asker``, or matching ``predictions`` by id). Returns (results, warnings)."""
    warnings: list[str] = []
    pairs: list[tuple[Item, dict[str, Any] | None]] = []
    if predictions is not None:
        by_id: dict[str, list[dict[str, Any]]] = {}
        for pred in predictions:
            by_id.setdefault(pred["id"], []).append(pred)
        known = {i.id for i in items}
        unknown = sorted(set(by_id) - known)
        if unknown:
            warnings.append(f"{len(unknown)} prediction(s) match no suite item: {', '.join(unknown[:5])}")
        missing = [i.id for i in items if i.id not in by_id]
        if missing:
            warnings.append(f"{len(missing)} item(s) have no prediction and are skipped: {', '.join(missing[:5])}")
        pairs = [(i, p) for i in items for p in by_id.get(i.id, [])]
        if not pairs:
            raise EvalInputError("no prediction matches any suite item")
    else:
        pairs = [(i, None) for i in items]
    results = []
    for done, (item, given) in enumerate(pairs):
        if progress:
            progress(done, len(pairs), item.id)
        if given is None:
            assert asker is not None
            given = asker(item)
        results.append(score_item(item, given, judge))
    if progress:
        progress(len(pairs), len(pairs), "")
    return results, warnings


def load_thresholds(path: Path | None) -> dict[str, Any]:
    if path is None or not path.is_file():
        return {}
    with path.open("rb") as f:
        return tomllib.load(f)


def gate(
    metrics: dict[str, Any], suites: dict[str, dict[str, Any]], thresholds: dict[str, Any], *, default_run: bool = True
) -> dict[str, Any]:
    """Check metrics against ``[floors]`` (pooled, on the default run of every suite) and ``[suite.NAME]``
    (that suite's own metrics, whenever it is run)."""
    checks = []

    def check(scope: str, values: dict[str, Any], floors: dict[str, Any]) -> None:
        for metric, bound in floors.items():
            if not isinstance(bound, int | float):
                continue
            value = values.get(metric)
            ceiling = metric in CEILING_METRICS
            ok = value is not None and (value <= bound if ceiling else value >= bound)
            if value is None and metric in ("retrieval_hit_rate", "mrr"):
                ok = True  # not measurable over HTTP: reported as null, not gated
            checks.append(
                {
                    "scope": scope,
                    "metric": metric,
                    "value": value,
                    "bound": bound,
                    "kind": "max" if ceiling else "min",
                    "ok": ok,
                }
            )

    if default_run:
        check("all", metrics, thresholds.get("floors", {}))
    for name, floors in thresholds.get("suite", {}).items():
        if name in suites:
            check(name, suites[name], floors)
    return {"passed": all(c["ok"] for c in checks), "checks": checks}


def evaluate(
    suite_paths: Sequence[Path],
    judge: Judge,
    *,
    asker: Asker | None = None,
    predictions: Sequence[dict[str, Any]] | None = None,
    thresholds: dict[str, Any] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    default_run: bool = True,
) -> dict[str, Any]:
    items = [item for path in suite_paths for item in load_suite(path)]
    results, warnings = run(items, judge, asker=asker, predictions=predictions, progress=progress)
    metrics = aggregate(results)
    suites = {
        name: aggregate([r for r in results if r["suite"] == name])
        for name in dict.fromkeys(r["suite"] for r in results)
    }
    articles = {
        f"{suite}/{doc}": aggregate([r for r in results if r["suite"] == suite and r["doc"] == doc])
        for suite, doc in dict.fromkeys((r["suite"], r["doc"]) for r in results if r.get("doc"))
    }
    return {
        "metrics": metrics,
        "suites": suites,
        "articles": articles,
        "gate": gate(metrics, suites, thresholds or {}, default_run=default_run),
        "judge": judge.name,
        "warnings": warnings,
        "items": results,
    }


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from rich.console import Console

    err = Console(stderr=True)
    err.soft_wrap = not err.is_terminal  # a log keeps each warning on one line
    try:
        if args.compare:
            from evals.compare import compare_files, print_comparison

            comparison = compare_files(*args.compare)
            if args.json:
                print(json.dumps(comparison, indent=2, ensure_ascii=False))
            else:
                print_comparison(comparison, Console())
            return 1 if comparison["regressions"] else 0

        for path in args.report:
            if path.suffix.lower() not in (".html", ".htm", ".md", ".markdown"):
                raise EvalInputError(f"unknown report type {path.suffix!r}: use .html or .md")
        names = [*args.suites, *args.suite]
        if args.thresholds != THRESHOLDS and not args.thresholds.is_file():
            raise EvalInputError(f"no thresholds file {args.thresholds}")
        floors = load_thresholds(args.thresholds)
        gated = floors.get("gate", {}).get("suites")
        if names:
            paths = [resolve_suite(n) for n in names]
        else:
            paths = default_suites() if args.all or not gated else gate_suites(gated)
        if not paths:
            raise EvalInputError("no suites found under evals/suites/")
        judge = build_eval_judge(args.judge)
        thresholds = {} if args.no_gate else floors
        predictions = load_predictions(args.predictions) if args.predictions else None
        close: Callable[[], None] = lambda: None  # noqa: E731
        asker: Asker | None = None
        if predictions is None:
            if args.url:
                import os

                asker, close = http_asker(args.url, args.api_key or os.environ.get("RAG_API_KEY"), args.top_k)
            else:
                asker = pipeline_asker(args.top_k)
        report = _with_progress(
            err,
            not args.json,
            lambda progress: evaluate(
                paths,
                judge,
                asker=asker,
                predictions=predictions,
                thresholds=thresholds,
                progress=progress,
                default_run=not names and not args.all,
            ),
        )
        close()
    except EvalInputError as exc:
        err.print(f"[red]error[/]: {exc}", highlight=False)
        return 2
    for warning in report["warnings"]:
        err.print(f"[yellow]warning[/]: {warning}", highlight=False)
    report["source"] = "predictions" if args.predictions else ("url" if args.url else "pipeline")
    report["suites_run"] = [str(p) for p in paths]
    text = json.dumps(report, indent=None if args.json else 2, ensure_ascii=False)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    for path in args.report:
        from evals.report import write_report

        write_report(report, path)
        err.print(f"report: {path}", highlight=False)
    if args.json:
        print(text)
    else:
        out = Console()
        if out.is_terminal:
            print_table(report, out)
        else:  # a CI log or a file: a table squeezed to no width shows nothing
            print_plain(report, sys.stdout)
    return 0 if report["gate"]["passed"] else 1


def _with_progress(console: Any, show: bool, work: Callable[[Callable[[int, int, str], None]], Any]) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("[bold]eval"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=console,
        disable=not (show and console.is_terminal),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, item_id: str) -> None:
            bar.update(task, completed=done, total=total, description=item_id)

        return work(progress)


if __name__ == "__main__":
    sys.exit(main())
