"""Screen-reader fixtures: Orca reading the served fixture corpus in Chromium.

One desktop (tests/screenreader/desktop.py) for the session. Each page is read once, in one
pass of keys, by the module-scoped `reading` fixture; the tests then compare that reading with
the page's served HTML.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup

from . import expected, wording
from .desktop import DesktopError, missing_tools, orca_version, running_desktop
from .listening import ScreenReader

CHROMIUM = os.environ.get("VOICEREF_CHROMIUM", "/usr/bin/chromium")

# name -> path on the fixture corpus (tests/fixtures/content): one page of each type.
PAGES: dict[str, str] = {
    "home": "/",
    "glossary A-Z": "/glossary/",
    "glossary letter": "/glossary/letter/m",
    "article with the player": "/glossary/myoclonus",
    "search results": "/search?q=spasticity",
    "preferences": "/preferences",
}
ARTICLE = PAGES["article with the player"]


@pytest.fixture(scope="session")
def screen_reader(base_url, playwright_driver) -> Iterator[ScreenReader]:
    """Orca (43.1 or 48.1) running with Chromium on a private desktop, for the whole session."""
    missing = missing_tools() + ([] if os.path.exists(CHROMIUM) else [CHROMIUM])
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: run scripts/install (it installs them from Debian)")
    version = orca_version()
    if version not in wording.ORCA_VERSIONS:
        known = ", ".join(f"{known} ({system})" for known, system in wording.ORCA_VERSIONS.items())
        pytest.fail(
            f"Orca {version} is installed, but these tests know what Orca {known} says. Check what the new "
            "one says and add it to tests/screenreader/wording.py (ORCA_VERSIONS and the phrases)."
        )
    wording.use(version)
    try:
        with running_desktop(CHROMIUM, base_url + "/") as desktop:
            browser = connect(playwright_driver, desktop.devtools_url)
            try:
                reader = ScreenReader(desktop, browser.contexts[0].pages[0])
                reader.settle(0, quiet=1.0, first=30)  # Chromium has shown its first page
                yield reader
            finally:
                browser.close()
    except DesktopError as error:
        pytest.fail(f"the screen-reader desktop did not start: {error}")


def connect(playwright_driver, devtools_url: str, attempts: int = 3):
    """Playwright connected to the desktop's Chromium over DevTools.

    The desktop waits for the first page to commit before handing out its DevTools URL, because a
    client attaching during that navigation can wait for ever (tests/screenreader/desktop.py,
    `_shows_page`). Should another such race remain, a second connection attaches at once (seen
    while the first one hung), so a stuck attempt is abandoned after 30 s and another is made.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(attempts - 1):
        try:
            return playwright_driver.chromium.connect_over_cdp(devtools_url, timeout=30_000)
        except PlaywrightTimeout:
            continue
    return playwright_driver.chromium.connect_over_cdp(devtools_url, timeout=30_000)


@dataclass
class Reading:
    """What Orca said on one page, command by command, beside the page's served HTML."""

    name: str
    soup: BeautifulSoup
    load: list[str]
    headings: list[list[str]]
    landmarks: list[list[str]]
    buttons: list[list[str]]
    title: list[str]
    tabs: list[list[str]]  # from the top of the page to the first search box
    search_hint: str
    lines: list[list[str]]  # the whole page, line by line (Down arrow)

    def everything(self) -> list[str]:
        """Every utterance heard on the page."""
        said = self.load + self.title
        for stops in (self.headings, self.landmarks, self.buttons, self.tabs, self.lines):
            said += [text for stop in stops for text in stop]
        return said


def read_page(reader: ScreenReader, base_url: str, name: str) -> Reading:
    """Load one page and read it with the keys a screen-reader user would use."""
    url = base_url + PAGES[name]
    with urllib.request.urlopen(url, timeout=10) as response:
        soup = expected.parse(response.read().decode())
    load = reader.load(url)
    headings = reader.walk("h")
    landmarks = reader.walk("m")
    buttons = reader.walk("b")
    title = reader.press("Insert+KP_Enter")
    tabs = reader.walk_until("Tab", "combo box", most=8)
    hint = reader.page.evaluate(
        """() => {
            const box = document.activeElement;
            const ids = (box.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
            return ids.map((id) => document.getElementById(id).textContent).join(' ');
        }"""
    )
    reader.press("Insert+a")  # back from focus mode (which the search box turned on) to browse mode
    lines = reader.walk_until("Down", wording.link(expected.last_link(soup)), most=200)
    reading = Reading(name, soup, load, headings, landmarks, buttons, title, tabs, expected.squeeze(hint), lines)
    if os.environ.get("VOICEREF_ORCA_TRANSCRIPT"):  # keep what Orca said, to read or compare
        with open(os.environ["VOICEREF_ORCA_TRANSCRIPT"], "a", encoding="utf-8") as transcript:
            fields = {key: value for key, value in vars(reading).items() if key != "soup"}
            transcript.write(json.dumps(fields, ensure_ascii=False) + "\n")
    return reading


@pytest.fixture(scope="module", params=list(PAGES))
def reading(request, screen_reader, base_url) -> Reading:
    """One page, read by Orca."""
    return read_page(screen_reader, base_url, request.param)
