"""`rag eval`: exit codes, reports, --compare, and real runs (in-process and over HTTP)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from evals import runner
from evals.metrics import METRICS
from tests.support import ROOT, Server, clean_env

QUOTE = (
    "Negotiations in Cairo between the Israeli and Hamas delegations ended without a final agreement on Tuesday night."
)
SUITE = [
    {"id": "t1", "question": "Where were the talks held?", "answerable": True, "must_include": [["Cairo"]],
     "support": [QUOTE], "reference": "In Cairo."},
    {"id": "t2", "question": "Who mediated?", "answerable": False, "must_include": [], "support": [],
     "reference": "Not said."},
]  # fmt: skip
GOOD = [
    {"id": "t1", "answer": QUOTE[:-1] + " [1].", "abstained": False,
     "citations": [{"n": 1, "doc_id": "cairo-negotiations", "quote": QUOTE, "start": 0, "end": len(QUOTE)}]},
    {"id": "t2", "answer": "The articles do not say: none of the indexed articles answers this question.",
     "abstained": True, "citations": []},
]  # fmt: skip
THRESHOLDS = """
[suite.tiny]
answer_correctness = 0.9
faithfulness = 0.9
abstention_accuracy = 0.9
"""


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    bad = json.loads(json.dumps(GOOD))
    bad[0]["answer"] = "The talks in Doha ended with a final agreement on Tuesday night [1]."
    bad[1] = {"id": "t2", "answer": "Egypt mediated the talks.", "abstained": False, "citations": []}
    (tmp_path / "thresholds.toml").write_text(THRESHOLDS)
    return {
        "suite": write_jsonl(tmp_path / "tiny.jsonl", SUITE),
        "good": write_jsonl(tmp_path / "good.jsonl", GOOD),
        "bad": write_jsonl(tmp_path / "bad.jsonl", bad),
        "thresholds": tmp_path / "thresholds.toml",
    }


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = runner.main([*args, "--json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


def test_exit_0_when_floors_hold_and_1_when_one_falls(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--suite", str(files["suite"]), "--thresholds", str(files["thresholds"])]
    code, good = run_json([*common, "--predictions", str(files["good"])], capsys)
    assert code == 0 and good["gate"]["passed"]
    assert good["metrics"]["answer_correctness"] == 1.0 and good["metrics"]["abstention_accuracy"] == 1.0
    item = good["items"][0]
    assert {"id", "faithful", "correct", "abstained", "citation_precision", "citation_recall",
            "unsupported_claims"} <= set(item)  # fmt: skip
    assert set(METRICS) <= set(good["metrics"])

    code, bad = run_json([*common, "--predictions", str(files["bad"])], capsys)
    assert code == 1 and not bad["gate"]["passed"]
    failed = {c["metric"] for c in bad["gate"]["checks"] if not c["ok"]}
    assert {"answer_correctness", "faithfulness", "abstention_accuracy"} <= failed
    assert bad["items"][0]["faithful"] is False and bad["items"][0]["unsupported_claims"]
    # --no-gate reports the same numbers but never fails on a floor.
    assert run_json([*common, "--predictions", str(files["bad"]), "--no-gate"], capsys)[0] == 0


def test_without_a_terminal_each_suite_is_one_plain_line_and_the_verdict_names_the_failed_floors(
    files: dict[str, Path], tmp_path: Path
) -> None:
    """A CI log: stdout is a file, so no table, no colour, no "…" columns."""
    log = tmp_path / "eval.log"
    args = ["eval", "--suite", str(files["suite"]), "--thresholds", str(files["thresholds"])]
    env = clean_env(RAG_DATA_DIR=str(tmp_path / "data"), COLUMNS="40")  # a narrow log is no excuse
    with log.open("w") as out:
        code = subprocess.run(
            [sys.executable, "-m", "rag.cli", *args, "--predictions", str(files["bad"])],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.PIPE, text=True, timeout=300,
        ).returncode  # fmt: skip
    lines = log.read_text(encoding="utf-8").splitlines()
    assert code == 1, lines
    assert "…" not in "\n".join(lines) and "\x1b[" not in "\n".join(lines)
    (tiny,) = [line for line in lines if line.startswith("tiny:")]
    assert tiny == (
        "tiny: items 2, correctness 0.000, gold citation 1.000, precision 0.000, abstention 0.000,"
        " false abstention 0.000, p50 –"
    )
    assert any(line.startswith("all:") and "items 2" in line for line in lines)
    verdict = lines[-1]
    assert verdict.startswith("gate: FAILED 3 of 3 checks: ")
    for metric in ("answer_correctness", "faithfulness", "abstention_accuracy"):
        assert f"tiny {metric} " in verdict and "(floor 0.900)" in verdict


def test_exit_2_on_bad_input(files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert runner.main(["--suite", "no_such_suite", "--predictions", str(files["good"])]) == 2
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n")
    assert runner.main(["--suite", str(files["suite"]), "--predictions", str(broken)]) == 2
    other = write_jsonl(tmp_path / "other.jsonl", [{"id": "zz", "answer": "x", "abstained": False, "citations": []}])
    assert runner.main(["--suite", str(files["suite"]), "--predictions", str(other)]) == 2
    assert runner.main(["--suite", str(files["suite"]), "--predictions", str(files["good"]), "--report", "x.pdf"]) == 2
    assert "error" in capsys.readouterr().err


def test_reports_html_and_markdown(files: dict[str, Path], tmp_path: Path) -> None:
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    args = ["--suite", str(files["suite"]), "--predictions", str(files["bad"]), "--no-gate"]
    assert runner.main([*args, "--report", str(html), "--report", str(md)]) == 0
    page = html.read_text()
    assert page.startswith("<!doctype html>") and "<script" not in page and "http" not in page.split("<body>")[0]
    assert 'class="unsup"' in page and "Doha" in page and "name not in evidence: doha" in page
    assert page.index("Metrics") < page.index("Items") < page.index('id="t1"')
    assert "answered an unanswerable question" in page
    text = md.read_text()
    assert "| answer_correctness |" in text and "`t1`" in text and "unsupported: " in text


def test_failures_come_first_in_the_html_report(files: dict[str, Path], tmp_path: Path) -> None:
    mixed = write_jsonl(tmp_path / "mixed.jsonl", [GOOD[0], {**GOOD[1], "abstained": False, "answer": "Egypt did."}])
    out = tmp_path / "r.html"
    runner.main(["--suite", str(files["suite"]), "--predictions", str(mixed), "--no-gate", "--report", str(out)])
    page = out.read_text()
    assert page.index('id="t2"') < page.index('id="t1"')


def test_compare_lists_regressions_item_by_item(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    base = ["--suite", str(files["suite"]), "--no-gate"]
    assert runner.main([*base, "--predictions", str(files["good"]), "--output", str(old)]) == 0
    assert runner.main([*base, "--predictions", str(files["bad"]), "--output", str(new)]) == 0
    capsys.readouterr()
    code, result = run_json(["--compare", str(old), str(new)], capsys)
    assert code == 1
    changes = {(r["id"], r["change"]) for r in result["regressions"]}
    assert ("t1", "correct: true → false") in changes and ("t1", "faithful: true → false") in changes
    assert ("t2", "correct: true → false") in changes
    assert result["metrics"]["answer_correctness"]["worse"] is True
    assert runner.main(["--compare", str(old), str(old)]) == 0
    assert "no regressions" in capsys.readouterr().out


def test_rag_eval_json_on_the_project_suites_runs_offline_and_passes(tmp_path: Path) -> None:
    """The gate as CI runs it (default pipeline, lexical judge, no network), on a suite over a
    corpus of its own and an adversarial one over corpus/ (CI's eval step runs the gate's suites)."""
    rag = Path(sys.executable).parent / "rag"
    env = clean_env(RAG_DATA_DIR=str(tmp_path / "data"), HF_HUB_OFFLINE="1")
    suites = ["news_heldout", "adversarial_heldout"]
    proc = subprocess.run(
        [str(rag), "eval", *suites, "--json", "--report", str(tmp_path / "r.md")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    report = json.loads(proc.stdout)
    failed = [c for c in report["gate"]["checks"] if not c["ok"]]
    assert proc.returncode == 0, f"gate failed: {failed}\n{proc.stderr[-2000:]}"
    assert report["metrics"]["items"] >= 40 and report["source"] == "pipeline"
    assert {a.split("/")[0] for a in report["articles"]} == {"news_heldout"}  # figures by article
    assert sum(1 for i in report["items"] if i["suite"].startswith("adversarial")) >= 10
    for metric in METRICS:
        assert report["metrics"][metric] is not None, metric
    assert (tmp_path / "r.md").read_text().startswith("## rag eval")


def test_eval_over_http_scores_a_running_server(
    live_server: Server, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = run_json(["--suite", str(files["suite"]), "--url", live_server.url, "--no-gate"], capsys)
    assert code == 0 and report["source"] == "url"
    assert report["metrics"]["items"] == 2
    assert report["metrics"]["retrieval_hit_rate"] is None and report["metrics"]["mrr"] is None
    assert report["metrics"]["latency_p50_ms"] > 0
    t1 = report["items"][0]
    assert t1["abstained"] is False and "Cairo" in t1["answer"] and t1["faithful"] is True


def test_eval_over_http_reports_an_unreachable_server(files: dict[str, Path]) -> None:
    assert runner.main(["--suite", str(files["suite"]), "--url", "http://127.0.0.1:9", "--no-gate"]) == 2


def test_the_gate_runs_the_suites_named_in_the_thresholds_file() -> None:
    from evals.metrics import gate_suites
    from evals.runner import THRESHOLDS, load_thresholds

    patterns = load_thresholds(THRESHOLDS)["gate"]["suites"]
    names = [p.stem for p in gate_suites(patterns)]
    assert {"news_dev", "news_heldout", "squad_heldout", "cairo_heldout", "cairo_heldout8"} <= set(names)
    assert not any(n.startswith("cairo_dev") for n in names)
