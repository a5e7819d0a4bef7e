"""Loading and validating content: every bad file is reported as file:line: reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from voiceref.content import load_site
from voiceref.content.model import add_years
from voiceref.errors import ContentError

GOOD = """---
title: Tremor
summary: Shaking you cannot control.
aliases: [shaking]
related: [myoclonus]
sources:
  - title: NHS
    url: https://www.nhs.uk/
reviewed: 2026-01-02
---
## What it is

Tremor is shaking.
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(content_dir: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_site(content_dir, today=dt.date(2026, 11, 24))
    return [str(p) for p in info.value.problems]


def test_fixture_corpus_loads(site):
    assert len(site) == 10
    article = site.get("glossary", "myoclonus")
    assert article.title == "Myoclonus"
    assert article.section == "glossary"
    assert article.related == ["spasticity", "restless-legs-syndrome", "clonazepam"]
    assert article.sources[0].url.startswith("https://www.ninds.nih.gov/")
    assert article.reviewed == dt.date(2026, 11, 24)


def test_next_review_is_three_years_on(site):
    assert site.get("glossary", "myoclonus").next_review == dt.date(2029, 11, 24)
    # 29 February has no match three years later.
    assert site.get("glossary", "clonazepam").next_review == dt.date(2027, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


def test_good_file_is_accepted(content_dir):
    write(content_dir, "glossary/tremor.md", GOOD)
    site = load_site(content_dir, today=dt.date(2026, 11, 24))
    assert site.get("glossary", "tremor").aliases == ["shaking"]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (GOOD.replace("title: Tremor\n", ""), 1, "missing title"),
        (GOOD.replace("summary: Shaking you cannot control.", "summary: ''"), 3, "missing summary"),
        (GOOD.replace("related: [myoclonus]", "related: [nowhere]"), 5, "related slug 'nowhere' does not exist"),
        (GOOD.replace("related: [myoclonus]", "related: [tremor]"), 5, "related lists the article itself"),
        (GOOD.replace("reviewed: 2026-01-02", "reviewed: 2026-13-45"), 9, "malformed reviewed"),
        (GOOD.replace("reviewed: 2026-01-02", "reviewed: 2027-01-01"), 9, "is in the future"),
        (GOOD.replace("aliases: [shaking]", "aliases: [shaking"), 5, "YAML error"),
        (GOOD.replace("title: Tremor", "title: Tremor\nsummery: typo"), 3, "unknown field 'summery'"),
        (GOOD.replace("title: Tremor", "title: Tremor\nsection: news"), 3, "does not match the folder"),
        (GOOD.replace("## What it is", "# What it is"), 11, "the title is the only h1"),
        (GOOD.replace("## What it is", "## What it is\n\n#### Too deep"), 13, "skips from h2 to h4"),
        ("no front matter here\n", 1, "no YAML front matter"),
    ],
)
def test_bad_file_reports_file_line_reason(content_dir, text, line, reason):
    path = write(content_dir, "glossary/tremor.md", text)
    found = [p for p in problems_of(content_dir) if p.startswith(f"{path}:")]
    assert found, "the bad file was not reported"
    assert any(p.startswith(f"{path}:{line}: ") and reason in p for p in found), found


def test_news_needs_a_date(content_dir):
    path = write(content_dir, "news/undated.md", GOOD.replace("Tremor", "Undated"))
    assert any(p.startswith(f"{path}:") and "missing date" in p for p in problems_of(content_dir))


def test_unknown_section_and_duplicate_slug(content_dir):
    stray = write(content_dir, "blog/tremor.md", GOOD)
    first = write(content_dir, "glossary/tremor.md", GOOD)
    second = write(content_dir, "essays/tremor.md", GOOD)
    found = problems_of(content_dir)
    assert any(p.startswith(f"{stray}:1: unknown section 'blog'") for p in found)
    assert any(p.startswith(f"{first}:1: duplicate slug 'tremor'") for p in found)
    assert any(p.startswith(f"{second}:1: duplicate slug 'tremor'") for p in found)


def test_every_bad_file_is_reported_not_just_the_first(content_dir):
    bad = [
        write(content_dir, "glossary/one.md", GOOD.replace("title: Tremor\n", "")),
        write(content_dir, "glossary/two.md", GOOD.replace("reviewed: 2026-01-02", "reviewed: soon")),
        write(content_dir, "people/three.md", "---\ntitle: [unclosed\n---\n"),
    ]
    found = problems_of(content_dir)
    for path in bad:
        assert any(p.startswith(f"{path}:") for p in found), path


def test_message_lists_every_problem(content_dir):
    write(content_dir, "glossary/one.md", GOOD.replace("title: Tremor\n", ""))
    write(content_dir, "glossary/two.md", GOOD.replace("title: Tremor\n", ""))
    with pytest.raises(ContentError) as info:
        load_site(content_dir, today=dt.date(2026, 11, 24))
    message = str(info.value)
    assert message.startswith("2 content problems in 2 files")
    assert "one.md:1: missing title" in message and "two.md:1: missing title" in message


def test_missing_content_folder(tmp_path):
    with pytest.raises(ContentError, match="content folder not found"):
        load_site(tmp_path / "nowhere")
