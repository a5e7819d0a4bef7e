"""Browser fixtures: the fixture corpus built with audio, served by gunicorn, seen by Chromium.

One server and one Chromium for the whole session; each test opens its own context (cheap)
so cookies, viewport and emulated media never leak between tests.
"""

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
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from voiceref.web.preferences import COOKIE

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "content"
# The `voiceref` command beside this interpreter (the venv's), else the one on PATH.
VOICEREF = shutil.which("voiceref", path=str(Path(sys.executable).parent)) or shutil.which("voiceref")
CHROMIUM = os.environ.get("VOICEREF_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Corpus:
    content: Path
    index: Path
    audio: Path


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Corpus:
    """The fixture corpus, built with `voiceref build`: the index and real spoken audio."""
    assert VOICEREF, "the voiceref command is not installed: run scripts/install"
    root = tmp_path_factory.mktemp("browser-site")
    built = Corpus(root / "content", root / "index", root / "audio")
    shutil.copytree(FIXTURES, built.content)
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
def browser():
    """One headless Debian Chromium for the session; Playwright never downloads a browser."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install (it installs Debian's chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Browsing:
    """Opens pages in fresh browser contexts and records what their consoles complain about."""

    browser: object
    base_url: str
    contexts: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def page(self, width: int = 1280, height: int = 800, prefs: str = "", **options):
        """A new page in a new context; `prefs` is a preferences cookie value."""
        context = self.browser.new_context(
            viewport={"width": width, "height": height}, base_url=self.base_url, **options
        )
        context.set_default_timeout(10_000)
        if prefs:
            context.add_cookies([{"name": COOKIE, "value": prefs, "url": self.base_url}])
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        return page

    def _console(self, page, message) -> None:
        if message.type != "error":
            return
        text = message.text
        # The 404 page itself is answered with status 404, which the console reports.
        if "status of 404" in text and message.location.get("url", "") == page.url:
            return
        self.errors.append(f"{page.url}: {text}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(browser, base_url) -> Iterator[Browsing]:
    """Open pages; at the end, fail on any console error (a CSP violation, a script error)."""
    session = Browsing(browser, base_url)
    yield session
    session.close()
    assert session.errors == [], "console errors:\n" + "\n".join(session.errors)
