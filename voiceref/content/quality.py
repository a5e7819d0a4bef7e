"""Editorial checks beyond validity: summary length, sources, aliases, readability."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..errors import Problem
from .model import Article
from .readability import flesch_kincaid_grade
from .render import fold
from .review import ReviewDue, review_problems, reviews_due

MAX_SUMMARY_WORDS = 35
MAX_SUMMARY_GRADE = 9.0
ABBREVIATION = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*s?\b")


@dataclass
class QualityReport:
    """Problems that stop a check, and warnings that only inform."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    grades: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    reviews: list[ReviewDue] = field(default_factory=list)  # due within 90 days or overdue


def abbreviations_in(text: str) -> set[str]:
    """Return the capitalised abbreviations (MS, RRMS, MRI) used in `text`."""
    found = set()
    for match in ABBREVIATION.findall(text):
        found.add(match[:-1] if match.endswith("s") and match[:-1].isupper() else match)
    return found


def check_quality(
    articles: list[Article], lines: dict, abbreviations: set[str] | None, today: dt.date | None = None
) -> QualityReport:
    """Run the editorial checks over every article.

    `lines` maps an article's key to a function giving the line of a front-matter field;
    `abbreviations` is the set the lexicon expands (None skips that check); `today` dates the
    review schedule.
    """
    report = QualityReport()
    owners: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        line_of = lines[article.key]
        words = len(article.summary.split())
        if words > MAX_SUMMARY_WORDS:
            report.problems.append(
                Problem(article.path, line_of("summary"), f"summary has {words} words (at most {MAX_SUMMARY_WORDS})")
            )
        if not any(source.url for source in article.sources):
            report.problems.append(Problem(article.path, line_of("sources"), "needs at least one source with a url"))
        if article.summary:
            grade = flesch_kincaid_grade(article.summary)
            report.grades[article.section].append(grade)
            if grade > MAX_SUMMARY_GRADE:
                reason = f"summary reads at grade {grade:.1f} (aim for {MAX_SUMMARY_GRADE:.0f} or below)"
                report.warnings.append(Problem(article.path, line_of("summary"), reason))
        if article.section == "glossary":
            for name in {fold(article.title), *(fold(a) for a in article.aliases)}:
                owners[name].append(article)
        if abbreviations is not None:
            used = abbreviations_in(" ".join([article.title, *article.aliases, article.summary, article.text]))
            missing = sorted(used - abbreviations)
            if missing:
                reason = f"abbreviations with no spoken expansion in content/lexicon.yaml: {', '.join(missing)}"
                report.problems.append(Problem(article.path, 1, reason))
    report.reviews = reviews_due(articles, today or dt.date.today())
    overdue, due_soon = review_problems(report.reviews, lambda a: lines[a.key]("reviewed"))
    report.problems.extend(overdue)
    report.warnings.extend(due_soon)
    for name, same in owners.items():
        if len(same) > 1:
            for article in same:
                others = ", ".join(a.slug for a in same if a is not article)
                reason = f"title or alias {name!r} is also used by {others}"
                report.problems.append(Problem(article.path, lines[article.key]("aliases"), reason))
    return report
