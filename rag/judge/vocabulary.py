"""The lexical judge's word lists: antonyms, negation cues and scope, times, numbers."""

from __future__ import annotations

from rag import text as T

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


OPPOSITE = _stem_groups()
NEG_PREFIXES = ("un", "in", "im", "il", "ir", "non", "dis")

NEGATION_CUES = frozenset("not no never without none nothing neither nor cannot lack lacks lacked".split())
# Words a negation's scope skips over, and words that end it.
SCOPE_SKIP = frozenset(
    "a an the be is are was were been being have has had any yet so of very too as much more longer even at all".split()
)
SCOPE_END = frozenset(
    "for to that which who while and but because on in by with from after before since until than if when "
    "where although though or".split()
)
_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april june july "
    "august september october november december spring summer autumn winter morning afternoon evening "
    "night tonight today yesterday tomorrow week weeks weekend weekends month months year years decade "
    "decades century hour hours minute minutes day days ago annual daily weekly monthly".split()
)
TIME_STEMS = frozenset(T.stem(w) for w in _TIME_WORDS)
TIME_MODIFIERS = frozenset(
    T.stem(w)
    for w in "next last this past previous coming first second third fourth final early late same following".split()
)
PERIODS = frozenset(T.stem(w) for w in ("half", "quarter", "season", "term", "round", "period"))
RELATIONS = {"befor": "after", "after": "befor", "earlier": "later", "later": "earlier"}
NUMBER_VALUES = dict(
    pair.split("=")
    for pair in (
        "zero=0 two=2 three=3 four=4 five=5 six=6 seven=7 eight=8 nine=9 ten=10 eleven=11 twelve=12 "
        "thirteen=13 fourteen=14 fifteen=15 sixteen=16 seventeen=17 eighteen=18 nineteen=19 twenty=20 "
        "thirty=30 forty=40 fifty=50 sixty=60 seventy=70 eighty=80 ninety=90 hundred=100 thousand=1000 "
        "dozen=12 twice=2 once=1"
    ).split()
)
NOT_NUMBERS = frozenset({"one", "ones", "once"})
