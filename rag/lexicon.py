"""A small thesaurus of words that news questions and news prose use for one idea.

Readers rarely ask with the article's own words ("demand" for "insists",
"halt" for "stop"). The extractive answerer counts a question word as covered
when a sentence holds one of its near-synonyms (at a discount). Groups are
general news vocabulary, not tied to any one article.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.text import stem

_GROUPS = """
demand insist require call_for press_for want seek ask precondition preconditions
say said remark state claim tell note comment declare assert quote
talk talks negotiation negotiate discussion dialogue meeting round
deal agreement accord pact settlement truce ceasefire agree agreed
sign signed conclude finalize finalise
stop halt cease end suspend pause freeze
start begin launch open initiate
continue ongoing persist resume proceed remain still keep
attack offensive assault operation strike raid incursion invasion
kill killed death deaths dead casualty casualties fatality toll lives losses loss_of_life
wound wounded injured injury hurt casualty casualties
hostage hostages captive captives detainee abductee
release free freed freeing liberate return
prisoner prisoners inmate detainee
rescue save extract recover
threat threaten warn warning menace
pressure push pushed urge lean lean_on coerce press pressing
worry worries worried concern concerns concerned fear fears afraid anxiety anxious alarm panic
hope optimism expect expectation
fail failure collapse breakdown stall stalled impasse deadlock
progress advance breakthrough headway
slow delay sluggish drag
quick fast rapid swift imminent soon immediate immediately right_away
leader leaders head chief president
premier prime_minister leader
government administration cabinet officials authorities
country nation state
city town capital
expert experts analyst analysts observer observers commentator
goal aim objective purpose intent
reason cause motive why driven motivation
result outcome consequence effect impact affect
effort attempt try bid
secret private privately behind_the_scenes quiet quietly
public open publicly
opportunity chance
obtain gain secure acquire get win achieve
reveal revealed highlight show expose underline underscore
nature character
violence fighting hostilities conflict war bloodshed bloodbath escalation
escalate escalation intensify worsen
concession concessions compromise
resolve resolution solve solution settle
military army troops forces soldiers
plan plans intention strategy strategic tactic tactical
large big major massive significant
small minor limited targeted surgical
domestic domestically home internal
foreign international abroad external outside
united_states us america washington american
mediate mediator mediation broker intermediary
lead led headed chair chaired
contact communication communicate channel channels phone call calls
detail details specifics terms
conclude concludes conclusion concluding
deterrent deter deterrence leverage bluff posturing bargaining tactical
side sides party parties delegation delegations camp camps
gap gaps divide divided division divisions rift apart differences disagreement disagreements
bridge bridging narrow close
hard difficult difficulty difficulties tough
aware awareness realize realise realization realisation recognize recognise recognition understand understanding
conduct behaviour behavior action actions
round rounds iteration iterations stage stages
encourage incentivize incentivise motivate spur prompt induce
tension tensions mismatch contradiction contradictions discrepancy paradox
""".strip()


@lru_cache(maxsize=1)
def _phrases() -> dict[str, frozenset[str]]:
    """Stem of a word -> the phrases of its groups ("private" -> "behind the scenes")."""
    index: dict[str, set[str]] = {}
    for line in _GROUPS.splitlines():
        phrases = {w.replace("_", " ") for w in line.split() if "_" in w}
        for w in line.split():
            if "_" not in w and phrases:
                index.setdefault(stem(w), set()).update(phrases)
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for line in _GROUPS.splitlines():
        group = {stem(w.replace("_", " ").split()[-1]) for w in line.split() if "_" not in w}
        for s in group:
            index.setdefault(s, set()).update(group - {s})
    return {k: frozenset(v) for k, v in index.items()}


def phrases(word: str) -> frozenset[str]:
    """Phrases that mean nearly what ``word`` means: "premier" -> "prime minister"."""
    return _phrases().get(stem(word), frozenset())


def synonyms(word: str) -> frozenset[str]:
    """Stems of words that mean nearly what ``word`` means (not including it)."""
    return _index().get(stem(word), frozenset())


def term_in(term: str, s_lower: str, s_stems: set[str]) -> bool:
    """Is ``term`` in the sentence (lowered text and stems), by stem or as a longer substring?"""
    return stem(term) in s_stems or (len(term) >= 4 and term in s_lower)


def term_match(term: str, s_lower: str, s_stems: set[str]) -> float:
    """1 for the word itself, 0.7 for a near-synonym (a word of one of its groups), else 0."""
    if term_in(term, s_lower, s_stems):
        return 1.0
    if synonyms(term) & s_stems or any(re.search(rf"\b{re.escape(p)}\b", s_lower) for p in phrases(term)):
        return 0.7
    return 0.0
