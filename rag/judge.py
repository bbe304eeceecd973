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
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag import text as T
from rag.types import Verdict

# Calibrated by `python evals/calibrate.py` (tune half of evals/calibration); see docs/eval.md.
DEFAULT_THRESHOLD = 0.57

# -- lexicons -------------------------------------------------------------------------

# Each line: words | their opposites (inflections listed; matched by stem).
_ANTONYM_LINES = """
increase increased lengthen extend rise rose risen grow grew grown climb gain gained up | decrease decreased fall fell fallen drop dropped decline declined shrink shrank down cut shorten lower lowered loss lose lost
raise raised higher high | lower low cut
strengthen strengthened strong stronger | weaken weakened weak weaker
more most many much majority | less least few fewer little minority
large larger big bigger huge significant major heavy | small smaller little minor limited slight insignificant
win won beat victory triumph | lose lost defeat defeated loss
success succeed succeeded successful | failure fail failed unsuccessful
profit surplus gain | loss deficit
agree agreed accept accepted approve approved sign signed welcome welcomed support supported back backed endorse praise praised supporter supporters | disagree refuse refused reject rejected decline declined oppose opposed condemn condemned criticize criticized criticise denounce opponent opponents veto blame blamed
allow allowed permit lift lifted legalize | ban banned forbid prohibit impose imposed restrict
open opened public publicly openly | close closed secret private secretly privately
start started begin began launch launched resume resumed continue continued | end ended stop stopped finish halt halted suspend suspended abandon abandoned
early first earliest | late last latest final
immediate immediately | eventual eventually
former previous past ex | current present incumbent future
ally allies friend friends partner | enemy enemies foe rival adversary
peace calm truce ceasefire | war violence escalation offensive fighting
slow slowed slower delay delayed dampen dampened | speed accelerate accelerated hasten faster fast quick rapid
domestic domestically home internal | foreign abroad external international
easy easier simple | difficult hard harder difficulty difficulties
good better best positive | bad worse worst negative
advance progress | retreat setback stall stalled
hire hired hiring create add added | fire fired cut layoff eliminate
buy bought import imported | sell sold export exported
north northern | south southern
east eastern | west western
rural village villages countryside | urban city cities metropolitan
strong heavy | light weak
likely probable | unlikely improbable
true correct confirm confirmed | false wrong deny denied
include included | exclude excluded
release released freed | capture captured detain detained kidnap kidnapped
resolve resolution settle | escalate escalation worsen
deter deterrent discourage discouraged | encourage encouraged incentive incentivize
optimism optimistic hope hopeful confidence confident | pessimism pessimistic concern concerns worry fear alarm doubt
top first lead leading | bottom last trailing
recover recovery rebound | fall falling slump decline
praise praised | blame blamed
constitutional legal lawful | unconstitutional illegal unlawful
contain contained control controlled | lose lost spread
"""
# Quantities that exclude one another ("most of the cost" where the evidence says "a third of the cost").
_EXCLUSIVE_QUANTITIES = "all every most majority half third quarter some few several none both".split()
_ANTONYM_WORDS = [
    (tuple(left.split()), tuple(right.split()))
    for left, right in (line.split("|") for line in _ANTONYM_LINES.strip().splitlines())
]


def _stem_groups() -> dict[str, set[str]]:
    opposite: dict[str, set[str]] = {}
    for left, right in _ANTONYM_WORDS:
        ls, rs = {T.stem(w) for w in left}, {T.stem(w) for w in right}
        for s in ls:
            opposite.setdefault(s, set()).update(rs - ls)
        for s in rs:
            opposite.setdefault(s, set()).update(ls - rs)
    for q in _EXCLUSIVE_QUANTITIES:
        opposite.setdefault(T.stem(q), set()).update(T.stem(o) for o in _EXCLUSIVE_QUANTITIES if o != q)
    return opposite


_OPPOSITE = _stem_groups()
_NEG_PREFIXES = ("un", "in", "im", "il", "ir", "non", "dis")

