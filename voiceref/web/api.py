"""Machine-readable endpoints: JSON search and articles, OpenSearch, sitemap, health."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from ..content import SECTIONS
from ..search import clean_query
from ..speech.catalog import KINDS
from ..speech.engines import VOICES
from . import release_service, services
from .audio import audio_of
from .feeds import published
from .pages import page_number

bp = Blueprint("api", __name__)

XML = "application/xml; charset=utf-8"
OPENSEARCH = "application/opensearchdescription+xml; charset=utf-8"


@bp.get("/api/search")
def search():
    query = clean_query(request.args.get("q"), current_app.config["SEARCH_MAX_QUERY"])
    backend = services().search
    if not backend.available:
        return jsonify(error="Search is not available: the index has not been built."), 503
    results = backend.search(
        query.text, page=page_number(), page_size=current_app.config["SEARCH_PAGE_SIZE"]
    ) if query.text else None
    if results is not None and not results.available:
        return jsonify(error="Search is not available: the index cannot be read."), 503
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
    return jsonify(services().search.suggest(query.text))


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
    return info.url if info is not None else None


def _audio(item) -> dict | None:
    """Describe an article's spoken version, or None if it is not ready."""
    info = audio_of(item)
    if info is None:
        return None
    urls = {"url": info.url, "vtt_url": info.vtt_url, "chapters_url": info.chapters_url,
            "timings_url": info.timings_url}
    return {**urls, "voice": info.voice, "type": KINDS["mp3"].media_type, "duration": round(info.duration, 3),
            "size": info.size, "sentences": info.sentences, "chapters": info.chapters}


@bp.get("/healthz")
def healthz():
    """Say whether a whole release is served, which, and how far its voices have got."""
    release, problem = services(), release_service().problem
    searchable = release.search.healthy()
    if not problem and not searchable:
        problem = f"the search index of release {release.id} cannot be read"
    body = {
        "status": problem or "ok",
        "release": release.id or None,
        "built": release.manifest.created if release.manifest else None,
        "articles": len(release.site),
        "indexed": release.search.doc_count() if searchable else 0,  # a damaged index cannot count
        "audio": {voice: len(release.catalog.get(voice, {})) for voice in VOICES},  # articles spoken so far
    }
    return jsonify(body), 503 if problem else 200


@bp.get("/opensearch.xml")
def opensearch():
    built = published(OPENSEARCH)
    if built is not None:
        return built
    xml = render_template("opensearch.xml", search_url=url_for("pages.search", _external=True))
    return xml, 200, {"Content-Type": OPENSEARCH}


@bp.get("/sitemap.xml")
def sitemap():
    built = published(XML)
    if built is not None:
        return built
    site = services().site
    xml = render_template("sitemap.xml", articles=site.articles, sections=SECTIONS)
    return xml, 200, {"Content-Type": XML}


@bp.get("/robots.txt")
def robots():
    text = "User-agent: *\nDisallow: /api/\nSitemap: {}\n".format(
        url_for("api.sitemap", _external=True)
    )
    return text, 200, {"Content-Type": "text/plain; charset=utf-8"}
