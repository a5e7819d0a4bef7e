"""The in-memory page cache: a repeated page is not made again; nothing stale or private is kept."""

from __future__ import annotations

import pytest

from voiceref.release.build import build_release
from voiceref.web import pages
from voiceref.web.pagecache import PageCache
from voiceref.web.preferences import COOKIE


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Count the templates the page views render."""
    made: list[str] = []
    real = pages.render_template

    def counting(name, **context):
        made.append(name)
        return real(name, **context)

    monkeypatch.setattr(pages, "render_template", counting)
    return made


def cache(app) -> PageCache:
    return app.extensions["voiceref.pagecache"]


def test_a_repeated_page_is_sent_from_memory(app, client, renders):
    first = client.get("/glossary/myoclonus")
    second = client.get("/glossary/myoclonus")
    assert renders == ["article.html"] and cache(app).hits == 1
    assert second.data == first.data and second.headers == first.headers


def test_the_preference_cookie_and_the_query_are_part_of_the_key(client, renders):
    client.get("/search?q=spasticity")
    client.get("/search?q=myoclonus")
    client.set_cookie(COOKIE, "theme=dark")
    dark = client.get("/search?q=spasticity")
    assert len(renders) == 3 and b"theme-dark" in dark.data


def test_a_new_build_is_never_answered_from_the_old_one(own_release, renders):
    settings, client = own_release
    client.get("/glossary/myoclonus")
    assert renders == ["article.html"]
    build_release(settings, audio=False)  # its own checks render every article too
    renders.clear()
    client.get("/glossary/myoclonus")
    assert renders == ["article.html"]


def test_only_plain_gets_of_cacheable_pages_are_kept(app, client, renders):
    client.get("/nope/nowhere")
    client.get("/nope/nowhere")  # errors are made every time
    assert client.get("/glossary/myoclonus", headers={"Host": "evil.example"}).status_code == 400
    tag = client.get("/glossary/myoclonus").headers["ETag"]
    assert client.get("/glossary/myoclonus", headers={"If-None-Match": tag}).status_code == 304
    client.head("/glossary/myoclonus")
    assert cache(app).hits == 0 and len(cache(app)) == 1
    assert client.get("/healthz").status_code == 200 and len(cache(app)) == 1


def test_the_cache_stays_within_its_size(app, client):
    pagecache = cache(app)
    pagecache.max_bytes = 12_000
    for query in ["spasticity", "myoclonus", "fatigue", "mri", "clonazepam", "walking", "balance", "tremor"]:
        client.get(f"/search?q={query}")
    assert 0 < pagecache.size <= 12_000 and 0 < len(pagecache) < 8
