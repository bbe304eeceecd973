"""Lexical features of a claim or evidence text: stems, numbers, names in order, negation scopes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag import text as T
from rag.judge.vocabulary import NEGATION_CUES, NOT_NUMBERS, NUMBER_VALUES, SCOPE_END, SCOPE_SKIP, TIME_STEMS


def scoring_tokens(text: str) -> list[str]:
    return [
        T.stem(w) for w in T.words(T.strip_markers(text)) if w.lower() not in T.STOPWORDS or w.lower() in NEGATION_CUES
    ]


def lcs(a: Sequence[str], b: Sequence[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def prefix_hit(stem: str, pool: set[str]) -> bool:
    if len(stem) < 5:
        return False
    return any(len(p) >= 5 and (stem.startswith(p) or p.startswith(stem)) for p in pool)


def norm_words(text: str) -> str:
    return " " + " ".join(w.lower() for w in T.words(T.strip_markers(text))) + " "


def number_set(text: str) -> set[str]:
    out: set[str] = set()
    for w in T.words(text):
        lw = w.lower()
        if lw in NOT_NUMBERS:
            continue
        if any(ch.isdigit() for ch in lw):
            out.add(lw.replace(",", "").rstrip("."))
        elif lw in NUMBER_VALUES:
            out.add(NUMBER_VALUES[lw])
        elif T.is_number(lw):
            out.add(lw)
    return out


def _entity_key(token: str) -> str:
    t = token.lower().removesuffix("'s").removesuffix("’s")
    return t[:5] if len(t) >= 6 else t


@dataclass(frozen=True, slots=True)
class Tok:
    stem: str
    entity: str | None  # entity key when the token is part of a name


BOUNDARY = Tok("|", None)


def token_sequence(text: str) -> list[Tok]:
    """Content tokens in order (stopwords dropped), names marked by their key, sentences ended by ``|``."""
    from rag.sentences import split_sentences

    out: list[Tok] = []
    for sentence in split_sentences(T.strip_markers(text)):
        ents = T.entities(sentence)
        for w in T.words(sentence):
            lw = w.lower()
            if lw in T.STOPWORDS and not (w[0].isupper() and lw.removesuffix("'s") in ents):
                continue
            is_ent = lw.removesuffix("'s") in ents and w[0].isupper() and T.stem(lw) not in TIME_STEMS
            out.append(Tok(T.stem(w), _entity_key(w) if is_ent else None))
        out.append(BOUNDARY)
    return out


def names_near(seq: list[Tok], at: int, width: int) -> set[str | None]:
    """Names within ``width`` tokens of ``at`` (before it when width < 0), inside its sentence."""
    found: set[str | None] = set()
    step = 1 if width > 0 else -1
    k = at + step
    while 0 <= k < len(seq) and abs(k - at) <= abs(width) and seq[k] is not BOUNDARY:
        if seq[k].entity:
            found.add(seq[k].entity)
        k += step
    return found


def negated_scopes(text: str) -> tuple[bool, set[str], set[str]]:
    """(has a negation cue, stems inside a negation's scope, stems outside any)."""
    tokens = re.findall(r"[A-Za-z][A-Za-z'’\-]*|[.,;:!?]", T.strip_markers(text).replace("’", "'"))
    has_cue = False
    inside: set[str] = set()
    outside: set[str] = set()
    budget = 0
    for tok in tokens:
        lw = tok.lower()
        if lw in NEGATION_CUES or lw.endswith("n't"):
            has_cue, budget = True, 2
            continue
        if not tok[0].isalpha() or lw in SCOPE_END:
            budget = 0
            continue
        if lw in SCOPE_SKIP or lw in T.STOPWORDS:
            continue
        if budget > 0:
            inside.add(T.stem(lw))
            budget -= 1
        else:
            outside.add(T.stem(lw))
    return has_cue, inside, outside


def stem_words(text: str) -> list[str]:
    return [T.stem(w) for w in T.words(T.strip_markers(text))]


def all_stems(text: str) -> list[tuple[str, bool]]:
    """Every word's stem, with whether it is a content word."""
    return [(T.stem(w), w.lower() not in T.STOPWORDS) for w in T.words(T.strip_markers(text))]


def neighbours(seq: list[tuple[str, bool]], i: int, width: int = 3) -> set[str]:
    return {s for s, content in seq[max(0, i - width) : i] + seq[i + 1 : i + 1 + width] if content}
