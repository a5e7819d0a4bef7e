"""A release's books: written by one call, listed in books.json, reused when nothing changed."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from voiceref.export import read_books, write_books
from voiceref.release import layout
from voiceref.speech.catalog import CATALOG_FILE

from .conftest import PUBLIC, build

pytestmark = pytest.mark.speech  # the corpus is built with real pyttsx3 + espeak-ng

EVERY_BOOK = ["all", "glossary", "essays", "news", "people", "resources", "about"]


def names(books) -> list[str]:
    return [b.name for b in books]


def copy_release(release: Path, target: Path) -> Path:
    """Stage a copy of a release, as the build would stage the next one (files copied)."""
    shutil.copytree(release, target, ignore=shutil.ignore_patterns("books"))
    return target


def test_every_book_of_every_complete_voice_is_written_and_listed(corpus):
    release = layout.pointer(corpus / "index")
    books = write_books(release, PUBLIC)
    assert names(books) == [f"voiceref-{name}-clear.epub" for name in EVERY_BOOK]
    assert read_books(release) == books
    whole = books[0]
    assert whole.section is None and whole.voice == "clear" and whole.articles == 10
    assert sum(b.articles for b in books[1:]) == 10 and sum(b.duration for b in books[1:]) == whole.duration
    for book in books:
        path = release / "books" / book.name
        assert path.stat().st_size == book.size
        with zipfile.ZipFile(path) as archive:
            assert archive.namelist()[0] == "mimetype"


def test_unchanged_books_are_linked_from_the_previous_release_not_written_again(corpus, tmp_path):
    first = layout.pointer(corpus / "index")
    before = write_books(first, PUBLIC)
    second = copy_release(first, tmp_path / "next")
    after = write_books(second, PUBLIC, previous=first)
    assert after == before
    for book in after:
        assert (second / "books" / book.name).stat().st_ino == (first / "books" / book.name).stat().st_ino


def test_a_changed_article_rewrites_only_the_books_that_hold_it(corpus):
    first = layout.pointer(corpus / "index")
    before = {b.name: b for b in read_books(first)}  # the build wrote them
    page = corpus / "content" / "news" / "2017-ocrelizumab-approved.md"
    page.write_text(page.read_text().rstrip() + "\n\nIt was the first medicine licensed for primary progressive MS.\n")
    build(corpus)
    second = layout.pointer(corpus / "index")
    assert second != first
    after = {b.name: b for b in read_books(second)}
    changed = {name for name in after if after[name].key != before[name].key}
    assert changed == {"voiceref-all-clear.epub", "voiceref-news-clear.epub"}
    for name in after:
        same_file = (second / "books" / name).stat().st_ino == (first / "books" / name).stat().st_ino
        assert same_file == (name not in changed), name


def test_a_voice_that_does_not_cover_the_site_yet_gets_books_for_the_sections_it_does(corpus):
    release = layout.pointer(corpus / "index")
    path = release / CATALOG_FILE
    data = json.loads(path.read_text())
    data["voices"]["clear"] = {k: v for k, v in data["voices"]["clear"].items() if not k.startswith("glossary/")}
    path.write_text(json.dumps(data))
    books = write_books(release, PUBLIC)
    assert names(books) == [f"voiceref-{name}-clear.epub" for name in EVERY_BOOK[2:]]


def test_the_build_writes_the_books_and_a_release_without_audio_has_none(built_corpus, index_dir):
    assert names(read_books(layout.pointer(built_corpus / "index"))) == [
        f"voiceref-{name}-clear.epub" for name in EVERY_BOOK
    ]
    assert read_books(layout.pointer(index_dir)) == []


def test_books_written_again_never_change_a_file_another_release_shares(corpus, tmp_path):
    first = layout.pointer(corpus / "index")
    before = {b.name: (first / "books" / b.name).read_bytes() for b in read_books(first)}
    elsewhere = copy_release(first, tmp_path / "elsewhere")
    write_books(elsewhere, "https://elsewhere.example/")  # other books: the links in them differ
    second = copy_release(first, tmp_path / "second")
    write_books(second, PUBLIC, previous=first)  # every book a link to the first release's
    write_books(second, "https://elsewhere.example/", previous=elsewhere)  # now linked from the other
    assert {name: (first / "books" / name).read_bytes() for name in before} == before
    assert all((second / "books" / n).stat().st_ino == (elsewhere / "books" / n).stat().st_ino for n in before)
