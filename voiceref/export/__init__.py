"""Export the built site to read elsewhere: EPUB 3 talking books with Media Overlays."""

from __future__ import annotations

from pathlib import Path

from .. import config
from ..release import layout
from ..release.articles import FILENAME, ArticleStore
from ..speech.catalog import read_catalog
from .books import BookFile, book_filename, read_books, write_books
from .epub import BookReport, write_epub
from .model import Book, BookArticle, BookSection, ExportError, Timing, book_identifier
from .source import book_from_release

__all__ = [
    "Book",
    "BookArticle",
    "BookFile",
    "BookReport",
    "BookSection",
    "ExportError",
    "Timing",
    "book_filename",
    "book_identifier",
    "export_book",
    "read_books",
    "write_books",
    "write_epub",
]


def current_book(settings: dict, section: str | None = None, voice: str = "natural") -> Book:
    """Return the book of the current release (or one section of it) read in `voice`."""
    index_dir = Path(settings["INDEX_DIR"])
    release = layout.pointer(index_dir)
    if release is None or not (release / FILENAME).is_file():
        raise ExportError(f"There is no release in {index_dir} to export: run voiceref build.")
    return book_from_release(
        release,
        ArticleStore(release / FILENAME),
        read_catalog(release),
        voice=voice,
        public_url=config.public_url(settings),
        sections=[section] if section else None,
    )


def export_book(settings: dict, out: Path, section: str | None = None, voice: str = "natural") -> BookReport:
    """Write the book of the current release (or one section) in `voice` to `out`.

    Nothing is synthesised. Raises ExportError if there is no release, or the voice's audio is
    missing or does not match its pages.
    """
    return write_epub(current_book(settings, section, voice), out)
