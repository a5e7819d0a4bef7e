"""The Preferences page's listening settings reach the player: highlighting and speed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def start_and_step(page) -> None:
    page.goto("/glossary/myoclonus")
    page.wait_for_load_state("networkidle")
    page.locator("[data-action=toggle]").click()
    page.wait_for_function("() => !document.querySelector('audio').paused")
    page.locator("[data-action=forward]").click()
    page.wait_for_timeout(300)


def test_highlighting_follows_the_preference(browsing):
    on = browsing.page()
    start_and_step(on)
    assert on.locator(".is-speaking").count() == 1
    on.evaluate("document.querySelector('audio').pause()")

    off = browsing.page(prefs="highlight=off")
    start_and_step(off)
    assert off.locator(".is-speaking").count() == 0
    assert off.evaluate("CSS.highlights.size") == 0
    off.evaluate("document.querySelector('audio').pause()")


def test_a_new_default_speed_wins_over_a_speed_chosen_earlier(browsing):
    page = browsing.page()
    page.goto("/glossary/myoclonus")
    page.wait_for_load_state("networkidle")
    page.locator("[data-action=faster]").click()
    assert page.evaluate("document.querySelector('audio').playbackRate") == 1.25
    page.reload()
    assert page.evaluate("document.querySelector('audio').playbackRate") == 1.25  # remembered

    cookie = {"name": "voiceref_prefs", "value": "speed=2", "url": browsing.base_url}
    page.context.add_cookies([cookie])
    page.reload()
    assert page.evaluate("document.querySelector('audio').playbackRate") == 2
