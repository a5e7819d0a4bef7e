"""Reflow at 320 CSS px and 200 % text, WCAG 1.4.12 text spacing, 44 px targets, and
accessible names that contain the visible label."""

from __future__ import annotations

import pytest

from .pages import LARGEST, PAGES, WIDTHS
from .probes import label_in_name_problems, probe

pytestmark = pytest.mark.browser

# WCAG 1.4.12: content must survive these, set by the reader's own style sheet.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


def visit_all(page, check) -> dict[str, object]:
    """Run `check(page)` on every page; return what it found, by page name."""
    found = {}
    for name, path in PAGES.items():
        page.goto(path)
        if "audio" in name:
            page.wait_for_load_state("networkidle")  # the player's own buttons are in
        problems = check(page)
        if problems:
            found[name] = problems
    return found


def report(found: dict[str, object]) -> str:
    return "\n".join(f"{name}: {problem}" for name, problems in found.items() for problem in problems)


def reflow_problems(page) -> list[str]:
    # What a disclosure hides must reflow too once the reader opens it.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    result = probe(page, "reflow")
    problems = []
    if result["scrollWidth"] > result["clientWidth"]:
        problems.append(f"scrolls sideways: {result['scrollWidth']} > {result['clientWidth']} px")
    problems += [f"outside the viewport: {o}" for o in result["outside"]]
    problems += [f"clipped: {c}" for c in result["clipped"]]
    return problems


@pytest.mark.parametrize(
    ("width", "height", "prefs"),
    [
        (320, 640, ""),
        (320, 640, "size=200"),
        (1280, 800, "size=200"),
        (320, 640, LARGEST),
    ],
    ids=["320px", "320px-text200", "1280px-text200", "320px-every-choice-largest"],
)
def test_pages_reflow_without_sideways_scrolling_or_clipping(browsing, width, height, prefs):
    page = browsing.page(width=width, height=height, prefs=prefs)
    found = visit_all(page, reflow_problems)
    assert not found, report(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_text_spacing_loses_no_content(browsing, width):
    # The reader's style sheet is inline CSS, which the site's own CSP would refuse.
    page = browsing.page(width=width, height=800, bypass_csp=True)

    def check(page):
        page.add_style_tag(content=TEXT_SPACING_CSS)
        assert page.evaluate("getComputedStyle(document.body).letterSpacing") != "normal"
        return reflow_problems(page)

    found = visit_all(page, check)
    assert not found, report(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_target_is_at_least_44_px(browsing, width):
    page = browsing.page(width=width, height=800)
    found = visit_all(page, lambda page: probe(page, "smallTargets"))
    assert not found, report(found)


def test_suggestions_are_44_px_targets(browsing):
    page = browsing.page(width=320, height=640)
    page.goto("/")
    page.locator("#search-q").fill("s")
    page.locator("#search-q").press_sequentially("p")
    page.locator("#search-q-suggestions [role=option]").first.wait_for()
    assert probe(page, "smallTargets") == []


def test_accessible_names_contain_the_visible_labels(browsing):
    page = browsing.page()
    found = visit_all(page, label_in_name_problems)
    assert not found, report(found)
    # The suggestions list and the enhanced player too.
    page.goto("/")
    page.locator("#search-q").press_sequentially("sp")
    page.locator("#search-q-suggestions [role=option]").first.wait_for()
    assert label_in_name_problems(page) == []


def test_the_label_in_name_check_can_fail(browsing):
    """A control named differently from its label is caught (the check is not vacuous)."""
    page = browsing.page(bypass_csp=True)
    page.goto("/")
    page.evaluate("document.querySelector('.search-row button').setAttribute('aria-label', 'Go')")
    assert label_in_name_problems(page) == ["button “Go” does not contain its visible label “Search”"]
