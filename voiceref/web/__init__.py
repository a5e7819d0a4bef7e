"""The web layer: pages, JSON and XML endpoints, headers and error pages."""

from __future__ import annotations

from flask import Flask, current_app, g

from ..release.service import Release, ReleaseService


def release_service() -> ReleaseService:
    """Return the release service of the app handling this request."""
    return current_app.extensions["voiceref"]


def services() -> Release:
    """Return the release this request reads: one snapshot for the whole request."""
    if "release" not in g:
        g.release = release_service().get()
    return g.release


def init_app(app: Flask) -> None:
    """Register every blueprint and handler on `app`."""
    from . import (
        api,
        assets,
        audio,
        books,
        caching,
        errors,
        feeds,
        hosts,
        limits,
        pagecache,
        pages,
        preferences,
        security,
        templating,
    )

    pagecache.init_app(app)  # first, so that it wraps the Flask app inside the other middleware
    hosts.init_app(app)  # a refused host is answered before anything else looks at it
    limits.init_app(app)
    caching.init_app(app)
    assets.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    preferences.init_app(app)
    app.register_blueprint(api.bp)
    audio.init_app(app)
    app.register_blueprint(feeds.bp)
    books.init_app(app)
    app.register_blueprint(pages.bp)
