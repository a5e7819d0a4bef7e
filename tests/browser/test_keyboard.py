"""Keyboard journeys with Tab, Shift+Tab, Enter and Space only (and typing a search term),
with and without JavaScript; focus is visible at every stop and never falls to the page."""

from __future__ import annotations

import pytest

from .keyboard import KeyboardUser

pytestmark = pytest.mark.browser

AUDIO_PLAYING = "() => { const a = document.querySelector('audio'); return a && !a.paused; }"


def skip_to_main(kb: KeyboardUser) -> None:
    focus = kb.press("Tab")
    kb.check_visible(focus)
    assert focus["text"] == "Skip to main content", "the skip link is not the first stop"
    focus = kb.press("Enter")
    assert focus["tag"] == "main" and focus["id"] == "content", focus["description"]
    focus = kb.tab_to(lambda f: True)
    assert focus["inMain"], "the next stop after the skip link is not in main"


def search_and_open_result(kb: KeyboardUser) -> None:
    focus = kb.focus()
    assert focus["id"] == "search-q-home", "expected the home page's own search box"
    kb.type("myoclonus")
    kb.follow("Enter", url="**/search?q=myoclonus")
    kb.tab_to(r"^Myoclonus$")
    kb.follow("Enter", url="**/glossary/myoclonus")


def browse_a_to_z_and_change_a_preference(kb: KeyboardUser) -> None:
    page = kb.page
    kb.tab_to(r"^Glossary A–Z$", backwards=True)
    kb.follow("Enter", url="**/glossary/")
    kb.tab_to(r"^M$")
    kb.follow("Enter", url="**/glossary/letter/m")
    kb.tab_to(r"^MRI$")
    kb.follow("Enter", url="**/glossary/mri")
    assert page.locator("h1").inner_text() == "MRI"

    kb.tab_to(r"^Preferences$")
    kb.follow("Enter", url="**/preferences")
    focus = kb.tab_to(lambda f: f["id"] == "pref-shortcuts")
    assert page.locator("#pref-shortcuts").is_checked()
    kb.act("Space")
    assert not page.locator("#pref-shortcuts").is_checked()
    kb.tab_to(r"^Save preferences$")
    kb.follow("Enter", url="**/preferences?saved=1")
    assert page.locator("html").get_attribute("data-shortcuts") == "off"
    assert "Your preferences are saved" in page.locator(".notice[role=status]").inner_text()
    assert not page.locator("#pref-shortcuts").is_checked()
    assert focus  # every stop on the way was checked by tab_to


def test_keyboard_journey_with_javascript(browsing):
    page = browsing.page()
    kb = KeyboardUser(page)
    page.goto("/")
    skip_to_main(kb)
    search_and_open_result(kb)
    page.wait_for_load_state("networkidle")  # the player has loaded its sentence timings

    kb.tab_to(r"^Play$")
    focus = kb.act("Space")
    page.wait_for_function(AUDIO_PLAYING)
    assert focus["text"] == "Pause" or page.locator("[data-action=toggle]").inner_text() == "Pause"

    kb.tab_to(r"^Faster$")
    kb.act("Enter")
    assert page.evaluate("document.querySelector('audio').playbackRate") == 1.25
    assert "1.25×" in page.locator("[data-rate]").inner_text()

    focus = kb.tab_to(r"^Listen from here")
    section = focus["text"].split("(")[-1].rstrip(")")
    kb.act("Enter")
    page.wait_for_function(AUDIO_PLAYING)
    assert page.locator("[data-status]").inner_text() == f"Playing from: {section}"
    speaking = page.locator(".is-speaking")
    assert speaking.count() == 1

    # An "On this page" link moves focus to its section, not back to the page.
    kb.tab_to(r"^How it relates to MS$", backwards=True)
    focus = kb.act("Enter")
    assert focus["tag"] == "h2" and focus["id"] == "how-it-relates-to-ms", focus["description"]
    page.evaluate("document.querySelector('audio').pause()")

    browse_a_to_z_and_change_a_preference(kb)


def test_keyboard_journey_without_javascript(browsing):
    page = browsing.page(java_script_enabled=False)
    kb = KeyboardUser(page, scripts=False)
    page.goto("/")
    skip_to_main(kb)
    search_and_open_result(kb)

    # The browser's own audio controls: Space on the focused player starts it.
    kb.tab_to(lambda f: f["tag"] == "audio")
    kb.act("Space")
    page.wait_for_function(AUDIO_PLAYING)
    assert ".mp3" in page.locator("a[download]").first.get_attribute("href")

    # Without scripts the browser moves its focus starting point (not focus) to the
    # section: the next Tab continues from there.
    kb.tab_to(r"^How it relates to MS$")
    kb.press("Enter")
    assert page.url.endswith("#how-it-relates-to-ms")
    assert page.locator("#how-it-relates-to-ms").is_visible()
    focus = kb.press("Tab")
    kb.check_visible(focus)
    assert page.evaluate(
        "() => Boolean(document.getElementById('how-it-relates-to-ms')"
        ".compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)"
    ), f"Tab after the section link went to {focus['description']}, before the section"
    page.evaluate("document.querySelector('audio').pause()")

    browse_a_to_z_and_change_a_preference(kb)


def test_tab_order_reaches_every_control_on_the_preferences_page_and_back(browsing):
    """Shift+Tab retraces Tab exactly: no traps, nothing skipped."""
    page = browsing.page()
    page.goto("/preferences")
    kb = KeyboardUser(page)
    forwards = []
    while True:
        focus = kb.press("Tab")
        if focus["body"]:
            break  # past the last control, the browser leaves the page
        kb.check_visible(focus)
        forwards.append(focus["description"])
        assert len(forwards) < 150, "Tab never left the page: a keyboard trap"
    backwards = []
    for _ in forwards:
        focus = kb.press("Shift+Tab")
        backwards.append(focus["description"])
    # Radio groups are one stop each way (arrow keys move within them).
    assert backwards == list(reversed(forwards))
