"""Orca's speech, read as it happens: type a key, collect what Orca said about it.

Orca answers a key within 20–60 ms on this kind of machine; a key's utterances are those heard
from the key until Orca is idle (orca_logged.py writes when it starts and finishes handling each
key and event) and QUIET seconds pass with nothing more. Waiting for idle matters on a busy
machine: one answer can pause for a quarter of a second while Orca asks the browser for a line,
and a pause longer than QUIET would give the rest of the answer to the next key. Pages are opened
through the DevTools protocol (no typing in the address bar, which Orca would read too).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import wording
from .desktop import Desktop

QUIET = 0.25  # seconds of silence, with Orca idle, that end a key's answer
BUSY_LIMIT = 10.0  # Orca busy with one event for longer is taken as idle (a finish it never wrote)
LOAD_QUIET = 1.0  # after a page load: live regions and late announcements come within this
FIRST_WORD = 5.0  # how long a key may take to get any answer at all
MOST_PRESSES = 60  # a walk that has not wrapped by then is lost


@dataclass
class SpeechLog:
    """The utterances Orca has logged so far, read incrementally from its JSON-lines file."""

    path: Path
    heard: list[str] = field(default_factory=list)
    offset: int = 0
    last_time: float = 0.0  # when the last utterance was read
    busy_since: float | None = None  # when Orca last became busy, if it has not finished since

    def poll(self) -> int:
        """Read any new complete lines; return how many utterances have been heard in all."""
        if self.path.exists():
            with open(self.path, "rb") as log:
                log.seek(self.offset)
                chunk = log.read()
            complete = chunk[: chunk.rfind(b"\n") + 1]
            self.offset += len(complete)
            for line in complete.splitlines():
                record = json.loads(line)
                if "orca" in record:
                    self.busy_since = time.monotonic() if record["orca"] == "busy" else None
                    continue
                text = wording.utterance(record["message"])
                if text is not None:
                    self.heard.append(text)
                    self.last_time = time.monotonic()
        return len(self.heard)

    def busy(self) -> bool:
        """Whether Orca is handling a key or an event (for less than BUSY_LIMIT so far)."""
        return self.busy_since is not None and time.monotonic() - self.busy_since < BUSY_LIMIT


class ScreenReader:
    """Orca reading Chromium on the private desktop; `page` is the Playwright page it shows."""

    def __init__(self, desktop: Desktop, page) -> None:
        self.desktop = desktop
        self.page = page
        self.log = SpeechLog(desktop.speech_log)

    def settle(self, start: int, quiet: float = QUIET, first: float = FIRST_WORD, idle: bool = True) -> list[str]:
        """The utterances since `start`, once Orca has said something, is idle (if asked) and has fallen quiet."""
        began = time.monotonic()
        while self.log.poll() == start and time.monotonic() - began < first:
            time.sleep(0.01)
        while (idle and self.log.busy()) or time.monotonic() - max(self.log.last_time, began) < quiet:
            time.sleep(0.01)
            self.log.poll()
        return self.log.heard[start:]

    def press(self, *keys: str) -> list[str]:
        """Type keys; return what Orca said in answer (silence would mean the page lost the focus)."""
        start = self.log.poll()
        self.desktop.key(*keys)
        said = self.settle(start)
        assert said, f"Orca said nothing after {keys}: the page must have the keyboard focus"
        return said

    def load(self, url: str) -> list[str]:
        """Open a page; return what Orca said while it loaded, live regions included."""
        start = self.log.poll()
        self.page.goto(url, wait_until="load")
        fits = self.page.evaluate("document.body.getBoundingClientRect().bottom <= window.innerHeight")
        assert fits, f"{url} is taller than the window: make SCREEN in desktop.py taller, or lines read vary"
        deadline = time.monotonic() + 10
        while not any(text.startswith("Finished loading") for text in self.log.heard[start:]):
            assert time.monotonic() < deadline, f"Orca never said the page loaded: {self.log.heard[start:]}"
            time.sleep(0.02)
            self.log.poll()
        # Quiet only, as before the idle wait: on Debian 12 Orca sometimes keeps handling the
        # page's events for over a second after the load and then reads the focus moving to the
        # player's sleep timer (2 runs in ~10; not yet explained). That reading is left to the
        # next key (ctrl+Home, which waits for idle and is not compared).
        return self.settle(start, LOAD_QUIET, idle=False)

    def walk(self, key: str) -> list[list[str]]:
        """From the top of the page, press a structural-navigation key until Orca wraps to the top.

        Returns what each press said, in order, up to (not including) the press that wrapped.
        """
        self.press("ctrl+Home")
        stops = []
        for _ in range(MOST_PRESSES):
            said = self.press(key)
            if wording.WRAPPED in said:
                return stops
            stops.append(said)
        raise AssertionError(f"`{key}` never wrapped to the top after {MOST_PRESSES} presses: {stops}")

    def walk_until(self, key: str, phrase: str, most: int = 20) -> list[list[str]]:
        """From the top of the page, press a key until Orca says `phrase`; return what each press said."""
        self.press("ctrl+Home")
        presses = []
        for _ in range(most):
            presses.append(self.press(key))
            if any(phrase in text for text in presses[-1]):
                return presses
        raise AssertionError(f"{key} never reached {phrase!r} in {most} presses: {presses}")
