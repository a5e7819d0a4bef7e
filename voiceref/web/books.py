"""Talking books: the current release's EPUB books, and the link the pages give to them.

Handlers read only what the release lists in `books/books.json` (see export/books.py), so a
book is always the book of the pages being shown. A book is served like the audio (files.py:
ranges, ETag, 304), or by nginx through X-Accel-Redirect when AUDIO_ACCEL is set.
Links carry the book's key (`?v=`), so the response to one may be cached for a year.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from werkzeug.exceptions import NotFound

from ..export.books import FOLDER, MEDIA_TYPE, BookFile, read_books
from ..speech.engines import LABELS
from . import files, services
from .audio import SHORT, YEAR, _accel, chosen_voice

bp = Blueprint("books", __name__)


@lru_cache(maxsize=8)
def _listed(release: str) -> tuple[BookFile, ...]:
    """Return the books of a published release (releases never change once published)."""
    return tuple(read_books(Path(release)))


def release_books() -> tuple[BookFile, ...]:
    """Return the books of the release this request reads."""
    release = services()
    return _listed(str(release.path)) if release.path is not None else ()


def talking_book(section: str | None = None) -> BookFile | None:
    """Return the book of the site (or a section) in the reader's voice, else in a voice that has one."""
    books = [book for book in release_books() if book.section == section]
    wanted = chosen_voice()
    return next((book for book in books if book.voice == wanted), books[0] if books else None)


def book_url(book: BookFile) -> str:
    return url_for("books.book_file", name=book.name, v=book.key[:20])


@bp.get("/books/<name>")
def book_file(name: str):
    book = next((b for b in release_books() if b.name == name), None)
    if book is None:
        error = NotFound(f"There is no talking book called “{name}”. The books are linked from the home page.")
        return render_template("error.html", error=error, code=404, crumbs=None), 404
    path = services().path / FOLDER / name
    current = request.args.get("v") == book.key[:20]
    if current_app.config.get("AUDIO_ACCEL"):
        response = _accel(path, MEDIA_TYPE, name)
        response.headers["Content-Disposition"] = f"attachment; filename={name}"
        response.cache_control.max_age = YEAR if current else SHORT
    else:
        response = files.send(
            path, mimetype=MEDIA_TYPE, as_attachment=True, download_name=name,
            max_age=YEAR if current else SHORT,
        )
    response.headers["Accept-Ranges"] = "bytes"
    response.cache_control.public = True
    if current:
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    """Register the route and give templates the book look-up."""
    app.register_blueprint(bp)
    app.jinja_env.globals.update(talking_book=talking_book, book_url=book_url, VOICE_LABELS=LABELS)
