"""Books from the current release: its pages and its audio, never re-synthesised."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from click.testing import CliRunner

from voiceref.cli import main
from voiceref.export import current_book
from voiceref.export.model import ExportError
from voiceref.release import layout
from voiceref.speech.catalog import CATALOG_FILE, read_catalog

from .conftest import PUBLIC, settings_for

pytestmark = pytest.mark.speech  # the corpus is built with real pyttsx3 + espeak-ng


def test_the_book_reads_the_releases_timings_and_audio(built_corpus):
    book = current_book(settings_for(built_corpus), voice="clear")
    release = layout.pointer(built_corpus / "index")
    entries = read_catalog(release)["clear"]
    assert len(book.articles) == len(entries) == 10
    for article in book.articles:
        entry = entries[f"{article.section}/{article.slug}"]
        assert article.audio == entry.files(release)["mp3"] and article.audio.is_relative_to(release)
        assert article.duration == entry.duration and len(article.timings) == entry.sentences
        assert article.audio_key == entry.key
    assert [s.name for s in book.sections] == ["glossary", "essays", "news", "people", "resources", "about"]
    assert book.modified.isoformat() == "2026-11-24T00:00:00+00:00" and book.public_url == PUBLIC


def test_a_section_book_has_its_own_title_and_identifier(built_corpus):
    settings = settings_for(built_corpus)
    whole, glossary = current_book(settings, voice="clear"), current_book(settings, "glossary", voice="clear")
    assert [s.name for s in glossary.sections] == ["glossary"] and glossary.title == "voiceref: Glossary"
    assert glossary.identifier != whole.identifier == current_book(settings, voice="clear").identifier


def test_a_voice_that_was_not_built_is_named(built_corpus):
    with pytest.raises(ExportError, match=r"10 articles have no audio in the natural voice yet: /glossary/clonaz"):
        current_book(settings_for(built_corpus), voice="natural")


def test_audio_files_that_do_not_match_the_catalog_are_refused(corpus):
    release = layout.pointer(corpus / "index")
    mp3 = read_catalog(release)["clear"]["glossary/mri"].files(release)["mp3"]
    mp3.write_bytes(mp3.read_bytes()[:1000])
    with pytest.raises(ExportError, match=r"1 article has audio files that do not match the catalog: /glossary/mri\."):
        current_book(settings_for(corpus), voice="clear")


def test_an_article_missing_from_the_catalog_is_named(corpus):
    release = layout.pointer(corpus / "index")
    path = release / CATALOG_FILE
    data = json.loads(path.read_text())
    del data["voices"]["clear"]["glossary/mri"]
    path.write_text(json.dumps(data))
    with pytest.raises(ExportError, match=r"1 article has no audio in the clear voice yet: /glossary/mri\. Run "):
        current_book(settings_for(corpus), voice="clear")
    assert [a.slug for a in current_book(settings_for(corpus), "essays", voice="clear").articles] == ["what-is-ms"]


def test_without_a_release_there_is_nothing_to_export(tmp_path):
    with pytest.raises(ExportError, match="no release .* run voiceref build"):
        current_book(settings_for(tmp_path))


def test_the_command_writes_a_book_and_says_what_is_in_it(built_corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["export", "epub", "--index", str(built_corpus / "index"), "--section", "glossary", "--voice", "clear",
            "--public-url", PUBLIC]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert re.fullmatch(r"Wrote voiceref-glossary-clear\.epub: 5 articles, \d+ sentences, [\d.]+ h of audio, "
                        r"\d+ kB, in [\d.]+ s\n", done.output)
    with zipfile.ZipFile(tmp_path / "voiceref-glossary-clear.epub") as archive:
        assert archive.namelist()[0] == "mimetype"


def test_the_command_explains_missing_audio_and_exits_1(built_corpus, tmp_path):
    out = tmp_path / "book.epub"
    done = CliRunner().invoke(main, ["export", "epub", "--index", str(built_corpus / "index"), "--out", str(out)])
    assert done.exit_code == 1
    assert "10 articles have no audio in the natural voice yet" in done.output and "voiceref build" in done.output
    assert not out.exists()


def test_an_unknown_section_is_refused(built_corpus):
    with pytest.raises(ExportError, match="no section “recipes”"):
        current_book(settings_for(built_corpus), "recipes", voice="clear")
