"""Error pages: helpful HTML for people, JSON for /api/, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

TEMPLATES = {404: "404.html", 500: "500.html"}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException):
    """Render an HTTP error as a normal page (or JSON under /api/)."""
    code = error.code or 500
    if _wants_json():
        return jsonify(error=error.description), code
    template = TEMPLATES.get(code, "error.html")
    return render_template(template, error=error, code=code, crumbs=None), code


def handle_unexpected(error: Exception):
    """Log an unexpected exception and answer with the 500 page."""
    log.exception("unhandled error on %s", request.path)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    if not app.debug:
        app.register_error_handler(Exception, handle_unexpected)
