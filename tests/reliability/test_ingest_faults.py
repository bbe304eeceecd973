"""Ingest under faults, for real: `kill -9` mid-ingest, two ingests at once, an ingest
beside a running reader, and answers while a document changes under them."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag.chunking import chunk_document
from rag.config import Settings
from rag.documents import load_corpus, sha256_text
from rag.embeddings import MINILM_ID
from rag.pipeline import Pipeline
from rag.store import ChromaStore
from rag.types import Document
from tests.reliability.report import pytest_command, record
from tests.reliability.synthetic import article, write_corpus
from tests.support import ARTICLE, ROOT, Server, clean_env, wait_until

pytestmark = pytest.mark.slow
ARTICLES = 40
UPDATED = ARTICLES // 2
SENTENCES = 3
UPDATE_SENTENCES = 12
# Small write groups (a few articles each): every ingest below writes in several
# groups, so each kill lands with groups still to come, whatever the machine's speed.
GROUP_CHARS = 2_000


def rag(*args: str) -> list[str]:
    exe = shutil.which("rag", path=str(Path(sys.executable).parent)) or "rag"
    return [exe, *args]


def ingest_cmd(data: Path, corpus: Path) -> tuple[list[str], dict[str, str]]:
    env = clean_env(RAG_DATA_DIR=str(data), RAG_CHUNKING__WRITE_GROUP_CHARS=str(GROUP_CHARS))
    return rag("ingest", str(corpus), "--json"), env


def run_ingest(data: Path, corpus: Path) -> dict[str, Any]:
    cmd, env = ingest_cmd(data, corpus)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def open_store(data: Path) -> ChromaStore:
    return ChromaStore(Settings(data_dir=data), MINILM_ID, 384)


def expected_chunks(doc: Document) -> set[tuple[str, str, str]]:
    settings = Settings()
    chunks = chunk_document(doc, chunk_size=settings.chunking.chunk_size, chunk_overlap=settings.chunking.chunk_overlap)
    return {(c.chunk_id, c.doc_id, c.version) for c in chunks}


def assert_index_matches_folder(store: ChromaStore, corpus: Path) -> int:
    """The index holds exactly the folder's documents and a fresh chunking of each: no
    duplicate, orphan or stale chunk, no missing one. Returns the number of chunks."""
    loaded = load_corpus(corpus)
    assert loaded.errors == []
    want_docs = {d.doc_id: d.sha256 for d in loaded.documents}
    assert {d.doc_id: d.sha256 for d in store.documents()} == want_docs
    want = set().union(*(expected_chunks(d) for d in loaded.documents))
    rows = store.chunk_ids()
    assert len(rows) == len(set(rows)), "duplicate chunk ids"
    assert set(rows) == want
    assert store.count_chunks() == len(want)
    return len(want)


def assert_every_active_document_is_complete(store: ChromaStore) -> int:
    """What a crash leaves: each active document has every chunk of its active version
    (extra chunks of other versions may remain until the next sync; readers ignore them)."""
    rows = set(store.chunk_ids())
    active = store.documents()
    for rec in active:
        _r, text = store.document_text(rec.doc_id)
        doc = Document(doc_id=rec.doc_id, title=rec.title, text=text, sha256=rec.sha256)
        assert sha256_text(text) == rec.sha256
        mine = {r for r in rows if r[1] == rec.doc_id and r[2] == rec.sha256}
        assert mine == expected_chunks(doc), rec.doc_id
    return len(active)


def kill_when(proc: subprocess.Popen[bytes], ready: Any, timeout: float = 300) -> None:
    """SIGKILL ``proc`` as soon as ``ready()`` holds (it must still be running then)."""
    assert wait_until(lambda: ready() or proc.poll() is not None, timeout, 0.05)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(30) == -signal.SIGKILL


def test_kill_9_during_ingest_then_the_next_ingest_makes_the_index_match_the_folder(tmp_path: Path) -> None:
    data, corpus = tmp_path / "data", tmp_path / "corpus"
    for i in range(ARTICLES):
        name, text = article(i, sentences=SENTENCES)
        corpus.mkdir(exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
    cmd, env = ingest_cmd(data, corpus)
    kills = 0

    # 1. Killed while adding, as soon as the first chunks are written.
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    assert wait_until(lambda: (data / "chroma" / "chroma.sqlite3").exists(), 120, 0.05)
    store = open_store(data)
    kill_when(first, lambda: store.count_chunks() > 0)
    kills += 1
    # A client open while another process wrote may not show its last logged writes (a
    # new client applies them), so the test looks at the index as the next process will.
    store.reopen()
    active = assert_every_active_document_is_complete(store)
    crash_states = [f"{active}/{ARTICLES} documents switched, {store.count_chunks()} chunks written"]

    # 2. The next ingest completes the sync exactly.
    report = run_ingest(data, corpus)
    assert (report["added"], report["unchanged"]) == (ARTICLES - active, active)
    chunks_v1 = assert_index_matches_folder(store, corpus)

    # 3. Killed while updating (half the documents rewritten, 10 removed, 10 new), as soon as
    #    the first chunks of new versions are written.
    for i in range(0, UPDATED):
        # Long enough for the update to be written in several groups: the kill lands while a
        # later one is embedded, not by luck in the moment between a write and a switch.
        name, text = article(i, version=2, sentences=UPDATE_SENTENCES)
        (corpus / name).write_text(text, encoding="utf-8")
    for i in range(ARTICLES - 10, ARTICLES):
        (corpus / article(i)[0]).unlink()
    for i in range(ARTICLES, ARTICLES + 10):
        name, text = article(i, sentences=SENTENCES)
        (corpus / name).write_text(text, encoding="utf-8")
    updating = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    kill_when(updating, lambda: store.count_chunks() > chunks_v1)
    kills += 1
    store.reopen()  # as above
    active = assert_every_active_document_is_complete(store)
    versions = {d.doc_id: d.sha256 for d in store.documents()}
    new_versions = {d.doc_id: d.sha256 for d in load_corpus(corpus).documents}
    switched = sum(1 for k, v in new_versions.items() if versions.get(k) == v and int(k[-4:]) < UPDATED)
    stray = store.count_chunks() - sum(d.chunks for d in store.documents())
    # The kill lands either inside a group (its new chunks written, old ones not yet gone:
    # stray > 0) or between two groups; either way the update is unfinished.
    assert versions != new_versions, "the update finished before the kill"
    crash_states.append(f"{switched}/{UPDATED} updates switched, {active} documents active, {stray} stray chunks")

    # 4. The next ingest, started twice at once: one does the work, the other waits for
    #    the lock and then finds nothing left to do. Never both writing.
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        for _ in range(2)
    ]
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    worker, waiter = sorted(reports, key=lambda r: -r["deleted"])
    assert worker["deleted"] == 10 and worker["added"] + worker["updated"] + worker["unchanged"] == ARTICLES
    assert worker["added"] + worker["updated"] > 0
    assert waiter == {**waiter, "added": 0, "updated": 0, "deleted": 0, "unchanged": ARTICLES}
    chunks = assert_index_matches_folder(store, corpus)
    assert worker["chunks"] == waiter["chunks"] == chunks
    record(
        "fault-kill-ingest",
        area="Faults",
        what=f"`kill -9` of `rag ingest` twice: while adding {ARTICLES} articles and while updating {UPDATED}, removing 10, adding 10",
        result=(
            f"every active document complete after each kill; next ingest finished; index == folder "
            f"({len(new_versions)} docs, {chunks} chunks, 0 duplicate/orphan/missing)"
        ),
        command=pytest_command(
            "tests/reliability/test_ingest_faults.py::test_kill_9_during_ingest_then_the_next_ingest_makes_the_index_match_the_folder"
        ),
        kills=kills,
        crash_states=crash_states,
        chunks_v1=chunks_v1,
        chunks=chunks,
        data_lost=0,
    )
    record(
        "fault-two-ingests",
        area="Faults",
        what="two `rag ingest` of the same folder started at once",
        result=(
            f"one wrote ({worker['added'] + worker['updated']} written, {worker['deleted']} deleted), the other "
            f"waited for the lock, then found all {waiter['unchanged']} unchanged"
        ),
        command=pytest_command(
            "tests/reliability/test_ingest_faults.py::test_kill_9_during_ingest_then_the_next_ingest_makes_the_index_match_the_folder"
        ),
    )


def test_an_ingest_beside_a_running_reader_is_seen_by_its_dense_search(tmp_path: Path, corpus: Path) -> None:
    """An embedded Chroma caches its vector index per process: the reader must reopen it."""
    data = tmp_path / "data"
    reader = Pipeline(Settings(data_dir=data, corpus_dir=corpus))
    reader.ingest()
    (corpus / "tokyo.md").write_text(
        "# Tokyo markets\n\nShares of Nintendo climbed sharply in Tokyo on Monday after the central bank held rates.\n",
        encoding="utf-8",
    )
    assert run_ingest(data, corpus)["added"] == 1
    reader.catalog._checked = 0.0  # do not wait for the next poll
    reader.catalog.snapshot()
    vector = reader.embedder.embed(["Which company's shares climbed in Tokyo?"])[0]
    assert reader.store.query(vector, 1)[0].doc_id == "tokyo"
    assert "Nintendo" in reader.ask("Which company's shares climbed in Tokyo?").answer
    record(
        "fault-ingest-beside-reader",
        area="Faults",
        what="`rag ingest` in another process while a reader holds the embedded index open",
        result="the reader reopens the index on the new generation: the new article is found by dense search and answered",
        command=pytest_command(
            "tests/reliability/test_ingest_faults.py::test_an_ingest_beside_a_running_reader_is_seen_by_its_dense_search"
        ),
    )


SYNTHETIC = 12
CLIENTS = 3
QUESTIONS = [
    "Where were the Israel-Hamas negotiations held?",
    "Which former Israeli leader said that talking means not shooting?",
    "What is Israel demanding in the talks?",
    "Did the negotiators reach a final agreement?",
]


def test_answers_during_a_reingest_never_mix_two_versions_of_a_document(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, SYNTHETIC, sentences=6)
    v1 = ARTICLE.read_text(encoding="utf-8")
    v2 = v1.replace("Cairo", "Geneva").replace("Hamas", "the Hamas movement").replace("Tuesday", "Wednesday")
    article_path = corpus / ARTICLE.name
    article_path.write_text(v1, encoding="utf-8")
    texts = {sha256_text(t)[:12]: t for t in (v1, v2)}
    for i in range(SYNTHETIC):
        for version in (1, 2):
            text = article(i, version=version, sentences=6)[1]
            texts[sha256_text(text)[:12]] = text

    seen: dict[str, set[str]] = {"cairo-negotiations": set()}
    mixed: list[Any] = []
    answers = 0
    with Server(tmp_path / "data", corpus) as server:
        stop = threading.Event()

        def hammer(k: int) -> None:
            try:
                check(k)
            except Exception as exc:  # reported below, not lost in the thread
                mixed.append(("error", repr(exc)))

        def check(k: int) -> None:
            nonlocal answers
            with httpx.Client(base_url=server.url, timeout=60) as c:
                i = k
                while not stop.is_set():
                    r = c.post("/api/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]})
                    i += 1
                    time.sleep(0.5)  # leave the ingest CPU on a 2-core machine: the reader costs ~0.2 s an answer
                    if r.status_code != 200:
                        mixed.append(("status", r.status_code, r.text[:300]))
                        continue
                    body = r.json()
                    answers += 1
                    by_doc: dict[str, set[str]] = {}
                    for cit in body["citations"]:
                        version = cit["chunk_id"].split(":")[1]
                        by_doc.setdefault(cit["doc_id"], set()).add(version)
                        if texts[version][cit["start"] : cit["end"]] != cit["quote"]:
                            mixed.append(("quote", cit))
                    for doc_id, versions in by_doc.items():
                        if len(versions) > 1:
                            mixed.append(("versions", doc_id, versions))
                        seen.setdefault(doc_id, set()).update(versions)
                    cairo = by_doc.get("cairo-negotiations", set())
                    if "Geneva" in body["answer"] and cairo != {sha256_text(v2)[:12]}:
                        mixed.append(("answer", body["answer"], cairo))
                    if "Cairo" in body["answer"] and cairo != {sha256_text(v1)[:12]}:
                        mixed.append(("answer", body["answer"], cairo))

        threads = [threading.Thread(target=hammer, args=(k,)) for k in range(CLIENTS)]
        for t in threads:
            t.start()
        # The old version must be seen answered before the new one is written.
        assert wait_until(lambda: answers >= CLIENTS or bool(mixed), 120), mixed
        article_path.write_text(v2, encoding="utf-8")
        write_corpus(corpus, SYNTHETIC, version=2, sentences=6)
        t0 = time.monotonic()
        report = run_ingest(server.data_dir, corpus)
        ingest_s = time.monotonic() - t0
        assert report["updated"] == SYNTHETIC + 1
        # The server notices the new generation at its next poll of the store.
        assert wait_until(
            lambda: (
                "Geneva"
                in httpx.post(f"{server.url}/api/ask", json={"question": QUESTIONS[0]}, timeout=60).json()["answer"]
            ),
            120,
            0.5,
        )
        switch_s = time.monotonic() - t0 - ingest_s
        stop.set()
        for t in threads:
            t.join(60)
    assert mixed == []
    assert seen["cairo-negotiations"] == {sha256_text(v1)[:12], sha256_text(v2)[:12]}, "both versions answered"
    record(
        "fault-reingest-consistency",
        area="Faults",
        what=f"{SYNTHETIC + 1} documents re-ingested by `rag ingest` beside `rag serve` while {CLIENTS} clients ask",
        result=f"{answers} answers, 0 mixing two versions of a document; old version before, new after",
        command=pytest_command(
            "tests/reliability/test_ingest_faults.py::test_answers_during_a_reingest_never_mix_two_versions_of_a_document"
        ),
        answers=answers,
        ingest_s=round(ingest_s, 1),
        switch_seen_after_s=round(switch_s, 1),
    )
