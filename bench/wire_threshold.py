"""Measure the Jaccard similarity of wire copies and of different stories, to set
``RAG_WIRE__THRESHOLD`` (docs/news.md has the numbers).

    python -m bench.wire_threshold [--synthetic 200]

Pairs: the news test corpus (tests/data/news: a wire story, two copies with a new headline
and one sentence changed, other stories on the same bridge), the Cairo article against
copies of it edited the way an outlet edits a wire story, and every pair of ``--synthetic``
generated articles (templated stories on shared topics: the closest different stories).
Prints the exact Jaccard of the word 3-shingles and the MinHash estimate of each.
"""

from __future__ import annotations

import argparse
import itertools
import re
import tempfile
from pathlib import Path

from bench import synth
from rag import wire
from rag.documents import load_corpus

ROOT = Path(__file__).resolve().parent.parent
CAIRO = ROOT / "corpus" / "cairo-negotiations.txt"


def jaccard(a: str, b: str) -> tuple[float, float]:
    sa, sb = wire.shingles(a), wire.shingles(b)
    ma, mb = wire.signature(a), wire.signature(b)
    exact = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
    return exact, (ma.jaccard(mb) if ma is not None and mb is not None else 0.0)


def cairo_copies() -> dict[str, str]:
    """The Cairo article as other outlets might run it."""
    text = CAIRO.read_text(encoding="utf-8")
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    one = sentences.copy()
    one[3] = "Officials on both sides declined to comment on the talks when reached by telephone on Wednesday."
    two = sentences.copy()
    two[2] = "The two delegations left Cairo without setting a date for a new round."
    two[-1] = "Egyptian mediators said they would keep in touch with both sides."
    return {
        "headline + 1 sentence changed": "Cairo talks end with no deal\n" + " ".join(one),
        "headline + 2 sentences changed": "No agreement in Cairo\n" + " ".join(two),
        "last 3 sentences cut": " ".join(sentences[:-3]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=200, help="Generated articles compared pairwise.")
    args = parser.parse_args(argv)
    print("| pair | kind | exact Jaccard | MinHash estimate |\n| --- | --- | --- | --- |")
    news = {d.doc_id: d.text for d in load_corpus(ROOT / "tests" / "data" / "news").documents}
    copies = {"bridge-coastal", "bridge-metro"}
    for a, b in itertools.combinations(sorted(news), 2):
        exact, est = jaccard(news[a], news[b])
        kind = "copy" if {a, b} <= copies | {"bridge-wire"} else "different story"
        if kind == "copy" or ("bridge" in a and "bridge" in b):
            print(f"| {a} / {b} | {kind} | {exact:.3f} | {est:.3f} |")
    cairo = CAIRO.read_text(encoding="utf-8")
    for name, copy in cairo_copies().items():
        exact, est = jaccard(cairo, copy)
        print(f"| cairo / {name} | copy | {exact:.3f} | {est:.3f} |")
    with tempfile.TemporaryDirectory() as tmp:
        synth.write_corpus(Path(tmp), args.synthetic)
        texts = [d.text for d in load_corpus(Path(tmp)).documents]
    grams = [wire.shingles(t) for t in texts]
    sigs = [wire.signature(t) for t in texts]
    exact = max(len(a & b) / len(a | b) for a, b in itertools.combinations(grams, 2))
    est = max(a.jaccard(b) for a, b in itertools.combinations(sigs, 2) if a is not None and b is not None)
    pairs = len(texts) * (len(texts) - 1) // 2
    print(
        f"| {args.synthetic} synthetic articles, highest of {pairs} pairs | different story | {exact:.3f} | {est:.3f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
