"""Shared word-level analysis: content terms, stems, rarity, entities, numbers.

Used by the extractive answerer and the lexical judge, so both read a sentence
the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import Stemmer
from wordfreq import zipf_frequency

from rag.gazetteer import CAPITALS, COUNTRIES, COUNTRY_PAIRS

_STEM = Stemmer.Stemmer("english")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d[\d,.:]*\d|\d")
# What may come just before a sentence's first word: its predecessor's end, or a line break
# (after a headline, or at a paragraph's start).
_SENTENCE_END = re.compile(r"(?:[.!?]['\"’”]?\s*|\n\s*)$")
MARKER = re.compile(r"\s*\[(\d{1,3})\]")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not of off on once only or other our ours ourselves out over own same she should so some
    such than that the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your yours
    yourself yourselves also s t don shall may might must upon per via within without us one ones like
    it's there's what's let according said say says tell told mention mentioned mentions article articles
    report reports reported text passage story news happen happened happening describe described explain
    explained""".split()
)
# Words that keep their meaning role even though they are frequent.
NEGATIONS = frozenset("not no never without none nothing nor neither cannot n't fail failed lack".split())
_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand
    thousands million millions billion dozen dozens half""".split()
)
# A quantity answers "how many": numerals, number words and vague counts, not "all" or "many".
_QUANTITY_WORDS = _NUMBER_WORDS | frozenset("several few couple percent".split())
_TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december today yesterday tomorrow tonight night morning evening
    afternoon week weeks month months year years day days hour hours minute minutes decade decades century
    ago weekend""".split()
)
_MONTHS = frozenset("january february march april may june july august september october november december".split())
_CALENDAR = frozenset(_TIME_WORDS - {"night", "morning", "evening", "afternoon", "weekend"})

_ALIASES = {
    "us": "united states",
    "u.s.": "united states",
    "u.s": "united states",
    "usa": "united states",
    "america": "united states",
    "american": "united states",
    "americans": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "un": "united nations",
    "idf": "israeli",
    "bibi": "netanyahu",
    "pm": "prime minister",
}


def words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD.findall(text)]


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    return str(_STEM.stemWord(w.strip("'")))


@lru_cache(maxsize=100_000)
def rarity(word: str) -> float:
    """How informative a word is: 1 for common words up to ~4 for rare ones and names."""
    z = zipf_frequency(word.lower().strip("'"), "en")
    return max(0.5, min(4.5, 7.0 - z)) / 2.0


def _normalise(word: str) -> str:
    w = word.lower()
    for suffix in ("'s", "'re", "'ve", "'ll", "'d", "'m", "n't"):
        if w.endswith(suffix) and len(w) > len(suffix) + 1:
            return w[: -len(suffix)]
    return w.strip("'")


def content_terms(text: str) -> list[str]:
    """Lower-case content words (no stopwords; possessives and hyphens split off), in order."""
    return list(_content_terms(text))


# Speed only: the same sentences are analysed on every request that retrieves them,
# so the word-level work is cached per text (callers get a fresh copy to own).
@lru_cache(maxsize=32_768)
def _content_terms(text: str) -> tuple[str, ...]:
    out = []
    for token in words(strip_markers(text)):
        for part in [token] if any(ch.isdigit() for ch in token) else token.split("-"):
            w = _normalise(part)
            if w and (w.isdigit() or (len(w) > 1 and w not in STOPWORDS)):
                out.append(w)
    return tuple(out)


def stems(text: str) -> set[str]:
    return set(_stems(text))


@lru_cache(maxsize=32_768)
def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _content_terms(text))


def strip_markers(text: str) -> str:
    return MARKER.sub("", text)


