"""With JavaScript off every page still works: plain search, the native audio player,
and the preferences form (a POST that redirects back)."""

from __future__ import annotations

import pytest

from .pages import PAGES

pytestmark = pytest.mark.browser


def test_every_page_works_without_javascript(browsing):
    page = browsing.page(java_script_enabled=False)
    for name, path in PAGES.items():
        response = page.goto(path)
        assert response.status == (404 if name == "not found" else 200), name
        assert page.locator("main h1").count() == 1, name
        box = page.locator("#search-q")
        assert box.get_attribute("type") == "search" and box.get_attribute("role") is None, name
    page.goto("/glossary/myoclonus")
    audio = page.locator("audio")
    assert audio.get_attribute("controls") is not None
    mp3 = page.request.get(audio.get_attribute("src"))
    assert mp3.status == 200 and mp3.headers["content-type"] == "audio/mpeg"
    assert page.locator(".player-controls").is_hidden()  # the scripted buttons need scripts
    assert page.locator("a[download]").is_visible()


def test_search_and_its_suggestion_work_without_javascript(browsing):
    page = browsing.page(java_script_enabled=False)
    page.goto("/")
    page.locator("#search-q-home").fill("spastisity")
    with page.expect_navigation():
        page.locator("#search-q-home").press("Enter")
    assert page.url.endswith("/search?q=spastisity")
    with page.expect_navigation():
        page.get_by_role("link", name="spasticity", exact=True).first.click()
    assert page.url.endswith("/search?q=spasticity")
    assert page.locator("ol.results li").count() >= 1


def test_preferences_work_without_javascript(browsing):
    page = browsing.page(java_script_enabled=False)
    page.goto("/preferences")
    page.get_by_label("150 %").check()
    page.get_by_label("Dark", exact=True).check()
    page.get_by_label("Wide", exact=True).first.check()  # line spacing
    page.get_by_label("Atkinson Hyperlegible").check()
    page.get_by_label("Listening speed").select_option("1.5")
    page.get_by_label("Highlight the sentence being read").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Save preferences").click()
    assert page.url.endswith("/preferences?saved=1")
    html = page.locator("html")
    assert set(html.get_attribute("class").split()) == {
        "theme-dark", "text-150", "line-wide", "font-legible"
    }
    assert html.get_attribute("data-highlight") == "off"
    assert html.get_attribute("data-default-speed") == "1.5"
    # Applied on the server: the first paint of any other page is already right.
    page.goto("/glossary/")
    assert "theme-dark" in page.locator("html").get_attribute("class")
    font_size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert font_size == "24px"
    assert "Atkinson Hyperlegible" in page.evaluate("getComputedStyle(document.body).fontFamily")

    page.goto("/preferences")
    with page.expect_navigation():
        page.get_by_role("button", name="Reset to standard settings").click()
    assert page.locator("html").get_attribute("class") is None
    assert page.locator("html").get_attribute("data-highlight") == "on"


def test_chosen_fonts_are_served_from_the_site(browsing):
    page = browsing.page(prefs="font=dyslexic")
    fonts = []
    page.on("response", lambda r: fonts.append(r) if r.url.endswith(".woff2") else None)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert fonts and all(r.status == 200 and "/static/fonts/opendyslexic" in r.url for r in fonts)
    assert page.evaluate("document.fonts.check('16px OpenDyslexic')")
