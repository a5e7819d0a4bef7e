"""Fixtures: an app over the small fixture corpus, with a real index in tmp_path; and that corpus
built by `voiceref build` and served by gunicorn, shared by the browser and screen-reader suites."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from voiceref import create_app
from voiceref.content import load_site
from voiceref.release.build import build_release

FIXTURES = Path(__file__).parent / "fixtures"
# The `voiceref` command beside this interpreter (the venv's), else the one on PATH.
VOICEREF = shutil.which("voiceref", path=str(Path(sys.executable).parent)) or shutil.which("voiceref")


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Corpus:
    content: Path
    index: Path
    audio: Path

    def settings(self, public_url: str, **extra: str) -> dict[str, str]:
        """Return the VOICEREF_* environment that serves this build at `public_url`."""
        return {
            "VOICEREF_CONTENT_DIR": str(self.content),
            "VOICEREF_INDEX_DIR": str(self.index),
            "VOICEREF_AUDIO_DIR": str(self.audio),
            "VOICEREF_PUBLIC_URL": public_url,
            **{f"VOICEREF_{name}": value for name, value in extra.items()},
        }


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Corpus:
    """The fixture corpus, built with `voiceref build`: the index and real spoken audio."""
    assert VOICEREF, "the voiceref command is not installed: run scripts/install"
    root = tmp_path_factory.mktemp("browser-site")
    built = Corpus(root / "content", root / "index", root / "audio")
    shutil.copytree(FIXTURES / "content", built.content)
    command = [VOICEREF, "build", "--content", str(built.content), "--index", str(built.index),
               "--audio", str(built.audio), "--jobs", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"voiceref build failed:\n{done.stdout}\n{done.stderr}"
    return built


@pytest.fixture(scope="session")
def base_url(corpus: Corpus, tmp_path_factory) -> Iterator[str]:
    """A real gunicorn server (`voiceref serve`) on 127.0.0.1 serving the built corpus."""
    port = _free_port()
    env = {
        **os.environ,
        "VOICEREF_CONTENT_DIR": str(corpus.content),
        "VOICEREF_INDEX_DIR": str(corpus.index),
        "VOICEREF_AUDIO_DIR": str(corpus.audio),
        "VOICEREF_HOST": "127.0.0.1",
    }
    log_path = tmp_path_factory.mktemp("server") / "serve.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [VOICEREF, "serve", "--port", str(port), "--workers", "2"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError):
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the server did not start:\n" + log_path.read_text(errors="replace"))
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright's driver, one per session: its sync API cannot run twice in one thread."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver
