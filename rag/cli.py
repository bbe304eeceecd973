"""The `rag` command: ingest, ask, serve, eval. A thin shell over rag.pipeline."""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.errors import RagError

_M_ARENA_MAX = -8  # glibc's mallopt parameter number


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Cap glibc's malloc arenas for this process, as MALLOC_ARENA_MAX=2 would.

    glibc gives threads arenas of their own, up to 8 per core, and memory freed into one
    arena is not reused by another: an ingest, whose tokenizer, onnxruntime and chunking
    threads each allocate large short-lived buffers, peaked at 916 MB for 1,000 articles
    with the default and at 813 MB with two arenas, at the same speed
    (docs/performance.md). A server gained nothing from it (same throughput, 10 MB more),
    so only ``rag ingest`` asks for it, before it builds anything: glibc fixes its limit
    when threads first outnumber 8 arenas. MALLOC_ARENA_MAX in the environment, when set,
    wins; a libc without mallopt (musl) is left alone.
    """
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, arenas)


def _console(stderr: bool = False) -> Any:
    """A rich console; off a terminal (a CI log, a pipe, a file) it never wraps a line,
    so a long path or quote stays whole for whoever greps the log."""
    from rich.console import Console

    console = Console(stderr=stderr)
    console.soft_wrap = not console.is_terminal
    return console


def _pipeline(args: argparse.Namespace) -> Any:
    from rag.pipeline import Pipeline

    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    return Pipeline(Settings(), **overrides)


# Off a terminal, progress is a plain line at most this often (seconds): a log shows the
# ingest is alive without a line per document.
_PLAIN_PROGRESS_S = 10.0


@contextlib.contextmanager
def _ingest_progress(err: Any, *, quiet: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback: a live bar on a terminal; off one, an occasional plain line."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    if not err.is_terminal:
        last = [time.monotonic()]

        def plain(_doc_id: str, done: int, total: int) -> None:
            now = time.monotonic()
            if not quiet and total and (now - last[0] >= _PLAIN_PROGRESS_S or done == total):
                last[0] = now
                print(f"ingest: {done}/{total} documents", file=sys.stderr, flush=True)

        yield plain
        return
    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), TextColumn("{task.description}"))
    with Progress(TextColumn("[bold]ingest"), *columns, console=err, disable=quiet, transient=True) as bar:
        task = bar.add_task("", total=None)

        def live(doc_id: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=doc_id)

        yield live


def cmd_ingest(args: argparse.Namespace) -> int:
    limit_malloc_arenas()
    pipeline = _pipeline(args)
    paths = [Path(p) for p in (args.paths or [])]
    corpus = Path(args.corpus) if args.corpus else (paths[0] if len(paths) == 1 else pipeline.settings.corpus_dir)
    if len(paths) > 1:
        raise RagError("Give one corpus folder (or file); the index is synced to match it.")
    err = _console(stderr=True)
    with _ingest_progress(err, quiet=args.json) as progress:
        report = pipeline.ingest(corpus, progress=progress)
    for problem in report.errors:
        label = "metadata" if problem.reason == "metadata" else "skipped"
        err.print(f"[yellow]{label}[/]: {problem.message}", highlight=False)
    if args.json:
        # Scripts and tests read this line, never the human text above: every skipped
        # file is in "errors" with its path and a reason from rag.types.SkipReason.
        print(json.dumps(report.to_dict()))
    else:
        _console().print(
            f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}"
            + (f" ({report.retitled} retitled)" if report.retitled else "")
            + f", deleted {report.deleted}; {report.chunks} chunks in the index"
            + (f"; {report.duplicates} wire copies grouped" if report.duplicates else "")
        )
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    pipeline = _pipeline(args)
    if pipeline.status()["chunks"] == 0:
        pipeline.ingest()
    answer = pipeline.ask(args.question, top_k=args.top_k)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return 0
    console = _console()
    style = "yellow" if answer.abstained else ""
    if answer.short_answer:
        console.print(answer.short_answer, style="bold", highlight=False)
    console.print(answer.answer, style=style, highlight=False)
    for c in answer.citations:
        about = " · ".join(x for x in (c.source, c.published) if x)
        console.print(
            f"  [{c.n}] {c.title}{f' ({about})' if about else ''} [{c.doc_id} {c.start}-{c.end}]: “{c.quote}”",
            highlight=False,
            style="dim",
        )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.main import create_app

    settings = Settings()
    host = args.host or settings.server.host
    sock = _listen(host, settings.server.port if args.port is None else args.port)
    app = create_app(settings, ingest_if_empty=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The port actually bound (the OS's pick for --port 0): a script or test reads it here.
    port = sock.getsockname()[1]
    _console(stderr=True).print(f"rag serve: http://{host}:{port}/  (answerer: {settings.answerer_name})")
    sys.stderr.flush()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    server.run(sockets=[sock])
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port before the app starts, so port 0 can be given and
    reported, and a taken port is a clear error rather than a log line from uvicorn."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise RagError(
            f"Cannot listen on {host}:{port}: {exc.strerror}. Give another --port (0: any free one)."
        ) from exc
    sock.set_inheritable(True)
    return sock


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.runner import main as eval_main

    return int(eval_main(args.rest))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description="Grounded, cited question answering over news articles.")
    parser.add_argument("--data-dir", help="Index location (default: RAG_DATA_DIR or .rag).")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="Sync the index with a corpus folder.")
    p.add_argument("paths", nargs="*", help="Corpus folder (default: corpus/).")
    p.add_argument("--corpus", help="Corpus folder (same as the positional path).")
    p.add_argument("--json", action="store_true", help="Print the counts and skipped files as one JSON line.")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="Ask a question.")
    p.add_argument("question")
    p.add_argument("--top-k", type=int, default=None)
    p.add_argument("--json", action="store_true", help="Print the /api/ask object.")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("serve", help="Run the API and the web UI (ingests corpus/ first if the index is empty).")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None, help="Port (default: RAG_SERVER__PORT; 0: any free one, printed).")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", help="Run eval suites (see `rag eval --help`).", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_eval)
    return parser


def _parse(argv: list[str]) -> argparse.Namespace:
    # `rag eval` owns its options; argparse's REMAINDER would drop leading ones (`rag eval --suite S`).
    if "eval" in argv:
        cut = argv.index("eval") + 1
        args, extra = build_parser().parse_known_args(argv[:cut])
        if args.command == "eval" and not extra:
            args.rest = argv[cut:]
            return args
    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(list(sys.argv[1:] if argv is None else argv))
    try:
        return int(args.func(args))
    except RagError as exc:
        _console(stderr=True).print(f"[red]error[/]: {exc.message}", highlight=False)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