def is_number(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or word.lower() in _NUMBER_WORDS


def numbers(text: str) -> set[str]:
    return {w.lower().replace(",", "") for w in words(text) if is_number(w)}


def has_quantity(text: str) -> bool:
    return any(is_number(w) or w.lower() in _QUANTITY_WORDS for w in words(text))


def has_time(text: str) -> bool:
    if re.search(r"\b(1[89]|20)\d\d\b", text):
        return True
    return any(w.lower() in _TIME_WORDS and w != "may" for w in words(text))  # "may" the verb is no month


def negated(text: str) -> bool:
    lowered = text.lower().replace("’", "'")
    return any(w in NEGATIONS for w in re.findall(r"[a-z]+(?:n't)?", lowered)) or "n't" in lowered


# How common (Zipf) an opening word must be to read as an ordinary word, not a name.
_COMMON_OPENER = 4.0


def entities(text: str) -> set[str]:
    """Capitalised words that are not sentence-initial function words: names, places, groups."""
    found: set[str] = set()
    tokens = [p for t in words(strip_markers(text)) for p in t.split("-") if p]
    for i, token in enumerate(tokens):
        acronym = len(token) >= 2 and token.replace(".", "").isupper()
        if not token[0].isupper() or (token.lower() in STOPWORDS and not acronym):
            continue
        if i == 0 and zipf_frequency(token.lower(), "en") > _COMMON_OPENER and token.lower() not in COUNTRIES:
            continue  # an ordinary word capitalised at the start of the sentence: "Contrast what ..."
        if len(token) == 1:
            continue
        found.add(token.lower().removesuffix("'s"))
    return found


def entity_present(entity: str, text_lower: str, text_stems: set[str]) -> bool:
    """Is ``entity`` (or its alias/demonym by prefix) mentioned in the text?"""
    alias = _ALIASES.get(entity) or CAPITALS.get(entity)  # "Washington" for the United States
    if alias and alias in text_lower:
        return True
    # A prefix allows "Israel's" and "Palestinians"; a short name must stand alone ("US" is not in "using").
    if re.search(r"\b" + re.escape(entity) + (r"\b" if len(entity) <= 3 else ""), text_lower):
        return True
    # Demonyms and inflections: Israel/Israeli, Egypt/Egyptian, Palestine/Palestinian.
    root = entity[:5] if len(entity) >= 6 else entity
    return (len(root) >= 5 and any(s.startswith(root) for s in text_stems)) or stem(entity) in text_stems


def has_date(text: str) -> bool:
    """A calendar date or year (not just a weekday): what "what date/year" asks for."""
    if re.search(r"\b(1[89]|20)\d\d\b", text) or re.search(r"\b\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?\b", text):
        return True
    return any(w.lower() in _MONTHS and w != "may" for w in words(text))


def names(text: str, known: frozenset[str] = frozenset()) -> set[str]:
    """Entities that can answer "who"/"where": capitalised words that are not dates, nor a
    common word capitalised only because it opens the sentence ("Negotiations in Cairo...").
    ``known`` holds words seen capitalised mid-sentence nearby: "Israel insists..." opens
    with a name when "by Israel" appears elsewhere."""
    found = {e for e in entities(text) if e not in _CALENDAR}
    first = next(iter(words(strip_markers(text))), "")
    key = first.lower().removesuffix("'s")
    if first[:1].isupper() and key not in known and common(first):
        found.discard(key)
    return found


def truecase(question: str, context: Iterable[str]) -> str:
    """A question typed all in lower case, with the names the context spells with a capital
    put back ("what did peres say" -> "what did Peres say"), so that it is read as asked.
    A name is a word the context capitalises mid-sentence and never writes in lower case."""
    if any(ch.isupper() for ch in question[1:]):
        return question
    capital: set[str] = set()
    lower: set[str] = set()
    for text in context:
        for m in _WORD.finditer(text):
            word, key = m.group(0), m.group(0).lower()
            if not word[0].isupper():
                lower.add(key)
            elif m.start() and not _SENTENCE_END.search(text[max(0, m.start() - 3) : m.start()]):
                capital.add(key)
    names = (capital - lower - STOPWORDS) | COUNTRIES
    for pair in COUNTRY_PAIRS:
        first, second = pair.split("_")
        question = re.sub(rf"\b{first}\s+{second}\b", f"{first.capitalize()} {second.capitalize()}", question)
    return _WORD.sub(lambda m: m.group(0).capitalize() if m.group(0).lower() in names else m.group(0), question)


def common(word: str) -> bool:
    """An everyday English word ("Negotiations", "In"), capitalised only because it opens a
    sentence, rather than a name ("Benny")."""
    return zipf_frequency(word.lower(), "en") >= 3.5
