"""What Orca 43.1 (Debian 12) says, in the forms these tests rely on.

Every phrase the tests expect from Orca itself (as opposed to the page's own text) is here, so
that a different Orca fails in one clear place: the session fixture compares `orca --version`
with ORCA_VERSION and stops with a message naming both before any page is read. The phrases come
from Orca 43.1's orca/messages.py, its speech generator and its Chromium script, and were checked
against what it said while reading the fixture corpus.
"""

from __future__ import annotations

import re

ORCA_VERSION = "43.1"

SCREEN_READER_ON = "Screen reader on."
LOADING = "Loading.  Please wait."
WRAPPED = "Wrapping to top."
EMPTY_STATUS_BAR = "statusbar."  # a role=status element with nothing in it, met while reading
LIST_MARKER = "•"  # Orca reads a bulleted item's marker on its own
# The browser's name after the page title in the window title, which Orca's title command reads.
WINDOW_TITLE_SUFFIX = " - Chromium"

_SUMMARY = re.compile(r"Page has (?P<items>.+)\.")
_COUNT = re.compile(r"(?P<count>\d+) (?P<kind>landmark|heading|form|table|visited link|unvisited link)s?")
_LOG_LINE = re.compile(r"SPEECH OUTPUT: '(?P<text>.*)'(?: voice=\w+)?", re.DOTALL)


def finished_loading(title: str) -> str:
    """What Orca says when a page has loaded."""
    return f"Finished loading {title}."


def document(title: str) -> str:
    """What Orca says when focus lands on a document."""
    return f"{title} document web."


def heading(text: str, level: int, link: bool = False) -> str:
    """What `h` says on a heading (Orca names a heading that is all link as a link too)."""
    return f"{text}{' link' if link else ''} heading level {level}."


def link(text: str) -> str:
    """What Orca says on a link."""
    return f"{text} link."


def button(name: str) -> str:
    """What Orca says on a button."""
    return f"{name} push button."


def combo_box(label: str) -> str:
    """What Orca says when focus enters an editable combo box."""
    return f"{label} editable combo box."


def utterance(log_message: str) -> str | None:
    """The spoken text of one line of Orca's speech log, or None for a line that is not speech."""
    match = _LOG_LINE.fullmatch(log_message)
    return match["text"] if match else None


def page_summary(text: str) -> dict[str, int] | None:
    """The counts in Orca's page summary ("Page has 8 landmarks, 3 headings, 26 unvisited links.")."""
    match = _SUMMARY.fullmatch(text)
    if not match:
        return None
    counts = {"landmark": 0, "heading": 0, "form": 0, "table": 0, "link": 0}
    for item in match["items"].split(", "):
        part = _COUNT.fullmatch(item)
        if not part:
            return None
        kind = "link" if part["kind"].endswith("link") else part["kind"]
        counts[kind] += int(part["count"])
    return counts
