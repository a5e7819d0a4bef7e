"""What a talking book is made of: the small interface the EPUB exporter reads.

The exporter reads only these records. It never opens the content folder, an audio catalog
or a release; an adapter (source.py) fills them from whatever the build published.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..content import Heading
from ..errors import VoicerefError


class ExportError(VoicerefError):
    """A book cannot be made: audio missing or stale, or the page and its timings disagree."""


@dataclass(frozen=True)
class Timing:
    """One spoken sentence: when it is heard, and which words of the page it reads."""

    start: float  # seconds into the article's MP3
    end: float
    block: str | None  # id of the page element the words are in; None: a table row
    span: tuple[int, int] | None  # offsets into that element's own text; None: all of it
    text: str = ""  # the words as the page shows them

    @classmethod
    def from_json(cls, entry: dict) -> Timing:
        """Return the timing of one entry of a timings file's "sentences" list."""
        start, end = entry.get("from"), entry.get("to")
        return cls(
            start=float(entry["start"]),
            end=float(entry["end"]),
            block=entry.get("block"),
            span=(int(start), int(end)) if start is not None and end is not None else None,
            text=str(entry.get("text", "")),
        )


@dataclass(frozen=True)
class BookArticle:
    """One article as it goes into a book: its page, its sentence timings and its MP3."""

    section: str
    slug: str
    title: str
    # The article as the page shows it: the title (#article-title), "In short" (#in-short,
    # #summary), the body with its element ids, and what follows (related, sources, dates).
    html: str
    timings: tuple[Timing, ...]
    audio: Path  # the MP3 the timings point into
    duration: float  # seconds of MP3
    headings: tuple[Heading, ...] = ()  # body headings, for the table of contents
    updated: dt.date | None = None  # its newest date (reviewed, or dated news): the book's date
    audio_key: str = ""  # what identifies the audio (the cache key): unchanged means the same MP3

    @property
    def url(self) -> str:
        return f"/{self.section}/{self.slug}"


@dataclass(frozen=True)
class BookSection:
    """A section of the site and its articles, in reading order."""

    name: str
    title: str
    description: str
    articles: tuple[BookArticle, ...]


@dataclass(frozen=True)
class Book:
    """A whole book: what it is called, where it comes from, who reads it, what is in it."""

    title: str
    identifier: str  # urn:uuid:… (see book_identifier)
    public_url: str  # the site; links to pages that are not in the book go there
    modified: dt.datetime  # UTC; the newest date in the content, so rebuilds are identical
    voice: str  # the site's name for the voice, e.g. "clear"
    narrator: str  # what the voice is, e.g. "espeak-ng through pyttsx3 (a synthetic voice)"
    sections: tuple[BookSection, ...]
    language: str = "en"
    description: str = ""

    @property
    def articles(self) -> list[BookArticle]:
        return [article for section in self.sections for article in section.articles]


def book_identifier(public_url: str, section: str | None, voice: str) -> str:
    """Return a stable identifier: the same site, section and voice always give the same one."""
    name = "|".join([public_url.rstrip("/"), section or "all", voice])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"
