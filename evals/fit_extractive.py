"""Fit the extractive answerer's two logistic models on the dev split only.

Sentence model: for each answerable dev question, sentences containing a gold
support string are positives, the other candidates negatives. Answer model: one
row per dev question (answerable or not), from the best sentence under the
sentence model. Prints leave-one-question-out estimates (the honest number on
dev) and the weights to paste into rag/answerers/extractive.py. Never reads
the *_heldout suites.

    .venv/bin/python -m evals.fit_extractive [C]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

from rag.answerers import extractive as X
from rag.config import Settings
from rag.pipeline import Pipeline
from rag.questions import analyse
from rag.types import AnswerRequest

ROOT = Path(__file__).resolve().parent.parent
DEV = ["cairo_dev", "adversarial_dev"]


def _rows(pipe: Pipeline, items: list[dict]) -> list[tuple[dict, list[X.Candidate], AnswerRequest]]:
    out = []
    for item in items:
        q = analyse(item["question"])
        passages, vec, _ = pipe.retrieve(q.text)
        req = AnswerRequest(question=item["question"], passages=tuple(passages), vector=vec)
        out.append((item, pipe.extractive.candidates(q, req), req))
    return out


def _gold(item: dict, text: str) -> bool:
    return bool(item["answerable"]) and any(s in text or text in s for s in item["support"])


def main() -> int:
    from sklearn.linear_model import LogisticRegression

    c_reg = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    items = [
        json.loads(line) for name in DEV for line in (ROOT / "evals/suites" / f"{name}.jsonl").read_text().splitlines()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        pipe = Pipeline(Settings(data_dir=Path(tmp), corpus_dir=ROOT / "corpus", answerer="extractive"))
        pipe.ingest()
        rows = _rows(pipe, items)

    def fit_sentence(train: list[int]) -> LogisticRegression:
        xs = [c.features for i in train for c in rows[i][1]]
        ys = [int(_gold(rows[i][0], c.text)) for i in train for c in rows[i][1]]
        return LogisticRegression(C=c_reg, class_weight="balanced", max_iter=5000).fit(np.array(xs), np.array(ys))

    def answer_features(i: int, model: LogisticRegression) -> tuple[np.ndarray, X.Candidate]:
        item, cands, req = rows[i]
        scores = model.predict_proba(np.array([c.features for c in cands]))[:, 1]
        order = np.argsort(-scores)
        best = cands[order[0]]
        runner = scores[order[1]] if len(order) > 1 else 0.0
        q = analyse(item["question"])
        f = best.features
        feats = np.array(
            [
                scores[order[0]],
                f[0],
                f[1],
                f[4],
                X._unseen_terms(q, req.passages),
                X._entity_absent(q, req.passages),
                f[6],
                scores[order[0]] - runner,
            ]
        )
        return feats, best

    # Leave one question out: the honest estimate on dev.
    picked_gold = answered_right = abstained_right = false_abst = 0
    n_ans = sum(1 for r in rows if r[0]["answerable"])
    n_un = len(rows) - n_ans
    for held in range(len(rows)):
        train = [i for i in range(len(rows)) if i != held]
        smodel = fit_sentence(train)
        ax, ay = [], []
        for i in train:
            feats, _ = answer_features(i, smodel)
            ax.append(feats)
            ay.append(int(rows[i][0]["answerable"]))
        amodel = LogisticRegression(C=c_reg, class_weight="balanced", max_iter=5000).fit(np.array(ax), np.array(ay))
        feats, best = answer_features(held, smodel)
        answers = amodel.predict_proba(feats[None, :])[0, 1] >= 0.5
        item = rows[held][0]
        if item["answerable"]:
            good = _gold(item, best.text)
            picked_gold += good
            answered_right += good and answers
            false_abst += not answers
        else:
            abstained_right += not answers
    print(
        f"leave-one-out on dev: best sentence is gold {picked_gold}/{n_ans}, answered with gold {answered_right}/{n_ans}, "
        f"false abstentions {false_abst}/{n_ans}, correct abstentions {abstained_right}/{n_un}"
    )

    smodel = fit_sentence(list(range(len(rows))))
    ax = [answer_features(i, smodel)[0] for i in range(len(rows))]
    ay = [int(r[0]["answerable"]) for r in rows]
    amodel = LogisticRegression(C=c_reg, class_weight="balanced", max_iter=5000).fit(np.array(ax), np.array(ay))
    print("_SENTENCE_W = np.array([" + ", ".join(f"{w:.3f}" for w in smodel.coef_[0]) + "])")
    print(f"_SENTENCE_B = {smodel.intercept_[0]:.3f}")
    print("_ANSWER_W = np.array([" + ", ".join(f"{w:.3f}" for w in amodel.coef_[0]) + "])")
    print(f"_ANSWER_B = {amodel.intercept_[0]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
