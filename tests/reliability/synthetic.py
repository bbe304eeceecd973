"""Synthetic news articles for fault tests: seeded, varied, clearly labelled synthetic."""

from __future__ import annotations

import random
from pathlib import Path

CITIES = [
    "Lisbon", "Nairobi", "Osaka", "Quito", "Tallinn", "Accra", "Hanoi", "Perth", "Bergen", "Cordoba",
    "Tbilisi", "Dakar", "Lyon", "Manila", "Leipzig", "Mombasa", "Porto", "Sapporo", "Tunis", "Valencia",
]  # fmt: skip
ORGS = [
    "the port authority", "the city council", "a regional water board", "the transport ministry",
    "a farmers' cooperative", "the national weather service", "a university hospital", "the fisheries agency",
    "a shipbuilding consortium", "the central bank", "a teachers' union", "the energy regulator",
]  # fmt: skip
PEOPLE = [
    "Amara Okafor", "Lena Kowalski", "Tomas Ferreira", "Yuki Tanabe", "Rafael Ortiz", "Ines Duarte",
    "Mikael Berg", "Sana Haddad", "Pavel Novak", "Chloe Martin", "Kofi Mensah", "Elif Demir",
]  # fmt: skip
TOPICS = [
    ("a new tram line", "passengers", "construction"), ("flood defences", "residents", "repairs"),
    ("a solar farm", "households", "installation"), ("the fishing quota", "crews", "inspections"),
    ("a hospital wing", "patients", "renovation"), ("school meals", "pupils", "deliveries"),
    ("a bridge closure", "commuters", "detours"), ("wildfire prevention", "volunteers", "patrols"),
    ("a data centre", "engineers", "cooling"), ("the harbour dredging", "shippers", "permits"),
]  # fmt: skip
TEMPLATES = [
    "{org} in {city} announced {topic} on {day}, saying {n} {group} would be affected.",
    "{person}, who leads {org}, said the plan for {topic} had been delayed by {n} weeks.",
    "Critics in {city} argued that {topic} would cost about {n} million euros more than promised.",
    "According to {person}, {group} in {city} had asked for {work} to start before winter.",
    "The decision on {topic} followed {n} public hearings held in {city} since {month}.",
    "{org} said {work} would continue through {month}, with {n} {group} taking part.",
    "Local reporters noted that {topic} had been debated in {city} for nearly {n} years.",
    "{person} told reporters on {day} that {work} was {pct} percent complete.",
    "Officials in {city} expect {n} more {group} to be affected once {work} begins.",
    "A spokesperson for {org} declined to say whether {topic} would be finished by {month}.",
]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "March", "April", "June", "August", "September", "October", "November"]


def article(i: int, *, version: int = 1, sentences: int = 12) -> tuple[str, str]:
    """(file name, text) of synthetic article ``i``; another ``version`` rewrites its body."""
    rng = random.Random(i * 7919 + version)
    city = rng.choice(CITIES)
    topic, group, work = rng.choice(TOPICS)
    title = f"Synthetic report {i:04d}: {topic} in {city}"
    lines = [title, "", "(Synthetic test article, generated; not real news.)", ""]
    body = []
    for _ in range(sentences):
        s = rng.choice(TEMPLATES).format(
            org=rng.choice(ORGS),
            city=city,
            topic=topic,
            group=group,
            work=work,
            person=rng.choice(PEOPLE),
            n=rng.randint(2, 950),
            pct=rng.randint(5, 95),
            day=rng.choice(DAYS),
            month=rng.choice(MONTHS),
        )
        body.append(s[0].upper() + s[1:])
    for k in range(0, len(body), 4):
        lines.append(" ".join(body[k : k + 4]))
        lines.append("")
    return f"synthetic-{i:04d}.txt", "\n".join(lines)


def write_corpus(folder: Path, n: int, *, version: int = 1, start: int = 0, sentences: int = 12) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        name, text = article(i, version=version, sentences=sentences)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
