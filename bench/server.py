"""`rag serve` in a subprocess, timed from process start to /readyz 200."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from bench.client import Sequential

ROOT = Path(__file__).resolve().parent.parent


# `rag serve --port 0` binds a port the OS picks and logs it: no port found free by one
# process and then bound by another, which another process can take in between.
_SERVE_LINE = re.compile(rb"rag serve: http://[^\s/]+:(\d+)/")


class ServeProcess:
    def __init__(self, data_dir: Path, corpus: Path, log_path: Path, env: dict[str, str] | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = 0  # known once started
        self.data_dir = data_dir
        self.corpus = corpus
        self.log_path = log_path
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_", "CHROMA_"))}
        self.env.update(
            RAG_DATA_DIR=str(data_dir), RAG_CORPUS_DIR=str(corpus), RAG_ANSWERER="extractive", **(env or {})
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self.cold_start_s = 0.0

    def start(self, timeout: float = 1800) -> ServeProcess:
        rag = shutil.which("rag", path=str(Path(sys.executable).parent)) or "rag"
        log = self.log_path.open("ab")
        start = log.tell()  # the log may hold earlier runs' lines (and their ports)
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [rag, "serve", "--host", self.host, "--port", "0"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        client: Sequential | None = None
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"rag serve exited early; log:\n{self.log_path.read_text()[-3000:]}")
            if client is None:
                found = _SERVE_LINE.search(self.log_path.read_bytes()[start:])
                if found is None:
                    time.sleep(0.02)
                    continue
                self.port = int(found.group(1))
                client = Sequential(self.host, self.port, timeout=5)
            try:
                status, _ = client.request("GET", "/readyz")
                if status == 200:
                    self.cold_start_s = time.perf_counter() - t0
                    client.close()
                    return self
            except OSError:
                pass
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"rag serve was not ready in {timeout}s; log:\n{self.log_path.read_text()[-3000:]}")

    def rss_mb(self) -> float:
        assert self.proc is not None
        return float(psutil.Process(self.proc.pid).memory_info().rss) / 2**20

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