_NEGATION_CUES = frozenset("not no never without none nothing neither nor cannot lack lacks lacked".split())
# Words a negation's scope skips over, and words that end it.
_SCOPE_SKIP = frozenset(
    "a an the be is are was were been being have has had any yet so of very too as much more longer even at all".split()
)
_SCOPE_END = frozenset(
    "for to that which who while and but because on in by with from after before since until than if when "
    "where although though or".split()
)
_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april june july "
    "august september october november december spring summer autumn winter morning afternoon evening "
    "night tonight today yesterday tomorrow week weeks weekend weekends month months year years decade "
    "decades century hour hours minute minutes day days ago annual daily weekly monthly".split()
)
_TIME_STEMS = frozenset(T.stem(w) for w in _TIME_WORDS)
_TIME_MODIFIERS = frozenset(
    T.stem(w)
    for w in "next last this past previous coming first second third fourth final early late same following".split()
)
_PERIODS = frozenset(T.stem(w) for w in ("half", "quarter", "season", "term", "round", "period"))
_RELATIONS = {"befor": "after", "after": "befor", "earlier": "later", "later": "earlier"}
_NUMBER_VALUES = dict(
    pair.split("=")
    for pair in (
        "zero=0 two=2 three=3 four=4 five=5 six=6 seven=7 eight=8 nine=9 ten=10 eleven=11 twelve=12 "
        "thirteen=13 fourteen=14 fifteen=15 sixteen=16 seventeen=17 eighteen=18 nineteen=19 twenty=20 "
        "thirty=30 forty=40 fifty=50 sixty=60 seventy=70 eighty=80 ninety=90 hundred=100 thousand=1000 "
        "dozen=12 twice=2 once=1"
    ).split()
)
_NOT_NUMBERS = frozenset({"one", "ones", "once"})
_INTERJECTION = re.compile(r"^\s*(?:yes|no|not quite|correct|incorrect|right|wrong)\s*[,.:;!—–-]+\s*", re.I)
_CLAUSE_SPLIT = re.compile(
    r"\s*;\s*"
    r"|,\s+(?=(?:and|but|while|whereas|yet|although|though|so|because|as well as)\s)"
    r"|\s+(?=(?:but|whereas|because)\s)"
    r"|,?\s+(?=which is why\s)"
)


# -- claims ---------------------------------------------------------------------------


def clean_claim(claim: str) -> str:
    """The claim without ``[n]`` markers, extra space, or a leading "Yes,"/"No." interjection."""
    text = re.sub(r"\s+", " ", T.strip_markers(claim)).strip()
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return _INTERJECTION.sub("", text)


def is_claim(text: str) -> bool:
    """Whether a sentence states anything (has a content word): "Yes." does not."""
    return bool(T.content_terms(clean_claim(text)))


def split_clauses(claim: str) -> list[str]:
    """A claim's parts: split at ``;`` and coordinated clauses; short fragments stay with their neighbour."""
    pieces = [p.strip(" ,;.") for p in _CLAUSE_SPLIT.split(claim) if p and p.strip(" ,;.")]
    parts: list[str] = []
    for piece in pieces:
        if parts and len(T.content_terms(piece)) < 3:
            parts[-1] = f"{parts[-1]}, {piece}"
        else:
            parts.append(piece)
    if len(parts) > 1 and len(T.content_terms(parts[0])) < 3:
        parts[1] = f"{parts[0]}, {parts[1]}"
        parts.pop(0)
    return parts or [claim]


# -- scoring helpers ------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return [
        T.stem(w) for w in T.words(T.strip_markers(text)) if w.lower() not in T.STOPWORDS or w.lower() in _NEGATION_CUES
    ]


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def _prefix_hit(stem: str, pool: set[str]) -> bool:
    if len(stem) < 5:
        return False
    return any(len(p) >= 5 and (stem.startswith(p) or p.startswith(stem)) for p in pool)


def _norm_words(text: str) -> str:
    return " " + " ".join(w.lower() for w in T.words(T.strip_markers(text))) + " "


def _number_set(text: str) -> set[str]:
    out: set[str] = set()
    for w in T.words(text):
        lw = w.lower()
        if lw in _NOT_NUMBERS:
            continue
        if any(ch.isdigit() for ch in lw):
            out.add(lw.replace(",", "").rstrip("."))
        elif lw in _NUMBER_VALUES:
            out.add(_NUMBER_VALUES[lw])
        elif T.is_number(lw):
            out.add(lw)
    return out


def _entity_key(token: str) -> str:
    t = token.lower().removesuffix("'s").removesuffix("’s")
    return t[:5] if len(t) >= 6 else t


@dataclass(frozen=True, slots=True)
class _Tok:
    stem: str
    entity: str | None  # entity key when the token is part of a name


