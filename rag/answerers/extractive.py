"""The extractive answerer: quote the sentences that answer, or abstain.

Two small logistic models, both over features a reader would recognise:

* which sentence answers: rarity-weighted coverage of the question's content
  words (stemmed), the embedding similarity of question and sentence (sentence
  vectors are computed at ingest), both also relative to the best candidate,
  whether the sentence holds the kind of thing asked for (a time for "when", a
  quantity for "how many", a name or group for "who"...), and whether names and
  numbers the question relies on are there;
* whether the best sentence answers at all: its score, absolute coverage and
  similarity, the type check, and how much of the question's content appears
  nowhere in the retrieved passages (a mediator, a date, a person the articles
  never mention);
* and, before either, whether the best sentence denies what the question takes for
  granted (``premises.py``): then nothing answers it.

Weights are fitted on the dev split only (``evals/fit_extractive.py``). The
answer is the chosen sentence(s), verbatim, each with its passage marker: this
backend never writes words of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from rag import text as T
from rag.answerers.answer_types import CAUSAL, type_ok
from rag.answerers.discourse import (
    ANAPHOR,
    CARRIED,
    CONTRAST,
    PRONOUN,
    follows,
    paragraph_so_far,
    reason_follows,
    refers_back,
    spells_out,
)
from rag.answerers.premises import denied_terms, event_untold
from rag.answerers.reader import with_marker
from rag.answerers.summary import summary_sentences
from rag.answerers.wants import wants
from rag.config import ExtractiveSettings
from rag.lexicon import term_in, term_match
from rag.prompts import ABSTENTION_ANSWER
from rag.questions import Question, analyse
from rag.types import AnswerRequest, Passage, Span

# A denial among the best few sentences answers a false premise, though another may match better:
# "Why did Hamas accept the deal?" matches "Hamas is seeking concessions" before "ended without a
# final agreement".
_PREMISE_REACH = 3
SENTENCE_FEATURES = (
    "coverage", "similarity", "coverage_gap", "similarity_gap", "type_ok", "entity_missing",
    "number_missing", "anaphor", "passage_rank", "neighbour_coverage", "similarity_rank", "centrality",
)  # fmt: skip
ANSWER_FEATURES = (
    "best_score", "coverage", "similarity", "type_ok", "unseen_terms", "entity_absent", "number_missing",
    "margin",
)  # fmt: skip
# Fitted by evals/fit_extractive.py on evals/suites/*_dev.jsonl; the held-out splits never enter the fit.
_SENTENCE_W = np.array([1.619, 0.823, 2.336, 3.624, 3.763, -0.512, 0.000, -0.505, 1.703, 2.466, 1.024, -0.361])
_SENTENCE_B = -4.388
_ANSWER_W = np.array([1.265, 0.273, 1.191, 1.702, -0.128, -1.761, 0.000, -0.679])
_ANSWER_B = -2.883


@dataclass(frozen=True, slots=True, eq=False)
class Candidate:
    passage: Passage
    span: Span
    text: str
    features: np.ndarray
    score: float
    missing: frozenset[str] = frozenset()  # names the question gives that neither it nor the one before holds

    @property
    def coverage(self) -> float:
        return float(self.features[0])

    @property
    def similarity(self) -> float:
        return float(self.features[1])


@dataclass(frozen=True, slots=True)
class Decision:
    candidates: list[Candidate]
    best: Candidate | None
    answer_features: np.ndarray
    probability: float
    summary: tuple[Candidate, ...] = ()  # the sentences to quote, when the question asks for the gist


def _sigmoid(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-z)))


class ExtractiveAnswerer:
    name = "extractive"
    quotes_only = True

    def __init__(self, settings: ExtractiveSettings) -> None:
        self._settings = settings

    def stream(self, request: AnswerRequest) -> Iterator[str]:
        chosen = self.select(request)
        if not chosen:
            yield ABSTENTION_ANSWER
            return
        for i, cand in enumerate(chosen):
            yield ("" if i == 0 else " ") + with_marker(cand.text, cand.passage.n)

    # -- decision -------------------------------------------------------------------

    def decide(self, request: AnswerRequest) -> Decision:
        question = analyse(request.standalone or request.question)
        candidates = _in_focus(self.candidates(question, request), request.focus)
        if not candidates or question.payload_only:
            return Decision(candidates, None, np.zeros(len(ANSWER_FEATURES)), 0.0)
        if question.kind == "summary":  # the gist of the article: there is always one to give
            chosen = tuple(summary_sentences(candidates, self._settings.max_sentences))
            return Decision(candidates, chosen[0], np.zeros(len(ANSWER_FEATURES)), 1.0, chosen)
        if question.quotes:
            # A quoted phrase must be found, or the articles do not hold what is asked about.
            candidates = [c for c in candidates if _quote_coverage(question, c.text) >= 0.6]
            if not candidates:
                return Decision([], None, np.zeros(len(ANSWER_FEATURES)), 0.0)
        ranked = sorted(candidates, key=lambda c: -c.score)
        best = ranked[0]
        denied = any(denied_terms(question, c.text) for c in ranked[:_PREMISE_REACH])
        if denied or (not question.polar and _passes_over(best, candidates)):
            # The passages deny what the question assumes, or the best match is about someone
            # else than the one it asks about: nothing here answers it.
            return Decision(candidates, None, np.zeros(len(ANSWER_FEATURES)), 0.0)
        if event_untold(question.text, _around(best, candidates)):
            return Decision(candidates, None, np.zeros(len(ANSWER_FEATURES)), 0.0)
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        unseen = _unseen_terms(question, request.passages)
        f = best.features
        feats = np.array(
            [
                best.score,
                f[0],
                f[1],
                f[4],
                unseen,
                _entity_absent(question, request.passages),
                f[6],
                best.score - runner_up,
            ]
        )
        return Decision(candidates, best, feats, _sigmoid(_ANSWER_B + float(np.dot(_ANSWER_W, feats))))

    def select(self, request: AnswerRequest, decision: Decision | None = None) -> list[Candidate]:
        """The sentences to quote, in reading order; empty to abstain. ``decision``: this
        request's, when the caller has already made it."""
        decision = decision or self.decide(request)
        best = decision.best
        if best is None or decision.probability < self._settings.min_score:
            return []
        if decision.summary:
            return list(decision.summary)
        question = analyse(request.standalone or request.question)
        by_pos = {(c.passage.chunk.doc_id, c.span): c for c in decision.candidates}
        chosen = [best]
        # A sentence opening with "This"/"They" needs the sentence it refers back to.
        prev = _neighbour(best, by_pos, -1)
        if ANAPHOR.match(best.text) and prev is not None:
            chosen.insert(0, prev)
        # The next sentence belongs to the answer when it gives the reason a "why" asks for, or
        # opens "However, ..." in the same paragraph: quoted alone, "talks have slowed any major
        # offensive" says more than the article does.
        nxt = _neighbour(best, by_pos, +1)
        if nxt is not None and (
            (
                question.kind == "why"
                and ANAPHOR.match(nxt.text)
                and (CAUSAL.search(nxt.text) or wants(question).purpose)
            )
            or (
                _one_paragraph(best, nxt)
                and (
                    CONTRAST.match(nxt.text)
                    or reason_follows(question, best.text, request.passages, best.passage.chunk.doc_id, best.span)
                    or (wants(question).meaning and ANAPHOR.match(nxt.text))
                    or spells_out(best.text, nxt.text)
                )
            )
        ):
            chosen.append(nxt)
        # When other sentences score nearly as well, the evidence is split or ambiguous:
        # quote them too (each carries its own citation) rather than guess one.
        floor = self._settings.second_ratio * best.score
        for cand in sorted(decision.candidates, key=lambda c: -c.score):
            if len(chosen) >= self._settings.max_sentences:
                break
            if cand in chosen or cand.score < floor:
                continue
            if not cand.features[4] and question.kind != "why":
                # A runner-up without the kind of thing asked for adds no answer (a reason may
                # still be in one without "because").
                continue
            # "This sentiment seems to echo ..." means nothing without the sentence it refers to:
            # a runner-up is quoted only with that sentence, and only if it would be quoted too.
            if ANAPHOR.match(cand.text):
                before = _neighbour(cand, by_pos, -1)
                if before is None:
                    continue
                if before not in chosen:
                    if before.score < floor or len(chosen) + 2 > self._settings.max_sentences:
                        continue
                    chosen.append(before)
            chosen.append(cand)
        return sorted(dict.fromkeys(chosen), key=lambda c: (c.passage.chunk.doc_id, c.span))

    # -- sentence scoring -------------------------------------------------------------

    def candidates(self, question: Question, request: AnswerRequest) -> list[Candidate]:
        """Every sentence of the passages, with its features and score (0..1)."""
        qvec = request.vector
        sentences: list[tuple[Passage, int, Span, str]] = []
        seen: set[tuple[str, Span]] = set()
        for passage in request.passages:
            for i, (span, sentence) in enumerate(passage.sentence_texts()):
                key = (passage.chunk.doc_id, span)
                if key not in seen:  # overlapping chunks share sentences
                    seen.add(key)
                    sentences.append((passage, i, span, sentence))
        lowered = [(s.lower(), T.stems(s)) for _p, _i, _sp, s in sentences]
        # Weight each question word by how rare it is in English and among these sentences:
        # a word in every sentence ("negotiations" in talks coverage) tells little about which answers.
        n = len(sentences)
        weights = {}
        for t in question.terms:
            df = sum(1 for low, st in lowered if term_match(t, low, st) > 0)
            weights[t] = T.rarity(t) * float(np.log(1.0 + (n + 1) / (df + 1)))
        total = sum(weights.values()) or 1.0
        raw: list[tuple[Passage, Span, str, float, float]] = []
        # Coverage by the sentence's own words (not what its "this" carries), for its neighbours' feature.
        cov_at: dict[tuple[str, Span], float] = {}
        vecs: list[np.ndarray] = []
        for (passage, i, span, sentence), (s_lower, s_stems) in zip(sentences, lowered, strict=True):
            vectors = passage.sentence_vectors
            matched = {t: term_match(t, s_lower, s_stems) for t in weights}
            own = sum(w * matched[t] for t, w in weights.items()) / total
            if refers_back(sentence):
                # What "this" stands for is named earlier in the paragraph: "...the threat of an
                # offensive in Rafah. ... Israel is using this as a deterrent" is about that threat.
                earlier = paragraph_so_far(passage, span)[: -len(sentence)].lower()
                b_stems = T.stems(earlier)
                for t in weights:
                    if not matched[t]:
                        matched[t] = CARRIED * term_match(t, earlier, b_stems)
            coverage = sum(w * matched[t] for t, w in weights.items()) / total
            similarity = 0.0
            vec = np.zeros(1, dtype=np.float32)
            if qvec is not None and vectors is not None and i < len(vectors):
                vec = vectors[i].astype(np.float32)
                similarity = _scale(float(np.dot(qvec, vec)))
            raw.append((passage, span, sentence, coverage, similarity))
            cov_at[(passage.chunk.doc_id, span)] = own
            vecs.append(vec)
        if not raw:
            return []
        max_cov = max(r[3] for r in raw)
        max_sim = max(r[4] for r in raw)
        sims = sorted((r[4] for r in raw), reverse=True)
        text_at = {(r[0].chunk.doc_id, r[1]): r[2] for r in raw}
        known_names = frozenset(n for r in raw for n in T.names(r[2])) if question.kind == "who" else frozenset()
        # Some sentences sit close to every question ("hubs"); centrality lets the model discount them.
        dims = {v.shape[0] for v in vecs}
        centrality = [0.0] * len(raw)
        if len(dims) == 1 and vecs[0].shape[0] > 1:
            mat = np.vstack(vecs)
            centroid = mat.mean(axis=0)
            centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
            centrality = [float(x) for x in mat @ centroid]
        out = []
        for (passage, span, sentence, coverage, similarity), central in zip(raw, centrality, strict=True):
            doc = passage.chunk.doc_id
            near = [c for (d, sp), c in cov_at.items() if d == doc and (follows(sp, span) or follows(span, sp))]
            s_lower, s_stems = sentence.lower(), T.stems(sentence)
            ents = question.entities
            e_lower, e_stems = s_lower, s_stems
            missing: frozenset[str] = frozenset()
            if ents:
                # Still in play from earlier in the paragraph: "...an offensive in Rafah. A potential
                # offensive could lead to a significant loss of life" is about Rafah.
                para = paragraph_so_far(passage, span).lower()
                p_stems = T.stems(para)
                if refers_back(sentence):
                    e_lower, e_stems = para, p_stems
                elif PRONOUN.search(sentence):
                    before = [t for (d, sp), t in text_at.items() if d == doc and follows(sp, span)]
                    if before:
                        e_lower, e_stems = f"{before[0].lower()} {s_lower}", s_stems | T.stems(before[0])
                missing = frozenset(e for e in ents if not question.names(e, para, p_stems))
            feats = np.array(
                [
                    coverage,
                    similarity,
                    coverage - max_cov,
                    similarity - max_sim,
                    type_ok(question, sentence, known_names)
                    or reason_follows(question, sentence, request.passages, doc, span),
                    sum(1 for e in ents if not question.names(e, e_lower, e_stems)) / max(1, len(ents)),
                    float(any(n not in T.numbers(sentence) for n in question.numbers)),
                    float(bool(ANAPHOR.match(sentence))),
                    1.0 / passage.n,
                    max(near, default=0.0),
                    1.0 / (1 + sims.index(similarity)),
                    central,
                ]
            )
            score = _sigmoid(_SENTENCE_B + float(np.dot(_SENTENCE_W, feats)))
            out.append(Candidate(passage, span, sentence, feats, score, missing))
        return out


