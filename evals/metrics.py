"""Suites, predictions and the metrics that score them.

A suite item (JSONL): ``{"id", "question", "answerable", "must_include", "support", "reference"?}``.
A prediction: the ``/api/ask`` object plus ``id`` (optionally ``contexts``: the retrieved
passage texts in rank order, ``latency_ms``, and ``variant``/``hallucinated`` for meta-evals).

Per item, the answer is split into sentences (pysbd), each sentence into claims (at
``;`` and coordinated clauses, ``rag.judge.split_clauses``), ``[n]`` markers dropped, and
the judge decides support:

- ``faithfulness`` (RAGAS-style): claims supported by the answer's cited evidence / claims.
- ``citation_recall`` (ALCE): a sentence is recalled when its citations together support
  it; a sentence without citations is not.
- ``citation_precision`` (ALCE): a citation is precise unless its sentence is not recalled,
  or (with several citations) it alone does not support the sentence while the others do.
- ``faithful`` (per item): every sentence is supported by its own citations.

Aggregates: ``answer_correctness`` (must_include groups hold, answerable items),
``faithfulness``/``citation_*`` (mean over answered items), ``gold_citation`` (answerable
items whose citations quote a gold support sentence) and ``false_abstention`` (answerable
items abstained on), ``abstention_accuracy`` (all items) and refusal precision/recall/F1
(abstaining as the positive class on unanswerable items), ``retrieval_hit_rate``/``mrr``
(rank of the first retrieved passage holding a gold support sentence; null without
passages, e.g. over HTTP), latency percentiles.
"""

from __future__ import annotations

import fnmatch
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.judge import clean_claim, is_claim, split_clauses
from rag.protocols import Judge
from rag.sentences import split_sentences

SUITES_DIR = Path(__file__).resolve().parent / "suites"
# Suites over articles other than corpus/: evals/corpora/<name>/, named per suite in corpora.toml.
CORPORA_DIR = Path(__file__).resolve().parent / "corpora"
_MARKER = re.compile(r"\[(\d{1,3})\]")

METRICS = (
    "answer_correctness",
    "gold_citation",
    "gold_precision",
    "false_abstention",
    "correct_abstention",
    "answer_chars",
    "faithfulness",
    "citation_recall",
    "citation_precision",
    "abstention_accuracy",
    "refusal_precision",
    "refusal_recall",
    "refusal_f1",
    "retrieval_hit_rate",
    "mrr",
    "latency_p50_ms",
    "latency_p95_ms",
)


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    question: str
    answerable: bool
    must_include: list[list[str]] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    reference: str = ""
    suite: str = ""
    doc: str = ""  # the article the question is about, for figures by article
    corpus: str = ""  # evals/corpora/<corpus>/ holds its articles; "" = the configured corpus


class EvalInputError(ValueError):
    """A suite or predictions file that cannot be read."""


def resolve_suite(name: str) -> Path:
    """A suite by name (``cairo_dev``) under evals/suites/, or by path."""
    path = Path(name)
    if path.is_file():
        return path
    candidate = SUITES_DIR / (name if name.endswith(".jsonl") else f"{name}.jsonl")
    if candidate.is_file():
        return candidate
    raise EvalInputError(f"no suite named {name!r} (looked for {path} and {candidate})")


def default_suites() -> list[Path]:
    return sorted(SUITES_DIR.glob("*.jsonl"))


def gate_suites(patterns: Sequence[str]) -> list[Path]:
    """The suites the gate runs: names under evals/suites/ matching any pattern (``cairo_heldout*``)."""
    return [p for p in default_suites() if any(fnmatch.fnmatchcase(p.stem, pat) for pat in patterns)]


