"""Short synthetic news articles for calibrating the judge (no relation to the corpus).

Every place, person and figure here is invented. ``SUPPORTED`` are claims a
faithful answer could make from the given sentences (extracts and paraphrases,
written by hand); ``UNSUPPORTED`` are hand-written hallucinations of kinds a rule
cannot generate (antonyms, reversed roles, unsupported additions).
``evals/calibrate.py`` derives the rest by perturbing the supported claims.
"""

from __future__ import annotations

ARTICLES: dict[str, str] = {
    "transit": (
        "Riverton City Council voted 7 to 2 on Monday to approve a $48 million expansion of the city's light rail "
        "network. The plan adds four stations along the eastern corridor and extends service to Lakeside Airport. "
        "Mayor Elena Ruiz said the line would cut commuting times for thousands of residents. Opponents on the council "
        "argued that the cost would force cuts to bus routes in the northern districts. Construction is scheduled to "
        "begin in March and is expected to take three years. The regional transit authority will cover a third of the "
        "cost, with the rest coming from municipal bonds."
    ),
    "drought": (
        "A prolonged drought has cut wheat yields in the southern province of Castora by nearly 40 percent this "
        "season, the agriculture ministry reported on Thursday. Farmers in the region have received less than half of "
        "their usual rainfall since October. The ministry announced emergency subsidies for irrigation equipment and "
        "feed for livestock. Some growers have already switched to sorghum, which needs less water than wheat. "
        "Economists warn that bread prices could rise sharply if the shortage continues into next year. The government "
        "has ruled out restricting grain exports for now."
    ),
    "football": (
        "Northport United beat Harbor City 3-1 on Saturday to move to the top of the league table. Striker Amadou "
        "Keita scored twice in the second half after Harbor City had taken an early lead. The win extends Northport's "
        "unbeaten run to eleven matches. Harbor City's coach, Lars Bengtsson, blamed defensive mistakes for the "
        "defeat. Northport will face second-placed Eastvale Rovers next weekend in what is expected to be a decisive "
        "match. Around 32,000 fans attended the game at Meridian Stadium."
    ),
    "earnings": (
        "Solvane Technologies reported a quarterly loss of $120 million on Wednesday, its first loss since going "
        "public in 2019. Revenue fell 8 percent to $2.1 billion as demand for its data-center chips weakened. Chief "
        "executive Priya Natarajan said the company would cut about 1,500 jobs, mostly in its hardware division. "
        "Shares of Solvane dropped 14 percent in after-hours trading. The company expects sales to recover in the "
        "second half of the year, helped by a new line of low-power processors. Analysts had forecast a small profit "
        "for the quarter."
    ),
    "measles": (
        "Health authorities in the coastal state of Marova have launched a measles vaccination campaign after 86 "
        "cases were confirmed in the past month. The campaign targets children under five in districts where "
        "vaccination rates have fallen below 80 percent. Mobile clinics will visit rural villages that have no "
        "permanent health center. Dr. Tomas Lindqvist, who leads the state's immunization program, said "
        "misinformation had discouraged many parents from vaccinating their children. No deaths have been reported so "
        "far. Officials hope to vaccinate 200,000 children by the end of June."
    ),
    "court": (
        "The Supreme Court of Veland ruled on Friday that the government's ban on street protests in the capital was "
        "unconstitutional. In a 5-4 decision, the judges said the ban violated the right to peaceful assembly. "
        "Interior Minister Karel Dvorak, who introduced the ban last year, said the government would respect the "
        "ruling but review its security rules. Civil rights groups welcomed the decision as a victory for free "
        "speech. The ban had been imposed after clashes between protesters and police left dozens injured. Opposition "
        "leaders have called for a large demonstration in the capital next month."
    ),
    "wildfire": (
        "A wildfire that broke out near the town of Pine Hollow on Sunday has burned more than 12,000 acres and forced "
        "the evacuation of about 3,000 residents. Firefighters had contained roughly 15 percent of the blaze by "
        "Tuesday evening, according to the state forestry service. Strong winds and low humidity have made the fire "
        "difficult to control. No injuries have been reported, but at least 40 homes have been destroyed. The cause "
        "of the fire is under investigation. Governor Dana Whitfield has declared a state of emergency in the county."
    ),
    "climate": (
        "Ministers from twelve countries agreed in Oslo on Tuesday to phase out coal-fired power plants by 2035. The "
        "agreement, which is not legally binding, also commits the signatories to double their investment in wind and "
        "solar power. Poland and Turkey declined to sign, citing concerns about energy security. Environmental groups "
        "said the deal was a step forward but criticized the lack of enforcement measures. The next meeting is planned "
        "for Nairobi in the spring."
    ),
}

