"""Build the reader's training data from public extractive-QA sets, split by article.

Sources (provenance and licences in docs/reader.md):

* SQuAD 1.1 train, 442 Wikipedia articles, read from the per-article pages of
  ``rajpurkar/SQuAD-explorer`` at commit ``13f82e35`` (``explore/1.1/train/*.html``).
* A SQuAD 2.0 train subset with adversarial unanswerable questions, 10 articles, from
  ``PhongNTDo/guide_train_MRC_transformers`` (``train-v2.0.json`` at commit ``631a448``);
  for those articles it replaces the 1.1 pages (same paragraphs, plus impossibles).

SQuAD's official dev splits are never read. Whole articles are split three ways by a
hash of their title: ``train`` (fitted on), ``calib`` (the abstention margin is chosen
there and nowhere else) and ``test`` (reported only, never tuned on).

Each output line is one (question, passage) example: the passage is a paragraph, or a
paragraph with the answer's sentence removed, or another paragraph of the same article;
``answer_start``/``answer_text`` are null when the passage does not hold the answer.

    python -m evals.reader_data --explorer /path/to/SQuAD-explorer.git \
        --squad2 /path/to/guide_train_MRC_transformers.git --out data/reader
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

EXPLORER_COMMIT = "13f82e35b9a1fb9173f863b35f5675030646571e"
SQUAD2_COMMIT = "631a448"
SPLITS = ("train", "calib", "test")

_PARA = re.compile(r'<div class="para-wrap">(.*?)(?=<div class="para-wrap">|$)', re.S)
_PRE = re.compile(r"<pre>(.*?)</pre>", re.S)
_QA = re.compile(r'<strong class="question">(.*?)</strong>(.*?)</ol>', re.S)
_ANS = re.compile(r'<span class="answer">(.*?)</span>', re.S)
# A plain sentence splitter is enough here: boundaries only choose which sentence to
# drop for a near-miss passage; the product itself splits with pysbd.
_SENT = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(])")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an the of in on at to for by with from and or is are was were be been what which who whom whose "
    "when where why how did do does that this these those it its as into than then there their".split()
)


@dataclass
class Question:
    qid: str
    text: str
    answers: list[tuple[int, str]]  # (char start, text); empty when unanswerable


@dataclass
class Paragraph:
    text: str
    questions: list[Question] = field(default_factory=list)


@dataclass
class Article:
    title: str
    paragraphs: list[Paragraph]
    source: str


def split_of(title: str) -> str:
    """A stable split by title: about 90 % train, 5 % calib, 5 % test."""
    h = int(hashlib.sha256(title.encode()).hexdigest()[:8], 16) % 100
    return "test" if h < 5 else "calib" if h < 10 else "train"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "core.quotepath=off", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def _clean(s: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", s)).strip()


def explorer_articles(repo: Path) -> Iterator[Article]:
    names = _git(repo, "ls-tree", "--name-only", f"{EXPLORER_COMMIT}:explore/1.1/train").split("\n")
    for name in sorted(n for n in names if n.endswith(".html")):
        page = _git(repo, "show", f"{EXPLORER_COMMIT}:explore/1.1/train/{name}")
        paras = []
        for i, block in enumerate(_PARA.findall(page)):
            pre = _PRE.search(block)
            if not pre:
                continue
            text = html.unescape(pre.group(1))
            para = Paragraph(text)
            for j, (q, rest) in enumerate(_QA.findall(block)):
                answers = []
                for a in _ANS.findall(rest):
                    a = _clean(a)
                    at = text.find(a)
                    if at < 0:
                        at = text.lower().find(a.lower())
                    if a and at >= 0:
                        answers.append((at, text[at : at + len(a)]))
                if answers:
                    para.questions.append(Question(f"{name[:-5]}/{i}/{j}", _clean(q), answers))
            paras.append(para)
        yield Article(name[:-5], paras, "squad1.1-train")


def squad2_articles(repo: Path) -> Iterator[Article]:
    data = json.loads(_git(repo, "show", f"{SQUAD2_COMMIT}:train-v2.0.json"))["data"]
    for art in data:
        paras = []
        for p in art["paragraphs"]:
            para = Paragraph(p["context"])
            for q in p["qas"]:
                answers = [] if q.get("is_impossible") else [(a["answer_start"], a["text"]) for a in q["answers"]]
                para.questions.append(Question(q["id"], q["question"].strip(), answers[:1]))
            paras.append(para)
        yield Article(art["title"], paras, "squad2.0-train-subset")


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENT.finditer(text):
        spans.append((start, m.start() + (len(m.group()) - len(m.group().lstrip()))))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _terms(s: str) -> set[str]:
    return {w for w in _WORD.findall(s.lower()) if w not in _STOP}


def _without_answer(para: Paragraph, q: Question) -> str | None:
    """The paragraph with the answer's sentence removed, if the answer then is gone."""
    at, ans = q.answers[0]
    spans = sentences(para.text)
    if len(spans) < 2:
        return None
    kept = [para.text[s:e] for s, e in spans if not (s <= at < e)]
    rest = " ".join(kept)
    return None if ans.lower() in rest.lower() else rest