def _around(best: Candidate, candidates: list[Candidate]) -> str:
    """The best sentence with the ones just before and after it, where retrieved."""
    doc = best.passage.chunk.doc_id
    return " ".join(
        c.text
        for c in candidates
        if c.passage.chunk.doc_id == doc and (c is best or follows(c.span, best.span) or follows(best.span, c.span))
    )


def _in_focus(candidates: list[Candidate], focus: tuple[str, int, int] | None) -> list[Candidate]:
    """The sentences of the paragraph the question points at ("the closing paragraph"), if any."""
    if focus is None:
        return candidates
    doc, start, end = focus
    return [c for c in candidates if c.passage.chunk.doc_id == doc and start <= c.span[0] and c.span[1] <= end]


def _passes_over(best: Candidate, candidates: list[Candidate]) -> bool:
    """Does the best sentence (with the one before it) leave out someone the question names
    and the passages mention only once or twice? "How did the United States respond?" is about the United States; a
    sentence without it (or a pronoun for it) is not its answer. A name in every other
    sentence ("Israel" in talks coverage) is left out of a sentence without changing its subject."""
    texts = [(c.text.lower(), T.stems(c.text)) for c in candidates] if best.missing else []
    return any(sum(1 for low, st in texts if T.entity_present(e, low, st)) <= 2 for e in best.missing)


