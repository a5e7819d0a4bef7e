"""Forced colours keep every control and focus ring visible; with reduced motion
preferred, nothing animates or scrolls smoothly."""

from __future__ import annotations

import pytest

from .keyboard import KeyboardUser
from .pages import PAGES
from .probes import probe

pytestmark = pytest.mark.browser


def probe_every_page(page, check: str) -> dict:
    """Run one probe on every page; return what it found, by page name."""
    found = {}
    for name, path in PAGES.items():
        page.goto(path)
        if "audio" in name:
            page.wait_for_load_state("networkidle")
        result = probe(page, check)
        if result:
            found[name] = result
    return found


def test_forced_colours_keep_controls_and_focus_rings_visible(browsing):
    page = browsing.page(forced_colors="active")
    page.goto("/")
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    assert probe_every_page(page, "borderless") == {}

    # Every focus stop on the richest pages still shows its ring.
    for path in ["/glossary/myoclonus", "/preferences", "/search?q=spasticity"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        kb = KeyboardUser(page)
        for _ in range(40):
            focus = kb.press("Tab")
            if focus["body"]:
                break
            kb.check_visible(focus)


def test_reduced_motion_means_no_animation_and_no_smooth_scrolling(browsing):
    page = browsing.page(reduced_motion="reduce")
    assert probe_every_page(page, "motion") == {}


def test_reduced_motion_keeps_the_page_still_while_listening(browsing):
    page = browsing.page(width=800, height=400, reduced_motion="reduce")
    page.goto("/glossary/myoclonus")
    page.wait_for_load_state("networkidle")
    page.locator("[data-action=toggle]").click()
    page.wait_for_function("() => !document.querySelector('audio').paused")
    before = page.evaluate("window.scrollY")
    for _ in range(6):  # move the spoken sentence well below the fold
        page.locator("[data-action=forward]").click()
    page.wait_for_timeout(400)
    assert page.locator(".is-speaking").count() == 1
    assert page.evaluate("window.scrollY") == before
    page.evaluate("document.querySelector('audio').pause()")
