"""`voiceref serve` for real: slow clients, body and header limits, hostile hosts, gunicorn's own errors."""

from __future__ import annotations

import datetime as dt
import re
import selectors
import socket
import threading
import urllib.request

import pytest
from bs4 import BeautifulSoup
from gunicorn.config import Config
from gunicorn.glogging import Logger

from voiceref.loopback import AppProcess, free_port
from voiceref.server import AccessLogger, close_after_refused_body, error_response, gunicorn_options
from voiceref.web.security import HEADERS

from .rawhttp import parse, request_bytes, send_raw

SLOW_CLIENTS = 200


def assert_site_headers(answer) -> None:
    for name, value in HEADERS.items():
        assert answer.all(name) == [value], name


def test_slow_clients_cannot_stop_the_site(server):
    """200 connections that never finish their headers; normal requests are still answered."""
    slow: list[socket.socket] = []
    try:
        for _ in range(SLOW_CLIENTS):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(sock)
        for path in ["/glossary/", "/glossary/myoclonus", "/search?q=spasticity", "/api/suggest?q=my"]:
            with urllib.request.urlopen(server.url + path, timeout=10) as response:
                assert response.status == 200, path
        # Headers must arrive within the keep-alive timeout (5 s); then the server hangs up.
        for sock in slow:
            sock.settimeout(20)
            assert sock.recv(1024) == b""
    finally:
        for sock in slow:
            sock.close()


PIPELINED = 1000


def test_one_busy_connection_cannot_keep_the_others_waiting(built, tmp_path):
    """Requests pipelined on one connection take turns with another connection's request.

    One worker, so both connections meet in it. The order of the access log lines says who was
    answered when: before, a connection whose next request had already arrived was served to
    the end while every other one waited.
    """
    port = free_port()
    with AppProcess(port, built.settings(f"http://127.0.0.1:{port}"), tmp_path / "serve.log", workers=1) as app:
        busy = socket.create_connection(("127.0.0.1", port), timeout=30)
        received = bytearray()

        def drain() -> None:  # keep reading, so the worker never waits to send
            while received.count(b"HTTP/1.1 ") < PIPELINED and (chunk := busy.recv(65536)):
                received.extend(chunk)

        reader = threading.Thread(target=drain)
        reader.start()
        try:
            busy.sendall(b"".join(b"GET /api/suggest?q=busy%d HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % i
                                  for i in range(PIPELINED)))  # keep-alive: all on one connection
            other = send_raw(port, request_bytes("GET", "/api/suggest?q=other"))
            reader.join(timeout=60)
        finally:
            busy.close()
        assert other.status == 200 and received.count(b"HTTP/1.1 200") == PIPELINED
        lines = [line for line in app.log.read_text().splitlines() if "GET /api/suggest?q=" in line]
        order = [line.split("GET /api/suggest?q=", 1)[1].split(" ", 1)[0] for line in lines]
        assert order.index("other") < PIPELINED // 2, order.index("other")


BUSY, NEW = 100, 60


def _search(query: str, close: bool = False) -> bytes:
    """Return a search request for `query`, keeping the connection open unless `close`."""
    return request_bytes("GET", f"/search?q={query}") if close else (
        b"GET /search?q=%s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % query.encode())


def _keep_busy_until_answered(busy: list[socket.socket], new: list[socket.socket]) -> dict[socket.socket, bytes]:
    """Keep a search in flight on each busy connection until every new connection is answered; return those answers.

    Each busy connection asks its next search as soon as an answer begins, as wrk does.
    """
    received = {sock: bytearray() for sock in new}
    answers = dict.fromkeys(busy, 0)
    with selectors.DefaultSelector() as selector:
        for sock in busy + new:
            selector.register(sock, selectors.EVENT_READ)
        while any(selector.get_map().get(sock) for sock in new):
            for key, _ in selector.select(timeout=60) or pytest.fail("no answer for 60 s"):
                sock = key.fileobj
                chunk = sock.recv(65536)
                if not chunk:
                    selector.unregister(sock)
                elif sock in received:
                    received[sock].extend(chunk)
                elif starts := chunk.count(b"HTTP/1.1 "):
                    answers[sock] += starts
                    sock.sendall(_search(f"busy{busy.index(sock)}x{answers[sock]}"))
    return {sock: bytes(data) for sock, data in received.items()}


def test_new_connections_are_accepted_while_the_workers_are_busy(built, tmp_path):
    """A connection opened while the workers are busy is answered within a few turns of the busy ones.

    gunicorn's gevent worker accepts one connection per turn of its event loop when there is
    more than one worker, and a turn serves every connection whose request is there: with 200
    connections, new ones waited seconds in the listen queue (bench/serve.py: MP3 ranges p99
    2.7-7.3 s, p50 0.1 s). The order of the access log lines says who was answered when.
    """
    port = free_port()
    with AppProcess(port, built.settings(f"http://127.0.0.1:{port}"), tmp_path / "serve.log", workers=2) as app:
        busy = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(BUSY)]
        new: list[socket.socket] = []
        try:
            for n, sock in enumerate(busy):  # one search in flight on each (keep-alive)
                sock.sendall(_search(f"busy{n}x0"))
            for n in range(NEW):
                new.append(socket.create_connection(("127.0.0.1", port), timeout=60))
                new[-1].sendall(_search(f"new{n}", close=True))
            answers = _keep_busy_until_answered(busy, new)
        finally:
            for sock in busy + new:
                sock.close()
    assert all(answer.startswith(b"HTTP/1.1 200") for answer in answers.values())
    lines = [line for line in app.log.read_text().splitlines() if "GET /search?q=" in line]  # all written
    order = [line.split("GET /search?q=", 1)[1].split(" ", 1)[0] for line in lines]
    last_new = max(i for i, query in enumerate(order) if query.startswith("new"))
    turns = sum(query.startswith("busy") for query in order[:last_new]) / BUSY
    assert turns < 8, turns


