"""Start a real local OpenAI-compatible LLM server for tests.

`LlmServer` runs dasllama-server (a llama.cpp-style server from the `dasllama`
PyPI package) with SmolLM2-135M-Instruct on a free loopback port. Both live in
the cache dir ``${RAG_LLM_CACHE:-~/.cache/rag-llm}``, which
scripts/setup-llm.sh fills (it is run automatically when the model is
missing: ~20 s cold, then instant).

    from tests.llm_server import LlmServer

    with LlmServer(tmp_path) as llm:           # logs to tmp_path/dasllama-server-<port>.log
        client = openai.OpenAI(base_url=llm.base_url, api_key="unused")
        client.chat.completions.create(model=llm.model_id, messages=[...], temperature=0)

    # pytest, one server per session:
    @pytest.fixture(scope="session")
    def llm(tmp_path_factory):
        with LlmServer(tmp_path_factory.mktemp("llm")) as server:
            yield server

Quirks worth knowing: the model id is the file name
(``smollm2-135m-instruct-q8_0.gguf``) and any other "model" value is answered
with 404 ``model_not_found`` (omitting "model" is fine); there is no /health
(readiness is ``GET /v1/models``); a request whose ``max_tokens`` is a
non-numeric string wedges the server (process alive, port dead) -- use
`is_responding()` / `restart()`. With the default q8 serving mode, greedy
(temperature 0) output can change with the prefix cache, i.e. with which
prompts were served before; ``extra_args=["--flat"]`` makes it
order-independent, ``["-q", "fp32"]`` matches a float reference (~3x slower).

Only the standard library and httpx are used.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
SETUP_SCRIPT = REPO_ROOT / "scripts" / "setup-llm.sh"
MODEL_NAME = "smollm2-135m-instruct-q8_0.gguf"
HOST = "127.0.0.1"


def cache_dir() -> Path:
    """``$RAG_LLM_CACHE``, or ``~/.cache/rag-llm``."""
    env = os.environ.get("RAG_LLM_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "rag-llm"


def server_binary(cache: Path | None = None) -> Path:
    return (cache or cache_dir()) / "venv" / "bin" / "dasllama-server"


def model_path(cache: Path | None = None) -> Path:
    return (cache or cache_dir()) / MODEL_NAME


def ensure_setup(cache: Path | None = None, timeout: float = 900.0) -> tuple[Path, Path]:
    """Return (server binary, model path), running scripts/setup-llm.sh first
    if either is missing. Raises RuntimeError with the script's output tail."""
    cache = cache or cache_dir()
    binary, model = server_binary(cache), model_path(cache)
    if binary.is_file() and model.is_file():
        return binary, model
    env = dict(os.environ, RAG_LLM_CACHE=str(cache))
    try:
        proc = subprocess.run(
            ["bash", str(SETUP_SCRIPT)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"{SETUP_SCRIPT} timed out after {timeout:.0f}s:\n{_tail(exc.output or '')}") from None
    if proc.returncode != 0 or not (binary.is_file() and model.is_file()):
        raise RuntimeError(f"{SETUP_SCRIPT} failed (exit {proc.returncode}):\n{_tail(proc.stdout)}")
    return binary, model


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


class LlmServerError(RuntimeError):
    pass


class LlmServer:
    """A dasllama-server subprocess on 127.0.0.1.

    Args:
        log_dir: where ``dasllama-server-<port>.log`` goes (stdout+stderr,
            appended across restarts). Default: ``<cache>/logs``.
        port: fixed port; default picks a free one.
        cache: the setup cache dir; default `cache_dir()`.
        threads, ctx: ``-t`` and ``--ctx``.
        extra_args: more dasllama-server flags, e.g. ``["-q", "fp32"]``
            (reference-exact math, ~3x slower) or ``["--max-tokens", "256"]``.
        startup_timeout: seconds to wait for ``GET /v1/models``.
        start: start in the constructor (otherwise call `start()` or use ``with``).
    """

    def __init__(
        self,
        log_dir: os.PathLike[str] | str | None = None,
        *,
        port: int | None = None,
        cache: os.PathLike[str] | str | None = None,
        threads: int = 2,
        ctx: int = 4096,
        extra_args: Sequence[str] = (),
        startup_timeout: float = 60.0,
        start: bool = False,
    ) -> None:
        self.cache = Path(cache) if cache else cache_dir()
        self.log_dir = Path(log_dir) if log_dir else self.cache / "logs"
        self.threads = threads
        self.ctx = ctx
        self.extra_args = list(extra_args)
        self.startup_timeout = startup_timeout
        self._fixed_port = port is not None
        self.port: int = port if port is not None else 0
        self.process: subprocess.Popen | None = None
        self.model_id: str | None = None
        self.startup_seconds: float | None = None
        self._log_file: BinaryIO | None = None
        self._log_offset = 0
        if start:
            self.start()

    # ------------------------------------------------------------------ urls
    @property
    def url(self) -> str:
        """Server root, e.g. ``http://127.0.0.1:PORT``."""
        return f"http://{HOST}:{self.port}"

    @property
    def base_url(self) -> str:
        """OpenAI base URL, e.g. ``http://127.0.0.1:PORT/v1``."""
        return f"{self.url}/v1"

    @property
    def log_path(self) -> Path:
        return self.log_dir / f"dasllama-server-{self.port}.log"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def command(self, binary: Path, model: Path) -> list[str]:
        return [
            str(binary),
            "-m",
            str(model),
            "--host",
            HOST,
            "-p",
            str(self.port),
            "-t",
            str(self.threads),
            "--ctx",
            str(self.ctx),
            *self.extra_args,
        ]

    # ------------------------------------------------------------- lifecycle
    def start(self) -> LlmServer:
        if self.running:
            return self
        binary, model = ensure_setup(self.cache)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        # A port picked by us can be grabbed by someone else before the server
        # binds it (the server then exits "port already in use"): retry.
        attempts = 1 if self._fixed_port else 3
        for attempt in range(attempts):
            if not self._fixed_port:
                self.port = free_port()
            try:
                self._spawn_and_wait(binary, model)
                return self
            except LlmServerError as exc:
                if attempt + 1 < attempts and "already in use" in str(exc):
                    continue
                raise
        raise AssertionError("unreachable")

    def _spawn_and_wait(self, binary: Path, model: Path) -> None:
        cmd = self.command(binary, model)
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child writes to it until stop()
        self._log_file = log
        log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n".encode())
        log.flush()
        self._log_offset = log.tell()
        t0 = time.monotonic()
        self.process = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            # The server auto-loads a dasllama-server.toml from its cwd: run it
            # where none is expected, never in the caller's directory.
            cwd=str(self.cache),
        )
        deadline = t0 + self.startup_timeout
        with httpx.Client(trust_env=False, timeout=2.0) as client:
            while True:
                rc = self.process.poll()
                if rc is not None:
                    self._cleanup()
                    raise LlmServerError(
                        f"dasllama-server exited with {rc} during startup on port {self.port}; "
                        f"log {self.log_path}:\n{self.log_tail()}"
                    )
                try:
                    r = client.get(f"{self.base_url}/models")
                    if r.status_code == 200:
                        self.model_id = r.json()["data"][0]["id"]
                        break
                except (httpx.HTTPError, ValueError, KeyError, IndexError):
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    raise LlmServerError(
                        f"dasllama-server did not answer GET /v1/models within "
                        f"{self.startup_timeout:.0f}s on port {self.port}; log {self.log_path}:\n"
                        f"{self.log_tail()}"
                    )
                time.sleep(0.05)
        self.startup_seconds = time.monotonic() - t0

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM, then SIGKILL after `timeout` seconds."""
        proc = self.process
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._cleanup()

    def restart(self) -> LlmServer:
        """Stop and start again on the same port."""
        self.stop()
        fixed, self._fixed_port = self._fixed_port, True
        try:
            if self.port:
                _wait_port_free(self.port, 5.0)
            return self.start()
        finally:
            self._fixed_port = fixed

    def _cleanup(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def is_responding(self, timeout: float = 2.0) -> bool:
        """True if ``GET /v1/models`` answers 200 now (the process can be alive
        yet wedged, see the module docstring)."""
        if not self.running:
            return False
        try:
            with httpx.Client(trust_env=False, timeout=timeout) as client:
                return client.get(f"{self.base_url}/models").status_code == 200
        except httpx.HTTPError:
            return False

    def log_tail(self, lines: int = 40) -> str:
        try:
            with open(self.log_path, "rb") as f:
                f.seek(self._log_offset)
                return _tail(f.read().decode("utf-8", "replace"), lines)
        except OSError as exc:
            return f"<no log: {exc}>"

    def __enter__(self) -> LlmServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __del__(self) -> None:  # best effort: never leave a server behind
        with contextlib.suppress(Exception):
            self.stop(timeout=1.0)

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<LlmServer {state} {self.base_url} model={self.model_id!r} pid={self.pid}>"


def _wait_port_free(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((HOST, port))
                return
            except OSError:
                if time.monotonic() > deadline:
                    return  # let the server report it
        time.sleep(0.1)


if __name__ == "__main__":  # manual check: python tests/llm_server.py
    with LlmServer() as srv:
        print(srv, f"started in {srv.startup_seconds:.2f}s", file=sys.stderr)
        r = httpx.post(
            f"{srv.base_url}/chat/completions",
            trust_env=False,
            timeout=60,
            json={
                "model": srv.model_id,
                "temperature": 0,
                "max_tokens": 32,
                "messages": [{"role": "user", "content": "What is the capital of France?"}],
            },
        )
        print(r.json()["choices"][0]["message"]["content"])
