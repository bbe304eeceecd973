"""Seeded synthetic news articles for the scale benchmark.

Every article is labelled synthetic in its title and its first line. Articles differ
in topic, cast (people, places, organisations, companies, some invented), numbers,
dates and vocabulary (filler words drawn from wordfreq's English list), so BM25 and
the vector index see a corpus with a realistic spread rather than one text copied.
A "diplomacy" topic shares words with the real Cairo article (talks, delegations,
ceasefire, hostages, Egypt, Qatar...) so the retrieval check at scale has real
distractors.

    python -m bench.synth OUT_DIR --n 1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FIRST = (
    "Amira Omar Lena Tomas Priya Kenji Sofia Mateo Hana Yusuf Ingrid Kwame Elena Rafael Mei Dmitri Aisha Lucas "
    "Nadia Pablo Zainab Henrik Chloe Tariq Olga Samuel Leila Marco Fatima Jonas Ines Arjun Clara Ibrahim Yara "
    "Viktor Noor Diego Sakura Emeka Greta Hamid Lucia Oskar Rania Felix Adaeze Paolo Mina Stefan Layla Bruno "
    "Ayesha Tobias Carmen Idris Freya Malik Rosa Anders Salma Hugo Amina Nikolai Beatriz Karim Astrid Chen"
).split()
LAST = (
    "Haddad Novak Okafor Lindqvist Tanaka Moreau Castillo Rahman Petrov Schneider Mensah Costa Kowalski Nakamura "
    "Alvarez Farouk Jensen Ivanova Mbeki Rossi Hassan Bergstrom Dubois Singh Ortega Yilmaz Fischer Kaur Mwangi "
    "Sato Marin Khalil Andersen Silva Volkov Abadi Lopez Nilsson Okonkwo Ferrari Aziz Weber Chowdhury Santos "
    "Horvath Kimura Benali Larsen Mendes Popescu Qureshi Varga Eriksen Adeyemi Romano Saleh Holm Bianchi Demir"
).split()
CITIES = (
    "Lisbon Nairobi Oslo Lima Hanoi Accra Krakow Porto Tbilisi Quito Dakar Tallinn Osaka Leeds Bilbao Lyon Mumbai "
    "Manila Izmir Tunis Perth Seville Gdansk Valencia Dublin Riga Sofia Busan Recife Medellin Kampala Harare "
    "Chennai Ghent Malmo Turku Bergen Salzburg Graz Zagreb Split Varna Plovdiv Kharkiv Almaty Tashkent Baku "
    "Amman Beirut Muscat Doha Casablanca Rabat Algiers Khartoum Kigali Lusaka Maputo Windhoek Durban Santos "
    "Rosario Cordoba Montevideo Asuncion Cusco Cali Bogota Halifax Calgary Winnipeg Tucson Omaha Denver"
).split()
COUNTRIES = (
    "Portugal Kenya Norway Peru Vietnam Ghana Poland Georgia Ecuador Senegal Estonia Japan Spain France India "
    "Philippines Turkey Tunisia Australia Ireland Latvia Bulgaria Korea Brazil Colombia Uganda Zimbabwe Belgium "
    "Sweden Finland Austria Croatia Ukraine Kazakhstan Uzbekistan Azerbaijan Jordan Lebanon Oman Qatar Morocco "
    "Algeria Sudan Rwanda Zambia Mozambique Namibia Argentina Uruguay Paraguay Canada Mexico Chile Egypt Israel"
).split()
SYLLABLES = "ka ro mi tel an vo sar lin de qu ast bel or un za fen ti mar gol ris hal ven dor sil pra tos".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()


@dataclass(frozen=True)
class Topic:
    name: str
    nouns: tuple[str, ...]
    roles: tuple[str, ...]
    orgs: tuple[str, ...]
    headlines: tuple[str, ...]
    sentences: tuple[str, ...]


def _t(name: str, nouns: str, roles: str, orgs: str, headlines: list[str], sentences: list[str]) -> Topic:
    split = lambda s: tuple(x.strip() for x in s.split(",") if x.strip())  # noqa: E731
    return Topic(name, split(nouns), split(roles), split(orgs), tuple(headlines), tuple(sentences))


TOPICS = (
    _t(
        "diplomacy",
        "ceasefire, truce, prisoner exchange, peace plan, border crossing, hostage release, aid corridor, mediation",
        "foreign minister, envoy, chief negotiator, spokesperson, mediator, ambassador",
        "Foreign Ministry, {country} delegation, regional security council, mediation office",
        [
            "Talks in {city} on a {noun} end without a deal",
            "{country} and {country2} resume {noun} negotiations",
            "Envoys meet in {city} as pressure grows for a {noun}",
        ],
        [
            "Delegations from {country} and {country2} met in {city} on {weekday} to discuss a {noun}.",
            "The talks ended without a final agreement, {person}, the {role}, told reporters late on {weekday}.",
            "Mediators from {country3} shuttled between the two sides, carrying proposals on the {noun}.",
            "{person} said the {noun} could be signed within {n} days if both sides kept talking.",
            "A second round is expected in {city2} next week, according to two officials briefed on the talks.",
            "The {org} insisted that any {noun} include guarantees on {word} and {word2}.",
            "Officials described the mood as {word}, with phone calls continuing through diplomatic channels.",
            "{person2} warned that failure could lead to a fresh escalation along the border with {country2}.",
            "Negotiators have so far agreed on {n} of the {n2} points in the draft text.",
            "The proposal would see {n3} detainees released in stages over {n} weeks.",
        ],
    ),
    _t(
        "economy",
        "inflation, interest rates, budget deficit, export growth, currency, wage deal, trade surplus, bond yields",
        "finance minister, central bank governor, chief economist, trade minister, analyst",
        "Central Bank of {country}, {city} Chamber of Commerce, national statistics office, {company}",
        [
            "{country} posts {pct} {noun} as {company} warns of slowdown",
            "Central bank in {city} holds rates amid {noun} worries",
            "{company} shares slide after {noun} surprise",
        ],
        [
            "Annual {noun} in {country} reached {pct} in {month}, the national statistics office said.",
            "The Central Bank of {country} kept its main rate at {pct} on {weekday}.",
            "{person}, the {role}, said the figures showed a {word} recovery in {word2} demand.",
            "{company} reported revenue of {money} for the quarter, below analyst forecasts.",
            "Exports to {country2} fell for a {ordinal} consecutive month.",
            "Economists at {company} expect growth of {pct} next year, down from {pct2}.",
            "The government plans to cut the {noun} to {pct} of output by {year}.",
            "Retail sales in {city} rose {pct}, helped by {word} spending before the holidays.",
            "{person2} argued that the {noun} reflected {word} prices for energy and food.",
            "Bond markets reacted calmly, with ten-year yields little changed at {pct}.",
        ],
    ),
    _t(
        "elections",
        "runoff, coalition, turnout, ballot, manifesto, recount, campaign, referendum",
        "party leader, candidate, electoral commissioner, campaign manager, pollster",
        "{country} Electoral Commission, Democratic Alliance, People's Movement, Green Union",
        [
            "{person} leads in {country} {noun} as turnout hits {pct}",
            "Coalition talks stall in {city} after close {noun}",
            "{country} heads for {noun} on {weekday}",
        ],
        [
            "Voters in {country} went to the polls on {weekday} in a {noun} seen as a test for the government.",
            "Turnout reached {pct}, the highest since {year}, the electoral commission said.",
            "{person}, the {role} of the {org}, claimed victory shortly after midnight.",
            "Early results from {city} gave the opposition {n} of the {n2} seats.",
            "{person2} called for a {noun} in three districts, citing irregularities.",
            "The campaign focused on {word}, {word2} and the cost of housing.",
            "Observers from {country2} said the vote was orderly but criticised media access.",
            "A {noun} is scheduled for {month} {day} if no candidate wins a majority.",
            "Polls had predicted a narrow race, with fewer than {n} points between the leaders.",
            "Coalition talks could take weeks, said {person3}, a {role} in {city}.",
        ],
    ),
    _t(
        "health",
        "vaccine, outbreak, clinical trial, hospital waiting list, malaria, measles, screening programme, nurse strike",
        "health minister, epidemiologist, hospital director, researcher, union representative",
        "{city} General Hospital, National Health Institute, {company}, World Health Forum",
        [
            "{noun} spreads in {city} as hospitals fill",
            "{company} reports results of {noun} in {country}",
            "Nurses in {country} vote for {noun}",
        ],
        [
            "Health officials in {city} confirmed {n3} new cases of {noun} in the past week.",
            "{person}, an {role} at the {org}, said the situation was {word} but under control.",
            "The {noun} involved {n3} volunteers across {n} sites in {country}.",
            "Hospitals reported waiting times of up to {n} weeks for routine operations.",
            "{company} said its {noun} cut the risk of severe illness by {pct}.",
            "The ministry will spend {money} on new clinics in rural areas, {person2} said.",
            "Doctors warned that {word} and {word2} were slowing the response.",
            "Vaccination rates among children fell to {pct} in {year}, down from {pct2}.",
            "A {noun} is planned for {month} if talks over pay fail.",
            "The outbreak was first detected in a school near {city2} in {month}.",
        ],
    ),
    _t(
        "climate",
        "heatwave, flood defences, drought, wildfire, emissions target, solar farm, sea wall, carbon tax",
        "environment minister, climate scientist, mayor, farmer, activist",
        "{country} Met Office, Climate Action Network, {city} council, {company}",
        [
            "Record {noun} hits {city}",
            "{country} unveils {noun} plan worth {money}",
            "Farmers in {country} count cost of {noun}",
        ],
        [
            "Temperatures in {city} reached {n} degrees on {weekday}, a record for {month}.",
            "The {noun} forced {n3} people from their homes, the {org} said.",
            "{person}, a {role} in {city}, said the {noun} was the worst in {n} years.",
            "The government pledged {money} for {noun} along the coast by {year}.",
            "Emissions fell {pct} last year, mostly because of {word} industrial output.",
            "{company} will build a {noun} covering {n3} hectares near {city2}.",
            "Critics said the {noun} plan ignored {word} and {word2}.",
            "Insurers estimated losses of {money} from the {noun}.",
            "Scientists at the {org} linked the {noun} to warmer seas off {country2}.",
            "The {noun} is expected to ease by {weekday}, forecasters said.",
        ],
    ),
    _t(
        "technology",
        "data centre, chip plant, privacy law, satellite launch, software outage, AI model, fibre network, app ban",
        "chief executive, regulator, engineer, founder, security researcher",
        "{company}, {country} Data Protection Authority, {city} Technology Park, Digital Rights Watch",
        [
            "{company} opens {noun} in {city}",
            "Regulator fines {company} {money} over {noun}",
            "{noun} disrupts services across {country}",
        ],
        [
            "{company} said on {weekday} it would invest {money} in a {noun} outside {city}.",
            "The {noun} will employ about {n3} people when it opens in {year}.",
            "{person}, the {role} of {company}, said demand for {word} computing was growing fast.",
            "The {org} fined {company} {money} for breaching the {noun}.",
            "A {noun} left {n3} customers without service for {n} hours.",
            "Engineers traced the fault to a {word} update pushed on {weekday} night.",
            "{person2}, a {role}, said the {noun} raised questions about {word2}.",
            "The {noun} is part of a national plan to reach {pct} coverage by {year}.",
            "Rivals including {company2} are planning similar projects in {country2}.",
            "Shares of {company} rose {pct} after the announcement.",
        ],
    ),
    _t(
        "courts",
        "corruption trial, appeal, verdict, extradition, constitutional ruling, fraud case, class action, inquiry",
        "judge, prosecutor, defence lawyer, chief justice, witness",
        "Supreme Court of {country}, {city} District Court, anti-corruption agency, Bar Association",
        [
            "Court in {city} delivers {noun} verdict",
            "{person} loses {noun} in {country}",
            "Prosecutors open {noun} into {company}",
        ],
        [
            "The {org} ruled on {weekday} that the {noun} could proceed.",
            "{person}, the {role}, said the evidence showed {word} payments worth {money}.",
            "The defendant, a former official from {city}, denies all {n} charges.",
            "{person2}, a {role}, told the court the contracts were signed in {year}.",
            "The {noun} is expected to last {n} months and hear {n2} witnesses.",
            "{company} said it was cooperating fully with the {noun}.",
            "Lawyers for the accused argued that {word} and {word2} had been ignored.",
            "The court ordered the return of {money} to the treasury.",
            "An {noun} request from {country2} will be heard in {month}.",
            "Sentencing was set for {month} {day}.",
        ],
    ),
    _t(
        "sport",
        "final, transfer, doping case, marathon, qualifier, title race, stadium plan, world record",
        "coach, captain, striker, sports minister, race director",
        "{city} United, {city2} Athletic, {country} Football Federation, National Olympic Committee",
        [
            "{city} United win {noun} in extra time",
            "{person} breaks {noun} in {city}",
            "{country} reach {noun} after {n}-{n2} win",
        ],
        [
            "{city} United beat {city2} Athletic {n}-{n2} in the {noun} on {weekday}.",
            "{person} scored twice in the second half, the {ordinal} time this season.",
            "The {role}, {person2}, praised the team's {word} defending.",
            "A crowd of {n3} watched the match in {city}.",
            "{person3} finished the {noun} in {n} hours and {n2} minutes.",
            "The {org} opened a {noun} against two players in {month}.",
            "The club paid {money} for the transfer, a record for {country}.",
            "Fans criticised the {word} ticket prices and the {word2} schedule.",
            "The next {noun} takes place in {city3} in {month}.",
            "Injuries have kept {n} regular starters out since {month}.",
        ],
    ),
    _t(
        "transport",
        "rail strike, airport expansion, metro line, bridge closure, fuel shortage, port congestion, bus fare rise",
        "transport minister, union leader, airport director, commuter, port authority chief",
        "{city} Metro, {country} Railways, {city} Port Authority, {company}",
        [
            "{noun} halts services in {city}",
            "{country} approves {money} {noun}",
            "{noun} hits commuters in {city}",
        ],
        [
            "A {noun} halted most services in {city} on {weekday}, stranding {n3} passengers.",
            "{person}, the {role}, said talks with management had broken down.",
            "The {noun} will add {n} stations and open in {year}, the {org} said.",
            "{company} won the {money} contract to build the {noun}.",
            "Ships waited up to {n} days to unload at {city2} because of {noun}.",
            "Commuters faced delays of {n2} minutes, with {word} crowding on platforms.",
            "{person2} blamed the {noun} on {word} maintenance and {word2}.",
            "Fares will rise {pct} from {month}, the operator confirmed.",
            "The government of {country} promised an inquiry into the {noun}.",
            "Freight volumes through {city} rose {pct} last year.",
        ],
    ),
    _t(
        "culture",
        "film festival, museum reopening, book prize, concert tour, heritage site, theatre premiere, art auction",
        "director, curator, novelist, conductor, culture minister",
        "{city} Film Festival, National Museum of {country}, {city} Philharmonic, {company}",
        [
            "{person} wins {city} {noun}",
            "{noun} draws record crowds in {city}",
            "{country} returns artefacts as {noun} opens",
        ],
        [
            "The {noun} opened in {city} on {weekday} with a programme of {n} events.",
            "{person}, the {role}, said this year's theme was {word}.",
            "A painting by {person2} sold for {money} at the {noun}.",
            "The {org} welcomed {n3} visitors in its first week.",
            "Critics called the {noun} {word} and {word2}.",
            "{person3} is the {ordinal} writer from {country} to win the prize.",
            "The {noun} was restored over {n} years at a cost of {money}.",
            "Tickets for the {noun} in {city2} sold out within {n} hours.",
            "Officials in {country2} agreed to lend {n} works for the exhibition.",
            "The {noun} will tour {n} cities before closing in {month}.",
        ],
    ),
    _t(
        "agriculture",
        "harvest, grain exports, fertiliser prices, locust swarm, irrigation scheme, dairy quota, coffee crop",
        "agriculture minister, farmer, cooperative head, trader, agronomist",
        "{country} Farmers Union, {city} Grain Exchange, {company}, Ministry of Agriculture",
        [
            "{noun} falls {pct} in {country}",
            "{noun} threatens farms near {city}",
            "{country} to fund {noun} worth {money}",
        ],
        [
            "The {noun} in {country} is expected to fall {pct} this year, the {org} said.",
            "{person}, a {role} near {city}, said {word} weather had cut yields.",
            "Prices on the {city2} exchange rose to {money} a tonne.",
            "{company} will supply {n3} tonnes to {country2} under a new contract.",
            "The {noun} covers {n3} hectares and will be finished by {year}.",
            "{person2} blamed {word} costs and {word2} for the losses.",
            "Farmers blocked roads into {city} on {weekday} in protest.",
            "The ministry promised {money} in support for small farms.",
            "Exports to {country2} fell for the {ordinal} month in a row.",
            "A {noun} was reported in {n} districts in {month}.",
        ],
    ),
    _t(
        "science",
        "telescope, fossil find, gene study, space probe, research grant, particle experiment, deep-sea survey",
        "astronomer, palaeontologist, geneticist, mission director, lab chief",
        "{country} Space Agency, University of {city}, {city} Institute of Science, {company}",
        [
            "{noun} reveals {word} surprise",
            "Scientists in {city} report {noun} results",
            "{country} launches {noun}",
        ],
        [
            "Researchers at the {org} announced the {noun} results on {weekday}.",
            "{person}, the {role}, said the data pointed to a {word} process.",
            "The {noun} collected {n3} samples over {n} months.",
            "The study, published in {month}, involved {n2} scientists from {n} countries.",
            "{person2} said the finding could change how {word2} is understood.",
            "The {noun} cost {money} and was funded partly by {company}.",
            "A {noun} from {country2} will join the project in {year}.",
            "The team plans a second {noun} near {city2}.",
            "Earlier estimates had put the figure at {pct}.",
            "Data from the {noun} will be made public by {month}.",
        ],
    ),
)

GENERIC = (
    "{person} said the next steps would be decided by {weekday}.",
    "Residents of {city} said they were {word} about what comes next.",
    "The announcement came a day after a meeting in {city2}.",
    "It was not immediately clear how the plan would be paid for.",
    "{person2} declined to comment on the {noun} when asked on {weekday}.",
    "A statement from the {org} said more details would follow.",
    "The issue has divided opinion in {country} since {year}.",
    "Similar measures were tried in {country2} in {year}, with mixed results.",
    "Local media in {city} reported that {n} people attended.",
    "Supporters described the decision as {word}; opponents called it {word2}.",
)


_RUDE = re.compile(
    r"fuck|shit|cunt|bitch|dick|pussy|porn|nigg|fag|slut|whore|rape|cock|tits|anal|sex|nude|naked|penis|vagina"
)


@lru_cache(maxsize=1)
def _filler() -> tuple[str, ...]:
    """Ordinary English words (wordfreq ranks 1,500..30,000) to vary the vocabulary."""
    from wordfreq import top_n_list

    words = top_n_list("en", 30_000)[1_500:]
    return tuple(w for w in words if w.isalpha() and w.isascii() and len(w) >= 4 and not _RUDE.search(w))


def _invented(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _person(rng: random.Random) -> str:
    last = _invented(rng) if rng.random() < 0.2 else rng.choice(LAST)
    return f"{rng.choice(FIRST)} {last}"


def _company(rng: random.Random) -> str:
    suffix = rng.choice(["Holdings", "Group", "Systems", "Energy", "Logistics", "Foods", "Labs", "Bank", "Motors"])
    return f"{_invented(rng)} {suffix}"


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh"}.get(n, f"{n}th")


def article(index: int, seed: int = 7) -> tuple[str, str]:
    """(file stem, text) of synthetic article ``index``; the same for the same (index, seed)."""
    rng = random.Random(f"{seed}:{index}")
    topic = rng.choice(TOPICS)
    side = rng.choice([t for t in TOPICS if t is not topic])
    filler = _filler()
    cities = rng.sample(CITIES, 3)
    if rng.random() < 0.15:
        cities[1] = _invented(rng)
    countries = rng.sample(COUNTRIES, 3)
    people = [_person(rng) for _ in range(3)]
    companies = [_company(rng), _company(rng)]
    slots = {
        "city": cities[0],
        "city2": cities[1],
        "city3": cities[2],
        "country": countries[0],
        "country2": countries[1],
        "country3": countries[2],
        "person": people[0],
        "person2": people[1],
        "person3": people[2],
        "company": companies[0],
        "company2": companies[1],
        "role": rng.choice(topic.roles),
        "noun": rng.choice(topic.nouns),
        "weekday": rng.choice(WEEKDAYS),
        "month": rng.choice(MONTHS),
        "year": str(rng.randint(2008, 2026)),
        "day": str(rng.randint(1, 28)),
    }
    slots["org"] = rng.choice(topic.orgs).format(**slots)

    def fill(template: str, own: Topic) -> str:
        values = dict(slots)
        if own is not topic:
            values["noun"] = rng.choice(own.nouns)
            values["role"] = rng.choice(own.roles)
            values["org"] = rng.choice(own.orgs).format(**slots)
        values.update(
            word=rng.choice(filler),
            word2=rng.choice(filler),
            n=str(rng.randint(2, 30)),
            n2=str(rng.randint(2, 60)),
            n3=f"{rng.randint(120, 95_000):,}",
            pct=f"{rng.uniform(0.1, 19.9):.1f}%",
            pct2=f"{rng.uniform(0.1, 19.9):.1f}%",
            money=f"${rng.randint(2, 900)} million",
            ordinal=_ordinal(rng.randint(2, 7)),
        )
        text = template.format(**values)
        return text[0].upper() + text[1:]

    headline = fill(rng.choice(topic.headlines), topic)
    pool = [(s, topic) for s in topic.sentences + GENERIC] + [(s, side) for s in rng.sample(side.sentences, 4)]
    rng.shuffle(pool)
    paragraphs: list[str] = []
    used = 0
    for p in range(rng.randint(4, 8)):
        count = rng.randint(3, 6)
        sentences = [fill(*pool[(used + k) % len(pool)]) for k in range(count)]
        used += count
        if p == 0:
            sentences.insert(0, f"{people[0]} spoke in {cities[0]} as the {slots['noun']} dominated the week.")
        if rng.random() < 0.35:
            quote = " ".join(rng.choice(filler) for _ in range(rng.randint(3, 7)))
            sentences.append(f'"We will not accept {quote}," {people[rng.randint(0, 2)]} said.')
        paragraphs.append(" ".join(sentences))
    label = f"(Synthetic article {index} generated by bench/synth.py, seed {seed}, topic {topic.name}; not real news.)"
    text = f"Synthetic: {headline}\n\n{label}\n\n" + "\n\n".join(paragraphs) + "\n"
    return f"synthetic-{index:05d}", re.sub(r"[ \t]+", " ", text)


def write_corpus(out: Path, n: int, *, seed: int = 7) -> list[Path]:
    """Write ``n`` synthetic articles as ``out/synthetic-NNNNN.txt``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        stem, text = article(i, seed)
        path = out / f"{stem}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    write_corpus(args.out, args.n, seed=args.seed)
    print(f"wrote {args.n} synthetic articles to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
