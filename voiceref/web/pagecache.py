"""Rendered answers kept in memory, so a page asked for again is not made again.

An answer that caching.py marked cacheable depends only on the code, the build being served,
the preference cookie and the URL, so each worker keeps it under (build, cookie, path, query)
and sends it again without entering Flask: no routing, no template. A new build changes the
key, so nothing stale is ever sent; the least recently used answers go first when the cache
is over PAGE_CACHE_MB. Only GET answers with status 200 are kept; a refused host, a
conditional request (the app answers 304 cheaply) and everything else pass through. It sits
inside the host check and the limits, so they still see every request.

Why: a page through Jinja costs milliseconds; the same page from here costs about what
gunicorn itself does (bench/serve.py, "serve" rows).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from pathlib import Path

from flask import Flask

from .caching import CACHEABLE, release_id
from .hosts import REFUSED_HOST
from .preferences import COOKIE

MAX_ENTRY = 1024 * 1024  # bytes: larger answers are not kept
_PREFS = re.compile(rf"(?:^|;)\s*{COOKIE}=([^;]*)")


class PageCache:
    """WSGI middleware: answer a repeated GET for a cacheable page from memory."""

    def __init__(self, app, index_dir: Path, audio_dir: Path | None, max_bytes: int):
        self.app = app
        self.index_dir = index_dir
        self.audio_dir = audio_dir
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self._entries: OrderedDict[tuple, tuple[str, list, bytes]] = OrderedDict()

    def _key(self, environ) -> tuple | None:
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or REFUSED_HOST in environ
            or "HTTP_IF_NONE_MATCH" in environ
            or "HTTP_RANGE" in environ
        ):
            return None
        prefs = _PREFS.search(environ.get("HTTP_COOKIE", ""))
        return (release_id(self.index_dir, self.audio_dir), prefs.group(1) if prefs else "",
                environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))

    def __call__(self, environ, start_response):
        key = self._key(environ)
        if key is None:
            return self.app(environ, start_response)
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            self.hits += 1
            status, headers, body = found
            start_response(status, list(headers))
            return [body]
        captured: list = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        answer = self.app(environ, capture)
        if not environ.get(CACHEABLE) or not captured or not captured[0].startswith("200"):
            return answer
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        self._keep(key, captured[0], captured[1], body)
        return [body]

    def _keep(self, key: tuple, status: str, headers: list, body: bytes) -> None:
        if len(body) > MAX_ENTRY or len(body) > self.max_bytes:
            return
        self._entries[key] = (status, list(headers), body)
        self.size += len(body)
        while self.size > self.max_bytes:
            _, (_, _, old) = self._entries.popitem(last=False)
            self.size -= len(old)

    def __len__(self) -> int:
        return len(self._entries)


def init_app(app: Flask) -> None:
    """Put the page cache around the Flask app itself (inside every other middleware)."""
    megabytes = int(app.config["PAGE_CACHE_MB"])
    if megabytes > 0:
        audio = app.config["AUDIO_DIR"]
        app.wsgi_app = PageCache(app.wsgi_app, Path(app.config["INDEX_DIR"]), Path(audio) if audio else None,
                                 megabytes * 1024 * 1024)
        app.extensions["voiceref.pagecache"] = app.wsgi_app
