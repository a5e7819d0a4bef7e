"""Fixtures for the talking-book tests: scripted books (no synthesis) and a built corpus."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from voiceref.content import SECTIONS, load_site
from voiceref.export.model import Book, BookArticle, BookSection, Timing, book_identifier
from voiceref.export.source import article_html
from voiceref.speech import load_lexicon, speech_script

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "content"
VOICEREF = shutil.which("voiceref", path=str(Path(sys.executable).parent)) or shutil.which("voiceref")
PUBLIC = "https://voiceref.example/"


def scripted_article(article, site, lexicon, audio: Path) -> BookArticle:
    """Return a BookArticle whose timings come from the real speech script, one second a sentence."""
    script = speech_script(article, lexicon)
    timings = tuple(
        Timing(float(n), n + 0.8, s.block, None if s.start is None else (s.start, s.end), s.source or s.text)
        for n, s in enumerate(script.sentences)
    )
    duration = len(timings) + 0.5
    return BookArticle(
        article.section, article.slug, article.title, article_html(article, site.related(article), duration),
        timings, audio, duration, tuple(article.headings),
    )


@pytest.fixture
def scripted_book(tmp_path: Path) -> Book:
    """The fixture corpus as a book, timed by its speech scripts, with a stand-in MP3 per article.

    The writer never decodes audio, so the stand-in bytes are enough for the structure tests;
    the validation tests use real audio.
    """
    site = load_site(FIXTURES)
    lexicon = load_lexicon(FIXTURES / "lexicon.yaml")
    sections = []
    for name, section in SECTIONS.items():
        articles = []
        for article in site.in_section(name):
            audio = tmp_path / "audio" / f"{article.slug}.mp3"
            audio.parent.mkdir(exist_ok=True)
            audio.write_bytes(b"\xff\xf3" + article.slug.encode() * 50)
            articles.append(scripted_article(article, site, lexicon, audio))
        sections.append(BookSection(name, section.title, section.description, tuple(articles)))
    return Book(
        title="voiceref", identifier=book_identifier(PUBLIC, None, "clear"), public_url=PUBLIC,
        modified=dt.datetime(2026, 11, 24, tzinfo=dt.UTC), voice="clear", narrator="a synthetic voice",
        sections=tuple(sections),
    )


def build(root: Path) -> None:
    """Run `voiceref build` on root/content into root/index (releases) and root/audio (the store)."""
    assert VOICEREF, "the voiceref command is not installed: run scripts/install"
    command = [VOICEREF, "build", "--content", str(root / "content"), "--index", str(root / "index"),
               "--audio", str(root / "audio"), "--voice", "clear", "--jobs", "2"]
    env = {**os.environ, "VOICEREF_PUBLIC_URL": PUBLIC}  # the build writes the books with it
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, f"voiceref build failed:\n{done.stdout}\n{done.stderr}"


def settings_for(root: Path) -> dict:
    return {"INDEX_DIR": root / "index", "PUBLIC_URL": PUBLIC, "HOST": "127.0.0.1", "PORT": 5000}


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory) -> Path:
    """The fixture corpus built by `voiceref build` in the clear voice: a release with real audio."""
    root = tmp_path_factory.mktemp("book-site")
    shutil.copytree(FIXTURES, root / "content")
    build(root)
    return root


@pytest.fixture
def corpus(built_corpus: Path, tmp_path: Path) -> Path:
    """A writable copy of the built corpus (files copied, not linked, so changes stay here)."""
    for part in ("content", "index", "audio"):
        shutil.copytree(built_corpus / part, tmp_path / part, symlinks=True)
    return tmp_path
