"""Request limits and unreadable bodies: 413, 414 and 400, never 500, and nothing read first."""

from __future__ import annotations

import io

import pytest

from voiceref.web.limits import _Body


class Unread(io.RawIOBase):
    """A request body stream that the test client may position but nothing may read."""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def tell(self) -> int:
        return 0


class Untouchable(Unread):
    """A request body that fails the test if anything reads it."""

    def readinto(self, buffer) -> int:
        raise AssertionError("the body was read")


class Broken(Unread):
    """A request body whose reader fails, as gunicorn's does on malformed chunking."""

    def readinto(self, buffer) -> int:
        raise RuntimeError("Invalid chunk size: 'zz'")


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_a_30_mb_post_is_refused_before_its_body_is_read(client, content_type):
    for path in ["/preferences", "/", "/api/search?q=x"]:
        response = client.open(path, method="POST" if path == "/preferences" else "GET",
                               input_stream=Untouchable(), content_type=content_type,
                               environ_overrides={"CONTENT_LENGTH": str(30 * 1024 * 1024)})
        assert response.status_code == 413, path
        assert response.headers["Cache-Control"] == "no-store"


def test_a_body_within_the_limit_is_read(client):
    response = client.post("/preferences", data={"theme": "dark", "padding": "x" * 10_000})
    assert response.status_code == 303


def test_too_many_or_too_big_form_fields_are_refused(client):
    parts = {f"f{i}": "1" for i in range(60)}
    assert client.post("/preferences", data=parts, content_type="multipart/form-data").status_code == 413
    big = {"theme": "dark", "padding": "x" * 20_000}  # over MAX_FORM_MEMORY_SIZE, under MAX_CONTENT_LENGTH
    assert client.post("/preferences", data=big, content_type="multipart/form-data").status_code == 413


def test_a_long_query_string_gets_414_with_a_page(client):
    response = client.get("/search?q=" + "a" * 5000)
    assert response.status_code == 414
    assert b"The address is too long" in response.data


def test_an_unreadable_body_is_a_client_error(client):
    response = client.post("/preferences", input_stream=Broken(), content_type="application/x-www-form-urlencoded",
                           environ_overrides={"wsgi.input_terminated": True})  # as gunicorn sets for chunked
    assert response.status_code == 400


def test_the_body_wrapper_passes_data_and_lines_through():
    body = _Body(io.BytesIO(b"one\ntwo\n"))
    assert body.readline() == b"one\n" and list(body) == [b"two\n"]
    with pytest.raises(Exception, match="could not be read"):
        _Body(Broken()).read(10)
