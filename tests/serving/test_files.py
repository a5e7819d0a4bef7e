"""Audio ranges go to the server as its own file wrapper, at the range's start (voiceref/web/files.py)."""

from __future__ import annotations

import http.client
import os
import socket
from pathlib import Path

import pytest
from gunicorn.http.wsgi import FileWrapper
from werkzeug.test import EnvironBuilder

from voiceref import create_app

pytestmark = pytest.mark.speech  # the corpus is built with real pyttsx3 + espeak-ng

MP3 = "/glossary/mri/audio.mp3"


def call(app, method: str = "GET", **headers: str):
    """Call the app as gunicorn does (its file wrapper in the environ); return status, headers, body."""
    environ = EnvironBuilder(MP3, method=method, headers=headers).get_environ()
    environ["wsgi.file_wrapper"] = FileWrapper
    answers = []
    body = app(environ, lambda status, head, exc_info=None: answers.append((status, dict(head))))
    return answers[0][0], answers[0][1], body


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def app(built):
    return create_app({"TESTING": True, "INDEX_DIR": built.index})


def test_a_range_is_the_servers_file_wrapper_at_the_range_start(app):
    status, headers, body = call(app)
    whole = b"".join(body)
    body.close()
    assert status.startswith("200") and isinstance(body, FileWrapper)  # a whole file went by sendfile already
    start, length = len(whole) // 2, 5000
    status, headers, body = call(app, Range=f"bytes={start}-{start + length - 1}")
    try:
        assert status.startswith("206") and headers["Content-Length"] == str(length)
        assert headers["Content-Range"] == f"bytes {start}-{start + length - 1}/{len(whole)}"
        # What gunicorn checks before Response.sendfile, and what that sends: from the file's
        # position, Content-Length bytes.
        assert isinstance(body, FileWrapper)
        offset = os.lseek(body.filelike.fileno(), 0, os.SEEK_CUR)
        assert offset == start
        sender, receiver = socket.socketpair()
        with sender, receiver:
            sender.sendfile(body.filelike, offset, length)
            sender.shutdown(socket.SHUT_WR)
            sent = b"".join(iter(lambda: receiver.recv(65536), b""))
        assert sent == whole[start:start + length]
        body.filelike.seek(offset)  # as gunicorn leaves it; a server that iterates gets the range only
        assert b"".join(body) == whole[start:start + length]
    finally:
        body.close()
    assert body.filelike.closed


def test_a_range_answer_closes_its_file_even_when_never_read(app):
    call(app)[2].close()  # the release's own files (its database) are open from here on
    before = open_fds()
    answers = [call(app, Range="bytes=100-199"), call(app, "HEAD", Range="bytes=100-199"), call(app, Range="bytes=-10")]
    assert open_fds() == before + 3  # one file each, Werkzeug's own closed at once
    for _, _, body in answers:
        body.close()  # gunicorn closes the body in a finally, also when the client has gone
    assert open_fds() == before


def test_ranges_through_gunicorn_are_the_files_bytes(server, built):
    release = Path(os.path.realpath(built.index / "current"))
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", MP3)
    answer = connection.getresponse()
    whole, etag = answer.read(), answer.getheader("ETag")
    assert answer.status == 200 and whole in {p.read_bytes() for p in release.glob("audio/*/glossary/mri/audio.mp3")}
    size = len(whole)
    cases = [  # Range, If-Range: status, bytes; all on one kept-alive connection
        ("bytes=0-65535", None, 206, whole[:65536]), (f"bytes={size // 2}-{size // 2 + 999}", None, 206,
         whole[size // 2:size // 2 + 1000]), ("bytes=-100", None, 206, whole[-100:]), (f"bytes={size - 1}-", None, 206,
         whole[-1:]), (f"bytes={size + 10}-", None, 416, None), ("bytes=0-1,5-9", None, 416, None),
        ("bytes=10-19", etag, 206, whole[10:20]), ("bytes=10-19", '"other"', 200, whole),
    ]
    for given, if_range, status, expected in cases:
        headers = {"Range": given} | ({"If-Range": if_range} if if_range else {})
        connection.request("GET", MP3, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        assert answer.status == status, given
        if expected is not None:
            assert body == expected, given
            assert answer.getheader("ETag") == etag and answer.getheader("Accept-Ranges") == "bytes"
    connection.request("HEAD", MP3, headers={"Range": "bytes=100-199"})
    answer = connection.getresponse()
    assert answer.status == 206 and answer.getheader("Content-Length") == "100" and answer.read() == b""
    connection.close()
