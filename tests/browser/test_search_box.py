"""The search box as an APG combobox with list autocomplete, and the single-key shortcuts
("/" for search, "k" for the player): on by default, off with one setting, never while typing."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .probes import AXE_TAGS

pytestmark = pytest.mark.browser

BOX = "#search-q"
LIST = "#search-q-suggestions"
STATUS = "#search-q-status"


def open_suggestions(page, text: str = "sp") -> None:
    page.locator(BOX).focus()
    page.keyboard.type(text)
    page.locator(f"{LIST} [role=option]").first.wait_for()


def test_search_box_is_a_combobox_that_announces_its_suggestions(browsing):
    page = browsing.page()
    page.goto("/")
    box = page.locator(BOX)
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-autocomplete") == "list"
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-controls") == LIST[1:]
    assert page.locator(LIST).is_hidden()

    open_suggestions(page, "sp")
    assert box.get_attribute("aria-expanded") == "true"
    options = page.locator(f"{LIST} [role=option]")
    assert options.count() == 1
    assert "Spasticity" in options.first.inner_text()
    page.wait_for_function(f"() => document.querySelector('{STATUS}').textContent === '1 suggestion.'")
    assert page.locator(STATUS).get_attribute("aria-live") == "polite"
    assert box.evaluate("el => el === document.activeElement")

    # Arrow keys move the visual focus; DOM focus stays in the box.
    page.keyboard.press("ArrowDown")
    option_id = options.first.get_attribute("id")
    assert box.get_attribute("aria-activedescendant") == option_id
    assert options.first.get_attribute("aria-selected") == "true"
    assert box.evaluate("el => el === document.activeElement")

    # Escape closes the list, a second Escape clears the box.
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert page.locator(LIST).is_hidden()
    page.keyboard.press("Escape")
    assert box.input_value() == ""


def test_choosing_a_suggestion_opens_the_article(browsing):
    page = browsing.page()
    page.goto("/")
    open_suggestions(page, "myo")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/glossary/myoclonus")


def test_a_suggestion_can_be_chosen_with_a_pointer(browsing):
    page = browsing.page()
    page.goto("/")
    open_suggestions(page, "clon")
    with page.expect_navigation():
        page.locator(f"{LIST} [role=option]").first.click()
    assert page.url.endswith("/glossary/clonazepam")


def test_enter_without_a_chosen_suggestion_searches(browsing):
    page = browsing.page()
    page.goto("/")
    open_suggestions(page, "sp")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/search?q=sp")


def test_no_suggestions_is_announced(browsing):
    page = browsing.page()
    page.goto("/")
    page.locator(BOX).focus()
    page.keyboard.type("xyzzy")
    page.wait_for_function(f"() => document.querySelector('{STATUS}').textContent.startsWith('No suggestions')")
    assert page.locator(BOX).get_attribute("aria-expanded") == "false"


def test_open_suggestions_have_no_axe_violations(browsing):
    for prefs in ("", "theme=dark", "theme=contrast"):
        page = browsing.page(width=320, height=640, prefs=prefs)
        page.goto("/")
        open_suggestions(page, "ms")
        page.keyboard.press("ArrowDown")
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        found = Axe().run(page, options=options).response["violations"]
        assert [v["id"] for v in found] == [], prefs


def test_slash_moves_focus_to_search(browsing):
    page = browsing.page()
    page.goto("/glossary/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-q"
    assert page.locator(BOX).input_value() == ""
    # On the search page it is the page's own box, with the query selected to retype.
    page.goto("/search?q=spasticity")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-q-page"


def test_slash_types_a_slash_while_typing(browsing):
    page = browsing.page()
    page.goto("/preferences")
    page.locator(BOX).focus()
    page.keyboard.type("a/b")
    assert page.locator(BOX).input_value() == "a/b"


def test_shortcuts_off_means_slash_and_k_do_nothing(browsing):
    page = browsing.page(prefs="shortcuts=off")
    page.goto("/glossary/myoclonus")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("data-shortcuts") == "off"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("k")
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelector('audio').paused")


def test_k_plays_and_pauses_but_not_while_typing(browsing):
    page = browsing.page()
    page.goto("/glossary/myoclonus")
    page.wait_for_load_state("networkidle")
    page.locator(BOX).focus()
    page.keyboard.type("k")
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelector('audio').paused")
    assert page.locator(BOX).input_value() == "k"
    page.locator("h1").click()  # out of the field
    page.keyboard.press("k")
    page.wait_for_function("() => !document.querySelector('audio').paused")
    page.keyboard.press("k")
    page.wait_for_function("() => document.querySelector('audio').paused")
