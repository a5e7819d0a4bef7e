"""Sending a published file (audio, a talking book) with ranges, so the server can `sendfile` it.

Werkzeug's conditional `send_file` decides everything about the answer: status (200, 206, 304,
412, 416), ETag, Last-Modified, Content-Length, Content-Range, Cache-Control. For a 206 it then
reads the file through a range wrapper in 8 kB blocks, from the file's very start when the
server's wrapper cannot seek (gunicorn's cannot), and that hides the file from the server: a
WSGI server only sends a body with `sendfile` when it gets its own file wrapper back, and sends
from the file's current position for Content-Length bytes (gunicorn's `Response.sendfile`). So
a 206 gets, in place of the range wrapper, the server's file wrapper around the file opened at
the range's start and read no further than its end; every header stays Werkzeug's. (In a gevent
worker that `sendfile` is gevent's, which still reads and sends 8 kB at a time.)
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import Response, request, send_file
from werkzeug.wsgi import wrap_file


class Part(io.FileIO):
    """A file open for reading from `start` that reads nothing past `end` (exclusive).

    `fileno`, `seek` and `tell` are the file's own, so a server's `sendfile` sends from the
    position it finds; `read` stops at `end`, so a server that iterates the wrapper sends the
    range and nothing more.
    """

    def __init__(self, path: Path, start: int, end: int) -> None:
        super().__init__(path, "rb")
        self.end = end
        self.seek(start)

    def read(self, size: int | None = -1) -> bytes:
        left = max(self.end - self.tell(), 0)
        return super().read(left if size is None or size < 0 else min(size, left))


def send(path: Path, **options) -> Response:
    """Return Werkzeug's conditional answer for a file, a single range as the file at its start."""
    response = send_file(path, conditional=True, **options)
    part = response.content_range
    if response.status_code == 206 and part is not None and part.start is not None and part.stop is not None:
        blocks = response.response
        try:
            response.response = wrap_file(request.environ, Part(path, part.start, part.stop))
        finally:
            blocks.close()  # closes the file Werkzeug opened
    return response
