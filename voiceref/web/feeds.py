"""Feeds: news as RSS 2.0."""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator
from flask import Blueprint, current_app, url_for

from . import services

bp = Blueprint("feeds", __name__)

RSS = "application/rss+xml; charset=utf-8"


def _when(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


@bp.get("/feeds/news.xml")
def news():
    name = current_app.config["SITE_NAME"]
    feed = FeedGenerator()
    feed.title(f"{name} news")
    feed.link(href=url_for("pages.section", section="news", _external=True), rel="alternate")
    feed.description("Dated milestones in multiple sclerosis: approvals, criteria and studies.")
    feed.language("en")
    for article in reversed(services().site.in_section("news")):
        entry = feed.add_entry()
        link = url_for("pages.article", section="news", slug=article.slug, _external=True)
        entry.id(link)
        entry.title(article.title)
        entry.link(href=link)
        entry.description(article.summary)
        entry.pubDate(_when(article.date or article.reviewed))
    return feed.rss_str(pretty=True), 200, {"Content-Type": RSS}
