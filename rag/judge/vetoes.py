"""Hard vetoes: a claim with a number, time or name the evidence lacks, a flipped negation, an antonym, swapped roles."""

from __future__ import annotations

import itertools

from rag import text as T
from rag.judge.features import (
    Tok,
    all_stems,
    names_near,
    negated_scopes,
    neighbours,
    number_set,
    stem_words,
    token_sequence,
)
from rag.judge.vocabulary import NEG_PREFIXES, OPPOSITE, PERIODS, RELATIONS, TIME_MODIFIERS, TIME_STEMS


def vetoes(claim: str, evidence: str, ev_stems: set[str]) -> list[str]:
    reasons: list[str] = []
    ev_lower = evidence.lower()
    missing_numbers = number_set(claim) - number_set(evidence)
    if missing_numbers:
        reasons.append(f"number not in evidence: {', '.join(sorted(missing_numbers))}")
    claim_words = [w.lower() for w in T.words(claim)]
    missing_times = sorted({w for w in claim_words if T.stem(w) in TIME_STEMS and T.stem(w) not in ev_stems})
    if missing_times:
        reasons.append(f"time not in evidence: {', '.join(missing_times)}")
    reasons.extend(_time_modifier_vetoes(claim, evidence))
    missing_entities = sorted(e for e in T.entities(claim) if not T.entity_present(e, ev_lower, ev_stems))
    if missing_entities:
        reasons.append(f"name not in evidence: {', '.join(missing_entities)}")
    reasons.extend(_negation_vetoes(claim, evidence, ev_stems))
    reasons.extend(_antonym_vetoes(claim, evidence, ev_stems))
    reasons.extend(_relation_vetoes(claim, evidence))
    reasons.extend(_role_vetoes(claim, evidence))
    return reasons


def _time_modifier_vetoes(claim: str, evidence: str) -> list[str]:
    """ "last week" where the evidence says "next week"; "first half" for "second half"."""
    c, e = stem_words(claim), stem_words(evidence)
    e_pairs = set(itertools.pairwise(e))
    e_times = {t for t in e if t in TIME_STEMS or t in PERIODS}
    out = []
    for m, t in itertools.pairwise(c):
        if m in TIME_MODIFIERS and (t in TIME_STEMS or t in PERIODS) and t in e_times and (m, t) not in e_pairs:
            out.append(f"time not in evidence: {m} {t}")
    return out


def _relation_vetoes(claim: str, evidence: str) -> list[str]:
    """ "after X" where the evidence says "before X" (the same X: a reordered paraphrase is fine)."""
    c, e = stem_words(claim), stem_words(evidence)
    out = []
    for i, w in enumerate(c[:-1]):
        other = RELATIONS.get(w)
        if other and w not in e:
            nxt = c[i + 1]
            if any(e[k] == other and e[k + 1] == nxt for k in range(len(e) - 1)):
                out.append(f"antonym: {w} vs {other}")
    return out


def _negation_vetoes(claim: str, evidence: str, ev_stems: set[str]) -> list[str]:
    c_cue, c_in, c_out = negated_scopes(claim)
    e_cue, e_in, e_out = negated_scopes(evidence)
    if c_cue and not e_cue:
        return ["negation not in evidence"]
    out: list[str] = []
    flipped = sorted((c_in & ev_stems) - e_in)
    if c_cue and flipped:
        out.append(f"claim negates what the evidence asserts: {', '.join(flipped)}")
    asserted = sorted((c_out & e_in) - e_out - c_in)
    if asserted:
        out.append(f"evidence negates: {', '.join(asserted)}")
    return out


def _antonym_vetoes(claim: str, evidence: str, ev_stems: set[str]) -> list[str]:
    """A word whose opposite the evidence uses in the same place (sharing a neighbouring word)."""
    c, e = all_stems(claim), all_stems(evidence)
    out: list[str] = []
    for i, (s, _) in enumerate(c):
        if s in ev_stems or len(s) < 2:
            continue
        # "unconstitutional" for "constitutional": a negating prefix needs no context.
        for prefix in NEG_PREFIXES:
            if prefix + s in ev_stems or (
                s.startswith(prefix) and len(s) - len(prefix) >= 4 and s[len(prefix) :] in ev_stems
            ):
                out.append(f"antonym: {s} (negating prefix)")
                break
        else:
            opposites = OPPOSITE.get(s, set())
            context = neighbours(c, i)
            hits = sorted({e[k][0] for k in range(len(e)) if e[k][0] in opposites and neighbours(e, k) & context})
            if hits:
                out.append(f"antonym: {s} vs {hits[0]}")
    return out


def _role_vetoes(claim: str, evidence: str) -> list[str]:
    """Two names swapped: the claim says "A <verb>" where the evidence says "B <verb>" and never "A <verb>"."""
    c_seq, e_seq = token_sequence(claim), token_sequence(evidence)
    claim_entities: set[str | None] = {t.entity for t in c_seq if t.entity}
    out: list[str] = []
    i = 0
    while i < len(c_seq):
        if c_seq[i].entity is None:
            i += 1
            continue
        j = i
        while j + 1 < len(c_seq) and c_seq[j + 1].entity is not None:
            j += 1
        span: set[str | None] = {t.entity for t in c_seq[i : j + 1]}
        prev = c_seq[i - 1] if i > 0 and c_seq[i - 1].entity is None else None
        nxt = c_seq[j + 1] if j + 1 < len(c_seq) else None
        i = j + 1
        if prev is not None and _object_swapped(prev.stem, span, claim_entities, e_seq):
            out.append(f"roles swapped: {prev.stem} {'/'.join(sorted(n for n in span if n))}")
        if nxt is None:
            continue
        w = nxt.stem
        w_pos = [k for k, t in enumerate(e_seq) if t.stem == w and t.entity is None]
        if not w_pos:
            continue

        def follows(names: set[str | None], window: int, w_pos: list[int] = w_pos) -> bool:
            return any(names_near(e_seq, p, -window) & names for p in w_pos)

        if follows(span, 8):
            continue
        # Another name (of the claim, or any name of the evidence) does what the claim says this one does.
        others: set[str | None] = ({t.entity for t in e_seq if t.entity} | claim_entities) - span
        if others and follows(others, 3):
            out.append(f"roles swapped: {'/'.join(sorted(n for n in span if n))} {w}")
    return out


def _object_swapped(w: str, span: set[str | None], claim_entities: set[str | None], e_seq: list[Tok]) -> bool:
    """The claim says "<w> A" where the evidence says "<w> B" and never "<w> ... A"."""
    w_pos = [k for k, t in enumerate(e_seq) if t.stem == w and t.entity is None]
    if not w_pos:
        return False
    if any(names_near(e_seq, p, 8) & span for p in w_pos):
        return False
    close = {e for p in w_pos for e in names_near(e_seq, p, 3)}
    others = ({t.entity for t in e_seq if t.entity} | claim_entities) - span
    return bool(close & others - {None})
