"""Helpers the tests share: free ports, a real `rag serve` subprocess, waiting."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "corpus" / "cairo-negotiations.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    """`rag serve` in a subprocess on a loopback port, ready when /readyz is 200."""

    def __init__(
        self, data_dir: Path, corpus: Path, *, env: dict[str, str] | None = None, log_dir: Path | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.corpus = corpus
        self.log_path = (log_dir or data_dir) / f"serve-{self.port}.log"
        self.env = clean_env(RAG_DATA_DIR=str(data_dir), RAG_CORPUS_DIR=str(corpus), **(env or {}))
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        rag = shutil.which("rag", path=str(Path(sys.executable).parent)) or "rag"
        self.proc = subprocess.Popen(
            [rag, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        ok = wait_until(lambda: httpx.get(self.url + "/readyz", timeout=2).status_code == 200, timeout, 0.2)
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
