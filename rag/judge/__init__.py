"""Judges: does the evidence support the claim?

``LexicalJudge`` is the offline, deterministic default used by the verifier and
the eval harness alike. A claim is first split at ``;`` and at coordinated
clauses (", and ...", ", but ...", "while ..."); every part must be supported.
A part scores rarity-weighted content-word coverage (with stemming) and ROUGE-L
precision against each evidence text and against all of them together. Hard
vetoes reject a claim that carries a number, a time or a name the evidence does
not, negates what the evidence asserts (or asserts what it negates), swaps a
word for its antonym, or swaps the roles of two names ("Hamas insists" where the
evidence says "Israel insists"). The threshold is calibrated by
``evals/calibrate.py`` on synthetic articles (never on the corpus questions).

``LLMJudge`` asks an OpenAI-compatible model, claim by claim, with the
entailment prompt ``prompts/judge_entailment.txt``; same interface.

Modules: ``claims`` (cleaning and clause splitting, shared with the eval metrics),
``lexical`` (the lexical judge and its scores), ``vetoes`` (the hard vetoes),
``features`` (token-level features the scores and vetoes read), ``vocabulary``
(antonyms, negation cues, time and number words), ``llm`` (the LLM judge).
"""

from rag.judge.claims import clean_claim, is_claim, split_clauses
from rag.judge.lexical import DEFAULT_THRESHOLD, Assessment, LexicalJudge
from rag.judge.llm import LLMJudge, parse_entailment

__all__ = [
    "DEFAULT_THRESHOLD",
    "Assessment",
    "LLMJudge",
    "LexicalJudge",
    "clean_claim",
    "is_claim",
    "parse_entailment",
    "split_clauses",
]