def _other_paragraph(article: Article, para: Paragraph, q: Question) -> str | None:
    """The article's other paragraph sharing most words with the question, without its answer."""
    ans = q.answers[0][1].lower()
    terms = _terms(q.text)
    best, best_score = None, 0
    for other in article.paragraphs:
        if other is para or ans in other.text.lower():
            continue
        score = len(terms & _terms(other.text))
        if score > best_score:
            best, best_score = other.text, score
    return best


def examples(article: Article, rng: random.Random) -> Iterator[dict]:
    for para in article.paragraphs:
        for q in para.questions:
            base = {"id": q.qid, "article": article.title, "question": q.text}
            if not q.answers:
                yield {**base, "context": para.text, "answer_start": None, "answer_text": None, "kind": "impossible"}
                continue
            at, ans = q.answers[0]
            yield {**base, "context": para.text, "answer_start": at, "answer_text": ans, "kind": "answer"}
            # A near miss for every answerable question: half the time the same paragraph
            # lacking the answer's sentence, half the time the closest other paragraph.
            maker = _without_answer if rng.random() < 0.5 else None
            neg = maker(para, q) if maker else _other_paragraph(article, para, q)
            if neg is None:
                neg = _other_paragraph(article, para, q) if maker else _without_answer(para, q)
            if neg:
                kind = "cut" if maker and neg != _other_paragraph(article, para, q) else "other"
                yield {
                    **base,
                    "id": q.qid + "/neg",
                    "context": neg,
                    "answer_start": None,
                    "answer_text": None,
                    "kind": kind,
                }


def build(explorer: Path, squad2: Path, out: Path, seed: int = 13) -> dict[str, dict[str, int]]:
    rng = random.Random(seed)
    v2 = {a.title: a for a in squad2_articles(squad2)}
    out.mkdir(parents=True, exist_ok=True)
    files = {s: (out / f"{s}.jsonl").open("w") for s in SPLITS}
    counts: dict[str, dict[str, int]] = {s: {"articles": 0, "examples": 0, "unanswerable": 0} for s in SPLITS}
    try:
        arts = [v2.pop(a.title, a) for a in explorer_articles(explorer)]
        for art in [*arts, *v2.values()]:
            split = split_of(art.title)
            counts[split]["articles"] += 1
            for ex in examples(art, rng):
                ex["source"] = art.source
                files[split].write(json.dumps(ex) + "\n")
                counts[split]["examples"] += 1
                counts[split]["unanswerable"] += ex["answer_start"] is None
    finally:
        for f in files.values():
            f.close()
    (out / "manifest.json").write_text(
        json.dumps(
            {"explorer_commit": EXPLORER_COMMIT, "squad2_commit": SQUAD2_COMMIT, "seed": seed, "counts": counts},
            indent=2,
        )
    )
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--explorer", type=Path, required=True, help="git dir of rajpurkar/SQuAD-explorer")
    ap.add_argument("--squad2", type=Path, required=True, help="git dir of PhongNTDo/guide_train_MRC_transformers")
    ap.add_argument("--out", type=Path, default=Path("data/reader"))
    args = ap.parse_args()
    print(json.dumps(build(args.explorer, args.squad2, args.out), indent=2))


if __name__ == "__main__":
    main()
