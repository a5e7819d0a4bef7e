"""Books of the fixture corpus, with real audio, pass EPUBCheck and DAISY Ace; broken ones do not."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from voiceref.export import current_book, write_epub

from .conftest import settings_for
from .validators import ace, epubcheck

pytestmark = pytest.mark.epub


@pytest.fixture(scope="module")
def books(built_corpus: Path, tmp_path_factory) -> dict[str, Path]:
    """The fixture site's release as one book, and its glossary as another."""
    out = tmp_path_factory.mktemp("books")
    made = {}
    for section in (None, "glossary"):
        book = current_book(settings_for(built_corpus), section, voice="clear")
        made[section or "all"] = write_epub(book, out / f"{section or 'all'}.epub").path
    return made


@pytest.mark.parametrize("name", ["all", "glossary"])
def test_epubcheck_finds_no_errors_and_no_warnings(books, name):
    found = epubcheck(books[name])
    assert found.summary.startswith("EPUBCheck 5.3.0:")
    assert found.clean, "\n".join([found.summary, *found.errors, *found.warnings])


def test_ace_finds_no_violations(books, tmp_path):
    found = ace(books["all"], tmp_path)
    assert found.summary.startswith("DAISY Ace 1.4.6:")
    assert found.clean, "\n".join([found.summary, *found.errors])


@pytest.fixture
def broken_book(books, tmp_path) -> Path:
    """The good book with one image added that has no text alternative and is not in the book."""
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(books["all"]) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "EPUB/text/glossary/myoclonus.xhtml":
                meta = b'<p class="article-meta">'
                data = data.replace(meta, b'<p><img src="scan.png" /></p>' + meta)
            target.writestr(info, data)
    return broken


def test_the_checkers_really_check_a_broken_book(broken_book, tmp_path):
    found = epubcheck(broken_book)
    assert [e.split(")")[0] for e in found.errors] == ["ERROR(RSC-007"], found.errors
    violations = ace(broken_book, tmp_path / "ace")
    assert len(violations.errors) == 1 and "image-alt" in violations.errors[0], violations.errors
