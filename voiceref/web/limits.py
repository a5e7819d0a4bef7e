"""Request limits: refuse what is too big before reading it; a body that cannot be read is a 400.

- Body: Flask's MAX_CONTENT_LENGTH (64 kB; the only form, /preferences, needs a few hundred
  bytes). A declared Content-Length over it is refused with 413 before any of the body is
  read, and the server then closes the connection instead of draining it (voiceref/server.py).
  A chunked body is cut at the same size while Werkzeug reads it. Before this, a 300 MB form
  post was read whole and the worker grew to 615 MB.
- Forms: at most MAX_FORM_PARTS parts of MAX_FORM_MEMORY_SIZE each in a multipart form
  (Flask); a urlencoded form is parsed whole, so the body limit is its limit.
- Query: MAX_QUERY_LENGTH bytes of query string (414); search keeps only the first
  SEARCH_MAX_QUERY characters anyway.
- Request line and headers: gunicorn's limit_request_* (server.py) and nginx's buffers.

`ReadableBody` turns a failure while reading the body (malformed chunking, a client that went
away) into a 400, where it used to reach the catch-all handler and become a 500.
"""

from __future__ import annotations

import logging

from flask import Flask, abort, current_app, request
from werkzeug.exceptions import BadRequest, HTTPException

log = logging.getLogger(__name__)


class _Body:
    """A request body stream whose read errors are the client's (400), not the server's."""

    def __init__(self, stream):
        self._stream = stream

    def _guarded(self, method: str, *args):
        try:
            return getattr(self._stream, method)(*args)
        except HTTPException:
            raise
        except Exception as exc:  # whatever the server's reader raises about the client's bytes
            log.info("unreadable request body: %s", exc)
            raise BadRequest("The body of the request could not be read.") from exc

    def read(self, *args):
        return self._guarded("read", *args)

    def readline(self, *args):
        return self._guarded("readline", *args)

    def readlines(self, *args):
        return self._guarded("readlines", *args)

    def __iter__(self):
        return iter(self.readline, b"")


class ReadableBody:
    """WSGI middleware: wrap the request body so that reading it can only fail with a 400."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if "wsgi.input" in environ:
            environ["wsgi.input"] = _Body(environ["wsgi.input"])
        return self.app(environ, start_response)


def refuse_oversized() -> None:
    """Refuse a body or query string over the limits before any of it is read."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit is not None and (request.content_length or 0) > limit:
        abort(413, description=f"The request is too large: this site accepts at most {limit // 1024} kB.")
    if len(request.query_string) > current_app.config["MAX_QUERY_LENGTH"]:
        abort(414, description="The address is too long. Please shorten what you typed and try again.")


def init_app(app: Flask) -> None:
    app.wsgi_app = ReadableBody(app.wsgi_app)
    app.before_request(refuse_oversized)
