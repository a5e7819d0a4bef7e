"""voiceref: an accessible, listen-first reference server about multiple sclerosis."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from . import config
from .release.service import ReleaseService


def create_app(test_config: dict | None = None) -> Flask:
    """Create the web app: wire the views to the current release (nothing is loaded yet)."""
    app = Flask(
        __name__,
        template_folder=str(config.package_folder("templates")),
        static_folder=str(config.package_folder("static")),
    )
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.update(test_config)
    app.debug = bool(app.config["DEBUG"])
    pinned = app.config.get("RELEASE")
    app.extensions["voiceref"] = ReleaseService(Path(app.config["INDEX_DIR"]), Path(pinned) if pinned else None)
    from . import web

    web.init_app(app)
    return app
