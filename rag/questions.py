"""What a question asks for: its type, content terms, entities and numbers.

Also removes instructions planted in a question ("ignore previous instructions
and ..."), so that only the question itself is answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag import text as T

_INJECTION = re.compile(
    r"(?ix)"
    r"(?:^|[.;:!?\n]\s*|\band\s+|,\s*)"
    r"(?:please\s+)?"
    r"(?:ignore|disregard|forget|override|bypass)\b[^.?!\n]*?"
    r"(?:instructions?|rules?|prompts?|context|guidelines|above|everything)\b[^.?!\n]*?"
    r"(?:[.;:!\n]|\band\b|,|$)"
)
_PAYLOAD = re.compile(
    r"(?ix)^\s*(?:and\s+)?(?:instead\s+)?(?:just\s+)?"
    r"(?:say|print|output|repeat|write|respond|reply|answer\s+with|tell\s+(?:me|us)\s+that|claim|state|pretend|act\s+as|you\s+are\s+now)\b"
)
_LEAD_IN = re.compile(
    r"(?i)^\s*(?:otherwise|instead|also|then|now|but)?[,:]?\s*(?:please\s+)?(?:just\s+)?(?:tell\s+me|answer(?:\s+this)?|say)\s*[:,]\s*"
)
_QUOTE = re.compile(r"[\"“”]([^\"“”]{3,300})[\"“”]|(?<!\w)['‘]([^'‘’]{3,300}?)['’](?!\w)")
_ROLE_PLAY = re.compile(r"(?i)\b(system\s+prompt|developer\s+mode|jailbreak)\b")

_TYPES = (
    ("how_many", re.compile(r"(?i)\bhow\s+(many|much)\b|\bwhat\s+(number|percentage|amount)\b|\bnumber of\b.*\?$")),
    (
        "date",
        re.compile(r"(?i)\b(what|which)\s+(date|year|month)\b|\bcalendar\b|\bwhat\s+day\s+of\b|\bin\s+what\s+year\b"),
    ),
    ("when", re.compile(r"(?i)\bwhen\b|\bwhat\s+(day|date|time|year|month)\b|\bon\s+which\s+day\b|\bhow\s+long\b")),
    (
        "where",
        re.compile(r"(?i)\bwhere\b|\bwhich\s+(city|country|place|town|capital)\b|\bin\s+what\s+(city|country|place)\b"),
    ),
    (
        "who",
        re.compile(
            r"(?i)\bwho(m|se)?\b|\bwhich\s+(person|people|official|leader|group|side|party|parties|country|countries)\b"
        ),
    ),
    (
        "why",
        re.compile(
            r"(?i)\bwhy\b|\bwhat\s+(drives|drove|explains|is\s+the\s+reason|motivates|led\s+to|caused)\b|\bfor\s+what\s+reason\b"
        ),
    ),
    ("how", re.compile(r"(?i)^\s*how\b")),
    ("yesno", re.compile(r"(?i)^\s*(is|are|was|were|did|do|does|has|have|had|will|would|can|could|should)\b")),
)


@dataclass(frozen=True, slots=True)
class Question:
    raw: str
    text: str  # the question with planted instructions removed
    kind: str  # how_many | date | when | where | who | why | how | yesno | what
    terms: tuple[str, ...]
    entities: frozenset[str]
    numbers: frozenset[str]
    injected: bool
    payload_only: bool  # nothing but an instruction to say something
    quotes: tuple[str, ...] = ()  # words the question quotes: the answer must contain them
    focus: str | None = None  # the noun a "what/which/how many X" question asks for ("city", "hotel")
    focus_class: str | None = None  # place | time | person | generic | None (a specific noun)

    @property
    def stems(self) -> set[str]:
        return {T.stem(t) for t in self.terms}


def strip_injection(question: str) -> tuple[str, bool, bool]:
    """(question without planted instructions, whether any were found, whether only a payload remains)."""
    cleaned, n = _INJECTION.subn(" ", question)
    injected = n > 0 or bool(_ROLE_PLAY.search(question))
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" ,;:-")
    if injected:
        cleaned = _LEAD_IN.sub("", cleaned)
    payload_only = False
    if injected or _PAYLOAD.match(cleaned):
        # What follows is a command to say something: keep only a real question in it, if any.
        parts = re.split(
            r"(?<=[.!;])\s+|\s+\band\b\s+(?=(?:what|who|when|where|why|how|which|is|are|did|does|do)\b)", cleaned
        )
        questions = [
            p
            for p in parts
            if p
            and not _PAYLOAD.match(p)
            and re.search(r"\?|^\s*(what|who|when|where|why|how|which|is|are|did|does|do|can|will|has|have)\b", p, re.I)
        ]
        if questions:
            cleaned = " ".join(questions)
        elif _PAYLOAD.match(cleaned) or not cleaned:
            payload_only = True
        injected = True if _PAYLOAD.match(question.strip()) or injected else injected
    return cleaned or question, injected, payload_only


def analyse(question: str) -> Question:
    text, injected, payload_only = strip_injection(question)
    kind = "what"
    for name, pattern in _TYPES:
        if pattern.search(text):
            kind = name
            break
    focus, modifiers, _via = question_focus(text)
    focus_class = _focus_class(focus)
    if kind in ("what", "how") and focus_class in _CLASS_KIND:
        kind = _CLASS_KIND[focus_class]
    if focus in ("year", "date", "month") and kind == "when":
        kind = "date"
    if kind == "date" and _IDIOMS.search(text):
        kind = "when"  # "what day of the week" asks for a weekday, not a calendar date
    # "day of the week" names what is asked for; "week" is not a word the answer must contain.
    terms = tuple(t for t in T.content_terms(_IDIOMS.sub(" ", text)) if t not in _QUESTION_NOISE)
    # "Which Egyptian city": a name that qualifies the thing asked for is no premise to find in the text.
    entities = frozenset(T.entities(_drop_leading_wh(text))) - {m.lower() for m in modifiers}
    return Question(
        raw=question,
        text=text,
        kind=kind,
        terms=terms,
        entities=entities,
        numbers=frozenset(n for n in T.numbers(text) if any(ch.isdigit() for ch in n)),
        injected=injected,
        payload_only=payload_only,
        quotes=tuple(q for q in (m.group(1) or m.group(2) for m in _QUOTE.finditer(text)) if len(q.split()) >= 2),
        focus=focus,
        focus_class=focus_class,
    )


_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_AUX = frozenset(
    "is are was were be been being am did do does has have had will would can could should shall may might must "
    "the a an this that these those it its they their there he she his her we our you your i".split()
)
_MODIFIERS = frozenset(
    "former foreign main other new next specific particular exact recent last first current previous "
    "key major biggest largest central chief senior top local international regional".split()
)
_VERBS = frozenset("made make makes happened happen happens caused cause led drove prompted say said".split())
_IDIOMS = re.compile(r"(?i)\bof\s+the\s+week\b")
_CLASS_WORDS = {
    "place": "city cities country countries town towns place places region area capital location village "
    "territory venue site border",
    "time": "day days date dates time times month months year years week weeks hour hours night morning evening "
    "season period deadline",
    "person": "person people man woman leader leaders official officials minister president mediator mediators "
    "negotiator negotiators spokesperson spokesman name names politician diplomat envoy commander head chief "
    "individual figure",
    "generic": "kind type sort way ways thing things outcome result results effect effects impact purpose reason "
    "reasons goal goals aim aims role point problem problems issue issues tension concern concerns worry worries "
    "difference change changes factor factors part message view views stance position situation status step steps "
    "move moves action actions strategy approach method argument risk risks danger option options sign signs "
    "evidence explanation response reaction lesson point consequence consequences benefit office offices post "
    "posts title titles job jobs",
}
_FOCUS_CLASS = {w: cls for cls, ws in _CLASS_WORDS.items() for w in ws.split()}
_CLASS_KIND = {"place": "where", "time": "when", "person": "who"}


def question_focus(text: str) -> tuple[str | None, tuple[str, ...], str | None]:
    """The noun a "what/which/how many X ..." question asks for (for "who V ...", the verb V),
    and the words qualifying it.

    "In which Egyptian city did ..." -> ("city", ("Egyptian",)); "What is the population of
    Rafah?" -> ("population", ()); "What did Peres say?" -> (None, ()).
    """
    tokens = _WORD.findall(text)
    lower = [t.lower() for t in tokens]
    for i, w in enumerate(lower):
        if w == "who" and i + 1 < len(lower) and lower[i + 1] not in _AUX:
            # "Who mediated the talks?": the relation asked about is the verb; an answer names it.
            return _head(lower[i + 1]), (), "who"
        if w in ("what", "which", "whose"):
            j, via = i + 1, ("what" if w == "what" else "which")
        elif w == "how" and i + 1 < len(lower) and lower[i + 1] in ("many", "much"):
            j, via = i + 2, "how_many"
        else:
            continue
        # "What is the population of ...", "What was the outcome of ..."
        if j + 3 < len(lower) and lower[j] in ("is", "was", "are", "were") and lower[j + 1] == "the":
            if lower[j + 3] in ("of", "behind", "for", "like"):
                return _head(lower[j + 2]), (), "the_of"
            return None, (), None
        if j + 2 < len(lower) and lower[j] in ("kind", "kinds", "type", "types", "sort") and lower[j + 1] == "of":
            j += 2
        modifiers: list[str] = []
        while j < len(tokens) and (tokens[j][0].isupper() or lower[j] in _MODIFIERS) and len(modifiers) < 3:
            if lower[j] in _AUX:
                break
            modifiers.append(tokens[j])
            j += 1
        if j >= len(tokens) or lower[j] in _AUX or lower[j] in _VERBS or lower[j].endswith("ed"):
            return None, (), None
        # "What ceasefire terms did ...": in a compound the last noun is the head.
        if j + 2 < len(lower) and lower[j + 2] in _AUX and lower[j + 1] not in _AUX | _VERBS:
            j += 1
        return _head(lower[j]), tuple(modifiers), via
    return None, (), None


def _head(word: str) -> str | None:
    word = word.removesuffix("'s").removesuffix("’s")
    return None if word in _AUX or word in _VERBS or len(word) < 3 else word


def _focus_class(focus: str | None) -> str | None:
    if focus is None:
        return None
    return _FOCUS_CLASS.get(focus) or _FOCUS_CLASS.get(focus.removesuffix("s"))


_QUESTION_NOISE = frozenset(
    {
        "much",
        "many",
        "long",
        "kind",
        "type",
        "sort",
        "way",
        "thing",
        "things",
        "exactly",
        "specifically",
        "actually",
        "mainly",
        "main",
        "give",
        "know",
    }
)


def _drop_leading_wh(text: str) -> str:
    return re.sub(
        r"(?i)^\s*(what|who|whom|whose|when|where|why|how|which|is|are|was|were|did|do|does|has|have|had|will|would|can|could|should|according)\b",
        "",
        text,
    )
