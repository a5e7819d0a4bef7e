"""The rendered articles of a release, in one SQLite file the web app reads without loading it.

The build writes `articles.sqlite` once; the server opens it read-only and immutable (no
locks, no journal) and asks for one article or one list per request, so a worker's start-up
time and memory do not grow with the number of articles.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import weakref
from pathlib import Path

from ..content.model import SECTIONS, Article, Heading, Site, Source, by_letter

FILENAME = "articles.sqlite"

_SCHEMA = """
CREATE TABLE articles (
    section TEXT NOT NULL, slug TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL,
    sort_title TEXT NOT NULL, initial TEXT NOT NULL, path TEXT NOT NULL,
    reviewed TEXT NOT NULL, date TEXT, aliases TEXT NOT NULL, related TEXT NOT NULL,
    sources TEXT NOT NULL, headings TEXT NOT NULL, html TEXT NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (section, slug)
) WITHOUT ROWID;
CREATE UNIQUE INDEX articles_slug ON articles (slug);
CREATE INDEX articles_list ON articles (section, sort_title);
CREATE INDEX articles_reviewed ON articles (reviewed, title);
"""
_LIST = "section, slug, title, summary, path, reviewed, date, aliases, related, sources, '[]', '', ''"
_FULL = "section, slug, title, summary, path, reviewed, date, aliases, related, sources, headings, html, text"


def write_articles(path: Path, site: Site) -> None:
    """Write every article of `site` into a new SQLite file at `path`."""
    with sqlite3.connect(path) as db:
        db.executescript(_SCHEMA)
        db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    a.section, a.slug, a.title, a.summary, a.title.casefold(), a.initial, str(a.path),
                    a.reviewed.isoformat(), a.date.isoformat() if a.date else None,
                    json.dumps(a.aliases), json.dumps(a.related),
                    json.dumps([[s.title, s.url, s.checked.isoformat() if s.checked else None] for s in a.sources]),
                    json.dumps([[h.level, h.text, h.id] for h in a.headings]),
                    a.html, a.text,
                )
                for a in site.articles
            ),
        )
    db.close()


def _article(row: tuple) -> Article:
    section, slug, title, summary, path, reviewed, date, aliases, related, sources, headings, html, text = row
    return Article(
        section=section,
        slug=slug,
        title=title,
        summary=summary,
        path=Path(path),
        reviewed=dt.date.fromisoformat(reviewed),
        date=dt.date.fromisoformat(date) if date else None,
        aliases=json.loads(aliases),
        related=json.loads(related),
        sources=[
            Source(title=t, url=u, checked=dt.date.fromisoformat(c) if c else None) for t, u, c in json.loads(sources)
        ],
        headings=[Heading(level=level, text=t, id=i) for level, t, i in json.loads(headings)],
        html=html,
        text=text,
    )


class ArticleStore:
    """A release's articles, read on demand: the look-ups pages need, and no more.

    Lists hold metadata only (no HTML or text); `get` returns a whole article.
    """

    def __init__(self, path: Path):
        self.path = path
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        # One connection, shared under a lock: a query takes well under a millisecond, and with
        # gevent workers a connection per thread would mean one per request greenlet.
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        weakref.finalize(self, self._db.close)  # Python 3.13 warns about unclosed connections
        try:
            self._count = self._query("SELECT count(*) FROM articles")[0][0]  # also proves it opens
        except sqlite3.Error:
            self._db.close()
            raise

    def _query(self, sql: str, *args) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _list(self, where: str, *args, order: str = "sort_title") -> list[Article]:
        return [_article(r) for r in self._query(f"SELECT {_LIST} FROM articles {where} ORDER BY {order}", *args)]

    def get(self, section: str, slug: str) -> Article | None:
        rows = self._query(f"SELECT {_FULL} FROM articles WHERE section = ? AND slug = ?", section, slug)
        return _article(rows[0]) if rows else None

    def by_slug(self, slug: str) -> Article | None:
        rows = self._query(f"SELECT {_LIST} FROM articles WHERE slug = ?", slug)
        return _article(rows[0]) if rows else None

    @property
    def articles(self) -> list[Article]:
        """Every article's metadata, in section and title order."""
        return self._list("", order="section, sort_title")

    def in_section(self, section: str) -> list[Article]:
        """Articles of one section: newest first if dated, else by title."""
        if SECTIONS[section].dated:
            return self._list("WHERE section = ?", section, order="coalesce(date, reviewed) DESC, title DESC")
        return self._list("WHERE section = ?", section)

    def related(self, article: Article) -> list[Article]:
        found = (self.by_slug(slug) for slug in article.related)
        return [a for a in found if a is not None]

    def recently_updated(self, limit: int = 5) -> list[Article]:
        return self._list("", order=f"reviewed DESC, title DESC LIMIT {int(limit)}")

    def glossary_by_letter(self) -> dict[str, list[Article]]:
        return by_letter(self.in_section("glossary"))

    def __len__(self) -> int:
        return self._count


class EmptyStore(ArticleStore):
    """Stands in before any release is built: no articles, every look-up empty."""

    def __init__(self) -> None:
        self.path = None
        self._count = 0

    def _query(self, sql: str, *args) -> list[tuple]:
        return []
