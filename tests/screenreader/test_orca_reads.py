"""Orca reads every page type as its HTML says it should.

Each test compares what Orca said (tests/screenreader/conftest.py reads each page once) with
what the served HTML contains, parsed with BeautifulSoup: never with a stored transcript.
"""

from __future__ import annotations

import re
import time
import urllib.request

import pytest

from . import expected, wording
from .conftest import ARTICLE

pytestmark = pytest.mark.screenreader

ADDRESS = re.compile(r"https?://|www\.|\.(?:html|xml|mp3|vtt)\b")
MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|&[a-zA-Z]+;|&#\d+;")
UNWANTED = ("clickable", "unlabelled", "unlabeled")


def spoken(utterances: list[str]) -> list[str]:
    """Utterances with their white space as speech has it (runs of spaces, no-break spaces)."""
    return [expected.squeeze(text) for text in utterances]


def test_page_summary_counts_landmarks_headings_and_links(reading):
    soup = reading.soup
    summaries = [counts for counts in map(wording.page_summary, spoken(reading.load)) if counts]
    assert summaries, f"no page summary on load: {reading.load}"
    assert summaries[0] == {
        "landmark": len(expected.landmarks(soup)),
        "heading": len(expected.headings(soup)),
        "form": expected.form_count(soup),
        "table": len(soup.find_all("table")),
        "link": expected.link_count(soup),
    }


def test_nothing_but_the_page_is_announced_on_load(reading):
    title = expected.title(reading.soup)
    page_itself = {expected.squeeze(text) for text in (
        wording.LOADING,
        wording.finished_loading(title),
        wording.document(title),
        wording.link(expected.first_link(reading.soup)),
    )}
    noise = [text for text in spoken(reading.load) if text not in page_itself and not wording.page_summary(text)]
    assert noise == [], f"announced on load, before the content: {noise}"


def test_h_visits_every_heading_in_order_with_its_level(reading):
    wanted = [wording.heading(h.text, h.level, h.link) for h in expected.headings(reading.soup)]
    # Orca says a one-letter heading ("C") apart from its role: one press may say two things.
    assert [" ".join(wording.content(spoken(stop))) for stop in reading.headings] == wanted


def test_landmark_key_reaches_every_landmark_by_its_label_in_order(reading):
    # Orca 43 names a landmark only by its label; without one it reads the landmark's first line.
    wanted = [mark.label or f"(a {mark.role} landmark without a label)" for mark in expected.landmarks(reading.soup)]
    assert [spoken(stop)[0] if stop else "(silence)" for stop in reading.landmarks] == wanted


def test_title_command_reads_the_page_title(reading):
    assert spoken(reading.title) == [expected.title(reading.soup) + wording.WINDOW_TITLE_SUFFIX]


def test_tab_announces_each_link_before_the_search_box_by_its_text(reading):
    # Ctrl+Home puts Orca, and the focus, on the first link; Tab goes on from there.
    wanted = [[wording.link(text)] for text in expected.links_before_search(reading.soup)[1:]]
    assert [wording.content(spoken(stop)) for stop in reading.tabs[:-1]] == wanted


def test_search_box_is_announced_as_a_combo_box_with_its_hint(reading):
    said = spoken(reading.tabs[-1])
    box = wording.combo_box(expected.search_label(reading.soup))
    assert box in said, f"the search box was announced as {said}"
    assert reading.search_hint, "the search box has no description"
    assert said[said.index(box) + 1] == reading.search_hint


def test_buttons_are_announced_by_the_names_shown(reading):
    said = [wording.content(spoken(stop))[0] for stop in reading.buttons if wording.content(stop)]
    position = 0
    for control in expected.buttons(reading.soup):
        assert control.shown and control.shown in control.name, f"{control}: the name must contain what is shown"
        announced = wording.button(control.name)
        assert announced in said[position:], f"{announced!r} not announced (in order) among {said}"
        position = said.index(announced, position) + 1


def test_no_utterance_is_an_address_a_decoration_an_empty_status_clickable_unlabelled_or_markup(reading):
    page_text = reading.soup.get_text()
    bad = [
        text for text in spoken(reading.everything())
        if ADDRESS.search(text) or MARKUP.search(text) or any(word in text.lower() for word in UNWANTED)
        or text == wording.EMPTY_STATUS_BAR
        # A lone symbol that is not in the page's text (the "/" of a shortcut is) is decoration
        # from the style sheet; Orca reads list bullets on their own everywhere.
        or (not re.search(r"\w", text) and text not in page_text and text != wording.LIST_MARKER)
    ]
    assert bad == []


def test_a_speed_change_is_announced_with_its_label(screen_reader, base_url):
    with urllib.request.urlopen(base_url + ARTICLE, timeout=10) as response:
        label = expected.speed_label(expected.parse(response.read().decode()))
    announcement = re.compile(rf"{re.escape(label)} \d+(?:\.\d+)?×")
    screen_reader.load(base_url + ARTICLE)
    screen_reader.walk_until("b", wording.button("Faster"))
    faster = spoken(screen_reader.press("Return"))
    screen_reader.walk_until("b", wording.button("Slower"))
    slower = spoken(screen_reader.press("Return"))  # back to the speed the other tests expect
    assert faster and all(announcement.fullmatch(text) for text in faster), faster
    assert slower and all(announcement.fullmatch(text) for text in slower), slower


def test_speech_goes_through_speech_dispatcher(screen_reader, base_url):
    with urllib.request.urlopen(base_url + "/", timeout=10) as response:
        title = expected.title(expected.parse(response.read().decode()))
    screen_reader.load(base_url + "/")
    spoken = screen_reader.desktop.spoken
    deadline = time.monotonic() + 10  # the file module writes once the server has handed it the text
    # On Debian 13 (Orca 48.1, speech-dispatcher 0.12) a line from an earlier page once held a
    # byte that is not UTF-8 (cause not found); this test is about the title, "–" and all.
    while not (spoken.exists() and title in spoken.read_text(encoding="utf-8", errors="replace")):
        assert time.monotonic() < deadline, f"speech-dispatcher was never asked to say {title!r}"
        time.sleep(0.05)
