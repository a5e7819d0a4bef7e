"""Machine-readable endpoints: JSON search and articles, OpenSearch, sitemap, health."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from ..content import SECTIONS
from ..search import clean_query
from . import services
from .audio import audio_of
from .pages import page_number

bp = Blueprint("api", __name__)

XML = "application/xml; charset=utf-8"


@bp.get("/api/search")
def search():
    query = clean_query(request.args.get("q"), current_app.config["SEARCH_MAX_QUERY"])
    backend = services().search.get()
    if not backend.available:
        return jsonify(error="Search is not available: the index has not been built."), 503
    results = backend.search(
        query.text, page=page_number(), page_size=current_app.config["SEARCH_PAGE_SIZE"]
    ) if query.text else None
    return jsonify(
        query=query.text,
        total=results.total if results else 0,
        page=results.page if results else 1,
        pages=results.pages if results else 1,
        results=[
            {
                "title": hit.title,
                "url": hit.url,
                "section": hit.section,
                "snippet": str(hit.snippet),
                "audio_url": _audio_url(hit),
            }
            for hit in (results.hits if results else [])
        ],
        suggestion=results.suggestion if results else None,
    )


@bp.get("/api/suggest")
def suggest():
    query = clean_query(request.args.get("q"), current_app.config["SEARCH_MAX_QUERY"])
    return jsonify(services().search.get().suggest(query.text))


@bp.get("/api/articles/<section>/<slug>")
def article(section: str, slug: str):
    item = services().site.get(section, slug)
    if item is None:
        return jsonify(error=f"No article at /{section}/{slug}."), 404
    return jsonify(
        section=item.section,
        slug=item.slug,
        url=item.url,
        title=item.title,
        summary=item.summary,
        aliases=item.aliases,
        related=[a.url for a in services().site.related(item)],
        sources=[
            {"title": s.title, "url": s.url, "checked": s.checked.isoformat() if s.checked else None}
            for s in item.sources
        ],
        reviewed=item.reviewed.isoformat(),
        next_review=item.next_review.isoformat(),
        date=item.date.isoformat() if item.date else None,
        headings=[{"level": h.level, "text": h.text, "id": h.id} for h in item.headings],
        text=item.text,
        word_count=item.word_count,
        audio=_audio(item),
    )


def _audio_url(item) -> str | None:
    info = audio_of(item)
    if info is None:
        return None
    return url_for("audio.audio_file", section=info.section, slug=info.slug, name="audio.mp3")


def _audio(item) -> dict | None:
    """Describe an article's spoken version, or None if it is not ready."""
    info = audio_of(item)
    if info is None:
        return None
    urls = {
        kind: url_for("audio.audio_file", section=info.section, slug=info.slug, name=name)
        for name, kind in (("audio.mp3", "url"), ("audio.vtt", "vtt_url"),
                           ("chapters.vtt", "chapters_url"), ("audio.json", "timings_url"))
    }
    return {**urls, "type": "audio/mpeg", "duration": round(info.duration, 3), "size": info.size,
            "sentences": info.sentences, "chapters": info.chapters}


@bp.get("/healthz")
def healthz():
    backend = services().search.get()
    body = {
        "status": "ok" if backend.available else "index missing",
        "articles": len(services().site),
        "indexed": backend.doc_count(),
    }
    return jsonify(body), 200 if backend.available else 503


@bp.get("/opensearch.xml")
def opensearch():
    xml = render_template("opensearch.xml", search_url=url_for("pages.search", _external=True))
    return xml, 200, {"Content-Type": "application/opensearchdescription+xml; charset=utf-8"}


@bp.get("/sitemap.xml")
def sitemap():
    site = services().site
    xml = render_template("sitemap.xml", articles=site.articles, sections=SECTIONS)
    return xml, 200, {"Content-Type": XML}


@bp.get("/robots.txt")
def robots():
    text = "User-agent: *\nDisallow: /api/\nSitemap: {}\n".format(
        url_for("api.sitemap", _external=True)
    )
    return text, 200, {"Content-Type": "text/plain; charset=utf-8"}