# Names that may stand in for one another in an entity swap (same article first, then outsiders).
ENTITIES: dict[str, list[str]] = {
    "transit": ["Riverton", "Lakeside Airport", "Elena Ruiz", "Mayor Elena Ruiz"],
    "drought": ["Castora"],
    "football": [
        "Northport United",
        "Harbor City",
        "Amadou Keita",
        "Lars Bengtsson",
        "Eastvale Rovers",
        "Meridian Stadium",
        "Northport",
    ],
    "earnings": ["Solvane Technologies", "Solvane", "Priya Natarajan"],
    "measles": ["Marova", "Tomas Lindqvist", "Dr. Tomas Lindqvist"],
    "court": ["Supreme Court of Veland", "Veland", "Karel Dvorak"],
    "wildfire": ["Pine Hollow", "Dana Whitfield", "Governor Dana Whitfield"],
    "climate": ["Oslo", "Poland", "Turkey", "Nairobi"],
}
OUTSIDE_ENTITIES = [
    "Brenford",
    "Marcus Olsen",
    "Teodora Vance",
    "Kelso County",
    "Arvia",
    "Westbrook Athletic",
    "Halden",
]

# (article, evidence sentence indices, claim): faithful extracts and paraphrases.
SUPPORTED: list[tuple[str, list[int], str]] = [
    ("transit", [0], "Riverton City Council approved a $48 million expansion of the light rail network on Monday."),
    ("transit", [0], "The council voted 7 to 2 to approve the expansion of the city's light rail network."),
    ("transit", [1], "The plan adds four stations along the eastern corridor."),
    ("transit", [1], "Light rail service will be extended to Lakeside Airport under the plan."),
    ("transit", [2], "Mayor Elena Ruiz said the new line would shorten commuting times for thousands of residents."),
    ("transit", [3], "Opponents argued that the cost would force cuts to bus routes in the northern districts."),
    ("transit", [4], "Construction is scheduled to begin in March and should take about three years."),
    (
        "transit",
        [5],
        "The regional transit authority will pay a third of the cost, and municipal bonds will cover the rest.",
    ),
    (
        "transit",
        [0, 1],
        "The council approved a $48 million expansion that adds four stations and extends service to Lakeside Airport.",
    ),
    ("drought", [0], "The drought has cut wheat yields in Castora by nearly 40 percent this season."),
    (
        "drought",
        [0],
        "According to the agriculture ministry, wheat yields in the southern province of Castora fell by nearly 40 percent.",
    ),
    ("drought", [1], "Farmers have received less than half of their usual rainfall since October."),
    ("drought", [2], "The ministry announced emergency subsidies for irrigation equipment and livestock feed."),
    ("drought", [3], "Some growers have switched to sorghum because it needs less water than wheat."),
    ("drought", [4], "Economists warn that bread prices could rise sharply if the shortage continues into next year."),
    ("drought", [5], "For now, the government has ruled out restricting grain exports."),
    ("football", [0], "Northport United beat Harbor City 3-1 on Saturday."),
    ("football", [0], "With the 3-1 win over Harbor City, Northport United moved to the top of the league table."),
    ("football", [1], "Amadou Keita scored twice in the second half."),
    ("football", [1], "Harbor City had taken an early lead before Keita scored twice in the second half."),
    ("football", [2], "Northport's unbeaten run now stands at eleven matches."),
    ("football", [3], "Harbor City's coach Lars Bengtsson blamed defensive mistakes for the defeat."),
    ("football", [4], "Northport will play second-placed Eastvale Rovers next weekend."),
    ("football", [5], "Around 32,000 fans attended the game at Meridian Stadium."),
    ("earnings", [0], "Solvane Technologies reported a quarterly loss of $120 million on Wednesday."),
    ("earnings", [0], "It was Solvane's first loss since the company went public in 2019."),
    ("earnings", [1], "Revenue fell 8 percent to $2.1 billion as demand for data-center chips weakened."),
    ("earnings", [2], "Priya Natarajan said the company would cut about 1,500 jobs, mostly in its hardware division."),
    ("earnings", [3], "Solvane shares dropped 14 percent in after-hours trading."),
    ("earnings", [4], "The company expects sales to recover in the second half of the year."),
    ("earnings", [4], "A new line of low-power processors is expected to help sales recover in the second half."),
    ("earnings", [5], "Analysts had expected a small profit for the quarter."),
    (
        "measles",
        [0],
        "Marova has launched a measles vaccination campaign after 86 cases were confirmed in the past month.",
    ),
    (
        "measles",
        [1],
        "The campaign targets children under five in districts where vaccination rates are below 80 percent.",
    ),
    ("measles", [2], "Mobile clinics will visit rural villages without a permanent health center."),
    (
        "measles",
        [3],
        "Dr. Tomas Lindqvist said misinformation had discouraged many parents from vaccinating their children.",
    ),
    ("measles", [4], "No deaths have been reported so far."),
    ("measles", [5], "Officials hope to vaccinate 200,000 children by the end of June."),
    (
        "measles",
        [0, 5],
        "After 86 confirmed cases, Marova launched a campaign that aims to vaccinate 200,000 children by the end of June.",
    ),
    (
        "court",
        [0],
        "The Supreme Court of Veland ruled on Friday that the ban on street protests in the capital was unconstitutional.",
    ),
    ("court", [1], "In a 5-4 decision, the judges found that the ban violated the right to peaceful assembly."),
    ("court", [2], "Karel Dvorak said the government would respect the ruling but review its security rules."),
    (
        "court",
        [2],
        "The interior minister who introduced the ban last year said the government would respect the ruling.",
    ),
    ("court", [3], "Civil rights groups welcomed the decision as a victory for free speech."),
    ("court", [4], "The ban had been imposed after clashes between protesters and police left dozens injured."),
    ("court", [5], "Opposition leaders have called for a large demonstration in the capital next month."),
    ("wildfire", [0], "The wildfire near Pine Hollow has burned more than 12,000 acres."),
    ("wildfire", [0], "About 3,000 residents were forced to evacuate after the fire broke out on Sunday."),
    ("wildfire", [1], "Firefighters had contained roughly 15 percent of the blaze by Tuesday evening."),
    ("wildfire", [2], "Strong winds and low humidity have made the fire difficult to control."),
    ("wildfire", [3], "No injuries have been reported, but at least 40 homes have been destroyed."),
    ("wildfire", [4], "The cause of the fire is still under investigation."),
    ("wildfire", [5], "Governor Dana Whitfield has declared a state of emergency in the county."),
    (
        "climate",
        [0],
        "Ministers from twelve countries agreed in Oslo on Tuesday to phase out coal-fired power plants by 2035.",
    ),
    ("climate", [1], "The agreement is not legally binding."),
    ("climate", [1], "The signatories committed to double their investment in wind and solar power."),
    ("climate", [2], "Poland and Turkey declined to sign, citing concerns about energy security."),
    (
        "climate",
        [3],
        "Environmental groups called the deal a step forward but criticized the lack of enforcement measures.",
    ),
    ("climate", [4], "The next meeting is planned for Nairobi in the spring."),
]

