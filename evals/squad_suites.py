"""Whole held-out articles of the reader's training data, as a corpus and a question suite.

The articles of one split (``test``: reported, never tuned on; ``calib``: where the
abstention margin is chosen) become corpus files, and a sample of their questions a suite
in the eval format. Unanswerable near misses come two ways: SQuAD 2.0's adversarial
questions where the article has them, and questions whose answer sentence is cut from
the article text (the article still discusses the topic, but no longer says it).

    python -m evals.squad_suites --split test --explorer ... --squad2 ... \
        --corpus evals/corpora/squad_heldout --suite evals/suites/squad_heldout.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from evals.reader_data import Article, Question, explorer_articles, sentences, split_of, squad2_articles

ANSWERABLE_PER_ARTICLE = 10
CUT_PER_ARTICLE = 4
IMPOSSIBLE_PER_ARTICLE = 4


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _answer_sentence(text: str, at: int) -> tuple[int, int]:
    return next((s, e) for s, e in sentences(text) if s <= at < e)


def article_items(art: Article, rng: random.Random, suite: str) -> tuple[str, list[dict]]:
    """The article's corpus text (with some answer sentences cut) and its suite items."""
    answerable = [(pi, q) for pi, p in enumerate(art.paragraphs) for q in p.questions if q.answers]
    impossible = [q for p in art.paragraphs for q in p.questions if not q.answers]
    rng.shuffle(answerable)
    full = "\n\n".join(p.text for p in art.paragraphs).lower()
    cut: dict[int, list[tuple[int, int]]] = {}
    cut_qs: list[Question] = []
    for pi, q in answerable:
        if len(cut_qs) == CUT_PER_ARTICLE:
            break
        text = art.paragraphs[pi].text
        ans = q.answers[0][1].lower()
        if len(ans) < 3 or full.count(ans) != 1 or len(sentences(text)) < 3:
            continue  # cutting one sentence must remove the answer from the whole article
        cut.setdefault(pi, []).append(_answer_sentence(text, q.answers[0][0]))
        cut_qs.append(q)
    paragraphs = []
    for pi, p in enumerate(art.paragraphs):
        spans = cut.get(pi, [])
        kept = [p.text[s:e] for s, e in sentences(p.text) if (s, e) not in spans]
        paragraphs.append(" ".join(kept) if spans else p.text)
    body = "\n\n".join(paragraphs)
    doc = _slug(art.title)
    items = []
    for pi, q in answerable:
        if len([i for i in items if i["answerable"]]) == ANSWERABLE_PER_ARTICLE:
            break
        if q in cut_qs or pi in cut:
            continue
        s, e = _answer_sentence(art.paragraphs[pi].text, q.answers[0][0])
        support = art.paragraphs[pi].text[s:e]
        if support not in body or q.answers[0][1] not in support:
            continue
        items.append(_item(suite, doc, q, True, [[q.answers[0][1]]], [support]))
    for q in cut_qs + rng.sample(impossible, min(IMPOSSIBLE_PER_ARTICLE, len(impossible))):
        items.append(_item(suite, doc, q, False, [], []))
    title = art.title.replace("_", " ")
    return f"{title}\n\n{body}\n", items


def _item(suite: str, doc: str, q: Question, answerable: bool, must: list[list[str]], support: list[str]) -> dict:
    return {
        "id": f"{suite}-{q.qid}",
        "doc": doc,
        "question": q.text,
        "answerable": answerable,
        "must_include": must,
        "support": support,
        "reference": q.answers[0][1] if answerable else "",
    }


def build(split: str, explorer: Path, squad2: Path, corpus: Path, suite: Path, seed: int = 7) -> dict[str, int]:
    v2 = {a.title: a for a in squad2_articles(squad2)}
    arts = [v2.pop(a.title, a) for a in explorer_articles(explorer)]
    arts = sorted((a for a in [*arts, *v2.values()] if split_of(a.title) == split), key=lambda a: a.title)
    corpus.mkdir(parents=True, exist_ok=True)
    counts = {"articles": 0, "answerable": 0, "unanswerable": 0}
    with suite.open("w") as out:
        for art in arts:
            rng = random.Random(f"{seed}/{art.title}")
            text, items = article_items(art, rng, suite.stem)
            (corpus / f"{_slug(art.title)}.txt").write_text(text, encoding="utf-8")
            counts["articles"] += 1
            for item in items:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
                counts["answerable" if item["answerable"] else "unanswerable"] += 1
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["test", "calib"], required=True)
    ap.add_argument("--explorer", type=Path, required=True)
    ap.add_argument("--squad2", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--suite", type=Path, required=True)
    args = ap.parse_args()
    print(json.dumps(build(args.split, args.explorer, args.squad2, args.corpus, args.suite)))


if __name__ == "__main__":
    main()
