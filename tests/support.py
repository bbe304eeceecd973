"""Helpers the tests share: free ports, a real `rag serve` subprocess, waiting, a pipeline
over articles a test writes."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from rag.config import Settings
from rag.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "corpus" / "cairo-negotiations.txt"
# Invented news articles with front matter: a wire story and its copies, a follow-up, an
# undated article and bad front matter (tests/data/news).
NEWS = ROOT / "tests" / "data" / "news"


def pipeline_over(data_dir: Path, corpus: Path, articles: dict[str, str]) -> Pipeline:
    """An ingested default pipeline (extractive, embedded Chroma) over ``corpus`` once the
    ``articles`` (file name -> text) are written into it."""
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (corpus / name).write_text(text, encoding="utf-8")
    pipeline = Pipeline(Settings(data_dir=data_dir, corpus_dir=corpus, answerer="extractive"))
    pipeline.ingest()
    return pipeline


def free_port() -> int:
    """A port free a moment ago; another process can take it before it is bound. Only for a
    server that cannot bind port 0 itself, and then started with ``retry_taken_port``."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_SERVE_LINE = re.compile(rb"rag serve: http://[^\s/]+:(\d+)/")


def serve_port(proc: subprocess.Popen[bytes], log_path: Path, timeout: float = 120, start: int = 0) -> int:
    """The port `rag serve --port 0` bound, read from the line it logs before serving
    (past byte ``start`` of the log: earlier runs may have written to it)."""
    found: list[int] = []

    def logged() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"rag serve exited with {proc.returncode}; log:\n{log_path.read_text()[-3000:]}")
        match = _SERVE_LINE.search(log_path.read_bytes()[start:])
        if match:
            found.append(int(match.group(1)))
        return bool(found)

    deadline = time.monotonic() + timeout
    while not logged():
        if time.monotonic() > deadline:
            raise RuntimeError(f"rag serve logged no address in {timeout:.0f} s; log:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.1)
    return found[0]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess: no OpenAI or Chroma settings unless given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_", "CHROMA_"))}
    env.update(extra)
    return env


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:
            pass
        time.sleep(interval)
    return False


class Server:
    """`rag serve` in a subprocess on a loopback port the OS picks (``--port 0``), ready
    when /readyz is 200. ``port`` and ``url`` are known once it has started."""

    _count = itertools.count()

    def __init__(
        self, data_dir: Path, corpus: Path, *, env: dict[str, str] | None = None, log_dir: Path | None = None
    ) -> None:
        self.port = 0
        self.data_dir = data_dir
        self.corpus = corpus
        self.log_path = (log_dir or data_dir) / f"serve-{os.getpid()}-{next(Server._count)}.log"
        self.env = clean_env(RAG_DATA_DIR=str(data_dir), RAG_CORPUS_DIR=str(corpus), **(env or {}))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        assert self.port, "the server has not started"
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 240, *, ready: bool = True) -> Server:
        """Start and wait for /readyz 200 (or only /healthz 200 with ``ready=False``)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        rag = shutil.which("rag", path=str(Path(sys.executable).parent)) or "rag"
        with self.log_path.open("ab") as log:  # the child keeps its own descriptor
            start = log.tell()
            self.proc = subprocess.Popen(
                [rag, "serve", "--host", "127.0.0.1", "--port", "0"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        try:
            self.port = serve_port(self.proc, self.log_path, timeout, start)
        except RuntimeError:
            self.stop()
            raise
        probe = "/readyz" if ready else "/healthz"
        ok = wait_until(lambda: httpx.get(self.url + probe, timeout=2).status_code == 200, timeout, 0.2)
        if not ok:
            self.stop()
            raise RuntimeError(f"rag serve did not become ready; log:\n{self.log_path.read_text()[-3000:]}")
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ChromaServer:
    """`chroma run --path DIR` on a loopback port; ready when its heartbeat answers.

    ``stop(kill=True)`` is a crash (SIGKILL); ``start()`` again brings it back on the
    same port with the same data, as a restarted server would come back.
    """

    def __init__(self, path: Path, *, port: int | None = None, log_dir: Path | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        # `chroma run` cannot bind port 0 and report it, so the port is picked here and may
        # be taken before chroma binds it: until something has been told the port (``env``),
        # a start that fails moves to another.
        self._movable = port is None
        self.log_path = (log_dir or path.parent) / f"chroma-{os.getpid()}-{id(self)}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """The settings that point `rag` at this server."""
        self._movable = False
        return {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(self.port)}

    def alive(self) -> bool:
        try:
            return httpx.get(self.url + "/api/v2/heartbeat", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def _answering_or_gone(self) -> bool:
        return self.proc is None or self.proc.poll() is not None or self.alive()

    def start(self, timeout: float = 120, attempts: int = 3) -> ChromaServer:
        self.path.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
        for attempt in range(attempts):
            with self.log_path.open("ab") as log:
                proc = subprocess.Popen(
                    [chroma, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                    env=clean_env(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=self.path,
                )
            self.proc = proc
            wait_until(self._answering_or_gone, timeout, 0.1)
            if self.alive():
                self._movable = False  # a restart comes back on this port, where clients look
                return self
            exited = proc.poll() is not None
            self.stop(kill=True)
            if not (exited and self._movable and attempt + 1 < attempts):
                break
            self.port = free_port()  # most likely taken between free_port() and chroma's bind
        raise RuntimeError(f"chroma run did not answer; log:\n{self.log_path.read_text()[-3000:]}")

    def stop(self, *, kill: bool = False) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)  # a paused server could not act on SIGTERM
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def pause(self) -> None:
        """SIGSTOP: the server hangs (connections accepted, nothing answered)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def client(self):  # type: ignore[no-untyped-def]
        """A chromadb HttpClient on this server, to look at what `rag` stored."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        return chromadb.HttpClient(
            host="127.0.0.1", port=self.port, settings=ChromaSettings(anonymized_telemetry=False)
        )

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
