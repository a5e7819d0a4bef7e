"""Listening over time: resume where you stopped ("Resume from 1:23", "Continue listening" on
the home page) and the sleep timer, which fades out and stops playback, said once, politely."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .listening import (
    ARTICLE,
    PAUSED,
    PLACES,
    PLAYING,
    current_time,
    listen_into_the_article,
    marked,
    open_player,
    pause,
    play,
    seek,
    timings,
)

pytestmark = pytest.mark.browser

RESUME = "[data-action=resume]"

# Every message the player's status line shows, in order (it is the polite live region).
RECORD_STATUS = """() => {
  window.statusMessages = [];
  const status = document.querySelector('[data-status]');
  new MutationObserver(() => window.statusMessages.push(status.textContent))
    .observe(status, {childList: true, characterData: true, subtree: true});
}"""

# The volume at every frame while the audio plays: a fade shows as values below 1.
RECORD_VOLUME = """() => {
  window.volumes = [];
  const audio = document.querySelector('audio');
  const step = () => { if (!audio.paused) window.volumes.push(audio.volume); requestAnimationFrame(step); };
  requestAnimationFrame(step);
}"""

# A test-only choice: option values are minutes, and 0.05 minutes is 3 seconds.
SHORT_TIMER = """() => document.querySelector('[data-sleep]').add(new Option('3 seconds (test)', '0.05'))"""


def clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def test_resume_is_offered_after_a_reload_and_continues_from_there(browsing):
    page = open_player(browsing)
    assert page.locator(RESUME).is_hidden()  # nothing to resume yet
    listen_into_the_article(page)

    page.reload()
    # The place is saved by the pause event and again as the page goes, both after the pause()
    # call returns; read it once the reloaded page shows its offer, which waits for the timings.
    expect(page.locator(RESUME)).to_be_visible()
    place = page.evaluate(f"() => JSON.parse(localStorage.getItem('{PLACES}'))[0]")
    assert place["url"] == ARTICLE and place["title"] == "Myoclonus" and place["time"] >= 5
    resume = page.get_by_role("button", name=f"Resume from {clock(place['time'])}")
    expect(resume).to_be_visible()
    resume.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(PLAYING)
    assert current_time(page) >= place["time"] - 0.05
    spoken = next(s for s in timings(page)["sentences"] if s["start"] == place["time"])
    assert marked(page, "voiceref-speaking") == spoken["text"]
    # The offer is gone, and focus went to Play/Pause beside it, not to the page.
    assert page.locator(RESUME).is_hidden()
    assert page.evaluate("document.activeElement.dataset.action") == "toggle"
    pause(page)


def test_the_home_page_offers_to_continue_listening(browsing):
    page = open_player(browsing)
    place = listen_into_the_article(page)
    duration = timings(page)["duration"]
    page.goto("/")
    section = page.get_by_role("region", name="Continue listening")
    link = section.get_by_role("link", name="Myoclonus")
    assert link.get_attribute("href") == f"{ARTICLE}#listen-title"
    assert f"Stopped at {clock(place)} of {clock(duration)}" in section.inner_text()
    with page.expect_navigation():
        link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(RESUME).is_visible()

    page.goto("/")
    page.get_by_role("button", name="Clear this list").click()
    assert page.evaluate("document.activeElement.textContent").startswith("The list is cleared")
    assert section.get_by_role("link").count() == 0
    page.reload()
    assert page.get_by_role("heading", name="Continue listening").count() == 0


def test_without_javascript_nothing_about_listening_is_shown_or_lost(browsing):
    page = browsing.page(java_script_enabled=False)
    page.goto("/")
    assert page.get_by_role("heading", name="Continue listening").count() == 0
    page.goto(ARTICLE)
    assert page.locator(RESUME).is_hidden()
    assert page.locator("audio[controls]").is_visible()


def test_a_finished_article_is_no_longer_offered(browsing):
    page = open_player(browsing)
    listen_into_the_article(page, sentences=3)
    seek(page, timings(page)["duration"] - 0.5)
    play(page)
    page.wait_for_function("() => document.querySelector('audio').ended", timeout=10_000)
    assert page.evaluate(f"() => localStorage.getItem('{PLACES}')") == "[]"
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator(RESUME).is_hidden()


def test_the_sleep_timer_fades_out_stops_playback_and_says_so_once(browsing):
    page = open_player(browsing)
    page.evaluate(SHORT_TIMER)
    page.evaluate(RECORD_STATUS)
    page.evaluate(RECORD_VOLUME)
    play(page)
    page.get_by_label("Sleep timer").select_option("0.05")
    assert page.locator("[data-sleep-left]").inner_text() == "Stops in less than a minute"
    page.wait_for_function(PAUSED, timeout=15_000)
    assert page.evaluate("window.statusMessages") == [
        "Sleep timer: listening stops in 3 seconds.",
        "Sleep timer: listening stopped.",
    ]
    assert min(page.evaluate("window.volumes")) < 0.5  # faded before it paused
    assert page.evaluate("document.querySelector('audio').volume") == 1  # and back for next time
    assert page.get_by_label("Sleep timer").input_value() == "off"
    assert page.locator("[data-sleep-left]").inner_text() == ""
    status = page.locator("[data-status]")
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") is None


def test_the_sleep_timer_can_stop_at_the_end_of_the_section(browsing):
    page = open_player(browsing)
    data = timings(page)
    chapter = next(c for c in data["chapters"] if c["title"] == "What it is")
    last = [s for s in data["sentences"] if chapter["start"] <= s["start"] < chapter["end"]][-1]
    play(page)
    seek(page, last["start"])
    page.get_by_label("Sleep timer").select_option("section")
    page.wait_for_function(PAUSED, timeout=15_000)
    assert last["end"] - 0.05 <= current_time(page) <= chapter["end"]
    assert page.locator("[data-status]").inner_text() == "Sleep timer: listening stopped."


def test_cancelling_the_sleep_timer_keeps_playing(browsing):
    page = open_player(browsing)
    page.evaluate(SHORT_TIMER)
    play(page)
    timer = page.get_by_label("Sleep timer")
    timer.select_option("10")
    assert page.locator("[data-status]").inner_text() == "Sleep timer: listening stops in 10 minutes."
    assert page.locator("[data-sleep-left]").inner_text() == "Stops in about 10 minutes"
    timer.select_option("0.05")
    timer.select_option("off")
    assert page.locator("[data-status]").inner_text() == "Sleep timer off."
    page.wait_for_timeout(4000)  # past the 3 seconds the cancelled timer had
    assert not page.evaluate(PAUSED)
    pause(page)
