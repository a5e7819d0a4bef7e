"""axe-core on every page, in every theme, wide and narrow: zero violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .pages import PAGES, THEMES, WIDTHS
from .probes import AXE_TAGS

pytestmark = pytest.mark.browser

AXE = Axe()
OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


def violations(page) -> list[str]:
    """Run axe-core on the page as it is now; describe each violation and where it is."""
    found = AXE.run(page, options=OPTIONS).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in found
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_no_axe_violations_on_any_page(browsing, theme, width):
    prefs, scheme = THEMES[theme]
    page = browsing.page(width=width, height=800, prefs=prefs, color_scheme=scheme)
    problems = {}
    for name, path in PAGES.items():
        page.goto(path)
        if "audio" in name:
            page.wait_for_load_state("networkidle")  # the player adds its buttons after a fetch
        found = violations(page)
        if found:
            problems[name] = found
    assert problems == {}


def test_no_axe_violations_with_every_reader_choice_at_its_largest(browsing):
    page = browsing.page(width=320, height=640,
                         prefs="size=200&line=wider&letter=wider&font=legible&theme=contrast")
    problems = {}
    for name, path in PAGES.items():
        page.goto(path)
        found = violations(page)
        if found:
            problems[name] = found
    assert problems == {}
