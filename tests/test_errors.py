"""Error pages that cannot fail: the normal page for every 4xx, a fixed page if even that breaks."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from voiceref.web import errors
from voiceref.web.security import HEADERS


@pytest.mark.parametrize(("method", "url", "status"), [
    ("DELETE", "/", 405),
    ("PUT", "/preferences", 405),
    ("GET", "/glossary/%ff%fe", 404),
    ("GET", "/%00", 404),
    ("GET", "/search?q=" + "a" * 5000, 414),
])
def test_framework_errors_get_the_normal_page(client, method, url, status):
    response = client.open(url, method=method)
    assert response.status_code == status
    page = BeautifulSoup(response.data, "html.parser")
    assert page.find("main", id="content") and page.h1
    assert all(response.headers[name] == value for name, value in HEADERS.items())


def test_a_page_that_cannot_be_rendered_falls_back_to_a_fixed_one(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template trouble")

    monkeypatch.setattr(errors, "render_template", broken)
    response = client.get("/nope/nowhere")
    assert response.status_code == 404 and response.mimetype == "text/html"
    page = BeautifulSoup(response.data, "html.parser")
    assert page.h1.get_text() == "404 Not Found" and page.find("a")["href"] == "/"
    assert all(response.headers[name] == value for name, value in HEADERS.items())


def test_the_fallback_page_says_whose_problem_it_is():
    assert "not something you did" in errors.fallback_page(503, "Service Unavailable")
    assert "could not understand" in errors.fallback_page(400, "Bad <Request>")
    assert "Bad &lt;Request&gt;" in errors.fallback_page(400, "Bad <Request>")
