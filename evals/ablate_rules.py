"""Do the hand-written reading rules earn their place beside the learned reader?

Runs suites over their corpora with the reader alone, with the reader plus each rule
module as a veto on the sentence it would quote, and with the old rule-based answerer
(``RAG_ANSWERER=rules``), and prints one line per variant and suite. A module earns its
place only if it helps on articles nobody tuned on (the held-out suites).

    python -m evals.ablate_rules news_dev news_heldout squad_heldout
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evals.metrics import CORPORA_DIR, Item, aggregate, load_suite, resolve_suite, score_item
from rag.answerers.reader import ReaderAnswerer
from rag.config import Settings, get_settings
from rag.judge import LexicalJudge
from rag.pipeline import Pipeline
from rag.questions import Question, analyse
from rag.types import AnswerRequest

Veto = Callable[[Question, str, AnswerRequest], bool]


def _premise(q: Question, sentence: str, request: AnswerRequest) -> bool:
    from rag.answerers.premises import denied_terms

    return bool(denied_terms(q, sentence))


def _untold(q: Question, sentence: str, request: AnswerRequest) -> bool:
    from rag.answerers.premises import event_untold

    return event_untold(q.text, sentence)


def _type(q: Question, sentence: str, request: AnswerRequest) -> bool:
    from rag.answerers.answer_types import type_ok

    return not type_ok(q, sentence)


def _asked_noun(q: Question, sentence: str, request: AnswerRequest) -> bool:
    from rag.answerers.asked import asked_words, mentions

    return any(not mentions(w, sentence) for w in asked_words(q.text))


VETOES: dict[str, Veto] = {
    "premises.denied_terms": _premise,
    "premises.event_untold": _untold,
    "answer_types.type_ok (wants, lexicon, gazetteer)": _type,
    "asked (the noun asked for)": _asked_noun,
}


class VetoedReader(ReaderAnswerer):
    """The reader's answer, refused when a rule says its sentence does not answer."""

    def __init__(self, base: ReaderAnswerer, veto: Veto) -> None:
        self.__dict__.update(base.__dict__)
        self._veto = veto

    def select(self, request: AnswerRequest) -> list[Any]:
        chosen = super().select(request)
        q = analyse(request.standalone or request.question)
        if chosen and q.kind != "summary" and self._veto(q, " ".join(c.text for c in chosen), request):
            return []
        return chosen


def run_variant(items: list[Item], variant: str, data: Path) -> list[dict[str, Any]]:
    judge = LexicalJudge()
    pipelines: dict[str, Pipeline] = {}
    results = []
    for item in items:
        if item.corpus not in pipelines:
            base = Settings()
            corpus = CORPORA_DIR / item.corpus if item.corpus else base.corpus_dir
            answerer = "rules" if variant == "old rule answerer" else "extractive"
            p = Pipeline(
                get_settings(base, corpus_dir=corpus, data_dir=data / (item.corpus or "default"), answerer=answerer)
            )
            p.ingest()
            if variant in VETOES:
                assert isinstance(p.answerer, ReaderAnswerer)
                p.answerer = p.extractive = VetoedReader(p.answerer, VETOES[variant])
            pipelines[item.corpus] = p
        answer = pipelines[item.corpus].ask(item.question)
        results.append(score_item(item, answer.to_dict(), judge))
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("suites", nargs="+")
    ap.add_argument("--output", type=Path)
    args = ap.parse_args()
    items = [i for s in args.suites for i in load_suite(resolve_suite(s))]
    keys = ("answer_correctness", "gold_citation", "correct_abstention", "false_abstention", "accuracy")
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        for variant in ["reader alone", *VETOES, "old rule answerer"]:
            results = run_variant(items, variant, Path(tmp))
            for suite in [*args.suites, "all"]:
                rows = [r for r in results if suite == "all" or r["suite"] == Path(suite).stem]
                m = aggregate(rows)
                table.append({"variant": variant, "suite": suite, **{k: m.get(k) for k in keys}})
                print(f"{variant:48} {suite:14} " + " ".join(f"{k}={m.get(k)}" for k in keys), flush=True)
    if args.output:
        args.output.write_text(json.dumps(table, indent=2))


if __name__ == "__main__":
    main()
