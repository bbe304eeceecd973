"""What a "which" or "what" question asks to pick out, named by its noun.

"Which hotel hosted the talks?" asks for a hotel, "What is the population of Rafah?" for a
population, "What concessions has Israel offered?" for concessions: a sentence without the
noun (or a near-synonym) does not answer, however close it is otherwise. Nouns a sentence
answers without naming ("the purpose of", "which side") are left to the other checks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag import text as T
from rag.lexicon import phrases, term_match

_AUX = frozenset("is are was were has have had did does do will would can could".split())
_DETERMINERS = frozenset("the a an its their his her this that these those".split())
# Words that qualify the thing asked for without naming it: "which *foreign* country".
_QUALIFIERS = frozenset(
    """main key biggest big major current latest overall real likely exact actual possible potential official
    specific particular first last next other former two three foreign local international new recent
    previous most least""".split()
)
# Nouns a sentence answers without using them ("the purpose of the threat" is "a deterrent"),
# and kinds the other checks read ("which side", "which city", "the date of").
_UNSPOKEN = frozenset(
    """role roles purpose point points goal goals aim aims objective objectives intent intention intentions reason
    reasons cause causes motive motives motivation rationale significance importance meaning message messages
    implication implications consequence consequences effect effects impact impacts result results outcome
    outcomes upshot status state situation issue issues problem problems concern concerns worry worries fear
    fears risk risks danger dangers threat threats challenge challenges obstacle obstacles difficulty difficulties
    hurdle hurdles barrier barriers sticking view views opinion opinions position positions stance attitude take
    perspective assessment verdict argument arguments case evidence basis idea ideas thinking logic strategy
    strategies tactic tactics approach plan plans response responses reaction reactions relationship connection
    link difference differences contrast tension tensions mood atmosphere tone sentiment outlook prospect prospects
    chance chances likelihood possibility expectation expectations hope hopes priority priorities
    interest interests stake stakes gist summary article story piece report text takeaway takeaways lesson
    lessons context background focus topic subject theme nature kind type sort aspect aspects part thing things
    news update progress development developments trend picture explanation account description answer
    way ways means method methods side sides party parties country countries nation nations city cities town
    place places location venue site person people group groups leader leaders official officials figure figures
    individual individuals organisation organization one ones time times date dates day days year years month
    months week weeks number numbers amount total name names age deadline timeline timetable schedule size
    population cost price toll distance length height weight area budget value scale extent office offices post posts title titles remark
    remarks quote quotes quotation statement statements comment comments words phrase saying line claim claims
    contradiction contradictions mismatch paradox irony dilemma gap gaps action actions activity activities
    measure measures step steps move moves""".split()
)
# People asked to be picked out: "Which hostages were freed?" wants names, not "hostages".
PEOPLE_NOUNS = frozenset(
    """hostages captives prisoners detainees experts analysts officials leaders ministers negotiators diplomats
    mediators commanders delegates envoys soldiers victims journalists reporters politicians members individuals
    people""".split()
)


_WHATS_UP = re.compile(r"(?i)\bwhat(?:'s|\s+is)\s+the\s+(?:deal|story|score|situation|latest)\s+(?:with|on)\b")
_AGENT = re.compile(r"(?:tor|sor|ist|yst)s?$")


@lru_cache(maxsize=1024)
def asked_words(question: str) -> tuple[str, ...]:
    """The words naming what "which X", "what X did ..." or "what is the X of ..." asks to pick
    out, head first; empty when it asks for something a sentence can answer without naming it
    ("the purpose of", "which side"), or is not that kind of question."""
    if _WHATS_UP.search(question):  # "What's the deal with the phone calls?" asks what about them
        return ()
    words = T.words(question)
    low = [w.lower() for w in words]
    run: list[str] = []
    if "which" in low[:2] and (low[0] == "which" or low[0] in T.STOPWORDS):
        run = _run(words, low.index("which") + 1)
    elif len(low) > 2 and low[0] == "what" and low[1] not in T.STOPWORDS and low[2] in _AUX:
        run = [low[1]]
    elif len(low) > 3 and low[0] == "what" and low[1] in ("kind", "kinds", "type", "types", "sort") and low[2] == "of":
        run = _run(words, 3)
    else:
        # "What is the N of ...", and "Who is the N of ...": the N is who or what is asked for.
        start = 2 if low[:1] in (["what's"], ["who's"]) else 3 if low[:1] in (["what"], ["who"]) else 0
        if start and (start == 2 or low[1] in ("is", "are", "was", "were")) and len(low) > start:
            det = low[start - 1]
            if det in _DETERMINERS or det.endswith("'s"):
                run = _run(words, start)
    if not run or any(w in _UNSPOKEN for w in run):
        return ()
    # The head noun is usually last ("exchange ratio"); people nouns are read from the first.
    return tuple(run[-1:] + run[:-1]) if run[0] not in PEOPLE_NOUNS else tuple(run)


def mentions(word: str, sentence: str) -> bool:
    """Does the sentence name ``word``, itself or a near-synonym? A name counts only as the
    word itself: "the United States" has no unit in it, "President Peres" no chief."""
    words = T.words(sentence)
    lowered = {w.lower() for w in words}
    if word in lowered or word in {w.removesuffix("s") for w in lowered}:
        return True
    plain = " ".join(w for i, w in enumerate(words) if i == 0 or not w[0].isupper()).lower()
    if _AGENT.search(word):
        # Whoever does it, by the deed's own word: "Egypt mediated" names a mediator, but
        # "we're talking" names no negotiator.
        return T.stem(word) in T.stems(plain)
    # A title is a phrase the word means: "premier" names "Prime Minister Netanyahu".
    lowered_sentence = sentence.lower()
    return term_match(word, plain, T.stems(plain)) > 0 or any(
        re.search(rf"\b{re.escape(p)}\b", lowered_sentence) for p in phrases(word)
    )


def _run(words: list[str], start: int) -> list[str]:
    """Up to three words from ``start`` up to the first small word, leaving out names and
    qualifiers: "which *foreign* country", "the *Israeli* position on"."""
    run: list[str] = []
    for word in words[start : start + 4]:
        low = word.lower()
        if low in T.STOPWORDS or low in _AUX:
            break
        if word[0].isupper() or low in _QUALIFIERS:
            continue
        run.append(low)
    return run if len(run) <= 3 else []
