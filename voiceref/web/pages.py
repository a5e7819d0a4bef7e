"""HTML pages: home, section lists, the glossary A–Z, articles and search results."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for

from ..content import SECTIONS
from ..search import clean_query
from . import services

bp = Blueprint("pages", __name__)

MAX_PAGE = 1000
SECTION = "any({}):section".format(", ".join(SECTIONS))  # unknown sections 404 at routing


def crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    """Return a breadcrumb trail that starts at Home."""
    return [("Home", url_for("pages.home")), *trail]


def section_crumb(name: str) -> tuple[str, str]:
    return (SECTIONS[name].title, url_for("pages.section", section=name))


@bp.get("/")
def home():
    site = services().site
    counts = {name: len(site.in_section(name)) for name in SECTIONS}
    return render_template(
        "home.html", crumbs=crumbs(), counts=counts, recent=site.recently_updated(6)
    )


@bp.get("/glossary/")
def glossary():
    letters = services().site.glossary_by_letter()
    return render_template(
        "glossary_index.html", letters=letters, crumbs=crumbs(section_crumb("glossary"))
    )


@bp.get("/glossary/letter/<letter>")
def glossary_letter(letter: str):
    letters = services().site.glossary_by_letter()
    key = letter.upper()
    if len(letter) != 1 or key not in letters:
        abort(404)
    if letter != letter.lower():
        return current_app.redirect(url_for("pages.glossary_letter", letter=letter.lower()), 301)
    return render_template(
        "glossary_letter.html",
        letters=letters,
        letter=key,
        entries=letters[key],
        crumbs=crumbs(section_crumb("glossary"), (f"Letter {key}", request.path)),
    )


@bp.get(f"/<{SECTION}>/")
def section(section: str):
    if section == "glossary":
        return glossary()
    return render_template(
        "section.html",
        section=SECTIONS[section],
        articles=services().site.in_section(section),
        crumbs=crumbs(section_crumb(section)),
    )


@bp.get(f"/<{SECTION}>/<slug>")
def article(section: str, slug: str):
    site = services().site
    item = site.get(section, slug)
    if item is None:
        abort(404)
    return render_template(
        "article.html",
        article=item,
        related=site.related(item),
        crumbs=crumbs(section_crumb(section), (item.title, item.url)),
    )


def page_number() -> int:
    """Return the requested page of results, 1 if absent or not a sensible number."""
    page = request.args.get("page", default=1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


@bp.get("/search")
def search():
    query = clean_query(request.args.get("q"), current_app.config["SEARCH_MAX_QUERY"])
    backend = services().search
    results = None
    if query.text:
        results = backend.search(
            query.text, page=page_number(), page_size=current_app.config["SEARCH_PAGE_SIZE"]
        )
    return render_template(
        "search.html",
        query=query,
        results=results,
        available=backend.available and (results is None or results.available),
        crumbs=crumbs(("Search", url_for("pages.search"))),
    )
