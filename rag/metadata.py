"""An article's metadata from the YAML front matter at the top of its file.

::

    ---
    title: Talks resume in the capital
    source: Example Wire
    published: 2019-11-19T08:30:00+02:00
    url: https://news.example.org/talks-resume
    author: A. Writer
    ---
    The article text ...

Every field is optional. Without front matter nothing is guessed: the fields are None
and the title comes from the text as before. A field that cannot be read (a date that is
not ISO 8601, a list where text belongs, YAML that does not parse) is left out and named
in ``FrontMatter.problems``; the article itself is never lost. The stored text is the body
after the front matter, so citation offsets index what ``GET /api/documents/{id}`` returns.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from rag.types import DocMeta

_HANDLER = YAMLHandler()
# Each field and the other names front matter commonly gives it (static-site generators
# write ``date``); the first name present is read.
FIELD_NAMES = {
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher"),
    "published": ("published", "date"),
    "url": ("url", "link"),
    "author": ("author", "byline"),
}


class _Loader(yaml.SafeLoader):
    """YAML's safe loader that leaves dates as written: its own date constructor raises on
    an impossible date (2019-13-45), which would lose every field; ``parse_published``
    reads the text instead and names the one field."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_TEXT_FIELDS = ("title", "source", "url", "author")
_TEXT_MAX = 500
_URL_OK = re.compile(r"(?i)^https?://\S+$")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The body (the text after the front matter) and what the front matter says."""

    body: str
    title: str | None = None
    meta: DocMeta = field(default_factory=DocMeta)
    problems: tuple[str, ...] = ()


def read_front_matter(text: str) -> FrontMatter:
    """Split ``text`` into front matter and body; read the fields it can."""
    if not _HANDLER.detect(text):
        return FrontMatter(body=text)
    try:
        raw, body = _HANDLER.split(text)
    except ValueError:  # an opening '---' with no closing one: a rule, not front matter
        return FrontMatter(body=text)
    body = body.lstrip("\n")
    try:
        data = _HANDLER.load(raw, Loader=_Loader)
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        return FrontMatter(body=body, problems=(f"YAML does not parse{where}; no field was read",))
    if data is None:
        return FrontMatter(body=body)
    if not isinstance(data, dict):
        return FrontMatter(body=body, problems=("not a mapping of field: value; no field was read",))
    problems: list[str] = []
    given = {field: _first(data, names) for field, names in FIELD_NAMES.items()}
    values = {name: _text_field(*given[name], problems) for name in _TEXT_FIELDS}
    published = None
    if given["published"][1] is not None:
        try:
            published = parse_published(given["published"][1])
        except ValueError as exc:
            problems.append(f"{given['published'][0]}: {exc}")
    url = values["url"]
    if url is not None and not _URL_OK.match(url):
        problems.append(f"{given['url'][0]}: {url[:80]!r} is not an http(s) address")
        url = None
    meta = DocMeta(source=values["source"], published=published, url=url, author=values["author"])
    return FrontMatter(body=body, title=values["title"], meta=meta, problems=tuple(problems))


def _first(data: dict[Any, Any], names: tuple[str, ...]) -> tuple[str, Any]:
    """(name, value) of the first of ``names`` that ``data`` gives a value; (first name, None) if none."""
    return next(((n, data[n]) for n in names if data.get(n) is not None), (names[0], None))


def _text_field(name: str, value: Any, problems: list[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"{name}: expected text, got {type(value).__name__} {str(value)[:60]!r}")
        return None
    value = " ".join(value.split())
    if len(value) > _TEXT_MAX:
        problems.append(f"{name}: longer than {_TEXT_MAX} characters")
        return None
    return value or None


def parse_published(value: Any) -> str:
    """``value`` as an ISO 8601 date (``2019-11-19``) or date-time (``2019-11-19T08:30:00``,
    with its zone when it has one); ValueError saying why not."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 date, got {type(value).__name__} {str(value)[:60]!r}")
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
        return dt.datetime.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"{text[:60]!r} is not an ISO 8601 date or date-time (e.g. 2019-11-19)") from None


def published_time(published: str | None) -> float | None:
    """Seconds since the epoch of a ``published`` value, for ordering: a date counts as its
    midnight and a date-time without a zone as UTC (off by a few hours at most: enough to put
    stories of different days in order)."""
    if not published:
        return None
    try:
        moment = dt.datetime.fromisoformat(published)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def oldest_first(published: str | None, doc_id: str) -> tuple[bool, float, str]:
    """Sort key: earliest published first, undated after every dated one, then by id."""
    when = published_time(published)
    return (when is None, when or 0.0, doc_id)


def newest_first(published: str | None, doc_id: str) -> tuple[bool, float, str]:
    """Sort key: latest published first, undated after every dated one, then by id."""
    when = published_time(published)
    return (when is None, -(when or 0.0), doc_id)
