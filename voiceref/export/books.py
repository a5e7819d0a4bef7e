"""A release's talking books: written into it by the build, listed for the site to link.

    <release>/books/voiceref-<all|section>-<voice>.epub   one book per voice: the site, each section
    <release>/books/books.json                               what they are (the web app reads this)

`write_books(release, public_url, previous)` is the one call the build makes, after the
release's articles and audio catalog are in place and before it is checked and switched to.
Each book's inputs (the pages, the audio keys, the exporter's own code) are hashed; a book
whose hash matches one in the previous release is hard-linked from it, not written again, so
a build that changed nothing else costs almost nothing here. A voice that does not cover a
book's articles yet (the natural voice while it is being made) gets no book until it does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from ..config import package_folder
from ..content import SECTIONS
from ..release.articles import FILENAME, ArticleStore
from ..speech.catalog import read_catalog
from ..speech.engines import VOICES
from .epub import size_label, write_epub
from .model import Book, ExportError
from .source import assemble_book, book_from_release

log = logging.getLogger(__name__)

FOLDER = "books"
LIST = "books.json"
MEDIA_TYPE = "application/epub+zip"


@dataclass(frozen=True)
class BookFile:
    """One book of a release: its file, what it holds and who reads it."""

    name: str  # file name in <release>/books, and the last part of its URL
    section: str | None  # None: the whole site
    voice: str
    size: int  # bytes
    duration: int  # ms of audio
    articles: int
    key: str  # hash of everything the book is made from

    @property
    def size_label(self) -> str:
        return size_label(self.size)


def book_filename(section: str | None, voice: str) -> str:
    """Return the file name of a book: voiceref-<section or all>-<voice>.epub."""
    return f"voiceref-{section or 'all'}-{voice}.epub"


@lru_cache(maxsize=1)
def _exporter_code() -> str:
    """Return a hash of the code and template that turn a release into a book."""
    here = Path(__file__).parent
    templates = package_folder("templates")
    files = sorted(here.glob("*.py")) + [templates / "_book_article.html", templates / "_article_end.html"]
    return hashlib.sha256(b"".join(path.read_bytes() for path in files if path.is_file())).hexdigest()


def book_key(book: Book) -> str:
    """Return a hash of everything that makes `book`'s bytes: same key, same file."""
    digest = hashlib.sha256(_exporter_code().encode())
    fields = {k: v for k, v in asdict(book).items() if k != "sections"}
    digest.update(json.dumps(fields, default=str, sort_keys=True).encode())
    for article in book.articles:
        audio = article.audio_key or f"{article.audio.stat().st_size}:{article.audio.stat().st_mtime_ns}"
        timings = [dataclasses.astuple(t) for t in article.timings]
        digest.update(json.dumps([article.url, article.html, audio, article.duration, timings]).encode())
    return digest.hexdigest()


def read_books(release: Path) -> list[BookFile]:
    """Return the books a release lists (none if it has no list)."""
    try:
        data = json.loads((release / FOLDER / LIST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    return [BookFile(**entry) for entry in data["books"]]


def _books(release: Path, public_url: str) -> list[tuple[str | None, Book]]:
    """Return every book the release can make: per voice, the whole site and each section."""
    site, catalog = ArticleStore(release / FILENAME), read_catalog(release)
    made = []
    for voice in [v for v in VOICES if v in catalog]:
        try:
            whole = book_from_release(release, site, catalog, voice=voice, public_url=public_url)
        except ExportError as error:
            log.info("no whole-site book in the %s voice yet: %s", voice, error)
            sections = []
            for name in SECTIONS:  # the sections that are complete still get their books
                try:
                    sections.append((name, book_from_release(
                        release, site, catalog, voice=voice, public_url=public_url, sections=[name])))
                except ExportError:
                    continue
            made += sections
            continue
        made.append((None, whole))
        made += [(s.name, assemble_book((s,), voice, public_url, whole=False)) for s in whole.sections]
    return made


def _link_or_write(book: Book, target: Path, reuse: Path | None) -> int:
    """Give `target` the book, hard-linked from `reuse` when that is the same book; return its size."""
    if reuse is not None:
        # Never write into an existing file: it may be a link to a published release's book.
        target.unlink(missing_ok=True)
        try:
            os.link(reuse, target)
        except OSError:
            shutil.copyfile(reuse, target)
        return target.stat().st_size
    return write_epub(book, target).size


def write_books(release: Path, public_url: str, previous: Path | None = None) -> list[BookFile]:
    """Write the talking books of the (staged) release in `release` and list them in books.json.

    `previous` is the release the build started from, whose unchanged books are reused.
    Raises ExportError if a page and its timings disagree, OSError if the disk is full.
    """
    folder = release / FOLDER
    folder.mkdir(exist_ok=True)
    before = {b.name: b for b in read_books(previous)} if previous is not None else {}
    listed = []
    for section, book in _books(release, public_url):
        name = book_filename(section, book.voice)
        key = book_key(book)
        old = before.get(name)
        reuse = previous / FOLDER / name if old is not None and old.key == key else None
        if reuse is not None and not reuse.is_file():
            reuse = None
        size = _link_or_write(book, folder / name, reuse)
        duration = sum(round(a.duration * 1000) for a in book.articles)
        listed.append(BookFile(name, section, book.voice, size, duration, len(book.articles), key))
        log.info("%s %s (%d bytes)", "kept" if reuse else "wrote", name, size)
    (folder / LIST).write_text(json.dumps({"format": 1, "books": [asdict(b) for b in listed]}, indent=1),
                               encoding="utf-8")
    return listed
