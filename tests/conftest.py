"""Fixtures: an app over the small fixture corpus, with a real index in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from voiceref import create_app
from voiceref.content import load_site
from voiceref.search import build_index

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def audio_dir_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep any `voiceref build` a test runs from writing audio into the real AUDIO_DIR."""
    monkeypatch.setenv("VOICEREF_AUDIO_DIR", str(tmp_path / "audio"))


@pytest.fixture(autouse=True)
def public_url_is_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make absolute URLs as the test client's requests do (Host: localhost)."""
    monkeypatch.setenv("VOICEREF_PUBLIC_URL", "http://localhost")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture corpus."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", target)
    return target


@pytest.fixture
def site(content_dir: Path):
    return load_site(content_dir)


@pytest.fixture
def index_dir(tmp_path: Path, site) -> Path:
    """A real Whoosh index of the fixture corpus, built on disk."""
    target = tmp_path / "index"
    build_index(site.articles, target)
    return target


@pytest.fixture
def app(content_dir: Path, index_dir: Path, tmp_path: Path):
    return create_app(
        {
            "TESTING": True,
            "CONTENT_DIR": content_dir,
            "INDEX_DIR": index_dir,
            "AUDIO_DIR": tmp_path / "audio",
        }
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