# (article, evidence sentence indices, kind, claim): hallucinations written by hand.
UNSUPPORTED: list[tuple[str, list[int], str, str]] = [
    (
        "transit",
        [0],
        "antonym",
        "Riverton City Council voted on Monday to reject a $48 million expansion of the light rail network.",
    ),
    (
        "transit",
        [2],
        "antonym",
        "Mayor Elena Ruiz said the new line would lengthen commuting times for thousands of residents.",
    ),
    (
        "transit",
        [3],
        "role_swap",
        "Supporters on the council argued that the cost would force cuts to bus routes in the northern districts.",
    ),
    (
        "transit",
        [1],
        "added_clause",
        "The plan adds four stations along the eastern corridor, and it includes a new park-and-ride garage.",
    ),
    (
        "transit",
        [5],
        "antonym",
        "The regional transit authority will cover most of the cost, with the rest coming from municipal bonds.",
    ),
    ("drought", [0], "antonym", "The drought has raised wheat yields in Castora by nearly 40 percent this season."),
    ("drought", [3], "antonym", "Some growers have switched to sorghum, which needs more water than wheat."),
    (
        "drought",
        [4],
        "antonym",
        "Economists warn that bread prices could fall sharply if the shortage continues into next year.",
    ),
    ("drought", [5], "negation", "The government has decided to restrict grain exports."),
    (
        "drought",
        [2],
        "added_clause",
        "The ministry announced emergency subsidies for irrigation equipment, which farmers say arrived too late.",
    ),
    ("football", [0], "role_swap", "Harbor City beat Northport United 3-1 on Saturday."),
    (
        "football",
        [0],
        "antonym",
        "Northport United lost to Harbor City on Saturday and dropped to the bottom of the league table.",
    ),
    ("football", [3], "antonym", "Harbor City's coach Lars Bengtsson praised the defense after the defeat."),
    ("football", [4], "antonym", "Northport will face bottom-placed Eastvale Rovers next weekend."),
    (
        "football",
        [1],
        "added_clause",
        "Amadou Keita scored twice in the second half, and he was later substituted with an injury.",
    ),
    ("earnings", [0], "antonym", "Solvane Technologies reported a quarterly profit of $120 million on Wednesday."),
    (
        "earnings",
        [1],
        "antonym",
        "Revenue rose 8 percent to $2.1 billion as demand for data-center chips strengthened.",
    ),
    (
        "earnings",
        [2],
        "antonym",
        "Priya Natarajan said the company would hire about 1,500 workers, mostly in its hardware division.",
    ),
    ("earnings", [4], "antonym", "The company expects sales to keep falling in the second half of the year."),
    ("earnings", [5], "antonym", "Analysts had forecast a large loss for the quarter."),
    ("measles", [2], "antonym", "Mobile clinics will visit urban neighborhoods that have no permanent health center."),
    ("measles", [4], "negation", "Several deaths have been reported so far."),
    (
        "measles",
        [1],
        "antonym",
        "The campaign targets children under five in districts where vaccination rates have risen above 80 percent.",
    ),
    (
        "measles",
        [3],
        "added_clause",
        "Dr. Tomas Lindqvist said misinformation had discouraged many parents, and he blamed social media companies for it.",
    ),
    (
        "court",
        [0],
        "antonym",
        "The Supreme Court of Veland ruled on Friday that the ban on street protests was constitutional.",
    ),
    ("court", [3], "antonym", "Civil rights groups condemned the decision as a defeat for free speech."),
    ("court", [2], "antonym", "Karel Dvorak said the government would defy the ruling."),
    (
        "court",
        [1],
        "added_clause",
        "In a 5-4 decision, the judges said the ban violated the right to peaceful assembly, and they ordered the government to pay damages.",
    ),
    ("wildfire", [2], "antonym", "Light winds and high humidity have made the fire easy to control."),
    ("wildfire", [3], "negation", "Several injuries have been reported, and at least 40 homes have been destroyed."),
    ("wildfire", [4], "added_clause", "The cause of the fire is under investigation, and arson is suspected."),
    (
        "wildfire",
        [1],
        "antonym",
        "Firefighters had lost control of roughly 15 percent of the blaze by Tuesday evening.",
    ),
    ("climate", [1], "negation", "The agreement is legally binding on all signatories."),
    (
        "climate",
        [1],
        "antonym",
        "The agreement commits the signatories to halve their investment in wind and solar power.",
    ),
    ("climate", [2], "antonym", "Poland and Turkey agreed to sign, despite concerns about energy security."),
    (
        "climate",
        [3],
        "antonym",
        "Environmental groups called the deal a step backward and praised its enforcement measures.",
    ),
    (
        "climate",
        [0],
        "added_clause",
        "Ministers agreed in Oslo to phase out coal-fired power plants by 2035, and they set up a fund to retrain miners.",
    ),
]
