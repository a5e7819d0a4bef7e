"""Feeds: RSS 2.0 with the podcast (iTunes) extension: all spoken articles, and per section.

Each item with audio also links its chapters (`<podcast:chapters>`, Podcasting 2.0), so a
podcast app can skip by heading even where it does not read the MP3's own ID3 chapters.

A release holds these feeds (and the sitemap and OpenSearch description) as built files, made
for the public URL and site name in its manifest (release/documents.py); `published()` sends
those bytes when they are what this request would render, and the views render otherwise.
"""

from __future__ import annotations

import datetime as dt

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from flask import Blueprint, current_app, request, url_for
from lxml import etree

from ..content import SECTIONS, Article
from ..release.documents import document_file
from ..speech.catalog import KINDS
from . import services
from .audio import audio_of, chosen_voice
from .hosts import public_url
from .preferences import DEFAULT

bp = Blueprint("feeds", __name__)

RSS = "application/rss+xml; charset=utf-8"
PODCAST_NAMESPACE = "https://podcastindex.org/namespace/1.0"


class PodcastIndex(BaseExtension):
    """The Podcasting 2.0 namespace on the feed."""

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NAMESPACE}


class PodcastIndexEntry(BaseEntryExtension):
    """`<podcast:chapters url type>` on an item."""

    def __init__(self):
        self._chapters: str | None = None

    def chapters(self, url: str) -> None:
        self._chapters = url

    def extend_rss(self, item):
        if self._chapters:
            element = etree.SubElement(item, f"{{{PODCAST_NAMESPACE}}}chapters")
            element.set("url", self._chapters)
            element.set("type", KINDS["podcast_chapters"].media_type)
        return item
SECTION = "any({}):section".format(", ".join(SECTIONS))


def published(media_type: str, voiced: bool = False):
    """Return the release's built copy of this request's document, if it is what would render.

    It is when the release was built for this server's public URL and site name and, for a
    feed (`voiced`: it lists audio in the reader's voice), the reader wants the default voice.
    """
    release = services()
    manifest = release.manifest
    if (
        release.path is None
        or manifest is None
        or manifest.public_url != public_url().origin
        or manifest.site_name != current_app.config["SITE_NAME"]
        or (voiced and chosen_voice() != DEFAULT.voice)
    ):
        return None
    try:
        body = document_file(release.path, request.path).read_bytes()
    except (KeyError, OSError):  # not a document a release keeps, or a release built before they were
        return None
    return body, 200, {"Content-Type": media_type}


def _when(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def _newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.date or a.reviewed, a.title), reverse=True)


def _feed(title: str, description: str, page: str, self_url: str, articles: list[Article]):
    """Return an RSS 2.0 feed of `articles`, each with its audio as an enclosure if built."""
    name = current_app.config["SITE_NAME"]
    feed = FeedGenerator()
    feed.load_extension("podcast")
    feed.register_extension("podcastindex", PodcastIndex, PodcastIndexEntry)
    feed.title(title)
    feed.link(href=self_url, rel="self")
    feed.link(href=page, rel="alternate")  # RSS <link> is the last link added
    feed.description(description)
    feed.language("en")
    feed.podcast.itunes_author(name)
    feed.podcast.itunes_summary(description)
    feed.podcast.itunes_category("Health & Fitness", "Medicine")
    feed.podcast.itunes_explicit("no")
    feed.podcast.itunes_type("episodic")
    # feedgen writes entries in reverse order of adding them: add oldest first.
    for article in reversed(_newest_first(articles)):
        link = url_for("pages.article", section=article.section, slug=article.slug, _external=True)
        entry = feed.add_entry()
        entry.guid(link, permalink=True)
        entry.title(article.title)
        entry.link(href=link)
        entry.description(article.summary)
        entry.pubDate(_when(article.date or article.reviewed))
        entry.podcast.itunes_summary(article.summary)
        info = audio_of(article)
        if info is not None:
            entry.enclosure(info.link("mp3", _external=True), str(info.size), KINDS["mp3"].media_type)
            entry.podcast.itunes_duration(max(1, round(info.duration)))
            entry.podcastindex.chapters(info.link("podcast_chapters", _external=True, v=info.version))
    return feed.rss_str(pretty=True), 200, {"Content-Type": RSS}


@bp.get("/feeds/podcast.xml")
def podcast():
    """Every article that has a spoken version, newest first."""
    built = published(RSS, voiced=True)
    if built is not None:
        return built
    name = current_app.config["SITE_NAME"]
    spoken = [a for a in services().site.articles if audio_of(a) is not None]
    return _feed(
        f"{name}: multiple sclerosis explained, to listen to",
        "Every article of the MS reference read aloud: glossary terms, explainers, news, "
        "people and resources.",
        url_for("pages.home", _external=True),
        url_for("feeds.podcast", _external=True),
        spoken,
    )


@bp.get("/feeds/news.xml")
def news():
    """The news section: every item, with its audio where it has been built."""
    return section_feed("news")


@bp.get(f"/feeds/<{SECTION}>.xml")
def section_feed(section: str):
    """One section's articles, with their audio where it has been built."""
    built = published(RSS, voiced=True)
    if built is not None:
        return built
    name = current_app.config["SITE_NAME"]
    info = SECTIONS[section]
    return _feed(
        f"{name} news" if section == "news" else f"{name}: {info.title}",
        info.description,
        url_for("pages.section", section=section, _external=True),
        url_for(
            "feeds.news" if section == "news" else "feeds.section_feed",
            _external=True,
            **({} if section == "news" else {"section": section}),
        ),
        services().site.in_section(section),
    )
