"""Fill a Book from a release: its articles (SQLite) and its audio catalog, in one voice.

Nothing is synthesised here, and nothing is read from the content folder or the audio store:
a release holds its pages and links its audio files, so a book made from it is the site as
that release serves it. An article without audio in the voice (the natural voice may still
be being made), or whose files do not match the catalog, stops the export with a message
that lists them and says to run `voiceref build`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..config import package_folder
from ..content import DISCLAIMER, SECTIONS, Article
from ..release.articles import ArticleStore
from ..speech.catalog import Catalog
from ..speech.engines import CLEAR, NATURAL
from ..web.templating import long_date
from .model import Book, BookArticle, BookSection, ExportError, Timing, book_identifier
from .xhtml import listening_time

NARRATORS = {
    NATURAL: "a synthetic voice (Piper, with the “joe” English model)",
    CLEAR: "a synthetic voice (espeak-ng, driven by pyttsx3)",
}
LISTED = 8  # articles named in a message before "and N more"


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(package_folder("templates"))), autoescape=select_autoescape(default=True)
    )
    env.filters["long_date"] = long_date
    env.globals["DISCLAIMER"] = DISCLAIMER
    return env


def article_html(article: Article, related: list[Article], duration: float, env: Environment | None = None) -> str:
    """Return the article as the book shows it (see templates/_book_article.html)."""
    template = (env or _templates()).get_template("_book_article.html")
    return template.render(article=article, related=related, listen=listening_time(round(duration * 1000)))


def _count(urls: list[str], one: str = "has", many: str = "have") -> str:
    return f"1 article {one}" if len(urls) == 1 else f"{len(urls)} articles {many}"


def _listed(urls: list[str]) -> str:
    more = f" and {len(urls) - LISTED} more" if len(urls) > LISTED else ""
    return ", ".join(urls[:LISTED]) + more


def book_from_release(
    release: Path,
    site: ArticleStore,
    catalog: Catalog,
    *,
    voice: str = NATURAL,
    public_url: str,
    sections: list[str] | None = None,
) -> Book:
    """Return the book of `sections` (default: all) of the release in `release`, read in `voice`.

    `site` and `catalog` are the release's articles and audio catalog. Raises ExportError naming
    the articles whose audio in `voice` is missing or damaged.
    """
    wanted = sections or list(SECTIONS)
    unknown = [name for name in wanted if name not in SECTIONS]
    if unknown:
        raise ExportError(f"There is no section “{unknown[0]}”; the sections are: {', '.join(SECTIONS)}.")
    entries = catalog.get(voice, {})
    env = _templates()
    missing, damaged, parts = [], [], []
    for name in wanted:
        articles = []
        for listed in site.in_section(name):
            entry = entries.get(f"{listed.section}/{listed.slug}")
            if entry is None:
                missing.append(listed.url)
                continue
            files = entry.files(release)
            try:
                timings = json.loads(files["timings"].read_text(encoding="utf-8"))
            except (OSError, ValueError):
                timings = {}
            if entry.problems(release) or timings.get("cache_key") != entry.key:
                damaged.append(listed.url)
                continue
            article = site.get(listed.section, listed.slug)
            assert article is not None  # listed a moment ago from the same read-only file
            articles.append(
                BookArticle(
                    section=article.section,
                    slug=article.slug,
                    title=article.title,
                    html=article_html(article, site.related(article), entry.duration, env),
                    timings=tuple(Timing.from_json(t) for t in timings["sentences"]),
                    audio=files["mp3"],
                    duration=entry.duration,
                    headings=tuple(article.headings),
                    updated=max(article.reviewed, article.date or article.reviewed),
                    audio_key=entry.key,
                )
            )
        if articles:
            parts.append(BookSection(name, SECTIONS[name].title, SECTIONS[name].description, tuple(articles)))
    problems = []
    if missing:
        problems.append(f"{_count(missing)} no audio in the {voice} voice yet: {_listed(missing)}.")
    if damaged:
        problems.append(f"{_count(damaged)} audio files that do not match the catalog: {_listed(damaged)}.")
    if problems:
        problems.append(f"Run voiceref build (release {release.name}), then export again.")
        raise ExportError(" ".join(problems))
    if not parts:
        raise ExportError(f"Release {release.name} has no articles in {', '.join(wanted)}.")
    return assemble_book(tuple(parts), voice, public_url, whole=sections is None)


def assemble_book(sections: tuple[BookSection, ...], voice: str, public_url: str, whole: bool) -> Book:
    """Return a book of `sections`: the whole site's when `whole`, else one section's."""
    single = None if whole else sections[0]
    dates = [a.updated for s in sections for a in s.articles if a.updated]
    return Book(
        title="voiceref" if single is None else f"voiceref: {single.title}",
        identifier=book_identifier(public_url, single.name if single else None, voice),
        public_url=public_url.rstrip("/") + "/",
        modified=dt.datetime.combine(max(dates, default=dt.date(2000, 1, 1)), dt.time(), tzinfo=dt.UTC),
        voice=voice,
        narrator=NARRATORS.get(voice, f"the voice “{voice}”"),
        sections=sections,
        description=(
            single.description
            if single
            else "A reference about multiple sclerosis (MS), read aloud: glossary, essays, news, people, "
            "resources and about."
        ),
    )
