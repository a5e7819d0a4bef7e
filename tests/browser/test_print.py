"""Printing an article (Chromium's print media emulation): the article alone, no navigation,
player, skip link or search, black on white, and every outside link followed by its address."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

HIDDEN_IN_PRINT = [
    ".skip-link", ".site-header", ".main-nav", ".search-form", ".breadcrumb", ".site-footer",
    ".listen", "audio", ".contents",
]


def displayed(page, selector: str) -> list[bool]:
    return page.locator(selector).evaluate_all(
        "els => els.map(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0)"
    )


def after_content(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("els => els.map(e => getComputedStyle(e, '::after').content)")


@pytest.mark.parametrize("path", ["/glossary/myoclonus", "/essays/what-is-ms"])
def test_an_article_prints_alone_with_its_links_spelt_out(browsing, path):
    page = browsing.page(width=800)
    page.goto(path)
    page.wait_for_load_state("networkidle")  # the player has added its controls
    assert all(displayed(page, ".listen")), "the player shows on screen"
    page.emulate_media(media="print")
    assert page.evaluate("matchMedia('print').matches")
    for selector in HIDDEN_IN_PRINT:
        assert not any(displayed(page, selector)), f"{selector} is printed"
    for selector in ["h1", ".in-short", ".article-body", ".sources", ".review", ".disclaimer-note"]:
        assert all(displayed(page, selector)) and displayed(page, selector), f"{selector} is not printed"
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    # Outside links print their address after their words; links within the site do not.
    hrefs = page.locator(".sources a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    assert after_content(page, ".sources a") == [f'" ({h})"' for h in hrefs]
    inside = page.locator("a[href^='/']").evaluate_all(
        "els => els.filter(e => e.getClientRects().length).map(e => getComputedStyle(e, '::after').content)"
    )
    assert inside and set(inside) == {"none"}

def test_care_cards_print_black_on_white_with_their_level(browsing):
    page = browsing.page(width=800, prefs="theme=contrast")
    page.goto("/essays/what-is-ms")
    page.emulate_media(media="print")
    bands = page.locator(".care-card > h3").evaluate_all(
        "els => els.map(e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor, e.innerText])"
    )
    assert [(ink, band) for ink, band, _ in bands] == [("rgb(0, 0, 0)", "rgba(0, 0, 0, 0)")] * 3
    levels = [text.split(":")[0] for _, _, text in bands]
    assert levels == ["Non-urgent advice", "Urgent advice", "Immediate action required"]


def test_print_to_pdf_makes_a_document(browsing):
    page = browsing.page(width=800)
    page.goto("/essays/what-is-ms")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
