"""Metrics on tiny hand-made predictions whose values are computed by hand in the comments."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from evals.metrics import Item, aggregate, must_include_ok, percentile, retrieval_rank, score_item
from rag.types import Verdict


class WordJudge:
    """Supported iff every word of the claim occurs in the evidence: easy to reason about by hand."""

    name = "words"

    def judge(self, claim: str, evidence: Sequence[str]) -> Verdict:
        words = set(" ".join(evidence).lower().replace(".", "").split())
        need = set(claim.lower().strip(".").split())
        ok = bool(evidence) and need <= words
        return Verdict(ok, 1.0 if ok else 0.0, () if ok else ("missing words",))


def cite(n: int, quote: str) -> dict[str, object]:
    return {"n": n, "doc_id": "d", "quote": quote, "start": 0, "end": len(quote)}


ITEM = Item("q1", "question?", True, [["alpha"], ["gamma", "omega"]], ["alpha beta"], suite="s")


def test_citation_recall_precision_and_faithfulness_alce_style() -> None:
    # Sentence 1 is supported by its citation [1]; sentence 2 cites [2], which does not support it.
    pred = {
        "answer": "Alpha beta [1]. Gamma delta [2].",
        "abstained": False,
        "citations": [cite(1, "alpha beta"), cite(2, "epsilon")],
    }
    r = score_item(ITEM, pred, WordJudge())
    assert r["citation_recall"] == 0.5  # 1 of 2 sentences recalled
    assert r["citation_precision"] == 0.5  # [1] precise; [2] sits on an unsupported sentence
    assert r["faithfulness"] == 0.5  # "gamma delta" is in no quote at all
    assert r["faithful"] is False
    assert r["unsupported_claims"] == ["Gamma delta."]
    assert r["correct"] is True and r["must_include_ok"] is True  # "alpha" and "gamma" both appear


def test_alce_precision_flags_a_redundant_citation_only() -> None:
    # "Alpha gamma" needs both [1] and [2]: both precise. "Alpha" is supported by [3] alone, so [4]
    # (which alone does not support it, while [3] does without it) is imprecise.
    pred = {
        "answer": "Alpha gamma [1][2]. Alpha [3][4].",
        "abstained": False,
        "citations": [cite(1, "alpha"), cite(2, "gamma"), cite(3, "alpha"), cite(4, "zeta")],
    }
    r = score_item(ITEM, pred, WordJudge())
    assert r["citation_recall"] == 1.0
    assert r["citation_precision"] == 0.75  # 3 of 4 citations
    assert r["faithful"] is True


def test_a_sentence_without_citation_is_not_recalled_but_can_be_faithful_to_the_quotes() -> None:
    pred = {"answer": "Alpha beta. Alpha [1].", "abstained": False, "citations": [cite(1, "alpha beta")]}
    r = score_item(ITEM, pred, WordJudge())
    assert r["citation_recall"] == 0.5
    assert r["faithfulness"] == 1.0  # both claims are in the answer's cited evidence
    assert r["faithful"] is False  # but one claim carries no citation
    assert r["sentences"][0]["reasons"] == ["no citation"]


def test_claims_split_at_semicolons_and_coordinated_clauses() -> None:
    pred = {
        "answer": "Alpha beta went home; gamma delta went away [1].",
        "abstained": False,
        "citations": [cite(1, "alpha beta went home")],
    }
    r = score_item(ITEM, pred, WordJudge())
    assert r["claims"] == 2
    assert r["faithfulness"] == 0.5


def test_abstention_and_refusal_metrics() -> None:
    items = [
        Item("a1", "q", True, [["x"]], ["x y"], suite="s"),
        Item("a2", "q", True, [["x"]], ["x y"], suite="s"),
        Item("u1", "q", False, suite="s"),
        Item("u2", "q", False, suite="s"),
        Item("u3", "q", False, suite="s"),
    ]
    abstain = {"answer": "The articles do not say.", "abstained": True, "citations": []}
    answer = {"answer": "X y [1].", "abstained": False, "citations": [cite(1, "x y")]}
    preds = [answer, abstain, abstain, abstain, answer]  # a2 wrongly abstains, u3 wrongly answers
    results = [score_item(i, p, WordJudge()) for i, p in zip(items, preds, strict=True)]
    m = aggregate(results)
    assert m["abstention_accuracy"] == 0.6  # a1, u1, u2 right
    assert m["refusal_precision"] == round(2 / 3, 4)  # 3 abstentions, 2 on unanswerable items
    assert m["refusal_recall"] == round(2 / 3, 4)  # 2 of 3 unanswerable items
    assert m["refusal_f1"] == round(2 / 3, 4)
    assert m["answer_correctness"] == 0.5  # a1 yes, a2 abstained
    assert m["faithfulness"] == 1.0 and m["citation_recall"] == 1.0  # over the 2 answered items
    assert m["accuracy"] == 0.6
    assert results[1]["faithful"] is None and results[1]["failures"] == ["abstained on an answerable question"]
    assert results[4]["failures"] == ["answered an unanswerable question"]


def test_retrieval_rank_hit_rate_and_mrr() -> None:
    support = ["the gold  sentence."]
    assert retrieval_rank(["nothing", "has The gold sentence. here"], support) == 2
    assert retrieval_rank(["nothing"], support) == 0
    assert retrieval_rank(None, support) is None
    items = [Item(f"i{k}", "q", True, [["x"]], support, suite="s") for k in range(3)]
    contexts = [["the gold sentence."], ["a", "b", "the gold sentence."], ["a"]]
    results = [
        score_item(i, {"answer": "x", "abstained": False, "citations": [], "contexts": c}, WordJudge())
        for i, c in zip(items, contexts, strict=True)
    ]
    m = aggregate(results)
    assert m["retrieval_hit_rate"] == round(2 / 3, 4)
    assert m["mrr"] == round((1 + 1 / 3 + 0) / 3, 4)


def test_retrieval_metrics_are_null_without_passages() -> None:
    r = score_item(ITEM, {"answer": "alpha", "abstained": False, "citations": []}, WordJudge())
    m = aggregate([r])
    assert m["retrieval_hit_rate"] is None and m["mrr"] is None
    assert m["latency_p50_ms"] is None


def test_latency_percentiles_interpolate_like_numpy() -> None:
    assert percentile([40, 10, 30, 20], 50) == 25
    assert percentile([10, 20, 30, 40], 95) == pytest.approx(38.5)
    assert percentile([], 50) is None
    items = [Item(f"i{k}", "q", False, suite="s") for k in range(4)]
    results = [
        score_item(i, {"answer": "no", "abstained": True, "citations": [], "timings_ms": {"total": t}}, WordJudge())
        for i, t in zip(items, [10, 20, 30, 40], strict=True)
    ]
    m = aggregate(results)
    assert m["latency_p50_ms"] == 25 and m["latency_p95_ms"] == 38.5


def test_must_include_groups_are_all_required_any_alternative_case_insensitive() -> None:
    assert must_include_ok("Talks in CAIRO ended", [["cairo", "egypt"], ["ended"]])
    assert not must_include_ok("Talks in Cairo", [["cairo"], ["ended", "finished"]])
    assert must_include_ok("anything", [])
