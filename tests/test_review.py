"""Review dates that are kept: the schedule `voiceref check` reports, and sources' checked dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from voiceref.cli import main
from voiceref.content import load_site
from voiceref.content.quality import check_quality
from voiceref.content.review import reviews_due
from voiceref.errors import ContentError

TODAY = dt.date(2026, 11, 29)


NHS = "  - title: NHS\n    url: https://www.nhs.uk/\n"


def article_text(reviewed: str, sources: str = NHS, title: str = "Tremor") -> str:
    front = f"title: {title}\nsummary: Shaking you cannot control.\nsources:\n{sources}reviewed: {reviewed}\n"
    return f"---\n{front}---\nTremor is shaking.\n"


def load(root: Path, files: dict[str, str]):
    for name, text in files.items():
        path = root / "glossary" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    lines = {}

    def keep(articles, line_of):
        lines.update(line_of)
        return []

    return load_site(root, today=TODAY, extra_checks=keep), lines


def test_reviews_due_within_90_days_or_overdue_soonest_first(tmp_path):
    site, _ = load(tmp_path, {
        "fresh": article_text("2026-11-24"),  # due 2029
        "soon": article_text("2024-02-20"),  # due 2027-02-20: in 83 days
        "edge": article_text("2024-02-27"),  # due 2027-02-27: in exactly 90 days
        "beyond": article_text("2024-02-28"),  # in 91 days
        "overdue": article_text("2023-11-01"),  # due 2026-11-01: 28 days ago
    })
    due = reviews_due(site.articles, TODAY)
    assert [(d.article.slug, d.days, d.overdue) for d in due] == [
        ("overdue", -28, True), ("soon", 83, False), ("edge", 90, False)
    ]


def test_overdue_fails_the_check_and_due_soon_warns_at_the_reviewed_line(tmp_path):
    files = {"soon": article_text("2024-02-20", title="Soon"), "overdue": article_text("2023-11-01")}
    site, lines = load(tmp_path, files)
    report = check_quality(site.articles, lines, None, today=TODAY)
    overdue, soon = tmp_path / "glossary" / "overdue.md", tmp_path / "glossary" / "soon.md"
    assert [str(p) for p in report.problems] == [
        f"{overdue}:7: review overdue: the next review was due on 2026-11-01 (28 days ago); "
        "re-check the article against its sources, then update 'reviewed'"
    ]
    assert f"{soon}:7: review due on 2027-02-20 (in 83 days)" in [str(w) for w in report.warnings]
    assert overdue.read_text().splitlines()[6].startswith("reviewed:")


def test_check_command_counts_reviews(tmp_path, monkeypatch):
    content = tmp_path / "content"
    load(content, {"soon": article_text((dt.date.today() - dt.timedelta(days=3 * 365)).isoformat())})
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    assert result.exit_code == 0, result.output
    assert "review due on" in result.output
    assert "Reviews: 1 due within 90 days, 0 overdue." in result.output


def test_source_checked_date_is_read(tmp_path):
    sources = "  - title: NHS\n    url: https://www.nhs.uk/\n    checked: 2026-11-20\n  - title: NICE\n    url: https://www.nice.org.uk/\n"
    site, _ = load(tmp_path, {"tremor": article_text("2026-11-24", sources)})
    assert [(s.title, s.checked) for s in site.articles[0].sources] == [("NHS", dt.date(2026, 11, 20)), ("NICE", None)]


@pytest.mark.parametrize(
    "source, line, reason",
    [
        ("    checked: last week\n", 8, "malformed checked 'last week': expected YYYY-MM-DD"),
        ("    checked: 2026-02-30\n", 8, "malformed checked '2026-02-30': expected YYYY-MM-DD"),
        ("    checked: 2026-12-25\n", 8, "checked date 2026-12-25 is in the future"),
        ("    chekced: 2026-11-20\n", 8, "unknown source field 'chekced': use checked, title, url"),
    ],
)
def test_bad_checked_date_is_reported_at_its_line(tmp_path, source, line, reason):
    sources = "  - title: NICE\n    url: https://www.nice.org.uk/\n  - title: NHS\n" + source + "    url: https://www.nhs.uk/\n"
    path = tmp_path / "glossary" / "tremor.md"
    with pytest.raises(ContentError) as info:
        load(tmp_path, {"tremor": article_text("2026-11-24", sources)})
    assert [str(p) for p in info.value.problems] == [f"{path}:{line}: {reason}"]


def test_source_without_title_is_reported_at_its_own_line(tmp_path):
    sources = "  - title: NICE\n    url: https://www.nice.org.uk/\n  - url: https://www.nhs.uk/\n"
    path = tmp_path / "glossary" / "tremor.md"
    with pytest.raises(ContentError) as info:
        load(tmp_path, {"tremor": article_text("2026-11-24", sources)})
    assert [str(p) for p in info.value.problems] == [f"{path}:7: each source needs a title (and a url)"]


def test_article_page_and_api_show_when_a_source_was_checked(client):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/essays/what-is-ms").data, "html.parser")
    item = page.find("ul", class_="sources").find("li")
    assert " ".join(item.get_text().split()) == "NHS — Multiple sclerosis (checked 20 November 2026)"
    assert item.find("time")["datetime"] == "2026-11-20"
    data = client.get("/api/articles/essays/what-is-ms").get_json()
    assert data["sources"][0]["checked"] == "2026-11-20"
