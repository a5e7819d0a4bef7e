"""The web layer: pages, JSON and XML endpoints, headers and error pages."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from ..content import Site
from ..search import SearchService


@dataclass
class Services:
    """What request handlers read: the loaded site and the built search index."""

    site: Site
    search: SearchService


def services() -> Services:
    """Return the services of the app handling this request."""
    return current_app.extensions["voiceref"]


def init_app(app: Flask) -> None:
    """Register every blueprint and handler on `app`."""
    from . import api, errors, feeds, pages, security, templating

    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(pages.bp)
