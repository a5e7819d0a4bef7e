"""Template filters and globals shared by every page."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from ..content import DISCLAIMER, SECTIONS


def long_date(day: dt.date | None) -> str:
    """Format a date the way people say it: 24 November 2026."""
    return f"{day.day} {day:%B %Y}" if day else ""


def plural(count: int, word: str, many: str | None = None) -> str:
    """Return '1 result' or '3 results'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def init_app(app: Flask) -> None:
    app.add_template_filter(long_date)
    app.add_template_filter(plural)
    app.jinja_env.globals.update(SECTIONS=SECTIONS, DISCLAIMER=DISCLAIMER)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
