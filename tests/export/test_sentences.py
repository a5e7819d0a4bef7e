"""Sentences become spans: ranges of an element's own text, even across inline elements."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from voiceref.export.sentences import Range, own_text, wrap_ranges
from voiceref.speech.script import own_text as script_own_text
from voiceref.speech.script import split_sentences


def wrapped(html: str, element_id: str = "b") -> tuple[BeautifulSoup, list[str]]:
    """Wrap every sentence of #element_id the way the speech script splits it."""
    soup = BeautifulSoup(html, "html.parser")
    element = soup.find(id=element_id)
    ranges = [Range(f"s{n}", a, b) for n, (a, b) in enumerate(split_sentences(own_text(element)))]
    return soup, wrap_ranges(element, ranges, soup)


def spans(soup: BeautifulSoup) -> dict[str, str]:
    return {span["id"]: span.get_text() for span in soup.find_all("span", id=True)}


def test_own_text_matches_the_speech_scripts_measure():
    html = '<li id="b">One <em>two</em> <a href="/x">three</a><ul><li id="c">not mine</li></ul> four</li>'
    element = BeautifulSoup(html, "html.parser").find(id="b")
    assert own_text(element) == script_own_text(element)[0] == "One two three four"


def test_plain_sentences_each_become_a_span_and_the_text_is_unchanged():
    html = '<p id="b">MS affects the brain. Some people have <a href="/g/s">spasticity</a>. An MRI helps.</p>'
    soup, unwrapped = wrapped(html)
    assert unwrapped == []
    assert spans(soup) == {
        "s0": "MS affects the brain.",
        "s1": "Some people have spasticity.",
        "s2": "An MRI helps.",
    }
    assert soup.p.get_text() == BeautifulSoup(html, "html.parser").p.get_text()
    assert [type(c).__name__ for c in soup.p.children] == ["Tag", "NavigableString", "Tag", "NavigableString", "Tag"]


def test_a_boundary_inside_an_inline_element_splits_it_into_well_nested_copies():
    html = '<p id="b">It is <em>rare. Most <strong>people. Never</strong> see</em> it. End.</p>'
    soup, unwrapped = wrapped(html)
    assert unwrapped == []
    assert spans(soup) == {"s0": "It is rare.", "s1": "Most people.", "s2": "Never see it.", "s3": "End."}
    s1 = soup.find(id="s1")
    assert str(s1) == '<span id="s1"><em>Most <strong>people.</strong></em></span>'
    s2 = soup.find(id="s2")
    assert str(s2) == '<span id="s2"><em><strong>Never</strong> see</em> it.</span>'
    assert soup.p.get_text() == BeautifulSoup(html, "html.parser").p.get_text()
    assert all(span.parent is soup.p for span in soup.find_all("span"))


def test_a_split_link_keeps_its_address_and_loses_no_words():
    html = '<p id="b">See <a href="/glossary/mri" title="MRI">the scan. It shows</a> damage.</p>'
    soup, _ = wrapped(html)
    assert spans(soup) == {"s0": "See the scan.", "s1": "It shows damage."}
    assert [(a["href"], a["title"], a.get_text()) for a in soup.find_all("a")] == [
        ("/glossary/mri", "MRI", "the scan."),
        ("/glossary/mri", "MRI", "It shows"),
    ]


def test_nested_elements_with_ids_are_left_alone():
    html = '<li id="b">Two kinds. Both help.<ul><li id="c">One. Two.</li></ul></li>'
    soup, unwrapped = wrapped(html)
    assert unwrapped == []
    assert spans(soup) == {"s0": "Two kinds.", "s1": "Both help."}
    assert soup.find(id="c").get_text() == "One. Two." and not soup.find(id="c").find("span")


def test_a_sentence_that_encloses_a_nested_block_is_reported_not_wrapped():
    html = '<li id="b">Fruit such as<ul><li id="c">apples</li></ul>and pears. Next one.</li>'
    soup, unwrapped = wrapped(html)
    assert unwrapped == ["s0"]
    assert spans(soup) == {"s1": "Next one."}
    assert soup.find(id="c").parent.name == "ul" and soup.find(id="c").find_parent("span") is None


def test_line_breaks_and_images_inside_a_sentence_stay_inside_its_span():
    html = '<p id="b">First line<br/>second line. <img src="x.png" alt="A scan"/> Then this.</p>'
    soup, _ = wrapped(html)
    assert soup.find(id="s0").find("br") is not None
    assert soup.find("img").find_parent("span") is None  # between two sentences


@pytest.mark.parametrize(
    "ranges, message",
    [
        ([Range("a", 0, 5), Range("b", 3, 8)], "overlap"),
        ([Range("a", 0, 99)], "outside"),
        ([Range("a", 4, 4)], "outside"),
    ],
)
def test_ranges_that_cannot_be_on_the_page_are_refused(ranges, message):
    soup = BeautifulSoup('<p id="b">Short text.</p>', "html.parser")
    with pytest.raises(ValueError, match=message):
        wrap_ranges(soup.p, ranges, soup)


def test_no_inline_element_is_left_holding_only_the_space_between_sentences():
    html = '<p id="b"><a href="/x"> Leading space. Then</a> more. <em>Last. </em></p>'
    soup, _ = wrapped(html)
    assert spans(soup) == {"s0": "Leading space.", "s1": "Then more.", "s2": "Last."}
    assert all(a.get_text().strip() for a in soup.find_all(["a", "em"]))
