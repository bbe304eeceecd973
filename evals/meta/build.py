#!/usr/bin/env python3
"""Build the meta-evaluation predictions: faithful and hallucinated answers to the
Cairo held-out questions, to check that the judge tells them apart.

Every answer below was written by hand from the held-out items, before the judge
was tuned, and the judge is never tuned on them (it is tuned on
``evals/calibration`` only). Each answer cites sentences of the article by their
exact text; this script finds their offsets and writes
``evals/meta/cairo_heldout_predictions.jsonl`` in the predictions format, with two
extra fields: ``variant`` (what kind of answer it is) and ``hallucinated``.

Score them with:

    rag eval --suite cairo_heldout --predictions evals/meta/cairo_heldout_predictions.jsonl --json --no-gate

Usage: python evals/meta/build.py  (rewrites the JSONL; --check exits 1 if it is stale)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "corpus" / "cairo-negotiations.txt"
OUT = Path(__file__).resolve().parent / "cairo_heldout_predictions.jsonl"
DOC_ID = "cairo-negotiations"
TITLE = (
    "Negotiations in Cairo between the Israeli and Hamas delegations ended without a final agreement on Tuesday night."
)

# The article's sentences, by number, as quoted in the answers.
S = {
    1: "Negotiations in Cairo between the Israeli and Hamas delegations ended without a final agreement on Tuesday night.",
    2: "Despite talks continuing through diplomatic and security channels for a few more days, there are concerns about "
    "the lack of progress and the potential for a further escalation of violence.",
    3: "The open nature of these negotiations has highlighted the difficulties in bridging the gaps between the two parties.",
    4: "Israel insists on the return of all hostages, while Hamas is seeking to secure as many concessions as possible.",
    6: "However, many experts believe that this lack of immediate progress should not cause alarm.",
    7: "Negotiations of this nature often involve back-and-forth discussions and can take time to reach an agreement.",
    8: "Behind the scenes, constant communication and phone calls are ongoing to work out the specific details.",
    9: "There is an apparent mismatch between the urgency to secure a deal on the release of hostages and the imminent "
    "threat of an Israeli offensive in Rafah.",
    10: "A potential offensive could lead to a significant loss of life, which has sparked concerns about a potential "
    "bloodbath.",
    11: "Nonetheless, it is believed that Israel is using this as a deterrent to pressure Hamas into making concessions.",
    12: "The threat of a large-scale ground offensive, which would effectively halt the negotiation process, is being "
    "held over Hamas.",
    13: "The former Israeli Prime Minister and President, Shimon Peres, once remarked that 'while we're talking, we're "
    "not shooting.'",
    14: "This sentiment seems to echo the current situation.",
    16: "However, there have been reports of targeted and surgical strikes to demonstrate their seriousness and maintain "
    "pressure on Hamas.",
    17: "The recent hostage rescue attempt by Israel resulted in a significant number of casualties on the Hamas side, "
    "which appears to have dampened the offensive plans temporarily.",
    18: "Prime Minister Netanyahu is under pressure both domestically and from the United States to reach a resolution "
    "regarding the hostages.",
    19: "This added external pressure may further incentivize Israel to strike a deal and avoid an escalation of "
    "hostilities.",
    20: "In conclusion, although negotiations in Cairo ended without a conclusive agreement, it is not uncommon for such "
    "talks to go through iterations before progress is made.",
    22: "Both parties are aware of the impact their actions may have on the negotiation process, and efforts are likely "
    "underway to reach a resolution to the hostage situation.",
}


def extract(n: int) -> str:
    """The article sentence ``n`` quoted verbatim with its marker, as the extractive answerer writes it."""
    s = S[n]
    return f"{s[:-1]} [1]{s[-1]}" if s.endswith(".") else f"{s} [1]"


# item id -> list of (variant, hallucinated, answer, [cited sentence numbers in marker order])
ANSWERS: dict[str, list[tuple[str, bool, str, list[int]]]] = {
    "held-001": [
        ("extract", False, extract(1), [1]),
        ("paraphrase", False, "The Israeli and Hamas delegations took part in the negotiations in Cairo [1].", [1]),
        ("entity_swap", True, "The Israeli and Hezbollah delegations took part in the negotiations in Cairo [1].", [1]),
        ("entity_swap", True, "The Israeli and Hamas delegations took part in the negotiations in Doha [1].", [1]),
        ("time_swap", True, "The Israeli and Hamas delegations ended their talks in Cairo on Sunday morning [1].", [1]),
        (
            "negation",
            True,
            "The talks in Cairo between the Israeli and Hamas delegations ended with a final agreement on Tuesday night [1].",
            [1],
        ),
    ],
    "held-002": [
        ("extract", False, extract(2), [2]),
        (
            "paraphrase",
            False,
            "Talks are expected to continue through diplomatic and security channels for a few more days [1].",
            [2],
        ),
        (
            "time_swap",
            True,
            "Talks are expected to continue through diplomatic and security channels for another three weeks [1].",
            [2],
        ),
        (
            "negation",
            True,
            "Talks are not continuing through diplomatic and security channels after the Cairo round [1].",
            [2],
        ),
        (
            "added_clause",
            True,
            "Talks are continuing through diplomatic and security channels for a few more days, and the mediators have "
            "proposed a new compromise text [1].",
            [2],
        ),
        (
            "wrong_citation",
            True,
            "Talks are expected to continue through diplomatic and security channels for a few more days [1].",
            [8],
        ),
    ],
    "held-003": [
        ("extract", False, extract(3), [3]),
        (
            "paraphrase",
            False,
            "The open nature of the negotiations has highlighted how difficult it is to bridge the gaps between the two "
            "parties [1].",
            [3],
        ),
        (
            "antonym",
            True,
            "The secret nature of the negotiations has highlighted how difficult it is to bridge the gaps between the two "
            "parties [1].",
            [3],
        ),
        (
            "antonym",
            True,
            "The open nature of the negotiations has shown how easy it is to bridge the gaps between the two parties [1].",
            [3],
        ),
        (
            "added_clause",
            True,
            "The open nature of these negotiations has highlighted the difficulties in bridging the gaps between the two "
            "parties, which is why the talks were moved behind closed doors [1].",
            [3],
        ),
        (
            "time_swap",
            True,
            "Since Monday, the open nature of the negotiations has highlighted how hard it is to bridge the gaps between "
            "the two parties [1].",
            [3],
        ),
        (
            "wrong_citation",
            True,
            "The open nature of the negotiations has highlighted how difficult it is to bridge the gaps between the two "
            "parties [1].",
            [7],
        ),
    ],
    "held-004": [
        ("extract", False, extract(4), [4]),
        (
            "paraphrase",
            False,
            "Israel is insisting that all hostages be returned, whereas Hamas wants to secure as many concessions as it "
            "can [1].",
            [4],
        ),
        (
            "entity_swap",
            True,
            "Hamas is insisting that all hostages be returned, whereas Israel wants to secure as many concessions as it "
            "can [1].",
            [4],
        ),
        (
            "number_swap",
            True,
            "Israel is insisting that 50 hostages be returned, whereas Hamas wants to secure as many concessions as it "
            "can [1].",
            [4],
        ),
        (
            "negation",
            True,
            "Israel is not insisting on the return of all hostages, whereas Hamas wants to secure as many concessions as "
            "it can [1].",
            [4],
        ),
        (
            "antonym",
            True,
            "Israel is insisting that all hostages be returned, whereas Hamas is seeking to secure as few concessions as "
            "possible [1].",
            [4],
        ),
    ],
    "held-005": [
        ("extract", False, f"{extract(6).replace('[1]', '[1]')} {extract(7).replace('[1]', '[2]')}", [6, 7]),
        (
            "paraphrase",
            False,
            "Many experts believe the lack of immediate progress should not cause alarm [1], because negotiations like "
            "these often involve back-and-forth discussions and can take time to reach an agreement [2].",
            [6, 7],
        ),
        ("negation", True, "Many experts believe the lack of immediate progress should cause alarm [1].", [6]),
        ("antonym", True, "Few experts believe the lack of immediate progress should not cause alarm [1].", [6]),
        (
            "added_clause",
            True,
            "Many experts believe the lack of immediate progress should not cause alarm [1], and they predict that a "
            "comprehensive deal is close [2].",
            [6, 7],
        ),
        (
            "wrong_citation",
            True,
            "Many experts believe the lack of immediate progress should not cause alarm [2]. Negotiations like these "
            "often involve back-and-forth discussions and take time [1].",
            [6, 7],
        ),
    ],
    "held-006": [
        ("extract", False, extract(12), [12]),
        (
            "paraphrase",
            False,
            "A large-scale ground offensive, which would effectively halt the negotiation process, is being held over "
            "Hamas as a threat [1].",
            [12],
        ),
        (
            "entity_swap",
            True,
            "A large-scale ground offensive, which would effectively halt the negotiation process, is being held over "
            "Hezbollah as a threat [1].",
            [12],
        ),
        (
            "antonym",
            True,
            "A large-scale ground offensive, which would effectively accelerate the negotiation process, is being held "
            "over Hamas as a threat [1].",
            [12],
        ),
        ("antonym", True, "A limited air campaign is being held over Hamas as a threat [1].", [12]),
        (
            "time_swap",
            True,
            "A large-scale ground offensive planned for next week is being held over Hamas as a threat [1].",
            [12],
        ),
        (
            "wrong_citation",
            True,
            "A large-scale ground offensive, which would effectively halt the negotiation process, is being held over "
            "Hamas as a threat [1].",
            [10],
        ),
    ],
    "held-007": [
        ("extract", False, extract(9), [9]),
        (
            "paraphrase",
            False,
            "The article points to a mismatch between the urgency of securing a deal to release the hostages and the "
            "imminent threat of an Israeli offensive in Rafah [1].",
            [9],
        ),
        (
            "entity_swap",
            True,
            "The article points to a mismatch between the urgency of securing a deal to release the hostages and the "
            "imminent threat of an Israeli offensive in Khan Younis [1].",
            [9],
        ),
        (
            "antonym",
            True,
            "The article points to a mismatch between the urgency of securing a deal to release the hostages and the "
            "distant threat of an Israeli offensive in Rafah [1].",
            [9],
        ),
        (
            "negation",
            True,
            "There is no mismatch between the urgency of securing a deal on the hostages and the threat of an Israeli "
            "offensive in Rafah [1].",
            [9],
        ),
        (
            "added_clause",
            True,
            "There is a mismatch between the urgency of securing a deal on the release of hostages and the imminent "
            "threat of an Israeli offensive in Rafah, and the offensive is set to begin once the talks formally end [1].",
            [9],
        ),
    ],
    "held-008": [
        ("extract", False, extract(11), [11]),
        (
            "paraphrase",
            False,
            "Israel is believed to be using it as a deterrent to pressure Hamas into making concessions [1].",
            [11],
        ),
        (
            "entity_swap",
            True,
            "Hamas is believed to be using it as a deterrent to pressure Israel into making concessions [1].",
            [11],
        ),
        (
            "negation",
            True,
            "Israel is not using it as a deterrent to pressure Hamas into making concessions [1].",
            [11],
        ),
        (
            "added_clause",
            True,
            "Israel is believed to be using it as a deterrent to pressure Hamas into making concessions, and Hamas has "
            "already agreed to release half of the hostages [1].",
            [11],
        ),
        (
            "wrong_citation",
            True,
            "Israel is believed to be using it as a deterrent to pressure Hamas into making concessions [1].",
            [16],
        ),
    ],
    "held-009": [
        ("extract", False, extract(13), [13]),
        (
            "paraphrase",
            False,
            "Shimon Peres, a former Israeli prime minister and president, once said: 'while we're talking, we're not "
            "shooting' [1].",
            [13],
        ),
        (
            "entity_swap",
            True,
            "Yitzhak Rabin, a former Israeli prime minister, once said: 'while we're talking, we're not shooting' [1].",
            [13],
        ),
        ("negation", True, "Shimon Peres once remarked that 'while we're talking, we're still shooting' [1].", [13]),
        (
            "time_swap",
            True,
            "Shimon Peres remarked last week that 'while we're talking, we're not shooting' [1].",
            [13],
        ),
        (
            "wrong_citation",
            True,
            "Shimon Peres, a former Israeli prime minister and president, once said: 'while we're talking, we're not "
            "shooting' [1].",
            [14],
        ),
    ],
    "held-010": [
        ("extract", False, extract(16), [16]),
        (
            "paraphrase",
            False,
            "There have been reports of targeted and surgical strikes meant to show seriousness and keep pressure on "
            "Hamas [1].",
            [16],
        ),
        (
            "antonym",
            True,
            "There have been reports of indiscriminate strikes meant to show seriousness and keep pressure on Hamas [1].",
            [16],
        ),
        ("negation", True, "There have been no reports of targeted strikes during the negotiations [1].", [16]),
        (
            "added_clause",
            True,
            "There have been reports of targeted and surgical strikes to show seriousness and keep pressure on Hamas, and "
            "dozens of civilians were killed in them [1].",
            [16],
        ),
        (
            "entity_swap",
            True,
            "There have been reports of targeted and surgical strikes meant to show seriousness and keep pressure on "
            "Hezbollah [1].",
            [16],
        ),
    ],
    "held-011": [
        ("extract", False, extract(17), [17]),
        (
            "paraphrase",
            False,
            "Israel carried out the recent hostage rescue attempt, which caused a significant number of casualties on "
            "the Hamas side [1].",
            [17],
        ),
        (
            "entity_swap",
            True,
            "Israel carried out the recent hostage rescue attempt, which caused a significant number of casualties on "
            "the Israeli side [1].",
            [17],
        ),
        (
            "time_swap",
            True,
            "Israel's hostage rescue attempt last month caused a significant number of casualties on the Hamas side [1].",
            [17],
        ),
        (
            "antonym",
            True,
            "Israel's recent hostage rescue attempt caused a small number of casualties on the Hamas side [1].",
            [17],
        ),
        (
            "added_clause",
            True,
            "Israel carried out the recent hostage rescue attempt, which caused a significant number of casualties on "
            "the Hamas side, and all of the hostages were freed [1].",
            [17],
        ),
    ],
    "held-012": [
        ("extract", False, extract(18), [18]),
        (
            "paraphrase",
            False,
            "Yes. Netanyahu is under pressure at home and from the United States to resolve the hostage issue [1].",
            [18],
        ),
        (
            "entity_swap",
            True,
            "Yes. Netanyahu is under pressure at home and from the European Union to resolve the hostage issue [1].",
            [18],
        ),
        (
            "entity_swap",
            True,
            "Yes. The United States is under pressure from Netanyahu to reach a resolution regarding the hostages [1].",
            [18],
        ),
        ("negation", True, "No. Netanyahu is not under pressure from the United States, only domestically [1].", [18]),
        (
            "time_swap",
            True,
            "Yes. Since January, Netanyahu has been under pressure at home and from the United States to resolve the "
            "hostage issue [1].",
            [18],
        ),
        (
            "wrong_citation",
            True,
            "Yes. Netanyahu is under pressure at home and from the United States to resolve the hostage issue [1].",
            [19],
        ),
    ],
    "held-013": [
        ("extract", False, extract(19), [19]),
        (
            "paraphrase",
            False,
            "The added external pressure may push Israel to strike a deal and avoid an escalation of hostilities [1].",
            [19],
        ),
        (
            "antonym",
            True,
            "The added external pressure may push Israel to abandon a deal and provoke an escalation of hostilities [1].",
            [19],
        ),
        (
            "entity_swap",
            True,
            "The added external pressure may push Hamas to strike a deal and avoid an escalation of hostilities [1].",
            [19],
        ),
        (
            "added_clause",
            True,
            "The added external pressure may push Israel to strike a deal and avoid an escalation of hostilities, and a "
            "ceasefire is expected to be announced this week [1].",
            [19],
        ),
        ("negation", True, "The added external pressure will not push Israel to strike a deal [1].", [19]),
    ],
    "held-014": [
        ("extract", False, extract(20), [20]),
        (
            "paraphrase",
            False,
            "It is not uncommon for talks like these to go through iterations before progress is made [1].",
            [20],
        ),
        (
            "negation",
            True,
            "It is uncommon for talks like these to go through iterations before progress is made [1].",
            [20],
        ),
        (
            "antonym",
            True,
            "It is not uncommon for talks like these to go through iterations after progress is made [1].",
            [20],
        ),
        (
            "added_clause",
            True,
            "It is not uncommon for talks like these to go through iterations before progress is made, and the next "
            "iteration will take place in Doha [1].",
            [20],
        ),
        (
            "wrong_citation",
            True,
            "It is not uncommon for talks like these to go through iterations before progress is made [1].",
            [7],
        ),
    ],
    "held-015": [
        ("extract", False, extract(22), [22]),
        (
            "paraphrase",
            False,
            "Yes. Both parties are aware of how their actions may affect the negotiation process [1].",
            [22],
        ),
        (
            "negation",
            True,
            "No. Neither party is aware of the impact their actions may have on the negotiation process [1].",
            [22],
        ),
        (
            "entity_swap",
            True,
            "Yes. Both Israel and Egypt are aware of the impact their actions may have on the negotiation process [1].",
            [22],
        ),
        (
            "added_clause",
            True,
            "Yes. Both parties are aware of how their actions may affect the negotiation process, and they have agreed "
            "to a media blackout [1].",
            [22],
        ),
    ],
    "held-016": [
        ("extract", False, extract(13), [13]),
        (
            "paraphrase",
            False,
            "A former one: the article calls Shimon Peres the former Israeli Prime Minister and President [1].",
            [13],
        ),
        (
            "antonym",
            True,
            "A current one: Shimon Peres is described as the current Israeli Prime Minister and President [1].",
            [13],
        ),
        (
            "entity_swap",
            True,
            "A former one: the article calls Shimon Peres the former Israeli Defense Minister [1].",
            [13],
        ),
        (
            "wrong_citation",
            True,
            "A former one: the article calls Shimon Peres the former Israeli Prime Minister and President [1].",
            [18],
        ),
    ],
}


def build() -> list[dict[str, object]]:
    article = ARTICLE.read_text(encoding="utf-8")
    rows: list[dict[str, object]] = []
    for item_id, answers in ANSWERS.items():
        for variant, hallucinated, answer, cited in answers:
            markers = sorted({int(n) for n in re.findall(r"\[(\d+)\]", answer)})
            if markers != list(range(1, len(cited) + 1)):
                raise SystemExit(f"{item_id} {variant}: markers {markers} do not match {len(cited)} citations")
            citations = []
            for n, sentence_no in enumerate(cited, 1):
                quote = S[sentence_no]
                start = article.find(quote)
                if start < 0:
                    raise SystemExit(f"{item_id}: sentence {sentence_no} is not in the article")
                citations.append(
                    {
                        "n": n,
                        "doc_id": DOC_ID,
                        "title": TITLE,
                        "quote": quote,
                        "start": start,
                        "end": start + len(quote),
                    }
                )
            rows.append(
                {
                    "id": item_id,
                    "variant": variant,
                    "hallucinated": hallucinated,
                    "answer": answer,
                    "abstained": False,
                    "citations": citations,
                }
            )
    return rows


def main(argv: list[str]) -> int:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in build())
    if "--check" in argv:
        return 0 if OUT.is_file() and OUT.read_text(encoding="utf-8") == text else 1
    OUT.write_text(text, encoding="utf-8")
    rows = text.count("\n")
    bad = text.count('"hallucinated": true')
    print(f"wrote {OUT.relative_to(ROOT)}: {rows} answers ({bad} hallucinated, {rows - bad} faithful)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
