"""The extractive answerer: quote the sentences that answer, or abstain.

For every sentence of the retrieved passages it scores how well the sentence
answers the question: rarity-weighted coverage of the question's content words
(stemmed), the embedding similarity of sentence and question (vectors computed
at ingest), whether the sentence holds the kind of thing asked for (a time for
"when", a quantity for "how many", a name for "who"...), and hard checks that
names and numbers the question relies on are really there. It answers with the
best sentence(s), verbatim, each followed by its passage marker; below the
calibrated threshold it abstains. It never writes words of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from rag import text as T
from rag.config import ExtractiveSettings
from rag.prompts import ABSTENTION_ANSWER
from rag.questions import Question, analyse
from rag.types import AnswerRequest, Passage, Span

_ANAPHOR = re.compile(r"^(This|These|That|Those|It|Its|They|Their|Such|He|She|His|Her|The move|The decision)\b")
_CAUSAL = re.compile(
    r"(?i)\b(because|due to|driven by|since|as a result|in order to|so that|reason|led to|leading to|"
    r"sparked|caused|to pressure|aimed at|seeking to|in an effort|as a deterrent|recognition that)\b"
)
_GROUP_WORDS = re.compile(
    r"(?i)\b(experts?|officials?|minister|president|delegations?|leaders?|government|spokes\w+|parties|"
    r"party|analysts?|diplomats?|mediators?|negotiators?|military|army|forces|authorities|members?|people)\b"
)
_PLACE_PREP = re.compile(r"\b(in|at|near|from|to|into|across)\s+(?:the\s+)?[A-Z][a-z]+")


@dataclass(frozen=True, slots=True)
class Candidate:
    passage: Passage
    span: Span
    text: str
    score: float
    coverage: float
    similarity: float
    index: int  # position among all candidate sentences of the document (reading order)


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, settings: ExtractiveSettings) -> None:
        self._settings = settings

    def stream(self, request: AnswerRequest) -> Iterator[str]:
        chosen = self.select(request)
        if not chosen:
            yield ABSTENTION_ANSWER
            return
        for i, cand in enumerate(chosen):
            yield ("" if i == 0 else " ") + with_marker(cand.text, cand.passage.n)

    # -- selection --------------------------------------------------------------------

    def select(self, request: AnswerRequest) -> list[Candidate]:
        """The sentences to quote, in reading order; empty to abstain."""
        question = analyse(request.standalone or request.question)
        if question.payload_only or not request.passages:
            return []
        candidates = self.score_all(question, request)
        if not candidates:
            return []
        best = max(candidates, key=lambda c: c.score)
        if best.score < self._settings.min_score:
            return []
        chosen = [best]
        by_pos = {(c.passage.chunk.doc_id, c.span): c for c in candidates}
        # A sentence opening with "This"/"They" needs the sentence it refers back to.
        prev = _neighbour(best, by_pos, -1)
        if _ANAPHOR.match(best.text) and prev is not None:
            chosen.insert(0, prev)
        # A "why" answer often follows the sentence that states the fact.
        nxt = _neighbour(best, by_pos, +1)
        if question.kind == "why" and nxt is not None and _ANAPHOR.match(nxt.text) and _CAUSAL.search(nxt.text):
            chosen.append(nxt)
        if len(chosen) < self._settings.max_sentences:
            covered = set().union(*(T.stems(c.text) for c in chosen))
            missing = question.stems - covered
            for cand in sorted(candidates, key=lambda c: -c.score):
                if len(chosen) >= self._settings.max_sentences:
                    break
                if cand in chosen or cand.score < self._settings.second_ratio * best.score:
                    continue
                if missing & T.stems(cand.text):  # adds something the question asks about
                    chosen.append(cand)
                    missing -= T.stems(cand.text)
        chosen = list(dict.fromkeys(chosen))[: max(self._settings.max_sentences, 2)]
        return sorted(chosen, key=lambda c: (c.passage.chunk.doc_id, c.span))

    def score_all(self, question: Question, request: AnswerRequest) -> list[Candidate]:
        qvec = request.vector
        weights = {t: T.rarity(t) for t in question.terms}
        total = sum(weights.values()) or 1.0
        passage_text = " ".join(p.chunk.text for p in request.passages).lower()
        passage_stems = T.stems(passage_text)
        missing_everywhere = [e for e in question.entities if not T.entity_present(e, passage_text, passage_stems)]
        seen: set[tuple[str, Span]] = set()
        out: list[Candidate] = []
        for passage in request.passages:
            vectors = passage.sentence_vectors
            for i, (span, sentence) in enumerate(passage.sentence_texts()):
                key = (passage.chunk.doc_id, span)
                if key in seen:
                    continue  # overlapping chunks share sentences
                seen.add(key)
                s_lower = sentence.lower()
                s_stems = T.stems(sentence)
                covered = sum(w for t, w in weights.items() if _term_in(t, s_lower, s_stems))
                coverage = covered / total
                similarity = 0.0
                if qvec is not None and vectors is not None and i < len(vectors):
                    similarity = float(np.dot(qvec, vectors[i].astype(np.float32)))
                score = 0.55 * coverage + 0.45 * _scale(similarity)
                score *= _type_factor(question, sentence)
                for entity in question.entities:
                    if not T.entity_present(entity, s_lower, s_stems):
                        score *= 0.55
                if missing_everywhere:
                    score *= 0.3
                for number in question.numbers:
                    if number not in T.numbers(sentence):
                        score *= 0.4
                out.append(Candidate(passage, span, sentence, score, coverage, similarity, span[0]))
        return out


def _term_in(term: str, s_lower: str, s_stems: set[str]) -> bool:
    return T.stem(term) in s_stems or (len(term) >= 4 and term in s_lower)


def _scale(similarity: float) -> float:
    """Map MiniLM cosine (unrelated ~0.1, paraphrase ~0.7) to 0..1."""
    return float(min(1.0, max(0.0, (similarity - 0.1) / 0.6)))


def _type_factor(question: Question, sentence: str) -> float:
    kind = question.kind
    if kind == "how_many":
        return 1.0 if T.has_quantity(sentence) else 0.5
    if kind == "when":
        return 1.0 if T.has_time(sentence) else 0.55
    if kind == "where":
        new_names = T.entities(sentence) - question.entities
        return 1.0 if (new_names or _PLACE_PREP.search(sentence)) else 0.6
    if kind == "who":
        new_names = T.entities(sentence) - question.entities
        return 1.0 if (new_names or _GROUP_WORDS.search(sentence)) else 0.6
    if kind == "why":
        return 1.0 if _CAUSAL.search(sentence) else 0.85
    return 1.0


def _neighbour(cand: Candidate, by_pos: dict[tuple[str, Span], Candidate], step: int) -> Candidate | None:
    doc = cand.passage.chunk.doc_id
    ordered = sorted((span for d, span in by_pos if d == doc), key=lambda s: s[0])
    idx = ordered.index(cand.span)
    j = idx + step
    if 0 <= j < len(ordered):
        other = by_pos[(doc, ordered[j])]
        # Only a true neighbour: nothing but whitespace between, within one paragraph.
        gap_ok = abs(other.span[0] - cand.span[1]) <= 2 or abs(cand.span[0] - other.span[1]) <= 2
        return other if gap_ok else None
    return None


def with_marker(sentence: str, n: int) -> str:
    """``sentence`` with ``[n]`` placed before its final full stop, as a reader expects."""
    if sentence and sentence[-1] in ".!?" and not sentence.endswith("..."):
        return f"{sentence[:-1]} [{n}]{sentence[-1]}"
    return f"{sentence} [{n}]"
