"""The player's new controls for everyone: a keyboard journey through them, the shortcuts (and
their off switch), accessible names that contain the visible labels, 44 px targets, reflow at
320 px, and axe in every theme, all in the state a listener sees (resume offered, playing,
marks on, a sleep timer set)."""

from __future__ import annotations

import pytest

from .keyboard import KeyboardUser
from .listening import ARTICLE, PAUSED, PLACES, current_time, marked, open_player, pause, play, timings
from .pages import LARGEST, THEMES, WIDTHS
from .probes import label_in_name_problems, probe
from .test_axe import violations
from .test_layout import reflow_problems

pytestmark = pytest.mark.browser

SAVED = f"""() => localStorage.setItem('{PLACES}', JSON.stringify([{{
  url: '{ARTICLE}', title: 'Myoclonus', section: 'glossary', time: 15.1, sentence: 6,
  voice: document.querySelector('[data-player]').dataset.voice, duration: 42, saved: Date.now()
}}]))"""
RATE = "document.querySelector('audio').playbackRate"
STATUS = "[data-status]"


def with_a_place_to_resume(browsing, **options):
    """The article's page after an earlier visit that stopped part-way."""
    page = open_player(browsing, **options)
    page.evaluate(SAVED)
    page.reload()
    page.wait_for_load_state("networkidle")
    page.locator("[data-action=resume]").wait_for()
    return page


def listening(page) -> None:
    """Put the player in the state a listener sees: playing (then paused), marks and timer on."""
    page.locator("[data-action=resume]").click()
    page.wait_for_function("() => CSS.highlights.has('voiceref-word')")
    page.get_by_label("Sleep timer").select_option("5")
    pause(page)
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")


def test_keyboard_journey_through_the_new_player_controls(browsing):
    page = with_a_place_to_resume(browsing)
    kb = KeyboardUser(page)
    kb.tab_to(r"^Resume from 0:1\d$")
    for label in (r"^Play$", r"^Back", r"^Forward", r"^Slower$", r"^Faster$"):
        kb.tab_to(label)  # checks a visible focus ring at every stop on the way
    focus = kb.press("Tab")
    kb.check_visible(focus)
    assert focus["id"] == "player-sleep-timer"
    page.keyboard.press("ArrowDown")  # a closed select takes the next choice
    assert page.locator(STATUS).inner_text() == "Sleep timer: listening stops in 5 minutes."
    focus = kb.press("Tab")  # the voice radios are one stop, on the checked one
    kb.check_visible(focus)
    assert focus["id"] == f"player-voice-{page.locator('[data-player]').get_attribute('data-voice')}"
    focus = kb.press("Tab")
    assert focus["text"].startswith("Download MP3"), focus["description"]

    focus = kb.tab_to(r"^Resume from", backwards=True)
    minutes, seconds = focus["text"].split()[-1].split(":")
    kb.act("Enter")
    page.wait_for_function("() => !document.querySelector('audio').paused")
    assert current_time(page) >= int(minutes) * 60 + int(seconds)
    focus = kb.focus()  # the offer went away; focus moved beside it, not to the page
    kb.check_visible(focus)
    assert focus["text"] == "Pause"
    pause(page)


def test_shortcuts_move_by_sentence_and_section_and_change_the_speed(browsing):
    page = open_player(browsing)
    texts = [s["text"] for s in timings(page)["sentences"]]
    play(page)
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("]")
    assert page.locator(STATUS).inner_text() == "Playing from: What it is"
    assert marked(page, "voiceref-speaking") == "What it is"
    page.keyboard.press("l")
    assert marked(page, "voiceref-speaking") == texts[texts.index("What it is") + 1]
    page.keyboard.press("j")
    assert marked(page, "voiceref-speaking") == "What it is"
    page.keyboard.press("[")
    assert page.locator(STATUS).inner_text() == "Playing from: Introduction"
    page.keyboard.press("d")
    assert page.evaluate(RATE) == 1.25
    page.keyboard.press("s")
    page.keyboard.press("s")
    assert page.evaluate(RATE) == 0.75
    pause(page)
    # Never while typing: keys typed into a field stay there.
    page.locator("#search-q").fill("")
    page.locator("#search-q").press_sequentially("dl]")
    assert page.locator("#search-q").input_value() == "dl]" and page.evaluate(RATE) == 0.75
    assert page.evaluate(PAUSED)


def test_shortcuts_turned_off_do_nothing_in_the_player(browsing):
    page = open_player(browsing, prefs="shortcuts=off")
    for key in ("]", "l", "d", "s", "k"):
        page.keyboard.press(key)
    page.wait_for_timeout(300)  # long enough for any of them to act, were they on
    assert page.evaluate(PAUSED) and page.evaluate(RATE) == 1
    assert page.locator(STATUS).inner_text() == ""
    # The list where the player is says they are off, and where to turn them on.
    page.get_by_text("Keyboard shortcuts for the player").click()
    assert page.get_by_label("Use single-key shortcuts").is_disabled()
    assert page.get_by_text("Shortcuts are turned off in your reading preferences").is_visible()


def test_the_player_lists_its_shortcuts_where_it_is(browsing):
    page = open_player(browsing)
    page.get_by_text("Keyboard shortcuts for the player").click()
    listed = page.locator(".player-shortcuts .shortcut-list").inner_text()
    for words in ("Play or pause", "Back one sentence", "Forward one sentence",
                  "Previous or next section", "Slower or faster"):
        assert words in listed


def test_names_contain_the_visible_labels_while_listening(browsing):
    page = with_a_place_to_resume(browsing)
    assert label_in_name_problems(page) == []  # "Resume from 0:15" offered
    listening(page)
    assert label_in_name_problems(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_targets_and_reflow_while_listening(browsing, width):
    page = with_a_place_to_resume(browsing, width=width, height=800)
    assert probe(page, "smallTargets") == []
    listening(page)
    assert probe(page, "smallTargets") == []
    assert reflow_problems(page) == []


def test_reflow_with_every_reader_choice_at_its_largest_while_listening(browsing):
    page = with_a_place_to_resume(browsing, width=320, height=640, prefs=LARGEST)
    listening(page)
    assert reflow_problems(page) == []


@pytest.mark.parametrize("theme", THEMES)
def test_no_axe_violations_while_listening_in_every_theme(browsing, theme):
    prefs, scheme = THEMES[theme]
    problems = {}
    for width in WIDTHS:
        page = with_a_place_to_resume(browsing, width=width, prefs=prefs, color_scheme=scheme)
        found = violations(page)
        listening(page)
        found += violations(page)
        page.goto("/")
        page.get_by_role("heading", name="Continue listening").wait_for()
        found += violations(page)
        if found:
            problems[width] = found
    assert problems == {}
