"""voiceref: an accessible, listen-first reference server about multiple sclerosis."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from . import config
from .content import load_site
from .search import SearchService
from .speech import AudioService
from .web import Services


def create_app(test_config: dict | None = None) -> Flask:
    """Create the web app: load the content, open the built index, wire the views."""
    app = Flask(
        __name__,
        template_folder=str(config.ROOT / "templates"),
        static_folder=str(config.ROOT / "static"),
    )
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.update(test_config)
    app.debug = bool(app.config["DEBUG"])
    site = load_site(Path(app.config["CONTENT_DIR"]))
    app.extensions["voiceref"] = Services(
        site=site,
        search=SearchService(Path(app.config["INDEX_DIR"])),
        audio=AudioService(Path(app.config["AUDIO_DIR"])),
    )
    from . import web

    web.init_app(app)
    return app