_BOUNDARY = _Tok("|", None)


def _sequence(text: str) -> list[_Tok]:
    """Content tokens in order (stopwords dropped), names marked by their key, sentences ended by ``|``."""
    from rag.sentences import split_sentences

    out: list[_Tok] = []
    for sentence in split_sentences(T.strip_markers(text)):
        ents = T.entities(sentence)
        for w in T.words(sentence):
            lw = w.lower()
            if lw in T.STOPWORDS and not (w[0].isupper() and lw.removesuffix("'s") in ents):
                continue
            is_ent = lw.removesuffix("'s") in ents and w[0].isupper() and T.stem(lw) not in _TIME_STEMS
            out.append(_Tok(T.stem(w), _entity_key(w) if is_ent else None))
        out.append(_BOUNDARY)
    return out


def _window(seq: list[_Tok], at: int, width: int) -> set[str | None]:
    """Names within ``width`` tokens of ``at`` (before it when width < 0), inside its sentence."""
    found: set[str | None] = set()
    step = 1 if width > 0 else -1
    k = at + step
    while 0 <= k < len(seq) and abs(k - at) <= abs(width) and seq[k] is not _BOUNDARY:
        if seq[k].entity:
            found.add(seq[k].entity)
        k += step
    return found


def _negated_scopes(text: str) -> tuple[bool, set[str], set[str]]:
    """(has a negation cue, stems inside a negation's scope, stems outside any)."""
    tokens = re.findall(r"[A-Za-z][A-Za-z'’\-]*|[.,;:!?]", T.strip_markers(text).replace("’", "'"))
    has_cue = False
    inside: set[str] = set()
    outside: set[str] = set()
    budget = 0
    for tok in tokens:
        lw = tok.lower()
        if lw in _NEGATION_CUES or lw.endswith("n't"):
            has_cue, budget = True, 2
            continue
        if not tok[0].isalpha() or lw in _SCOPE_END:
            budget = 0
            continue
        if lw in _SCOPE_SKIP or lw in T.STOPWORDS:
            continue
        if budget > 0:
            inside.add(T.stem(lw))
            budget -= 1
        else:
            outside.add(T.stem(lw))
    return has_cue, inside, outside


# -- the lexical judge ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assessment:
    """A claim's support score (before the threshold) and the vetoes it triggered."""

    score: float
    vetoes: tuple[str, ...]
    verbatim: bool = False
    parts: tuple[tuple[str, float], ...] = ()


class LexicalJudge:
    name = "lexical"

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold

    def judge(self, claim: str, evidence: Sequence[str]) -> Verdict:
        a = self.assess(claim, evidence)
        if a.verbatim:
            return Verdict(True, 1.0, ("verbatim",))
        if a.vetoes:
            return Verdict(False, a.score, a.vetoes)
        if a.score >= self.threshold:
            return Verdict(True, a.score, ())
        weakest = min(a.parts, key=lambda p: p[1])[0] if a.parts else claim
        return Verdict(False, a.score, (f"low support {a.score:.2f}: {weakest}",))

    def assess(self, claim: str, evidence: Sequence[str]) -> Assessment:
        text = clean_claim(claim)
        evidence = [e for e in evidence if e and e.strip()]
        if not T.content_terms(text):
            return Assessment(1.0, (), verbatim=True)
        if not evidence:
            return Assessment(0.0, ("no evidence",))
        if _verbatim(text, evidence):
            return Assessment(1.0, (), verbatim=True)
        joined = " ".join(evidence)
        ev_stems = {T.stem(w) for w in T.words(joined)}
        ev_token_lists = [_tokens(e) for e in evidence]
        ev_all_tokens = [t for toks in ev_token_lists for t in toks]
        parts = tuple((p, _part_score(p, ev_stems, ev_token_lists, ev_all_tokens)) for p in split_clauses(text))
        score = min(s for _, s in parts)
        return Assessment(score, tuple(_vetoes(text, joined, ev_stems)), parts=parts)


def _verbatim(claim: str, evidence: Sequence[str]) -> bool:
    """The claim is a contiguous run of words of one evidence text, not right after a negation."""
    needle = _norm_words(claim)
    if len(needle.split()) < 3:
        return False
    for e in evidence:
        hay = _norm_words(e)
        at = hay.find(needle)
        while at >= 0:
            before = hay[:at].split()[-1:] or [""]
            if before[0] not in _NEGATION_CUES and not before[0].endswith("n't"):
                return True
            at = hay.find(needle, at + 1)
    return False


