"""Checks that a release is whole before it is published, and still whole before it is reused."""

from __future__ import annotations

import logging
import sqlite3
import struct
import zlib
from pathlib import Path

from markupsafe import escape
from whoosh import index as whoosh_index
from whoosh.filedb.filetables import FileFormatError
from whoosh.query import Every

from ..errors import ReleaseError
from ..search.index import open_index
from ..speech.catalog import read_catalog
from .articles import FILENAME, ArticleStore
from .documents import check_documents
from .layout import Manifest

log = logging.getLogger(__name__)

SEARCH = "search"
# What a damaged Whoosh index or SQLite file raises when it is read.
READ_ERRORS = (OSError, EOFError, ValueError, KeyError, struct.error, zlib.error, sqlite3.Error,
               whoosh_index.IndexError, FileFormatError, ReleaseError)


def check_index(folder: Path, expected: int | None = None) -> list[str]:
    """Open the index in `folder`, count it, and read every stored document once."""
    try:
        ix = open_index(folder)
        with ix.searcher() as searcher:
            count = searcher.doc_count()
            found = searcher.search(Every(), limit=None)
            read = sum(1 for hit in found if hit.get("key"))
    except READ_ERRORS as exc:
        return [f"the search index in {folder} cannot be read: {exc!r}"]
    problems = []
    if expected is not None and count != expected:
        problems.append(f"the search index has {count} documents, the manifest says {expected}")
    if read != count:
        problems.append(f"the search index answered {read} of its {count} documents")
    return problems


def check_audio(release: Path) -> list[str]:
    """Check that every catalog entry's files exist with the sizes it records."""
    try:
        catalog = read_catalog(release)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        return [f"the audio catalog of {release} cannot be read: {exc!r}"]
    entries = [entry for voice in catalog.values() for entry in voice.values()]
    return [problem for entry in entries for problem in entry.problems(release)]


def check_books(release: Path) -> list[str]:
    """Check that every talking book the release lists exists with its recorded size."""
    from ..export import read_books

    problems = []
    for book in read_books(release):
        path = release / "books" / book.name
        size = path.stat().st_size if path.is_file() else None
        if size != book.size:
            problems.append(f"{path} is {'missing' if size is None else f'{size} bytes'}, the list says {book.size}")
    return problems


def check_pages(release: Path) -> list[str]:
    """Render every article of the release through the web app; list the ones that fail."""
    from .. import create_app

    app = create_app({"TESTING": True, "RELEASE": release})
    store = ArticleStore(release / FILENAME)
    problems = []
    with app.test_client() as client:
        for article in store.articles:
            response = client.get(article.url)
            if response.status_code != 200 or str(escape(article.title)).encode() not in response.data:
                problems.append(f"{article.url} does not render (HTTP {response.status_code})")
    return problems


def check_release(release: Path, manifest: Manifest, render: bool = True) -> list[str]:
    """Return every problem with the staged release in `release` (nothing when it is whole)."""
    problems = []
    try:
        count = len(ArticleStore(release / FILENAME))
        if count != manifest.articles:
            problems.append(f"{FILENAME} has {count} articles, the manifest says {manifest.articles}")
    except READ_ERRORS as exc:
        return [f"{release / FILENAME} cannot be read: {exc!r}"]
    problems += check_index(release / SEARCH, manifest.indexed)
    problems += check_audio(release)
    problems += check_books(release)
    if manifest.public_url:  # a release built before its documents were kept renders them per request
        problems += check_documents(release, manifest.public_url)
    if render and not problems:
        problems += check_pages(release)
    return problems


def healthy(release: Path) -> bool:
    """Return True if a published release is still whole enough to build on (no page renders)."""
    try:
        manifest = Manifest.read(release)
    except ReleaseError as exc:
        log.warning("%s", exc)
        return False
    problems = check_release(release, manifest, render=False)
    for problem in problems:
        log.warning("release %s: %s", release.name, problem)
    return not problems