def test_a_30_mb_post_is_refused_before_its_body_is_read(server):
    head = request_bytes("POST", "/preferences", {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(30 * 1024 * 1024),
    })
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head + b"theme=dark&" + b"x" * 4000)  # then nothing more is ever sent
        data = b""
        while chunk := sock.recv(65536):  # the server answers and hangs up without the body
            data += chunk
    answer = parse(data)
    assert answer.status == 413
    assert_site_headers(answer)
    assert BeautifulSoup(answer.body, "html.parser").h1.get_text(strip=True) == "Request Entity Too Large"


def test_a_malformed_chunked_body_is_a_client_error(server):
    answer = send_raw(server.port, request_bytes("POST", "/preferences", {
        "Content-Type": "application/x-www-form-urlencoded",
        "Transfer-Encoding": "chunked",
    }, b"zz\r\ntheme=dark\r\n0\r\n\r\n"))
    assert answer.status == 400
    assert_site_headers(answer)


def test_an_unknown_host_gets_the_normal_400_page(server):
    for host in ["a..b", "evil.example", "evil.example:80", "[::1", "x" * 300]:
        answer = send_raw(server.port, request_bytes("GET", "/feeds/podcast.xml", {"Host": host}))
        assert answer.status == 400, host
        assert_site_headers(answer)
        assert answer.header("Cache-Control") == "no-store"
        page = BeautifulSoup(answer.body, "html.parser")
        assert page.find("main") and page.h1.get_text(strip=True) == "Bad Request"
        assert b"evil.example" not in answer.body


def test_redirects_use_the_public_url_whatever_the_host(server):
    answer = send_raw(server.port, request_bytes("GET", "/glossary", {"Host": "localhost:9"}))
    assert answer.status == 308
    assert answer.header("Location") == f"{server.url}/glossary/"


def test_gunicorns_own_errors_carry_the_site_headers(server):
    cases = {
        b"GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n": 400,
        b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n": 414,
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + b"c" * 9000 + b"\r\n\r\n": 431,
        b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(60)) + b"\r\n": 431,
        b"GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n": 400,
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n": 400,
    }
    for request, status in cases.items():
        answer = send_raw(server.port, request)
        assert answer.status == status, request[:40]
        assert_site_headers(answer)
        assert answer.header("Cache-Control") == "no-store"
        assert BeautifulSoup(answer.body, "html.parser").h1.get_text(strip=True).startswith(str(status))


def test_error_response_is_a_whole_http_answer():
    answer = parse(error_response(431, "Request Header Fields Too Large"))
    assert answer.status == 431
    assert int(answer.header("Content-Length")) == len(answer.body)
    assert answer.header("Connection") == "close"
    assert_site_headers(answer)


class _Request:
    def __init__(self, headers):
        self.headers = headers
        self.closed = False

    def force_close(self):
        self.closed = True


def test_connections_close_after_a_body_that_will_not_be_read():
    hook = close_after_refused_body(1000)
    cases = {
        (("CONTENT-LENGTH", "1001"),): True,
        (("TRANSFER-ENCODING", "chunked"),): True,
        (("CONTENT-LENGTH", "1000"),): False,
        (): False,
    }
    for headers, closes in cases.items():
        request = _Request(list(headers))
        hook(None, request)
        assert request.closed is closes, headers


def test_gunicorn_options_bind_loopback_with_gevent_and_limits():
    options = gunicorn_options({"HOST": "127.0.0.1", "PORT": 5200, "WORKERS": 3, "WORKER_CONNECTIONS": 500,
                                "MAX_CONTENT_LENGTH": 65536})
    assert options["bind"] == "127.0.0.1:5200" and options["workers"] == 3
    assert options["worker_class"].__mro__[1].__name__ == "GeventWorker"
    assert options["keepalive"] <= 10 and options["limit_request_fields"] <= 100
    assert gunicorn_options({"HOST": "::1", "PORT": 1, "WORKERS": 1, "WORKER_CONNECTIONS": 1})["bind"] == "[::1]:1"


class _Response:
    status = "200 OK"
    sent = 9574
    headers = [("Content-Type", "text/html")]


class _Req:
    headers = [("HOST", "127.0.0.1")]


def test_the_access_line_is_gunicorns_own(tmp_path):
    """The cheaper access logger writes, byte for byte, the line gunicorn's default format would."""
    environ = {"REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "GET", "RAW_URI": "/search?q=%22numb%22",
               "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_USER_AGENT": 'wrk "quoted"', "PATH_INFO": "/search"}
    lines = []
    for kind in (Logger, AccessLogger):
        config = Config()
        config.set("accesslog", str(tmp_path / f"{kind.__name__}.log"))
        logger = kind(config)
        logger.access(_Response, _Req, environ, dt.timedelta(microseconds=1500))
        for handler in logger.access_log.handlers:
            handler.close()
        lines.append((tmp_path / f"{kind.__name__}.log").read_text())
    stamp = re.compile(r" \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] ")
    assert all(stamp.search(line) for line in lines)
    # the two lines may have been written either side of a second's end
    assert lines[0].count("\n") == 1 and stamp.sub(" ", lines[1]) == stamp.sub(" ", lines[0])
    assert gunicorn_options({"HOST": "127.0.0.1", "PORT": 1, "WORKERS": 1, "WORKER_CONNECTIONS": 1})[
        "logger_class"] is AccessLogger
