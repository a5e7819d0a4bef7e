"""Fill a Book from what the build published: the loaded site and the audio catalog.

Nothing is synthesised here. An article without audio, or whose audio was made from
another version of it (the catalog's source key differs), stops the export with a message
that lists them and says to run `voiceref build`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import config
from ..content import DISCLAIMER, SECTIONS, Article, Site
from ..errors import SpeechError
from ..speech.build import read_catalog, read_timings, source_key
from ..speech.engines import CLEAR, NATURAL
from ..speech.lexicon import Lexicon
from ..speech.service import AudioLibrary
from ..speech.synth import check_engine
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
        loader=FileSystemLoader(str(config.ROOT / "templates")), autoescape=select_autoescape(default=True)
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


def book_from_build(
    site: Site,
    audio_dir: Path,
    lexicon: Lexicon,
    *,
    section: str | None = None,
    voice: str = CLEAR,
    public_url: str,
    engine_voice: str = "",
    rate: int = 175,
) -> Book:
    """Return the book of the site, or of one section, with the audio in `audio_dir`.

    Raises ExportError naming the articles whose audio is missing or stale.
    """
    if section is not None and section not in SECTIONS:
        raise ExportError(f"There is no section “{section}”; the sections are: {', '.join(SECTIONS)}.")
    catalog = read_catalog(audio_dir)
    library = AudioLibrary(audio_dir, catalog)
    try:
        engine = check_engine().version
    except SpeechError:
        engine = None  # cannot tell stale audio by its key; the page check still catches text changes
    env = _templates()
    missing, stale, sections = [], [], []
    for name in [section] if section else list(SECTIONS):
        articles = []
        for article in site.in_section(name):
            info = library.info(article.section, article.slug)
            timings = read_timings(info.files["mp3"].parent, info.key) if info else None
            entry = catalog.get("articles", {}).get(f"{article.section}/{article.slug}", {})
            if timings is None or timings.get("voice") != voice:
                missing.append(article.url)
                continue
            if engine is not None and entry.get("source") != source_key(article, lexicon, engine_voice, rate, engine):
                stale.append(article.url)
                continue
            articles.append(
                BookArticle(
                    section=article.section,
                    slug=article.slug,
                    title=article.title,
                    html=article_html(article, site.related(article), timings["duration"], env),
                    timings=tuple(Timing.from_json(t) for t in timings["sentences"]),
                    audio=info.files["mp3"],
                    duration=float(timings["duration"]),
                    headings=tuple(article.headings),
                )
            )
        if articles:
            sections.append(BookSection(name, SECTIONS[name].title, SECTIONS[name].description, tuple(articles)))
    problems = []
    if missing:
        problems.append(f"{_count(missing)} no audio in the {voice} voice yet: {_listed(missing)}.")
    if stale:
        problems.append(f"{_count(stale, 'changed', 'changed')} since their audio was made: {_listed(stale)}.")
    if problems:
        problems.append(f"Run voiceref build to make the audio in {audio_dir}, then export again.")
        raise ExportError(" ".join(problems))
    dates = [a.date or a.reviewed for s in sections for a in (site.get(s.name, b.slug) for b in s.articles) if a]
    newest = max(dates, default=dt.date(2000, 1, 1))
    title = "voiceref" if section is None else f"voiceref: {SECTIONS[section].title}"
    return Book(
        title=title,
        identifier=book_identifier(public_url, section, voice),
        public_url=public_url.rstrip("/") + "/",
        modified=dt.datetime.combine(newest, dt.time(), tzinfo=dt.UTC),
        voice=voice,
        narrator=NARRATORS.get(voice, f"the voice “{voice}”"),
        sections=tuple(sections),
        description=(
            SECTIONS[section].description
            if section
            else "A reference about multiple sclerosis (MS), read aloud: glossary, essays, news, people, "
            "resources and about."
        ),
    )

