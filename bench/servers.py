"""Other WSGI servers for bench/serve.py (`--servers`), and its slow-client check.

Each server runs bench/wsgi_target.py on 127.0.0.1 with as many worker processes as `voiceref
serve` has in the bench, serving either the bare callable (the article page's bytes, nothing
else) or the real voiceref app, so the table shows what a change of server would buy:

- granian:       granian's WSGI interface (HTTP in Rust, the app in a pool of Python threads per
                 worker), HTTP/1 only, its access log on (as gunicorn's is);
- granian-nolog: the same without the access log (granian writes it through Python's logging);
- uwsgi:         uWSGI (pyuwsgi's wheel) with gevent, 1,000 greenlets per worker, on its plain
                 HTTP socket. That socket cannot keep a connection alive (unbit/uwsgi#1097), so
                 every answer says `Connection: close` and wrk opens a new connection per request;
                 uWSGI's keep-alive socket pins a connection to a sync worker (2 workers, 50
                 connections: 48 wait) and with gevent answered 5 requests a second here, and
                 its HTTP router added 40 ms to every keep-alive answer (wrk's delayed ACK).

bjoern and meinheld are left out: unmaintained, and no wheels (they need a compiler and libev).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from voiceref.loopback import stop_group

BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def granian(port: int, workers: int, access_log: bool = True) -> list[str]:
    return [str(BIN / "granian"), "--interface", "wsgi", "--working-dir", str(BENCH), "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers), "--http", "1", "--no-ws",
            "--access-log" if access_log else "--no-access-log", "wsgi_target:application"]


def uwsgi(port: int, workers: int) -> list[str]:
    return [str(BIN / "uwsgi"), "--master", "--die-on-term", "--need-app", "--lazy-apps",
            "--processes", str(workers), "--gevent", "1000", "--gevent-monkey-patch",
            "--http-socket", f"127.0.0.1:{port}", "--add-header", "Connection: close",
            "--wsgi-file", str(BENCH / "wsgi_target.py")]


SERVERS = {
    "granian": granian,
    "granian-nolog": lambda port, workers: granian(port, workers, access_log=False),
    "uwsgi": uwsgi,
}


def missing(servers: list[str]) -> list[str]:
    """Return the commands of `servers` that are not installed (they come with the bench extra)."""
    return [name for name in dict.fromkeys(SERVERS[s](0, 1)[0] for s in servers) if not Path(name).exists()]


@contextmanager
def other_server(server: str, app: str, port: int, workers: int, env: dict[str, str], path: str, log: Path):
    """Run `server` with `app` (VOICEREF_BENCH_APP) on `port` until `path` answers; yield its base URL."""
    url = f"http://127.0.0.1:{port}"
    with open(log, "ab") as out:
        process = subprocess.Popen(SERVERS[server](port, workers), env={**os.environ, **env, "VOICEREF_BENCH_APP": app},
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + path, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{server} did not start: see {log}")
            time.sleep(0.2)
        yield url
    finally:
        stop_group(process, signal.SIGTERM, 15)


@dataclass
class SlowCheck:
    setup: str
    opened: int  # slow connections the server accepted
    answered: int  # probes answered within 1 s
    probes: int
    slowest: float | None  # seconds of the slowest probe answered; None if none was


def slow_clients(setup: str, url: str, path: str, clients: int = 200, probes: int = 6) -> SlowCheck:
    """Hold `clients` connections that never finish their headers; time a normal request each second.

    Each slow connection sends one more header byte before every probe (slowloris), so a server
    that waits for a whole request line or resets its timer on each byte keeps waiting.
    """
    host, port = url.removeprefix("http://").split(":")
    slow: list[socket.socket] = []
    times: list[float | None] = []
    try:
        for _ in range(clients):
            try:
                sock = socket.create_connection((host, int(port)), timeout=2)
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                slow.append(sock)
            except OSError:
                break
        opened = len(slow)
        for _ in range(probes):
            time.sleep(1)
            for sock in slow:
                try:
                    sock.send(b"a")
                except OSError:
                    pass  # the server hung up on it: so much the better
            start = time.monotonic()
            try:
                with urllib.request.urlopen(url + path, timeout=5) as answer:
                    answer.read()
                times.append(time.monotonic() - start)
            except (urllib.error.URLError, OSError):
                times.append(None)
    finally:
        for sock in slow:
            sock.close()
    done = [t for t in times if t is not None]
    return SlowCheck(setup, opened, sum(t <= 1 for t in done), probes, max(done) if done else None)


def slow_table(checks: list[SlowCheck], clients: int = 200) -> str:
    """Return the slow-client checks as a Markdown table."""
    lines = [f"| set-up | slow connections open (of {clients}) | probes answered within 1 s | slowest probe |",
             "|---|---|---|---|"]
    for c in checks:
        slowest = "none answered" if c.slowest is None else f"{c.slowest * 1000:.0f} ms"
        lines.append(f"| {c.setup} | {c.opened} | {c.answered} of {c.probes} | {slowest} |")
    return "\n".join(lines)
