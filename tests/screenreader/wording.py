"""What Orca 43.1 (Debian 12) and Orca 48.1 (Debian 13) say, in the forms these tests rely on.

Every phrase the tests expect from Orca itself (as opposed to the page's own text) is here, so
that another Orca fails in one clear place: the session fixture compares `orca --version` with
ORCA_VERSIONS, stops with a message naming both before any page is read, and calls `use()` with
the version. The phrases come from each version's orca/messages.py, speech generator and
Chromium script, and were checked against what it said while reading the fixture corpus.

Where the two differ: Orca 48 says "button" where 43 said "push button", drops "level" (and the
full stop) from a heading, repeats a combo box's label after its role, and announces the
containers it enters and leaves ("main content Main content", "List with 3 items", "leaving
region.") before the object itself; `content()` drops those.
"""

from __future__ import annotations

import re

ORCA_VERSIONS = {"43.1": "Debian 12", "48.1": "Debian 13"}
_orca = "43.1"  # set by use()

SCREEN_READER_ON = "Screen reader on."
LOADING = "Loading.  Please wait."
WRAPPED = "Wrapping to top."
EMPTY_STATUS_BAR = "statusbar."  # a role=status element with nothing in it, met while reading
LIST_MARKER = "•"  # Orca reads a bulleted item's marker on its own
# The browser's name after the page title in the window title, which Orca's title command reads.
WINDOW_TITLE_SUFFIX = " - Chromium"

_SUMMARY = re.compile(r"Page has (?P<items>.+)\.")
_COUNT = re.compile(r"(?P<count>\d+) (?P<kind>landmark|heading|form|table|visited link|unvisited link)s?")
# Orca 43 ends a line with " voice=uppercase" or nothing; Orca 48 with the voice as a dict.
_LOG_LINE = re.compile(r"SPEECH OUTPUT: '(?P<text>.*)'(?: voice=\w+| \{.*\})?", re.DOTALL)


# Orca 48's announcements of a container met on the way to an object: a landmark's role alone or
# with its label, a group ("panel"), a list, or leaving one of them.
_CONTEXT_48 = re.compile(
    r"leaving [\w ]+\.|List with \d+ items?|.+ panel"
    r"|(?:banner|search|navigation|main content|information|landmark|complementary|form)(?: [A-Z].*)?"
)


def use(version: str) -> None:
    """Expect the phrases of this Orca version (one of ORCA_VERSIONS)."""
    global _orca
    if version not in ORCA_VERSIONS:
        raise ValueError(f"no wording known for Orca {version}")
    _orca = version


def content(utterances: list[str]) -> list[str]:
    """The utterances about the object itself, without the containers announced on the way."""
    if _orca == "43.1":
        return utterances
    return [text for text in utterances if not _CONTEXT_48.fullmatch(text)]


def finished_loading(title: str) -> str:
    """What Orca says when a page has loaded."""
    return f"Finished loading {title}."


def document(title: str) -> str:
    """What Orca says when focus lands on a document."""
    return f"{title} document web."


def heading(text: str, level: int, link: bool = False) -> str:
    """What `h` says on a heading (Orca names a heading that is all link as a link too)."""
    if _orca == "43.1":
        return f"{text}{' link' if link else ''} heading level {level}."
    return f"{text} link heading {level}." if link else f"{text} heading {level}"


def link(text: str) -> str:
    """What Orca says on a link."""
    return f"{text} link."


def button(name: str) -> str:
    """What Orca says on a button."""
    return f"{name} push button." if _orca == "43.1" else f"{name} button."


def combo_box(label: str) -> str:
    """What Orca says when focus enters an editable combo box."""
    return f"{label} editable combo box." if _orca == "43.1" else f"{label} editable combo box {label}."


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
