"""The content model: sections, articles and the site that holds them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Section:
    """One folder of content, with the words the site uses for it."""

    name: str
    title: str
    description: str
    dated: bool = False  # items carry a `date` and list newest first


SECTIONS: dict[str, Section] = {
    s.name: s
    for s in (
        Section("glossary", "Glossary", "An A to Z of the words used about MS, each explained plainly."),
        Section("essays", "Essays", "Longer explainers about living with MS and its treatment."),
        Section("news", "News", "Dated milestones: approvals, diagnostic criteria and landmark studies.", dated=True),
        Section("people", "People", "Public figures who have spoken openly about having MS."),
        Section("resources", "Resources", "Organisations, helplines and tools that can help."),
        Section("about", "About", "About this site, its accessibility, and how to contribute."),
    )
}

REVIEW_INTERVAL_YEARS = 3
DISCLAIMER = "This is general information, not medical advice."


@dataclass(frozen=True)
class Source:
    """A cited source: what it is called, where it is, and when we last checked it."""

    title: str
    url: str = ""
    checked: dt.date | None = None


@dataclass(frozen=True)
class Heading:
    """A body heading, with the id that section jumps link to."""

    level: int
    text: str
    id: str


@dataclass
class Article:
    """One article: its metadata from front matter and its rendered body."""

    section: str
    slug: str
    title: str
    summary: str
    path: Path
    reviewed: dt.date
    aliases: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    date: dt.date | None = None
    body: str = ""  # the Markdown source
    html: str = ""  # sanitised HTML of the body
    text: str = ""  # plain text of the body
    headings: list[Heading] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/{self.section}/{self.slug}"

    @property
    def key(self) -> tuple[str, str]:
        return (self.section, self.slug)

    @property
    def section_title(self) -> str:
        return SECTIONS[self.section].title

    @property
    def next_review(self) -> dt.date:
        return add_years(self.reviewed, REVIEW_INTERVAL_YEARS)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def reading_minutes(self) -> int:
        """Minutes to read the summary and body at a relaxed 200 words a minute."""
        words = self.word_count + len(self.summary.split())
        return max(1, round(words / 200))

    @property
    def initial(self) -> str:
        """The A–Z letter this article files under."""
        first = self.title[:1].upper()
        return first if "A" <= first <= "Z" else "#"


def add_years(day: dt.date, years: int) -> dt.date:
    """Return the same calendar day `years` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass
class Site:
    """Every article, loaded and rendered, with the look-ups the pages need."""

    articles: list[Article]

    def __post_init__(self) -> None:
        self._by_key = {a.key: a for a in self.articles}
        self._by_slug = {a.slug: a for a in self.articles}

    def get(self, section: str, slug: str) -> Article | None:
        return self._by_key.get((section, slug))

    def by_slug(self, slug: str) -> Article | None:
        return self._by_slug.get(slug)

    def in_section(self, section: str) -> list[Article]:
        """Articles of one section: newest first if dated, else by title."""
        items = [a for a in self.articles if a.section == section]
        if SECTIONS[section].dated:
            return sorted(items, key=lambda a: (a.date or a.reviewed, a.title), reverse=True)
        return sorted(items, key=lambda a: a.title.casefold())

    def related(self, article: Article) -> list[Article]:
        return [a for a in (self.by_slug(s) for s in article.related) if a is not None]

    def recently_updated(self, limit: int = 5) -> list[Article]:
        return sorted(self.articles, key=lambda a: (a.reviewed, a.title), reverse=True)[:limit]

    def glossary_by_letter(self) -> dict[str, list[Article]]:
        return by_letter(self.in_section("glossary"))

    def __len__(self) -> int:
        return len(self.articles)


def by_letter(entries: list[Article]) -> dict[str, list[Article]]:
    """Group entries (in title order) by initial, with every letter A–Z present."""
    letters: dict[str, list[Article]] = {chr(c): [] for c in range(ord("A"), ord("Z") + 1)}
    for article in entries:
        letters.setdefault(article.initial, []).append(article)
    return letters
