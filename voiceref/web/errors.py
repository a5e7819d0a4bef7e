"""Error pages: helpful HTML for people, JSON for /api/, never a stack trace, never a failure.

Every 4xx that Flask, Werkzeug or a view raises gets the normal error page. If rendering it
fails all the same, a fixed page (`fallback_page`) is sent instead, with the same headers;
gunicorn's own error answers use that page too (voiceref/server.py).
"""

from __future__ import annotations

import html
import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

TEMPLATES = {404: "404.html", 500: "500.html"}
FALLBACK = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{message}</p>
<p><a href="/">Go to the home page</a>.</p>
</main>
</body>
</html>
"""


def fallback_page(code: int, title: str) -> str:
    """Return a plain error page that needs nothing but its status to be made."""
    if code >= 500:
        message = "There is a problem on our side. It is not something you did. Please try again later."
    else:
        message = "Your browser sent a request this site could not understand or accept."
    return FALLBACK.format(title=html.escape(f"{code} {title}"), message=message)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException):
    """Render an HTTP error as a normal page (or JSON under /api/)."""
    code = error.code or 500
    try:
        if _wants_json():
            return jsonify(error=error.description), code
        template = TEMPLATES.get(code, "error.html")
        return render_template(template, error=error, code=code, crumbs=None), code
    except Exception:  # the page about an error must not become another error
        log.exception("the %d page could not be rendered for %s", code, request.path)
        return Response(fallback_page(code, error.name), code, mimetype="text/html")


def handle_unexpected(error: Exception):
    """Log an unexpected exception and answer with the 500 page."""
    log.exception("unhandled error on %s", request.path)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    if not app.debug:
        app.register_error_handler(Exception, handle_unexpected)
