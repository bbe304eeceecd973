"""Outlet and date everywhere a document shows, over HTTP and the command line, against a
real `rag serve` whose index `rag ingest --json` built from the news corpus."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import NewsServer
from tests.support import ROOT, clean_env

COPIES = {"bridge-coastal", "bridge-metro"}
COST = "How much will the Harbor Bridge repair cost?"


def ask(news: NewsServer, question: str) -> dict[str, Any]:
    r = httpx.post(f"{news.server.url}/api/ask", json={"question": question}, timeout=60)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def check_citations(news: NewsServer, body: dict[str, Any]) -> None:
    assert body["citations"]
    for cit in body["citations"]:
        doc = httpx.get(f"{news.server.url}/api/documents/{cit['doc_id']}", timeout=10).json()
        assert doc["text"][cit["start"] : cit["end"]] == cit["quote"]
        assert (cit["source"], cit["published"]) == (doc["source"], doc["published"])
        assert cit["doc_id"] not in COPIES


def test_rag_ingest_json_reports_copies_and_metadata_problems(news_server: NewsServer) -> None:
    report = news_server.ingest
    assert (report["added"], report["duplicates"]) == (8, 2)
    assert sorted((Path(e["path"]).name, e["reason"]) for e in report["errors"]) == [
        ("library-hours.md", "metadata"),
        ("school-meals.md", "metadata"),
    ]


def test_documents_are_listed_newest_first_with_outlet_date_and_copies(news_server: NewsServer) -> None:
    docs = httpx.get(f"{news_server.server.url}/api/documents", timeout=10).json()["documents"]
    assert [d["doc_id"] for d in docs] == [
        "bridge-contract",  # 2024-03-21
        "bridge-coastal",  # 2024-03-05
        "bridge-metro",  # 2024-03-04 18:30 in New York
        "bridge-wire",  # 2024-03-04
        "bridge-history",  # 2023-09-12
        "library-hours",  # undated ones last, by id: its date does not parse,
        "river-cleanup",  # it has no front matter,
        "school-meals",  # and its YAML does not parse
    ]
    assert {d["doc_id"]: d["duplicate_of"] for d in docs if d["duplicate_of"]} == dict.fromkeys(COPIES, "bridge-wire")
    by_id = {d["doc_id"]: d for d in docs}
    assert by_id["bridge-wire"] | {"chunks": 0, "chars": 0, "sha256": ""} == {
        "doc_id": "bridge-wire",
        "title": "Council approves repair of the Harbor Bridge",
        "chunks": 0,
        "chars": 0,
        "sha256": "",
        "source": "Example Wire",
        "published": "2024-03-04",
        "url": "https://wire.example.org/2024/03/04/harbor-bridge",
        "author": "Dana Whitfield",
        "duplicate_of": None,
    }
    assert by_id["river-cleanup"]["source"] is None and by_id["river-cleanup"]["published"] is None
    one = httpx.get(f"{news_server.server.url}/api/documents/bridge-metro", timeout=10).json()
    assert (one["source"], one["published"], one["duplicate_of"]) == (
        "Metro Post",
        "2024-03-04T18:30:00-05:00",
        "bridge-wire",
    )
    assert one["text"].startswith("# Eastport votes") and "source:" not in one["text"]


def test_ask_and_its_stream_cite_one_copy_with_the_others_in_also_in(news_server: NewsServer) -> None:
    body = ask(news_server, COST)
    check_citations(news_server, body)
    wire = [c for c in body["citations"] if c["doc_id"] == "bridge-wire"]
    assert wire and all(c["source"] == "Example Wire" and c["published"] == "2024-03-04" for c in wire)
    assert wire[0]["also_in"] == [
        {"doc_id": "bridge-metro", "source": "Metro Post", "published": "2024-03-04T18:30:00-05:00"},
        {"doc_id": "bridge-coastal", "source": "Coastal Daily", "published": "2024-03-05"},
    ]
    with httpx.stream("POST", f"{news_server.server.url}/api/ask/stream", json={"question": COST}, timeout=60) as r:
        text = "".join(r.iter_text())
    done = json.loads(re.search(r"event: done\ndata: (.*)\n", text).group(1))  # type: ignore[union-attr]
    assert done["citations"] == body["citations"]


def test_openai_sources_and_rag_ask_json_carry_outlet_and_date(news_server: NewsServer) -> None:
    r = httpx.post(
        f"{news_server.server.url}/v1/chat/completions",
        json={"model": "rag-news", "messages": [{"role": "user", "content": COST}]},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    content = body["choices"][0]["message"]["content"]
    assert "(Example Wire, 2024-03-04)" in content and "also in Metro Post, Coastal Daily" in content
    assert all({"source", "published", "also_in"} <= set(c) for c in body["citations"])

    rag = shutil.which("rag", path=str(Path(sys.executable).parent)) or "rag"
    out = subprocess.run(
        [rag, "--data-dir", str(news_server.server.data_dir), "ask", COST, "--json"],
        env=clean_env(),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    cli = json.loads(out.stdout)
    assert [(c["doc_id"], c["source"], c["published"]) for c in cli["citations"]] == [
        (c["doc_id"], c["source"], c["published"]) for c in ask(news_server, COST)["citations"]
    ]