def _quote_coverage(question: Question, sentence: str) -> float:
    s_stems = T.stems(sentence)
    shares = []
    for quote in question.quotes:
        q_stems = T.stems(quote) or {T.stem(w) for w in T.words(quote)}
        shares.append(len(q_stems & s_stems) / max(1, len(q_stems)))
    return min(shares, default=1.0)


def _unseen_terms(question: Question, passages: tuple[Passage, ...]) -> float:
    """Rarity-weighted share of the question's content words found in no retrieved passage."""
    text = " ".join(p.chunk.text for p in passages).lower()
    stems = T.stems(text)
    weights = {t: T.rarity(t) for t in question.terms}
    total = sum(weights.values()) or 1.0
    return sum(w for t, w in weights.items() if not term_in(t, text, stems)) / total


def _entity_absent(question: Question, passages: tuple[Passage, ...]) -> float:
    text = " ".join(p.chunk.text for p in passages).lower()
    stems = T.stems(text)
    return float(any(not question.names(e, text, stems) for e in question.entities))


def _scale(similarity: float) -> float:
    """Map MiniLM cosine (unrelated ~0.1, close paraphrase ~0.7) to 0..1."""
    return float(min(1.0, max(0.0, (similarity - 0.1) / 0.6)))


def _one_paragraph(first: Candidate, second: Candidate) -> bool:
    chunk = first.passage.chunk
    return "\n" not in chunk.text[first.span[1] - chunk.start : second.span[0] - chunk.start]


def _neighbour(cand: Candidate, by_pos: dict[tuple[str, Span], Candidate], step: int) -> Candidate | None:
    """The sentence just before (-1) or after (+1) ``cand`` in the same paragraph, if retrieved."""
    doc = cand.passage.chunk.doc_id
    for (d, span), other in by_pos.items():
        if d != doc:
            continue
        if (step < 0 and follows(span, cand.span)) or (step > 0 and follows(cand.span, span)):
            return other
    return None
