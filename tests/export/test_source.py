"""Books from what the build published: never re-synthesised, and refused when audio is missing or stale."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from voiceref.cli import main
from voiceref.content import load_site
from voiceref.export.model import ExportError
from voiceref.export.source import book_from_build
from voiceref.speech import load_lexicon
from voiceref.speech.build import CATALOG

from .conftest import PUBLIC

pytestmark = pytest.mark.speech  # the corpus is built with real pyttsx3 + espeak-ng


@pytest.fixture
def corpus(built_corpus: Path, tmp_path: Path) -> Path:
    """A writable copy of the built fixture corpus."""
    shutil.copytree(built_corpus / "content", tmp_path / "content")
    shutil.copytree(built_corpus / "audio", tmp_path / "audio")
    return tmp_path


def book(corpus: Path, **options):
    content = corpus / "content"
    return book_from_build(load_site(content), corpus / "audio", load_lexicon(content / "lexicon.yaml"),
                           public_url=PUBLIC, **options)


def test_the_book_reads_the_published_timings_and_audio(corpus):
    made = book(corpus)
    catalog = json.loads((corpus / "audio" / CATALOG).read_text())
    assert len(made.articles) == len(catalog["articles"]) == 10
    for article in made.articles:
        entry = catalog["articles"][f"{article.section}/{article.slug}"]
        assert article.audio.is_file() and article.audio.stat().st_size == entry["size"]
        assert article.duration == entry["duration"] and len(article.timings) == entry["sentences"]
        assert article.audio.name.startswith(entry["key"][:20])
    assert [s.name for s in made.sections] == ["glossary", "essays", "news", "people", "resources", "about"]
    assert made.modified.isoformat() == "2026-11-24T00:00:00+00:00"


def test_a_section_book_has_its_own_title_and_identifier(corpus):
    whole, glossary = book(corpus), book(corpus, section="glossary")
    assert [s.name for s in glossary.sections] == ["glossary"] and glossary.title == "voiceref: Glossary"
    assert glossary.identifier != whole.identifier == book(corpus).identifier


def test_an_article_without_audio_is_named_with_what_to_do(corpus):
    catalog_path = corpus / "audio" / CATALOG
    catalog = json.loads(catalog_path.read_text())
    del catalog["articles"]["glossary/mri"]
    catalog_path.write_text(json.dumps(catalog))
    missing = r"1 article has no audio in the clear voice yet: /glossary/mri\. Run voiceref build"
    with pytest.raises(ExportError, match=missing):
        book(corpus)
    assert [a.slug for a in book(corpus, section="essays").articles] == ["what-is-ms"]


def test_a_voice_that_was_not_built_is_named(corpus):
    with pytest.raises(ExportError, match=r"10 articles have no audio in the natural voice yet: /glossary/clonaz"):
        book(corpus, voice="natural")


def test_audio_made_from_an_older_version_of_an_article_is_refused(corpus):
    page = corpus / "content" / "glossary" / "spasticity.md"
    page.write_text(page.read_text().replace("## What it is", "## What it is\n\nA new first sentence."))
    with pytest.raises(ExportError, match=r"1 article changed since their audio was made: /glossary/spasticity\."):
        book(corpus)


def test_an_unknown_section_is_refused(corpus):
    with pytest.raises(ExportError, match="no section “recipes”"):
        book(corpus, section="recipes")


def test_the_command_writes_a_book_and_says_what_is_in_it(corpus, monkeypatch):
    monkeypatch.chdir(corpus)
    args = ["export", "epub", "--content", str(corpus / "content"), "--audio", str(corpus / "audio"),
            "--section", "glossary", "--public-url", PUBLIC]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert re.fullmatch(r"Wrote voiceref-glossary-clear\.epub: 5 articles, \d+ sentences, [\d.]+ h of audio, "
                        r"\d+ kB, in [\d.]+ s\n", done.output)
    with zipfile.ZipFile(corpus / "voiceref-glossary-clear.epub") as archive:
        assert archive.namelist()[0] == "mimetype"


def test_the_command_explains_missing_audio_and_exits_1(corpus, tmp_path):
    args = ["export", "epub", "--content", str(corpus / "content"), "--audio", str(tmp_path / "nothing"),
            "--out", str(tmp_path / "book.epub")]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 1
    assert "10 articles have no audio in the clear voice yet" in done.output and "voiceref build" in done.output
    assert not (tmp_path / "book.epub").exists()
