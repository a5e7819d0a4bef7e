"""Browser fixtures: the served fixture corpus (tests/conftest.py) seen by Chromium.

One server and one Chromium for the whole session; each test opens its own context (cheap)
so cookies, viewport and emulated media never leak between tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from voiceref.web.preferences import COOKIE

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


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """One headless Debian Chromium for the session; Playwright never downloads a browser."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install (it installs Debian's chromium)")
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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
