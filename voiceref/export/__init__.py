"""Export the built site to read elsewhere: EPUB 3 talking books with Media Overlays."""

from __future__ import annotations

import logging
from pathlib import Path

from .. import config
from ..content import load_site
from ..speech import load_lexicon
from .epub import BookReport, write_epub
from .model import Book, BookArticle, BookSection, ExportError, Timing, book_identifier
from .source import book_from_build

log = logging.getLogger(__name__)

__all__ = [
    "Book",
    "BookArticle",
    "BookReport",
    "BookSection",
    "ExportError",
    "Timing",
    "book_filename",
    "book_identifier",
    "export_book",
    "write_epub",
]


def book_filename(section: str | None, voice: str) -> str:
    """Return the usual file name of a book: voiceref-<section or all>-<voice>.epub."""
    return f"voiceref-{section or 'all'}-{voice}.epub"


def export_book(settings: dict, out: Path, section: str | None = None, voice: str = "clear") -> BookReport:
    """Write the book of the site (or one section) in `voice` from what the build published.

    Raises ExportError if audio is missing or stale, ContentError if the content is broken.
    """
    content_dir = Path(settings["CONTENT_DIR"])
    book = book_from_build(
        load_site(content_dir),
        Path(settings["AUDIO_DIR"]),
        load_lexicon(content_dir / "lexicon.yaml"),
        section=section,
        voice=voice,
        public_url=config.public_url(settings),
        engine_voice=str(settings["VOICE"]),
        rate=int(settings["SPEECH_RATE"]),
    )
    return write_epub(book, out)
