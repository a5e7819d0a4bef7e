"""Books from what the build published: never re-synthesised, and refused when audio is missing or stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

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
    with pytest.raises(ExportError, match=r"1 article has no audio yet: /glossary/mri\. Run voiceref build"):
        book(corpus)
    assert [a.slug for a in book(corpus, section="essays").articles] == ["what-is-ms"]


def test_audio_made_from_an_older_version_of_an_article_is_refused(corpus):
    page = corpus / "content" / "glossary" / "spasticity.md"
    page.write_text(page.read_text().replace("## What it is", "## What it is\n\nA new first sentence."))
    with pytest.raises(ExportError, match=r"1 article changed since their audio was made: /glossary/spasticity\."):
        book(corpus)


def test_an_unknown_section_is_refused(corpus):
    with pytest.raises(ExportError, match="no section “recipes”"):
        book(corpus, section="recipes")
