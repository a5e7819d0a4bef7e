"""Care cards in Chromium: the level is in the heading and the note's accessible name, in
words, in every theme, in forced colours and at 320 px; axe finds nothing to fault in them."""

from __future__ import annotations

import pytest

from .pages import THEMES, WIDTHS
from .probes import accessibility_tree
from .test_axe import violations

pytestmark = pytest.mark.browser

PATH = "/essays/what-is-ms"  # the fixture essay with one card of each level
CARDS = [
    "Non-urgent advice: Speak to your MS nurse if:",
    "Urgent advice: Ask for an urgent GP appointment or call 111 if:",
    "Immediate action required: Call 999 if:",
]


def test_each_card_is_a_note_named_by_a_heading_that_says_its_level(browsing):
    page = browsing.page()
    page.goto(PATH)
    nodes = accessibility_tree(page)
    notes = [n.name for n in nodes if n.role == "note"]
    headings = [(n.level, n.name) for n in nodes if n.role == "heading"]
    assert notes == CARDS
    for name in CARDS:
        assert (3, name) in headings  # one level below "When to get help"
    assert headings.index((2, "When to get help")) < headings.index((3, CARDS[0]))
    # The words of the level are on screen, not only in the accessibility tree.
    shown = page.locator(".care-card .care-level").evaluate_all("els => els.map(e => e.innerText)")
    assert shown == ["Non-urgent advice:", "Urgent advice:", "Immediate action required:"]


@pytest.mark.parametrize("theme", THEMES)
def test_cards_pass_axe_and_keep_their_band_in_every_theme(browsing, theme):
    prefs, scheme = THEMES[theme]
    for width in WIDTHS:
        page = browsing.page(width=width, prefs=prefs, color_scheme=scheme)
        page.goto(PATH)
        assert violations(page) == []
        bands = page.locator(".care-card > h3").evaluate_all(
            "els => els.map(e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor])"
        )
        assert len(bands) == 3 and all(ink != band for ink, band in bands), bands
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{theme} at {width} px scrolls sideways by {overflow} px"


def test_cards_stay_outlined_and_worded_in_forced_colours(browsing):
    page = browsing.page(forced_colors="active")
    page.goto(PATH)
    cards = page.locator(".care-card").evaluate_all(
        """els => els.map(e => {
            const s = getComputedStyle(e);
            return [s.borderLeftStyle, parseFloat(s.borderLeftWidth), s.borderTopStyle, e.offsetHeight];
        })"""
    )
    assert len(cards) == 3
    for left_style, left_width, top_style, height in cards:
        assert left_style == "solid" and left_width >= 8 and top_style == "solid" and height > 0
    assert page.locator(".care-card .care-level").all_inner_texts()[2] == "Immediate action required:"
