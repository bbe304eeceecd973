"""Shared fixtures. Every test gets its own data dir; models load once per session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from rag.config import Settings
from rag.pipeline import Pipeline
from tests.support import ARTICLE, NEWS, ROOT, ChromaServer, Server, clean_env


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point data dirs at tmp_path and hide any OpenAI/Chroma settings of the machine."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CHROMA_HOST", "CHROMA_PORT", "RAG_ANSWERER", "RAG_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus folder holding the Cairo article."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(ARTICLE, folder / ARTICLE.name)
    return folder


@pytest.fixture(scope="session")
def session_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(ARTICLE, folder / ARTICLE.name)
    return folder


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory: pytest.TempPathFactory, session_corpus: Path) -> Pipeline:
    """One ingested default pipeline (extractive, embedded Chroma) for read-only tests."""
    data = tmp_path_factory.mktemp("pipeline-data")
    settings = Settings(data_dir=data, corpus_dir=session_corpus, answerer="extractive")
    p = Pipeline(settings)
    p.ingest()
    return p


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, session_corpus: Path) -> Iterator[Server]:
    """A real `rag serve` on loopback, default settings, the Cairo article ingested."""
    data = tmp_path_factory.mktemp("server-data")
    with Server(data, session_corpus) as server:
        yield server


@dataclass(frozen=True)
class NewsServer:
    """`rag serve` over the news corpus (tests/data/news), ingested first by `rag ingest --json`."""

    server: Server
    corpus: Path
    ingest: dict  # type: ignore[type-arg]  # what `rag ingest --json` printed


@pytest.fixture(scope="session")
def news_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsServer]:
    root = tmp_path_factory.mktemp("news-server")
    corpus = root / "corpus"
    shutil.copytree(NEWS, corpus)
    rag = shutil.which("rag", path=str(Path(sys.executable).parent)) or "rag"
    out = subprocess.run(
        [rag, "--data-dir", str(root / "data"), "ingest", str(corpus), "--json"],
        env=clean_env(),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    # A generous start-up wait: the index is built, but a busy machine loads models slowly.
    server = Server(root / "data", corpus).start(timeout=900)
    try:
        yield NewsServer(server, corpus, json.loads(out.stdout))
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """A Chroma server (`chroma run`) on a free loopback port, stopped after the module."""
    with ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data") as server:
        yield server


CHROMIUM = os.environ.get("RAG_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium through Playwright (its own browser download does not work here).

    One session for the whole run: Playwright's sync API cannot be started twice in a thread.
    `scripts/setup.sh --test` installs chromium; `RAG_CHROMIUM` overrides the path.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no chromium at {CHROMIUM}: run `scripts/setup.sh --test` (or set RAG_CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
