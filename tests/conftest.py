"""Fixtures: an app over the small fixture corpus, with a real index in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from voiceref import create_app
from voiceref.content import load_site
from voiceref.release.build import build_release

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


def build_fixture_release(root: Path, audio: bool = False) -> Path:
    """Copy the fixture corpus under `root` and build a real release of it; return INDEX_DIR."""
    shutil.copytree(FIXTURES / "content", root / "content")
    settings = {"CONTENT_DIR": root / "content", "INDEX_DIR": root / "index", "AUDIO_DIR": root / "audio"}
    build_release(settings, audio=audio)
    return root / "index"


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> Path:
    """One release of the fixture corpus (articles and Whoosh index, no audio) for tests that only read."""
    return build_fixture_release(tmp_path_factory.mktemp("release"))


@pytest.fixture
def own_release(tmp_path: Path):
    """A release of the fixture corpus of this test's own, to rebuild: (settings, client)."""
    index = build_fixture_release(tmp_path)
    settings = {"CONTENT_DIR": tmp_path / "content", "INDEX_DIR": index, "AUDIO_DIR": tmp_path / "audio"}
    return settings, create_app({"TESTING": True, "INDEX_DIR": index}).test_client()


@pytest.fixture
def index_dir(built_index: Path) -> Path:
    """The read-only release of the fixture corpus (see built_index): never write under it."""
    return built_index


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
