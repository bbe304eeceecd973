"""What a question asks for, read once per question.

The extractive answerer checks every candidate sentence against the question (see
``answer_types.type_ok``); what the question wants does not change from one sentence to the
next, so it is read here once: a "how long" wants a stretch of time, "what did X say" the
words of X, "should ..." advice, "who leads ..." a person's name, and so on. Reading rules
about English questions, not about any one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag import text as T
from rag.answerers.asked import PEOPLE_NOUNS, asked_words
from rag.answerers.premises import asked_event
from rag.lexicon import synonyms
from rag.questions import Question

# A question about why the writer brings something up, not why it happened.
_PURPOSE = re.compile(
    r"(?i)\bwhy\s+(?:does|did|would|is)\s+(?:the\s+)?(?:article|author|writer|piece|report|story)\s+"
    r"(?:mention|mentioning|cite|citing|quote|quoting|bring|bringing|refer|referring|include|including|recall)"
)
# "What does 'while we're talking, we're not shooting' mean here?": the sentence after the one
# that says it tells what it means.
_MEANING = re.compile(
    r"(?i)\bwhat\s+(?:does|did|do|is)\s+.+\s+(?:mean|meant|refer\s+to|suggest|imply)\b"
    r"|\bhow\s+(?:does|did|do)\s+.+\s+(?:relate|apply|connect)\b"
    r"|\b(?:significance|meaning|point|relevance)\s+of\b"
)
# What would come of something: "what could happen if ...", "what else could follow?",
# "what grim outcome is feared?".
_CONSEQUENCE_Q = re.compile(
    r"(?i)\bwhat\s+(?:\w+\s+){0,5}?(?:would|could|might|may|will)\s+(?:\w+\s+)?(?:happen|follow|ensue|result)\b"
    r"|\b(?:outcome|outcomes|consequences?|results?|effects?)\s+(?:is|are|was|were)\s+(?:\w+\s+)?"
    r"(?:feared|expected|predicted|likely|possible)\b"
)
_HOW_LONG = re.compile(r"(?i)\bhow\s+long\b")
_FUTURE_Q = re.compile(
    r"(?i)\b(?:when|(?:which|what)\s+(?:day|date|week|month|year))\s+"
    r"(?:will|would|is\s+\S+(?:\s+\S+){0,4}\s+(?:expected|due|set|going|scheduled))\b"
)
_WHY_ACTOR = re.compile(
    r"\b[Ww]hy\s+(?:is|are|was|were|does|do|did|has|have|had|might|would|could|will)\s+([A-Z][a-z]+)\b"
)
# "What might push Israel to make a deal?": Israel is the one moved, not the mover.
_MOVED_Q = re.compile(
    r"(?i)^\s*what\s+(?:\w+\s+)?(?:(?:might|could|would|will|may|can)\s+)?(?:push|pushes|pressure|pressures|force|forces|"
    r"drive|drives|prompt|prompts|convince|convinces|persuade|persuades|encourage|encourages|incentivi[sz]es?|"
    r"motivate|motivates|make|makes|get|gets|lead|leads)\s+(?-i:(?P<name>[A-Z][a-z]+))\s+(?:to|into|toward|towards)\b"
)
_SO_FAR = re.compile(r"(?i)\bhow\s+long\s+(?:did|has|have|had|was|were)\b")
_SPEECH_Q = re.compile(
    r"(?i)\bwhat\s+(?:[a-z]+\s+)?(?:did|does|do|has|have|had|will|would)\s+(?P<speaker>.+?)\s+(?P<verb>"
    r"say|said|tell|told|announce|announced|state|stated|claim|claimed|remark|comment|write|argue|warn|"
    r"promise|promised|pledge|pledged|vow|vowed|propose|proposed|offer|offered|think|thought|believe|feel|"
    r"threaten|threatened)\b"
    # How someone reacted is what they said or did about it.
    r"|\bhow\s+(?:did|does|do|has|have|will)\s+(?P<reacting>.+?)\s+(?:react|reacted|respond|responded)\b"
)
# What someone offers, promises or proposes is a commitment, which insisting is not.
_COMMIT_Q = re.compile(r"(?i)^(?:promise|pledge|vow|propose|offer)")
# "What concessions, such as a prisoner release?": a sentence naming none of the examples does
# not answer.
_EXAMPLES = re.compile(r"(?i)\b(?:such\s+as|for\s+example|for\s+instance|e\.g\.)\s+([^,;?]+)")
_TOPIC = re.compile(
    r"(?i)\b(?:about|regarding|concerning|on\s+the\s+(?:subject|issue|question)\s+of|"
    r"(?:stance|position|attitude|policy)\s+(?:on|towards?))\s+(.+)"
)
# "Who said ...?", "Which side proposed ...?": the answer reports someone's words.
_WHO_SAID = re.compile(
    r"(?i)\b(?:who|which\s+\w+)\s+(?:\w+\s+)?(?:said|says|proposed|proposes|suggested|announced|offered|demanded|"
    r"warned|claimed|remarked|believes?|insists?|insisted|called\s+for)\b"
)
# Posts a person holds: "who is the chief negotiator", "who is the Israeli defence minister".
_POSTS = r"chief|leader|head|negotiator|spokes\w+|minister|president|commander|envoy|ambassador"
_ROLE_Q = re.compile(
    r"(?i)\bwho\s+(?:\w+\s+){0,2}(?:lead|leads|led|leading|head|heads|headed|heading|chair|chairs|chaired|"
    r"command|commands|commanded|runs|replace|replaces|replaced|succeed|succeeds|succeeded)\b"
    rf"|\bwho\s+(?:is|was|will\s+be)\s+(?:the\s+)?(?:\w+'s\s+)?(?:[\w-]+\s+){{0,2}}(?:{_POSTS})\b"
    r"|\bwho(?:'s|\s+is|\s+was)?\s+in\s+charge\b"
    r"|\b(?:which|what)\s+(?:(?!(?:is|are|was|were|do|does|did|has|have|had)\b)\w+\s+)?"
    r"(?:leaders?|officials?|ministers?|negotiators?|commanders?|diplomats?|"
    r"delegates?|envoys?|spokes(?:man|woman|person|men|women|people))\b"
)
# "Who is the Israeli defence minister?": the words before the post say which one (read only
# where the question asks for a person, so the posts are those of _ROLE_Q).
_POST_Q = re.compile(
    r"(?i)^\s*who(?:(?P<now>'s|\s+is|\s+are)|\s+was|\s+were)\s+(?:the\s+)?(?P<which>(?:[\w-]+\s+){1,3}?)"
    rf"(?P<post>{_POSTS})s?\b"
)
# "What are the names of the hostages?", "What is Hamas's full name?": a proper name of its own.
_NAME_Q = re.compile(
    r"(?i)\bnames?\s+of\b|\bwhat(?:'s|\s+is|\s+was|\s+are)\s+(?:the\s+)?(?:\w+(?:'s)?\s+){1,2}(?:full\s+)?names?\b"
    r"|\bby\s+name\b"
)
# "Should Israel ...?", also after an opinion asked for: "in your opinion, should Israel ...?"
_SHOULD_Q = re.compile(
    r"(?i)(?:^|[,:;]|\bopinion|\bthink|\bview)\s*(?:should|ought)\b|\bwhat\s+should\b|\bought\s+to\b"
)
_PINNED = re.compile(
    r"(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|tomorrow|yesterday|"
    r"(?:next|last|this)\s+(?:week|weekend|month|year)|end\s+of\s+the\s+(?:week|month|year)|"
    r"january|february|march|april|june|july|august|september|october|november|december|(?:19|20)\d\d)\b"
)
_SIZE_Q = re.compile(
    r"(?i)\bhow\s+(?:large|big|far|heavy|wide|strong|deep)\b|\b(?:the|its|their|\w+'s)\s+(?:size|population|price|"
    r"(?:death\s+)?toll|distance|length|height|weight|area|budget)\b"
)
_AGE_Q = re.compile(r"(?i)\bhow\s+old\b|\bwhat\s+age\b|'s\s+age\b|\bthe\s+age\s+of\b")
# A deadline, or "what time", is a point in time.
_TIME_Q = re.compile(r"(?i)\bdeadline\b|\btime(?:line|table)\b|\bschedule\b|\bwhat\s+time\b")
_NAMES_OF = re.compile(r"(?i)\bnames?\s+of\s+(?:the\s+|those\s+|any\s+)?(\w+)")
# The noun "how many" counts, past any "of the": "how many (of the) hostages".
_COUNTED = re.compile(r"(?i)\bhow\s+many\s+(?:of\s+(?:the|their|those)\s+)?([a-z]+)")
_WRITER = frozenset(
    "article articles author writer piece story report text quote remark statement comment passage headline"
    " paragraph section conclusion ending opening lead".split()
)
START = re.compile(
    r"(?i)\b(?:begin|began|begun|beginning|start|started|starting|open|opened|launch|launched|commence\w*)\b"
)


@dataclass(frozen=True, slots=True)
class Wants:
    """What a question asks for; a flag or a phrase for each kind of check ``type_ok`` makes."""

    asked: tuple[str, ...]  # the noun(s) it asks to pick out: "which *hotel*"
    named_people: bool  # "which hostages": people of that kind, by name
    deed: str  # the deed whose doer or object is wanted: "won" in "Who won ...?"
    how_long: bool
    so_far: bool  # "how long did it last": what went on, not what is still to come
    start: bool  # asked when something began
    future: bool  # asked when something will happen
    place_of: tuple[str, ...]  # for "where": the words the place must be attached to
    speaker: str | None  # "what did X say": X (not the writer)
    commitment: bool  # what X promised or offered, not only said
    topic: str | None  # "about Y", when the sentence itself must be about Y
    examples: str | None  # "such as ...": one of them must be named
    advice: bool  # "should ...?"
    pinned: bool  # pinned to a time: "next week", "on Monday"
    who_said: bool  # "who said ...?"
    size: bool  # a size, toll or price
    person: bool  # a post-holder or a proper name
    person_near: str  # "the names of the hostages": the kind of person named
    post_words: tuple[str, ...]  # "who is the defence minister": words that say which post
    holder_now: str  # "who is the prime minister": a post held now, not by a former holder
    age: bool
    time: bool  # a deadline or "what time"
    why_actor: str  # "why is Hamas ...": whose reasons
    moved: str  # "what might push Israel to ...": the one acted on
    purpose: bool  # why the writer brings something up
    meaning: bool  # what a quote or phrase means: told by the sentence after it
    consequence: bool  # what would follow from something: "what could happen if Israel attacks?"
    counted: frozenset[str] | None  # "how many X": the stems that count X


@lru_cache(maxsize=512)
def wants(question: Question) -> Wants:
    """What ``question`` asks for; cached, since every candidate sentence is checked against it."""
    text = question.text
    asked = asked_words(text)
    speech = _SPEECH_Q.search(text)
    speaker = (speech.group("speaker") or speech.group("reacting")) if speech else None
    if speaker is not None and head_word(speaker) in _WRITER:
        speaker = None  # "what does the article say about Y" asks about Y
    # "What did Peres say about Hamas?" is answered by words about Hamas, in that sentence;
    # elsewhere "about" may lean on the sentence before ("worried about Rafah").
    topic = _TOPIC.search(text)
    lean = not speech and topic is not None and topic.group(0).lower().startswith("about")
    examples = _EXAMPLES.search(text)
    whose = _NAMES_OF.search(text)
    actor = _WHY_ACTOR.search(text)
    counted = _COUNTED.search(text)
    post = _POST_Q.match(text)
    moved = _MOVED_Q.match(text)
    return Wants(
        asked=asked,
        named_people=bool(asked) and asked[0] in PEOPLE_NOUNS,
        deed=asked_event(text) if question.kind in ("who", "what") else "",
        how_long=bool(_HOW_LONG.search(text)),
        so_far=bool(_SO_FAR.search(text)),
        start=bool(START.search(text)),
        future=bool(_FUTURE_Q.search(text)),
        place_of=tuple(t for t in question.terms if t not in question.entities),
        speaker=speaker,
        commitment=bool(speech and speech.group("verb") and _COMMIT_Q.match(speech.group("verb"))),
        topic=topic.group(1) if topic and not lean else None,
        examples=examples.group(1) if examples else None,
        advice=bool(_SHOULD_Q.search(text)),
        pinned=question.kind not in ("when", "date") and bool(_PINNED.search(text)),
        who_said=bool(_WHO_SAID.search(text)),
        size=bool(_SIZE_Q.search(text)),
        person=bool(_ROLE_Q.search(text) or _NAME_Q.search(text)),
        person_near=whose.group(1).lower() if whose and whose.group(1).lower() in PEOPLE_NOUNS else "",
        post_words=tuple(t for t in T.content_terms(post.group("which")) if t not in question.entities) if post else (),
        holder_now=post.group("post").lower() if post and post.group("now") else "",
        age=bool(_AGE_Q.search(text)),
        time=bool(_TIME_Q.search(text)),
        why_actor=actor.group(1) if actor else "",
        moved=moved.group("name") if moved else "",
        purpose=bool(_PURPOSE.search(text)),
        meaning=bool(_MEANING.search(text)),
        consequence=bool(_CONSEQUENCE_Q.search(text)),
        counted=frozenset({T.stem(counted.group(1))} | synonyms(counted.group(1))) if counted else None,
    )


def head_word(phrase: str) -> str:
    """The last word of a phrase, without a possessive: "the former prime minister's" -> "minister"."""
    words = T.words(phrase)
    return words[-1].lower().removesuffix("'s").rstrip("'") if words else ""
