"""The production server: gunicorn with gevent workers, arranged for the public internet.

With gunicorn's sync workers each connection held a worker until its request was complete,
so two clients that never finished their headers stopped the whole site, and 200 left no
answer for a minute (issue 10). With gevent each connection is a greenlet: a slow or idle
client costs a little memory, not a worker. In the gevent worker gunicorn reads every
request's headers inside its keep-alive timeout (gunicorn/workers/base_async.py, `with
self.timeout_ctx(): req = next(parser)`), so headers must arrive within KEEPALIVE seconds and
idle connections are closed after as long; a worker takes WORKER_CONNECTIONS at once, and
takes every waiting connection (up to ACCEPT_AT_ONCE) on each turn of its loop, not one
(`_Listener`).

Limits here: a request line of 8190 bytes and 50 header fields of 8190 bytes each. The body,
forms and query string are limited in the app (voiceref/web/limits.py). A request whose body
the app will refuse (declared larger than MAX_CONTENT_LENGTH), and any chunked body, gets its
connection closed after the answer, so gunicorn never reads or drains the body.

Gunicorn answers some malformed requests itself, before the app sees them (a bad request
line, too many or too long headers, a bad Transfer-Encoding). `Worker` sends those answers as
the site's plain error page with the security headers and `Cache-Control: no-store`.

Each worker creates its own app after gevent has patched the standard library, so the app's
locks are gevent's. The master creates one first only to report a configuration or content
error cleanly before any worker starts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import gevent
from gevent.server import StreamServer
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger
from gunicorn.workers import ggevent
from gunicorn.workers.ggevent import GeventWorker

from .web.errors import fallback_page
from .web.security import HEADERS

log = logging.getLogger(__name__)

KEEPALIVE = 5  # seconds: for a request's headers to arrive, and for an idle connection
TIMEOUT = 30  # seconds a worker may go without telling the master it is alive
GRACEFUL_TIMEOUT = 10
LIMIT_REQUEST_LINE = 8190  # bytes: method, path, query and version together
LIMIT_REQUEST_FIELDS = 50
LIMIT_REQUEST_FIELD_SIZE = 8190
ACCEPT_AT_ONCE = 100  # connections a worker takes from the listen queue on each turn of its loop (gevent's default)


def error_response(code: int, reason: str) -> bytes:
    """Return a complete HTTP error answer: the plain error page with the site's headers."""
    body = fallback_page(code, reason).encode()
    lines = [
        f"HTTP/1.1 {code} {reason}",
        "Connection: close",
        "Content-Type: text/html; charset=utf-8",
        f"Content-Length: {len(body)}",
        "Cache-Control: no-store",
        *(f"{name}: {value}" for name, value in HEADERS.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class _ErrorPageSocket:
    """Stands in for a client socket while gunicorn writes one of its own error answers."""

    def __init__(self, sock):
        self._sock = sock

    def __getattr__(self, name: str):
        return getattr(self._sock, name)

    def sendall(self, data: bytes) -> None:
        """Send the site's error page in place of gunicorn's, keeping gunicorn's status."""
        status = data.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
        try:
            code, reason = int(status[1]), status[2]
        except (IndexError, ValueError):
            code, reason = 400, "Bad Request"
        self._sock.sendall(error_response(code, reason))


class _Listener(StreamServer):
    """gevent's StreamServer taking up to ACCEPT_AT_ONCE waiting connections on each turn of the loop.

    With more than one worker gunicorn sets `max_accept = 1`, so that one worker does not take a
    burst of connections that another could have served. But a worker accepts only on its turn of
    the event loop, and a turn answers one request on every connection whose request is there:
    with 100 busy keep-alive connections a turn took about 0.1 s, so the two workers took in 12-46
    new connections a second and the rest waited in the kernel's listen queue. With wrk's 200
    connections the last were accepted after 3.5 s (MP3 ranges) and after more than 10 s
    (uncached search), which made bench/serve.py's p99 2.4-8 s while p50 was 0.1 s. Both workers
    wait on the one listening socket, so the one whose turn comes first, the less busy one, takes
    what is waiting; a burst can still be split unevenly (59/141 in one run).
    """

    @property
    def max_accept(self) -> int:
        return ACCEPT_AT_ONCE

    @max_accept.setter
    def max_accept(self, value: int) -> None:
        """Ignore gunicorn's limit of one (see the class)."""


class Worker(GeventWorker):
    """gunicorn's gevent worker, fair between connections, whose own error answers carry the site's headers."""

    def run(self) -> None:
        """Serve with _Listener in place of gevent's StreamServer (this worker process only)."""
        ggevent.StreamServer = _Listener
        super().run()

    def handle_request(self, listener_name, req, sock, addr):
        """Answer one request, then let every other connection's waiting request go first.

        A keep-alive connection whose next request has already arrived is read without waiting,
        so its greenlet never yielded: a few busy connections took the whole worker while the
        rest waited seconds (bench/serve.py, 200 connections: p50 23 ms, p99 5.9 s).
        """
        try:
            return super().handle_request(listener_name, req, sock, addr)
        finally:
            gevent.sleep(0)

    def handle_error(self, req, client, addr, exc):
        super().handle_error(req, _ErrorPageSocket(client), addr, exc)


class AccessLogger(Logger):
    """gunicorn's logger with a cheaper access line, in gunicorn's default (Apache combined) format.

    gunicorn builds a dictionary of every request and response header and environ entry for
    each access line, whatever the format asks for: 29 µs a request, about a fifth of what a
    worker spends on a page from the page cache (bench/serve.py). This writes the same line
    from the few values it holds, in about 9 µs.
    """

    _second = -1
    _stamp = ""

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        now = int(time.time())
        if now != self._second:
            self._second, self._stamp = now, time.strftime("[%d/%b/%Y:%H:%M:%S %z]", time.localtime(now))
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        sent = getattr(resp, "sent", None)
        self.access_log.info(
            '%s - - %s "%s %s %s" %s %s "%s" "%s"',
            environ.get("REMOTE_ADDR", "-"), self._stamp, environ.get("REQUEST_METHOD", "-"),
            environ.get("RAW_URI", "-"), environ.get("SERVER_PROTOCOL", "-"), status,
            "-" if sent is None else sent, _quoted(environ.get("HTTP_REFERER", "-")),
            _quoted(environ.get("HTTP_USER_AGENT", "-")),
        )


def _quoted(value: str) -> str:
    """Escape double quotes, as gunicorn does, so a header cannot end a quoted field early."""
    return value.replace('"', '\\"')


def close_after_refused_body(limit: int | None) -> Callable:
    """Return a pre_request hook that closes connections whose body will not be read whole."""

    def pre_request(worker, req) -> None:
        length = next((value for name, value in req.headers if name == "CONTENT-LENGTH"), "")
        chunked = any(name == "TRANSFER-ENCODING" for name, _ in req.headers)
        if chunked or (limit is not None and length.isdigit() and int(length) > limit):
            req.force_close()

    return pre_request


def gunicorn_options(settings: dict) -> dict:
    """Return gunicorn's settings for serving `settings` (HOST, PORT, WORKERS, ...)."""
    host = str(settings["HOST"])
    bind_host = f"[{host}]" if ":" in host else host
    return {
        "bind": f"{bind_host}:{settings['PORT']}",
        "workers": int(settings["WORKERS"]),
        "worker_class": Worker,
        "worker_connections": int(settings["WORKER_CONNECTIONS"]),
        "keepalive": KEEPALIVE,
        "timeout": TIMEOUT,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "limit_request_line": LIMIT_REQUEST_LINE,
        "limit_request_fields": LIMIT_REQUEST_FIELDS,
        "limit_request_field_size": LIMIT_REQUEST_FIELD_SIZE,
        "forwarded_allow_ips": "",  # proxies are trusted by the app alone (VOICEREF_PROXIES)
        "pre_request": close_after_refused_body(settings.get("MAX_CONTENT_LENGTH")),
        "accesslog": "-",
        "logger_class": AccessLogger,
    }


class Server(BaseApplication):
    """gunicorn running the voiceref app with `gunicorn_options(settings)`."""

    def __init__(self, settings: dict):
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in gunicorn_options(self.settings).items():
            self.cfg.set(name, value)

    def load(self):
        from . import create_app

        return create_app({"HOST": self.settings["HOST"], "PORT": self.settings["PORT"]})


def serve(settings: dict) -> None:
    """Check that the app can start, then serve it until stopped (raises VoicerefError)."""
    from . import create_app

    create_app({"HOST": settings["HOST"], "PORT": settings["PORT"]})
    Server(settings).run()
