"""Rendering bodies: heading ids, glossary links on first mention, sanitising."""

from __future__ import annotations

from bs4 import BeautifulSoup

from voiceref.content.render import Linker, Term, plain_text, render_body, slugify

TERMS = [
    Term("Spasticity", "spasticity", "/glossary/spasticity"),
    Term("muscle stiffness", "spasticity", "/glossary/spasticity"),
    Term("MS", "multiple-sclerosis", "/glossary/multiple-sclerosis"),
    Term("Uhthoff's phenomenon", "uhthoffs-phenomenon", "/glossary/uhthoffs-phenomenon"),
    Term("Blood–brain barrier", "blood-brain-barrier", "/glossary/blood-brain-barrier"),
]


def links(html: str) -> list[tuple[str, str]]:
    return [(a.get_text(), a["href"]) for a in BeautifulSoup(html, "html.parser").find_all("a")]


def test_first_mention_only_is_linked():
    out = render_body("Spasticity is common. Spasticity again, and muscle stiffness.", Linker(TERMS))
    assert links(out.html) == [("Spasticity", "/glossary/spasticity")]


def test_abbreviations_match_only_in_capitals_and_variants_match():
    body = "Words like ms or sms are not MS. Uhthoff’s phenomenon and the blood-brain barrier."
    out = render_body(body, Linker(TERMS))
    assert links(out.html) == [
        ("MS", "/glossary/multiple-sclerosis"),
        ("Uhthoff’s phenomenon", "/glossary/uhthoffs-phenomenon"),
        ("blood-brain barrier", "/glossary/blood-brain-barrier"),
    ]


def test_no_self_links_no_links_in_headings_or_inside_links():
    body = "## Spasticity\n\nSpasticity here. [MS Society](https://www.mssociety.org.uk/) and MS."
    out = render_body(body, Linker(TERMS), own_slug="spasticity")
    assert links(out.html) == [
        ("MS Society", "https://www.mssociety.org.uk/"),
        ("MS", "/glossary/multiple-sclerosis"),
    ]


def test_headings_get_unique_ids_and_blocks_get_ids():
    out = render_body("## What it is\n\nText.\n\n## What it is\n\n- one\n- two\n")
    soup = BeautifulSoup(out.html, "html.parser")
    assert [h["id"] for h in soup.find_all("h2")] == ["what-it-is", "what-it-is-2"]
    assert [h.id for h in out.headings] == ["what-it-is", "what-it-is-2"]
    assert [li["id"] for li in soup.find_all("li")] == ["blk-2", "blk-3"]
    assert soup.p["id"] == "blk-1"


def test_raw_html_and_script_urls_are_neutralised():
    body = '<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>'
    out = render_body(body)
    soup = BeautifulSoup(out.html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert all(not a.get("href", "").startswith("javascript") for a in soup.find_all("a"))
    assert soup.find(attrs={"onerror": True}) is None


def test_heading_problems_carry_body_lines():
    out = render_body("# Title again\n\ntext\n\n## Fine\n\n#### Too deep\n")
    assert out.problems == [
        (0, "body headings start at '##' (h2): the title is the only h1"),
        (6, "heading level skips from h2 to h4"),
    ]


def test_plain_text_reads_blocks_in_order():
    html = "<h2>Title</h2><p>One <a href='/x'>link</a>.</p><ul><li>Item</li></ul>"
    assert plain_text(html) == "Title\nOne link.\nItem"


def test_slugify():
    assert slugify("How it relates to MS") == "how-it-relates-to-ms"
    assert slugify("Uhthoff’s phenomenon") == "uhthoffs-phenomenon"
    assert slugify("???") == "section"


def test_longer_term_wins_over_the_abbreviation_it_starts_with():
    terms = [*TERMS, Term("MS nurse", "ms-nurse", "/glossary/ms-nurse")]
    out = render_body("Ask your MS nurse about MS.", Linker(terms))
    assert links(out.html) == [("MS nurse", "/glossary/ms-nurse"), ("MS", "/glossary/multiple-sclerosis")]