def corpus_suites() -> list[Path]:
    """The suites about the configured corpus (corpus/), not about a corpus of their own."""
    own = suite_corpora()
    return [p for p in default_suites() if p.stem not in own]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalInputError(f"cannot read {path}: {exc.strerror}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalInputError(f"{path}:{n}: invalid JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            raise EvalInputError(f"{path}:{n}: each line must be an object with a string 'id'")
        rows.append(row)
    return rows


def suite_corpora() -> dict[str, str]:
    """Suite name -> corpus folder name under evals/corpora/ (suites not listed use corpus/)."""
    import tomllib

    path = CORPORA_DIR / "suites.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        return {str(k): str(v) for k, v in tomllib.load(f).get("suites", {}).items()}


def load_suite(path: Path) -> list[Item]:
    items = []
    corpus = suite_corpora().get(path.stem, "")
    for row in _read_jsonl(path):
        try:
            items.append(
                Item(
                    id=row["id"],
                    question=str(row["question"]),
                    answerable=bool(row["answerable"]),
                    must_include=[list(g) for g in row.get("must_include", [])],
                    support=list(row.get("support", [])),
                    reference=str(row.get("reference", "")),
                    suite=path.stem,
                    doc=str(row.get("doc", "")),
                    corpus=corpus,
                )
            )
        except KeyError as exc:
            raise EvalInputError(f"{path}: item {row['id']} lacks {exc.args[0]!r}") from exc
    return items


def load_predictions(path: Path) -> list[dict[str, Any]]:
    rows = _read_jsonl(path)
    for row in rows:
        if not isinstance(row.get("answer"), str) or not isinstance(row.get("citations", []), list):
            raise EvalInputError(f"{path}: prediction {row['id']} needs 'answer' (str) and 'citations' (list)")
    return rows


# -- per item -----------------------------------------------------------------------


def must_include_ok(answer: str, groups: Sequence[Sequence[str]]) -> bool:
    low = answer.lower()
    return all(any(alt.lower() in low for alt in group) for group in groups)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def retrieval_rank(contexts: Sequence[str] | None, support: Sequence[str]) -> int | None:
    """1-based rank of the first passage holding a gold support string; 0 when none does; None if unknown."""
    if contexts is None or not support:
        return None
    gold = [_norm(s) for s in support]
    for rank, text in enumerate(contexts, 1):
        t = _norm(text)
        if any(g in t for g in gold):
            return rank
    return 0


def gold_cited(citations: Sequence[dict[str, Any]], support: Sequence[str]) -> bool | None:
    """Whether a citation quotes a gold support sentence (or part of one); None without gold."""
    if not support:
        return None
    gold = [_norm(s) for s in support]
    quotes = [_norm(str(c.get("quote") or "")) for c in citations]
    return any(q and (g in q or q in g) for q in quotes for g in gold)


@dataclass(slots=True)
class _Sentence:
    raw: str
    text: str
    markers: list[int]
    parts: list[str]


def answer_sentences(answer: str) -> list[_Sentence]:
    out = []
    for raw in split_sentences(answer):
        if not is_claim(raw):
            continue
        text = clean_claim(raw)
        markers = list(dict.fromkeys(int(n) for n in _MARKER.findall(raw)))
        out.append(_Sentence(raw, text, markers, split_clauses(text)))
    return out


def score_item(item: Item, prediction: dict[str, Any], judge: Judge) -> dict[str, Any]:
    """Score one prediction of one item; the result is JSON-ready."""
    answer = str(prediction.get("answer", ""))
    abstained = bool(prediction.get("abstained", False))
    citations = [c for c in prediction.get("citations", []) if isinstance(c, dict)]
    quotes = {int(c["n"]): str(c.get("quote", "")) for c in citations if "n" in c}
    contexts = prediction.get("contexts")
    rank = retrieval_rank(contexts, item.support) if item.answerable else None
    latency = prediction.get("latency_ms")
    if latency is None:
        latency = (prediction.get("timings_ms") or {}).get("total")
    result: dict[str, Any] = {
        "id": item.id,
        "suite": item.suite,
        "doc": item.doc,
        "question": item.question,
        "answerable": item.answerable,
        "abstained": abstained,
        "answer": answer,
        "citations": [
            {k: c.get(k) for k in ("n", "doc_id", "quote", "start", "end")} for c in sorted(citations, key=_cit_n)
        ],
        "reference": item.reference,
        "must_include": item.must_include,
        "retrieval_rank": rank,
        "latency_ms": round(float(latency), 2) if isinstance(latency, int | float) else None,
    }
    for key in ("variant", "hallucinated", "error"):
        if key in prediction:
            result[key] = prediction[key]
    # A citation "answers" when its quote holds (or lies inside) a marked support sentence.
    on_gold = [any(_norm(g) in _norm(q) or _norm(q) in _norm(g) for g in item.support) for q in quotes.values() if q]
    result["gold_cited"] = (gold_cited(citations, item.support) and not abstained) if item.answerable else None
    result["gold_citations"] = sum(on_gold) if item.answerable else 0
    result["n_citations"] = len(on_gold)
    result["short_answer"] = prediction.get("short_answer")
    included = (not abstained) and must_include_ok(answer, item.must_include)
    result["must_include_ok"] = included if item.answerable else None
    result["correct"] = included if item.answerable else abstained

    sentences: list[dict[str, Any]] = []
    if abstained:
        result.update(faithful=None, faithfulness=None, citation_recall=None, citation_precision=None, claims=0)
        result["unsupported_claims"] = []
    else:
        all_quotes = [q for _, q in sorted(quotes.items()) if q]
        supported_parts = total_parts = recalled = precise = n_cites = 0
        unsupported: list[str] = []
        for s in answer_sentences(answer):
            evidence = [quotes[n] for n in s.markers if quotes.get(n)]
            verdict = judge.judge(s.text, evidence) if evidence else None
            ok = bool(verdict and verdict.supported)
            recalled += ok
            n_cites += len(s.markers)
            precise += _precise_citations(s, quotes, judge) if ok else 0
            parts = []
            for part in s.parts:
                pv = judge.judge(part, all_quotes) if all_quotes else None
                parts.append({"text": part, "supported": bool(pv and pv.supported)})
                supported_parts += bool(pv and pv.supported)
                total_parts += 1
            reasons = list(verdict.reasons) if verdict and not ok else ([] if ok else ["no citation"])
            if not ok:
                unsupported.append(s.text)
            sentences.append(
                {
                    "text": s.raw,
                    "claim": s.text,
                    "citations": s.markers,
                    "supported": ok,
                    "reasons": reasons,
                    "parts": parts,
                }
            )
        n = len(sentences)
        result["claims"] = total_parts
        result["faithfulness"] = round(supported_parts / total_parts, 4) if total_parts else 1.0
        result["citation_recall"] = round(recalled / n, 4) if n else 1.0
        result["citation_precision"] = round(precise / n_cites, 4) if n_cites else (1.0 if not n else 0.0)
        result["faithful"] = recalled == n
        result["unsupported_claims"] = unsupported
    result["sentences"] = sentences
    result["failures"] = _failures(result)
    return result


def _cit_n(c: dict[str, Any]) -> int:
    try:
        return int(c.get("n", 0))
    except (TypeError, ValueError):
        return 0


def _precise_citations(s: _Sentence, quotes: dict[int, str], judge: Judge) -> int:
    """ALCE: with one citation it is precise; with several, one is imprecise when it alone does not
    support the sentence and the others do without it."""
    cited = [n for n in s.markers if quotes.get(n)]
    if len(cited) <= 1:
        return len(cited)
    precise = 0
    for n in cited:
        if judge.judge(s.text, [quotes[n]]).supported:
            precise += 1
            continue
        rest = [quotes[m] for m in cited if m != n]
        if not judge.judge(s.text, rest).supported:
            precise += 1
    return precise


def _failures(r: dict[str, Any]) -> list[str]:
    out = []
    if r.get("error"):
        out.append(f"error: {r['error']}")
    if r["answerable"] and r["abstained"]:
        out.append("abstained on an answerable question")
    elif not r["answerable"] and not r["abstained"]:
        out.append("answered an unanswerable question")
    elif r["answerable"] and not r["must_include_ok"]:
        missing = [g[0] for g in r["must_include"] if not any(a.lower() in r["answer"].lower() for a in g)]
        out.append("missing: " + ", ".join(missing))
    if r.get("faithful") is False:
        out.append(f"{len(r['unsupported_claims'])} unsupported claim(s)")
    return out


# -- aggregates ---------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), q in 0..100."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _mean(values: Iterable[float | int | bool | None]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def aggregate(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in results if r["answerable"]]
    unanswerable = [r for r in results if not r["answerable"]]
    answered = [r for r in results if not r["abstained"]]
    abstained = [r for r in results if r["abstained"]]
    true_refusals = sum(1 for r in unanswerable if r["abstained"])
    precision = true_refusals / len(abstained) if abstained else None
    recall = true_refusals / len(unanswerable) if unanswerable else None
    if precision is None or recall is None:
        f1 = None if recall is None else 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    ranks = [r["retrieval_rank"] for r in answerable if r.get("retrieval_rank") is not None]
    latencies = [r["latency_ms"] for r in results if r.get("latency_ms") is not None]
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    return {
        "items": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "answered": len(answered),
        "abstained": len(abstained),
        "accuracy": _mean(r["correct"] for r in results),
        "answer_correctness": _mean(bool(r["must_include_ok"]) for r in answerable),
        "gold_citation": _mean(bool(r.get("gold_cited")) for r in answerable),
        "gold_precision": _ratio(
            sum(r.get("gold_citations", 0) for r in answered), sum(r.get("n_citations", 0) for r in answered)
        ),
        "false_abstention": _mean(r["abstained"] for r in answerable),
        "correct_abstention": _mean(r["abstained"] for r in unanswerable),
        "answer_chars": _mean(len(r["answer"]) for r in answered),
        "faithfulness": _mean(r["faithfulness"] for r in answered),
        "faithful_rate": _mean(r["faithful"] for r in answered),
        "citation_recall": _mean(r["citation_recall"] for r in answered),
        "citation_precision": _mean(r["citation_precision"] for r in answered),
        "abstention_accuracy": _mean(r["abstained"] == (not r["answerable"]) for r in results),
        "refusal_precision": None if precision is None else round(precision, 4),
        "refusal_recall": None if recall is None else round(recall, 4),
        "refusal_f1": None if f1 is None else round(f1, 4),
        "retrieval_hit_rate": _mean(rank > 0 for rank in ranks) if ranks else None,
        "mrr": _mean(1.0 / rank if rank else 0.0 for rank in ranks) if ranks else None,
        "latency_p50_ms": None if p50 is None else round(p50, 2),
        "latency_p95_ms": None if p95 is None else round(p95, 2),
    }