def _part_score(part: str, ev_stems: set[str], ev_token_lists: list[list[str]], ev_all: list[str]) -> float:
    terms = T.content_terms(part)
    if not terms:
        return 1.0
    weights: dict[str, float] = {}
    for t in terms:
        weights[t] = max(weights.get(t, 0.0), T.rarity(t))
    total = sum(weights.values()) or 1.0
    covered = sum(w for t, w in weights.items() if T.stem(t) in ev_stems or _prefix_hit(T.stem(t), ev_stems))
    coverage = covered / total
    toks = _tokens(part)
    best = max((_lcs(toks, e) for e in ev_token_lists), default=0)
    rouge = max(best, _lcs(toks, ev_all)) / max(1, len(toks))
    return 0.6 * coverage + 0.4 * rouge


def _vetoes(claim: str, evidence: str, ev_stems: set[str]) -> list[str]:
    reasons: list[str] = []
    ev_lower = evidence.lower()
    missing_numbers = _number_set(claim) - _number_set(evidence)
    if missing_numbers:
        reasons.append(f"number not in evidence: {', '.join(sorted(missing_numbers))}")
    claim_words = [w.lower() for w in T.words(claim)]
    missing_times = sorted({w for w in claim_words if T.stem(w) in _TIME_STEMS and T.stem(w) not in ev_stems})
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


def _stem_words(text: str) -> list[str]:
    return [T.stem(w) for w in T.words(T.strip_markers(text))]


def _time_modifier_vetoes(claim: str, evidence: str) -> list[str]:
    """ "last week" where the evidence says "next week"; "first half" for "second half"."""
    c, e = _stem_words(claim), _stem_words(evidence)
    e_pairs = set(itertools.pairwise(e))
    e_times = {t for t in e if t in _TIME_STEMS or t in _PERIODS}
    out = []
    for m, t in itertools.pairwise(c):
        if m in _TIME_MODIFIERS and (t in _TIME_STEMS or t in _PERIODS) and t in e_times and (m, t) not in e_pairs:
            out.append(f"time not in evidence: {m} {t}")
    return out


def _relation_vetoes(claim: str, evidence: str) -> list[str]:
    """ "after X" where the evidence says "before X" (the same X: a reordered paraphrase is fine)."""
    c, e = _stem_words(claim), _stem_words(evidence)
    out = []
    for i, w in enumerate(c[:-1]):
        other = _RELATIONS.get(w)
        if other and w not in e:
            nxt = c[i + 1]
            if any(e[k] == other and e[k + 1] == nxt for k in range(len(e) - 1)):
                out.append(f"antonym: {w} vs {other}")
    return out


def _negation_vetoes(claim: str, evidence: str, ev_stems: set[str]) -> list[str]:
    c_cue, c_in, c_out = _negated_scopes(claim)
    e_cue, e_in, e_out = _negated_scopes(evidence)
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


def _all_stems(text: str) -> list[tuple[str, bool]]:
    """Every word's stem, with whether it is a content word."""
    return [(T.stem(w), w.lower() not in T.STOPWORDS) for w in T.words(T.strip_markers(text))]


def _near(seq: list[tuple[str, bool]], i: int, width: int = 3) -> set[str]:
    return {s for s, content in seq[max(0, i - width) : i] + seq[i + 1 : i + 1 + width] if content}


def _antonym_vetoes(claim: str, evidence: str, ev_stems: set[str]) -> list[str]:
    """A word whose opposite the evidence uses in the same place (sharing a neighbouring word)."""
    c, e = _all_stems(claim), _all_stems(evidence)
    out: list[str] = []
    for i, (s, _) in enumerate(c):
        if s in ev_stems or len(s) < 2:
            continue
        # "unconstitutional" for "constitutional": a negating prefix needs no context.
        for prefix in _NEG_PREFIXES:
            if prefix + s in ev_stems or (
                s.startswith(prefix) and len(s) - len(prefix) >= 4 and s[len(prefix) :] in ev_stems
            ):
                out.append(f"antonym: {s} (negating prefix)")
                break
        else:
            opposites = _OPPOSITE.get(s, set())
            context = _near(c, i)
            hits = sorted({e[k][0] for k in range(len(e)) if e[k][0] in opposites and _near(e, k) & context})
            if hits:
                out.append(f"antonym: {s} vs {hits[0]}")
    return out


