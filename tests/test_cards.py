"""Care cards: the `::: care <level> <action>` syntax, its checks, its markup and its speech."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from voiceref.content import load_site
from voiceref.content.model import Article
from voiceref.content.render import render_body
from voiceref.errors import ContentError
from voiceref.speech.script import speech_script

GOOD = """---
title: Tremor
summary: Shaking you cannot control.
sources:
  - title: NHS
    url: https://www.nhs.uk/
reviewed: 2026-01-02
---
## What it is

Tremor is shaking.
"""
URGENT = """## When to get help

::: care urgent Ask for an urgent GP appointment or call 111 if:
- your sight gets worse over a few days
- you have a fever
:::

More text.
"""


def test_card_is_a_note_named_by_a_heading_that_says_its_level():
    soup = BeautifulSoup(render_body(URGENT).html, "html.parser")
    card = soup.find("div", class_="care-card")
    heading = card.find("h3")
    assert card["class"] == ["care-card", "care-card-urgent"]
    assert card["role"] == "note"
    assert card["aria-labelledby"] == heading["id"]
    assert heading.get_text() == "Urgent advice: Ask for an urgent GP appointment or call 111 if:"
    assert heading.find("span", class_="care-level").get_text() == "Urgent advice:"
    signs = [li.get_text() for li in card.find_all("li")]
    assert signs == ["your sight gets worse over a few days", "you have a fever"]
    assert soup.find("p").get_text() == "More text."  # the card ends at its ':::' line


@pytest.mark.parametrize(
    "level, words",
    [("non-urgent", "Non-urgent advice:"), ("urgent", "Urgent advice:"), ("emergency", "Immediate action required:")],
)
def test_each_level_is_said_in_words(level, words):
    html = render_body(f"::: care {level} Do this if:\n- a sign\n:::\n").html
    heading = BeautifulSoup(html, "html.parser").find(["h2", "h3"])
    assert heading.get_text().startswith(words + " Do this if:")


def test_card_heading_sits_one_level_below_its_section_and_is_listed():
    rendered = render_body("::: care emergency Call 999 if:\n- a\n:::\n\n## Later\n\n### Deeper\n\n" + URGENT)
    assert [(h.level, h.text) for h in rendered.headings] == [
        (2, "Immediate action required: Call 999 if:"),  # before the first h2: a section of its own
        (2, "Later"),
        (3, "Deeper"),
        (2, "When to get help"),
        (3, "Urgent advice: Ask for an urgent GP appointment or call 111 if:"),
    ]
    assert len({h.id for h in rendered.headings}) == 5
    assert rendered.problems == []


def test_card_heading_does_not_move_the_outline_on():
    rendered = render_body("## Section\n\n::: care urgent Call 111 if:\n- a\n:::\n\n#### Too deep\n")
    assert rendered.problems == [(6, "heading level skips from h2 to h4")]


@pytest.mark.parametrize(
    "body, line, reason",
    [
        ("Intro.\n\n::: care soon Call if:\n- a\n:::\n", 2, "unknown care level 'soon': use one of non-urgent, urgent"),
        ("::: care\n- a\n:::\n", 0, "care card needs a level (non-urgent, urgent, emergency) and an action"),
        ("::: care urgent\n- a\n:::\n", 0, "care card needs an action after its level"),
        ("::: care urgent Call 111 if:\n:::\n", 0, "care card is empty: list the signs that call for this help"),
        ("::: care urgent Call 111 if:\n- a\n", 0, "care card is not closed: end it with a line of ':::'"),
        ("::: care urgent Call 111 if:\n### Signs\n- a\n:::\n", 0, "care card has a heading inside"),
        ("::: care urgent Call 111 if:\n::: care emergency Call 999 if:\n- a\n:::\n:::\n", 0, "cannot be nested"),
        ("Intro.\n\n::: caution Call 111 if:\n- a\n:::\n", 2, "a ':::' line that opens no care card"),
    ],
)
def test_bad_card_is_reported_at_its_line(body, line, reason):
    problems = render_body(body).problems
    assert any(at == line and reason in why for at, why in problems), problems


def test_bad_card_reported_as_file_line_reason(tmp_path: Path):
    path = tmp_path / "glossary" / "tremor.md"
    path.parent.mkdir()
    path.write_text(GOOD + "\n::: care urgnet Call 111 if:\n- a\n:::\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_site(tmp_path, today=dt.date(2026, 11, 24))
    line = GOOD.count("\n") + 2  # the blank line, then the card
    assert [str(p) for p in info.value.problems] == [
        f"{path}:{line}: unknown care level 'urgnet': use one of non-urgent, urgent, emergency"
    ]
    assert path.read_text().splitlines()[line - 1].startswith("::: care urgnet")


def test_speech_says_the_level_then_the_action():
    rendered = render_body(URGENT)
    article = Article("glossary", "x", "X", "A summary.", Path("x.md"), dt.date(2026, 11, 24), html=rendered.html)
    sentences = speech_script(article).sentences
    said = [s.text for s in sentences]
    start = said.index("Urgent advice.")
    assert said[start + 1].startswith("Ask for an urgent GP appointment")
    level, action = sentences[start], sentences[start + 1]
    assert level.block == action.block == rendered.headings[1].id
    heading = "Urgent advice: Ask for an urgent GP appointment or call 111 if:"
    assert heading[level.start : level.end] == "Urgent advice:"
    assert heading[action.start : action.end].strip() == "Ask for an urgent GP appointment or call 111 if:"
