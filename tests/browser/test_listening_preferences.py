"""The Preferences page's listening settings reach the player: sentence and word highlighting,
and speed."""

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


MARKS = "() => [...CSS.highlights.keys()].sort()"
WORD_SHOWN = "() => CSS.highlights.has('voiceref-word')"


@pytest.mark.parametrize(
    ("prefs", "outlined", "marks"),
    [
        ("", 1, ["voiceref-speaking", "voiceref-word"]),
        ("words=off", 1, ["voiceref-speaking"]),
        ("highlight=off", 0, ["voiceref-word"]),
        ("highlight=off&words=off", 0, []),
    ],
    ids=["both", "sentence-only", "word-only", "neither"],
)
def test_sentence_and_word_highlighting_follow_their_preferences(browsing, prefs, outlined, marks):
    page = browsing.page(prefs=prefs)
    start_and_step(page)
    if "voiceref-word" in marks:
        page.wait_for_function(WORD_SHOWN)
    else:
        page.wait_for_timeout(500)  # long enough for a word mark to appear, were it allowed
    page.evaluate("document.querySelector('audio').pause()")
    assert page.locator(".is-speaking").count() == outlined
    assert page.evaluate(MARKS) == marks


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