def _role_vetoes(claim: str, evidence: str) -> list[str]:
    """Two names swapped: the claim says "A <verb>" where the evidence says "B <verb>" and never "A <verb>"."""
    c_seq, e_seq = _sequence(claim), _sequence(evidence)
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
            return any(_window(e_seq, p, -window) & names for p in w_pos)

        if follows(span, 8):
            continue
        # Another name (of the claim, or any name of the evidence) does what the claim says this one does.
        others: set[str | None] = ({t.entity for t in e_seq if t.entity} | claim_entities) - span
        if others and follows(others, 3):
            out.append(f"roles swapped: {'/'.join(sorted(n for n in span if n))} {w}")
    return out


def _object_swapped(w: str, span: set[str | None], claim_entities: set[str | None], e_seq: list[_Tok]) -> bool:
    """The claim says "<w> A" where the evidence says "<w> B" and never "<w> ... A"."""
    w_pos = [k for k, t in enumerate(e_seq) if t.stem == w and t.entity is None]
    if not w_pos:
        return False
    if any(_window(e_seq, p, 8) & span for p in w_pos):
        return False
    close = {e for p in w_pos for e in _window(e_seq, p, 3)}
    others = ({t.entity for t in e_seq if t.entity} | claim_entities) - span
    return bool(close & others - {None})


# -- the LLM judge --------------------------------------------------------------------


class LLMJudge:
    """Entailment by an OpenAI-compatible chat model, one claim at a time."""

    name = "llm"

    def __init__(self, settings: Any, *, client: Any = None, prompt: str = "judge_entailment") -> None:
        from rag.prompts import load_prompt

        self._settings = settings
        self._template = load_prompt(prompt)
        self._model = settings.llm_model
        self._client = client
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, tuple[str, ...]], Verdict] = {}

    def _get_client(self) -> Any:
        if self._client is None:
            import openai

            key = self._settings.openai_api_key
            self._client = openai.OpenAI(
                api_key=key.get_secret_value() if key is not None else "unused",
                base_url=self._settings.openai_base_url or None,
                timeout=self._settings.llm.timeout_s,
                max_retries=self._settings.llm.max_retries,
            )
        return self._client

    def judge(self, claim: str, evidence: Sequence[str]) -> Verdict:
        from rag.errors import LLMUnavailableError

        text = clean_claim(claim)
        if not T.content_terms(text):
            return Verdict(True, 1.0, ("no content",))
        key = (text, tuple(evidence))
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        numbered = "\n".join(f"[{i}] {e.strip()}" for i, e in enumerate(evidence, 1)) or "(no evidence)"
        prompt = self._template.replace("{evidence}", numbered).replace("{claim}", text)
        try:
            response = self._get_client().chat.completions.create(
                model=self._model,
                messages=[{"role": "user", "content": prompt}],
                temperature=0,
                max_tokens=120,
            )
            content = response.choices[0].message.content or ""
        except Exception as exc:  # the openai client's errors, timeouts, bad responses
            raise LLMUnavailableError(f"The judge model could not be reached: {type(exc).__name__}") from exc
        verdict = parse_entailment(content)
        with self._lock:
            self._cache[key] = verdict
        return verdict


_VERDICT_WORD = re.compile(r"\b(not[\s_-]+supported|unsupported|supported|entailed|not[\s_-]+entailed|yes|no)\b", re.I)


def parse_entailment(content: str) -> Verdict:
    """Read the model's reply: a JSON object ``{"supported": bool, "reason": str}``, or a leading verdict word.

    Anything unreadable counts as unsupported (the safe side for a verifier).
    """
    match = re.search(r"\{.*\}", content, re.S)
    if match:
        try:
            data = json.loads(match.group(0))
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("supported"), bool):
            reason = str(data.get("reason", "")).strip()
            return Verdict(data["supported"], 1.0 if data["supported"] else 0.0, (reason,) if reason else ())
    word = _VERDICT_WORD.search(content)
    if word:
        w = re.sub(r"[\s_-]+", " ", word.group(1).lower())
        ok = w in {"supported", "entailed", "yes"}
        return Verdict(ok, 1.0 if ok else 0.0, (content.strip()[:200],))
    return Verdict(False, 0.0, (f"unreadable judge reply: {content.strip()[:120]}",))
