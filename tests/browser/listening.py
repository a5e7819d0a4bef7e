"""Shared steps for the listening tests: open the article's player, play, pause, read marks."""

from __future__ import annotations

ARTICLE = "/glossary/myoclonus"
PLAYING = "() => !document.querySelector('audio').paused"
PAUSED = "() => document.querySelector('audio').paused"
PLACES = "voiceref-listening"  # the localStorage key of listening.js

# The text under a highlight of the CSS Custom Highlight API, or null.
MARKED = """(name) => {
  const mark = CSS.highlights.get(name);
  return mark && mark.size ? [...mark][0].toString() : null;
}"""


def open_player(browsing, path: str = ARTICLE, **options):
    """A page on an article, its player enhanced and its timings loaded."""
    page = browsing.page(**options)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    return page


def play(page) -> None:
    page.locator("[data-action=toggle]").click()
    page.wait_for_function(PLAYING)


def pause(page) -> None:
    page.evaluate("document.querySelector('audio').pause()")
    page.wait_for_function(PAUSED)


def current_time(page) -> float:
    return page.evaluate("document.querySelector('audio').currentTime")


def listen_into_the_article(page, sentences: int = 6) -> float:
    """Play, move on by `sentences`, pause; return where the player now stands."""
    play(page)
    for _ in range(sentences):
        page.locator("[data-action=forward]").click()
    pause(page)
    return current_time(page)


def marked(page, name: str) -> str | None:
    """The text marked as the spoken sentence ("voiceref-speaking") or word ("voiceref-word")."""
    return page.evaluate(MARKED, name)


def timings(page) -> dict:
    """The timings file the player uses (audio.json of the voice it plays)."""
    url = page.locator("[data-player]").get_attribute("data-timings")
    response = page.request.get(url)
    assert response.ok, url
    return response.json()


def seek(page, seconds: float) -> None:
    page.evaluate("(t) => { document.querySelector('audio').currentTime = t; }", seconds)
