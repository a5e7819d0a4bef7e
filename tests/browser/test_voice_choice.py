"""The reader's voice: chosen in /preferences (a cookie; the server picks the file, so it works
without JavaScript), by `?voice=` in a link, or in the player, which switches in place and
carries on from the same sentence. The fixture corpus is built in both real voices."""

from __future__ import annotations

import pytest

from .listening import ARTICLE, PAUSED, PLAYING, current_time, listen_into_the_article, open_player, pause, play

pytestmark = pytest.mark.browser


def served_voice(page, url: str) -> str:
    """The voice of the audio that `url` answers with (its timings file says)."""
    return page.request.get(url.replace("audio.mp3", "audio.json")).json()["voice"]


def test_the_voice_preference_works_without_javascript(browsing):
    page = browsing.page(java_script_enabled=False)
    page.goto(ARTICLE)
    assert served_voice(page, page.locator("audio").get_attribute("src")) == "natural"  # the default
    page.goto("/preferences")
    voice = page.get_by_role("group", name="Voice")
    assert voice.get_by_label("Natural", exact=True).is_checked()
    voice.get_by_label("Clear", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save preferences").click()
    assert page.get_by_role("group", name="Voice").get_by_label("Clear", exact=True).is_checked()

    page.goto(ARTICLE)
    src = page.locator("audio").get_attribute("src")
    assert "voice=clear" in src and "voice=clear" in page.locator("a[download]").get_attribute("href")
    assert page.get_by_role("group", name="Voice").get_by_label("Clear", exact=True).is_checked()
    mp3 = page.request.get(src)
    assert mp3.status == 200 and mp3.headers["content-type"] == "audio/mpeg"
    assert served_voice(page, src) == "clear"
    # A bare URL (a podcast app, a copied link) follows the cookie too.
    assert served_voice(page, f"{ARTICLE}/audio.json") == "clear"


def test_the_player_form_switches_voice_without_javascript(browsing):
    page = browsing.page(java_script_enabled=False)
    page.goto(ARTICLE)
    voice = page.get_by_role("group", name="Voice")
    voice.get_by_label("Clear", exact=True).check()
    with page.expect_navigation():
        voice.get_by_role("button", name="Use this voice").click()
    assert page.url.endswith(f"{ARTICLE}?voice=clear#listen-title")
    src = page.locator("audio").get_attribute("src")
    assert "voice=clear" in src and served_voice(page, src) == "clear"
    page.goto(ARTICLE)  # that page only: the preference still says natural
    assert "voice=natural" in page.locator("audio").get_attribute("src")


def test_the_player_switches_voice_in_place_and_remembers_it(browsing):
    page = open_player(browsing)
    assert page.get_by_role("radio", name="Natural").is_checked()
    play(page)
    for _ in range(4):
        page.locator("[data-action=forward]").click()
    sentence = page.evaluate("document.querySelector('.is-speaking').id")

    page.get_by_role("radio", name="Clear").check()
    page.wait_for_function("() => document.querySelector('audio').src.includes('voice=clear')")
    page.wait_for_function(PLAYING)
    page.wait_for_function(f"() => document.querySelector('.is-speaking')?.id === '{sentence}'")
    assert current_time(page) > 1  # that sentence in the clear voice's own timings, not the start
    assert served_voice(page, page.evaluate("document.querySelector('audio').src")) == "clear"
    assert "voice=clear" in page.locator("a[download]").get_attribute("href")
    assert page.locator("[data-voice-submit]").is_hidden()  # the radios act at once
    pause(page)

    page.reload()
    page.wait_for_load_state("networkidle")
    assert "voice=clear" in page.locator("audio").get_attribute("src")  # remembered
    assert page.get_by_role("radio", name="Clear").is_checked()

    # A new choice on the Preferences page wins over the one made in the player, which is
    # forgotten: going back to the natural voice there is not undone by it either.
    for voice in ("clear", "natural"):
        page.context.add_cookies([{"name": "voiceref_prefs", "value": f"voice={voice}", "url": browsing.base_url}])
        page.reload()
        page.wait_for_load_state("networkidle")
        assert f"voice={voice}" in page.locator("audio").get_attribute("src")


def test_a_link_that_names_a_voice_wins_over_the_one_remembered(browsing):
    page = open_player(browsing)
    page.get_by_role("radio", name="Clear").check()
    page.wait_for_function("() => document.querySelector('audio').src.includes('voice=clear')")
    page.goto(f"{ARTICLE}?voice=natural")
    page.wait_for_load_state("networkidle")
    assert "voice=natural" in page.locator("audio").get_attribute("src")
    assert page.get_by_role("radio", name="Natural").is_checked()


def test_switching_voice_while_paused_keeps_the_place_and_stays_paused(browsing):
    page = open_player(browsing)
    listen_into_the_article(page, sentences=3)
    sentence = page.evaluate("document.querySelector('.is-speaking').id")
    page.get_by_role("radio", name="Clear").check()
    page.wait_for_function("() => document.querySelector('audio').src.includes('voice=clear')")
    page.wait_for_function(f"() => document.querySelector('.is-speaking')?.id === '{sentence}'")
    assert page.evaluate(PAUSED)
    assert page.locator("[data-status]").inner_text() == ""  # nothing to report, no error


def test_resume_carries_over_to_the_other_voice_by_sentence(browsing):
    page = open_player(browsing)
    listen_into_the_article(page, sentences=6)
    spoken = page.evaluate("document.querySelector('.is-speaking').id")
    page.context.add_cookies([{"name": "voiceref_prefs", "value": "voice=clear", "url": browsing.base_url}])
    page.reload()
    page.wait_for_load_state("networkidle")
    page.locator("[data-action=resume]").click()
    page.wait_for_function(PLAYING)
    assert "voice=clear" in page.evaluate("document.querySelector('audio').src")
    assert page.evaluate("document.querySelector('.is-speaking').id") == spoken
    pause(page)
