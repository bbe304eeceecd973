#!/usr/bin/env python3
"""Validate the evaluation suites under evals/suites/*.jsonl.

Checks, for every item in every suite file:
  * exactly the keys id, question, answerable, must_include, support, reference,
    with the right types;
  * ids are unique across all files;
  * every support string is a verbatim substring of the article;
  * answerable items have >= 1 must_include group and >= 1 support string;
    unanswerable items have empty must_include and support;
  * for answerable items, each must_include group has at least one alternative
    that occurs (case-insensitive) in the full sentence(s) containing its
    support strings.

Items of the suites named in evals/corpora/suites.toml refer to the article ``doc``
(evals/corpora/<corpus>/<doc>.txt) and carry that extra key. All other items refer to
corpus/cairo-negotiations.txt, read from the repository's corpus/ directory if present,
else from /work/shared/corpus/.

Usage: python3 evals/validate_suites.py   (exit status 0 when all checks pass)
Stdlib only.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SUITES_DIR = REPO / "evals" / "suites"
CORPUS_NAME = "cairo-negotiations.txt"
CORPUS_CANDIDATES = [REPO / "corpus" / CORPUS_NAME, Path("/work/shared/corpus") / CORPUS_NAME]

EXPECTED_KEYS = {"id", "question", "answerable", "must_include", "support", "reference"}

# A sentence ends at . ! or ? optionally followed by a closing quote, then whitespace.
_SENT_BOUNDARY = re.compile(r"(?<=[.!?])['\"\u2019\u201d]?\s+")


def load_article() -> str:
    for path in CORPUS_CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise SystemExit(f"article not found in any of: {', '.join(map(str, CORPUS_CANDIDATES))}")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of text."""
    spans = []
    start = 0
    for m in _SENT_BOUNDARY.finditer(text):
        # Keep a closing quote with the sentence it closes.
        end = m.start() + len(m.group(0).rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def full_sentences(text: str, spans: list[tuple[int, int]], fragment: str) -> str:
    """The full sentence(s) overlapping the first occurrence of fragment in text."""
    idx = text.find(fragment)
    if idx < 0:
        return ""
    lo, hi = idx, idx + len(fragment)
    return " ".join(text[s:e] for s, e in spans if s < hi and e > lo)


def is_str_list(x) -> bool:
    return isinstance(x, list) and all(isinstance(s, str) for s in x)


def corpora() -> dict[str, str]:
    import tomllib

    path = REPO / "evals" / "corpora" / "suites.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")).get("suites", {}) if path.is_file() else {}


def check_item(item, where: str, article: str, spans, errors: list[str], corpus: str = "") -> None:
    if not isinstance(item, dict):
        errors.append(f"{where}: item is not a JSON object")
        return
    keys = set(item)
    expected = EXPECTED_KEYS | {"doc"} if corpus else EXPECTED_KEYS
    if corpus:
        doc = REPO / "evals" / "corpora" / corpus / f"{item.get('doc', '')}.txt"
        if not doc.is_file():
            errors.append(f"{where}: no article {doc}")
            return
        article = doc.read_text(encoding="utf-8")
        spans = sentence_spans(article)
    if keys != expected:
        missing, extra = expected - keys, keys - expected
        errors.append(f"{where}: bad keys (missing={sorted(missing)}, extra={sorted(extra)})")
        return
    ok = True
    for key in ("id", "question", *(("reference",) if item["answerable"] else ())):
        if not isinstance(item[key], str) or not item[key].strip():
            errors.append(f"{where}: {key!r} must be a non-empty string")
            ok = False
    if not isinstance(item["answerable"], bool):
        errors.append(f"{where}: 'answerable' must be a boolean")
        ok = False
    mi = item["must_include"]
    if not (isinstance(mi, list) and all(is_str_list(g) and g for g in mi)):
        errors.append(f"{where}: 'must_include' must be a list of non-empty lists of strings")
        ok = False
    elif any(not alt.strip() for g in mi for alt in g):
        errors.append(f"{where}: 'must_include' contains an empty alternative")
        ok = False
    if not is_str_list(item["support"]):
        errors.append(f"{where}: 'support' must be a list of strings")
        ok = False
    if not ok:
        return

    for s in item["support"]:
        if not s.strip() or s not in article:
            errors.append(f"{where}: support string not found verbatim in article: {s!r}")

    if item["answerable"]:
        if not mi:
            errors.append(f"{where}: answerable item needs at least one must_include group")
        if not item["support"]:
            errors.append(f"{where}: answerable item needs at least one support string")
        context = " ".join(full_sentences(article, spans, s) for s in item["support"]).lower()
        for g in mi:
            if not any(alt.lower() in context for alt in g):
                errors.append(f"{where}: no alternative of group {g} occurs in the support sentences")
    else:
        if mi:
            errors.append(f"{where}: unanswerable item must have empty must_include")
        if item["support"]:
            errors.append(f"{where}: unanswerable item must have empty support")


def main() -> int:
    article = load_article()
    spans = sentence_spans(article)
    files = sorted(SUITES_DIR.glob("*.jsonl"))
    if not files:
        print(f"no suite files found in {SUITES_DIR}")
        return 1
    errors: list[str] = []
    seen: dict[str, str] = {}
    own = corpora()
    for path in files:
        n = n_ans = 0
        with path.open(encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                where = f"{path.name}:{lineno}"
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as e:
                    errors.append(f"{where}: invalid JSON ({e})")
                    continue
                check_item(item, where, article, spans, errors, own.get(path.stem, ""))
                if isinstance(item, dict):
                    iid = item.get("id")
                    if isinstance(iid, str):
                        if iid in seen:
                            errors.append(f"{where}: duplicate id {iid!r} (first in {seen[iid]})")
                        else:
                            seen[iid] = where
                    n += 1
                    n_ans += item.get("answerable") is True
        print(f"{path.name}: {n} items ({n_ans} answerable, {n - n_ans} unanswerable)")
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for problem in errors:
            print("  " + problem)
        return 1
    print("all suites valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
