"""Validators and lifetimes: ETags from the build and the preference cookie, 304s before rendering."""

from __future__ import annotations

import pytest

from voiceref.release.build import build_release
from voiceref.web.caching import DATA, NEVER, PAGE
from voiceref.web.preferences import COOKIE

PAGES = ["/", "/glossary/", "/glossary/myoclonus", "/search?q=spasticity", "/preferences", "/news/"]
DATA_URLS = ["/api/search?q=spasticity", "/api/suggest?q=my", "/api/articles/glossary/myoclonus",
             "/feeds/podcast.xml", "/sitemap.xml", "/robots.txt", "/opensearch.xml", "/glossary/playlist.m3u"]


@pytest.mark.parametrize("url", PAGES + DATA_URLS)
def test_answers_carry_an_etag_a_lifetime_and_vary_on_the_cookie(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Cache-Control"] == (PAGE if url in PAGES else DATA)
    assert "Cookie" in response.vary


@pytest.mark.parametrize("url", ["/glossary/myoclonus", "/api/suggest?q=my", "/feeds/news.xml"])
def test_a_known_etag_gets_304_with_the_same_headers(client, url):
    first = client.get(url)
    tag = first.headers["ETag"]
    for sent in [tag, f"W/{tag}", f'"other", {tag}']:  # nginx weakens the tag when it compresses
        again = client.get(url, headers={"If-None-Match": sent})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == tag
        assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
        assert again.headers["Content-Security-Policy"]
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_etag_changes_with_the_preference_cookie(client):
    plain = client.get("/glossary/myoclonus").headers["ETag"]
    client.set_cookie(COOKIE, "theme=dark")
    dark = client.get("/glossary/myoclonus")
    assert dark.headers["ETag"] != plain and b"theme-dark" in dark.data
    assert client.get("/glossary/myoclonus", headers={"If-None-Match": plain}).status_code == 200
    client.set_cookie(COOKIE, "theme=nonsense&junk=1")  # reads as the defaults, so it is the same answer
    assert client.get("/glossary/myoclonus").headers["ETag"] == plain


def test_the_etag_changes_when_a_new_build_is_served(own_release):
    settings, client = own_release
    before = client.get("/glossary/myoclonus").headers["ETag"]
    build_release(settings, audio=False)
    after = client.get("/glossary/myoclonus")
    assert after.headers["ETag"] != before
    assert client.get("/glossary/myoclonus", headers={"If-None-Match": before}).status_code == 200


def test_errors_health_and_posts_are_never_cached(client):
    assert client.get("/nope/nowhere").headers["Cache-Control"] == NEVER
    assert client.get("/api/articles/glossary/nothing").headers["Cache-Control"] == NEVER
    assert client.get("/healthz").headers["Cache-Control"] == NEVER
    assert "ETag" not in client.get("/healthz").headers
    saved = client.post("/preferences", data={"theme": "dark"})
    assert saved.status_code == 303 and saved.headers["Cache-Control"] == NEVER


def test_other_methods_are_not_answered_from_a_validator(client):
    tag = client.get("/").headers["ETag"]
    response = client.post("/preferences", data={"theme": "dark"}, headers={"If-None-Match": tag})
    assert response.status_code == 303
