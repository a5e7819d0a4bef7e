"""The review schedule: which articles are due for review soon, and which are overdue.

Every article carries the date it was last checked against its sources (`reviewed`); its next
review is due REVIEW_INTERVAL_YEARS later. `voiceref check` warns about reviews due within
DUE_SOON_DAYS, so they can be planned, and fails on overdue ones: health information past its
review date should be re-checked, not served as if it were current. `voiceref build` does not
look at review dates, so an overdue page never stops the site from being rebuilt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..errors import Problem
from .model import Article

DUE_SOON_DAYS = 90


@dataclass(frozen=True)
class ReviewDue:
    """An article whose next review is near or past."""

    article: Article
    due: dt.date
    days: int  # days from today until the review is due; negative once it is overdue

    @property
    def overdue(self) -> bool:
        return self.days < 0


def reviews_due(articles: Iterable[Article], today: dt.date, within: int = DUE_SOON_DAYS) -> list[ReviewDue]:
    """Return the articles whose next review is due within `within` days or overdue, soonest first."""
    due = [ReviewDue(a, a.next_review, (a.next_review - today).days) for a in articles]
    return sorted((d for d in due if d.days <= within), key=lambda d: (d.due, d.article.path))


def review_problems(
    due: Iterable[ReviewDue], line_of: Callable[[Article], int]
) -> tuple[list[Problem], list[Problem]]:
    """Split reviews into problems (overdue) and warnings (due soon), each at the `reviewed` line."""
    problems, warnings = [], []
    for item in due:
        if item.overdue:
            reason = (
                f"review overdue: the next review was due on {item.due} ({-item.days} days ago); "
                "re-check the article against its sources, then update 'reviewed'"
            )
            problems.append(Problem(item.article.path, line_of(item.article), reason))
        else:
            when = "today" if item.days == 0 else f"in {item.days} day{'s' if item.days != 1 else ''}"
            reason = f"review due on {item.due} ({when})"
            warnings.append(Problem(item.article.path, line_of(item.article), reason))
    return problems, warnings
