"""A running server follows each new release on its next request: no restart, no content/.

Real `voiceref build` and `voiceref serve` (gunicorn, two workers) as separate processes.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from .support import children_of, get, release_of

NEW_ARTICLE = """---
title: Optic neuritis
summary: Inflammation of the optic nerve, which can blur or dim the sight of one eye for a while.
sources:
  - title: NHS — Optic neuritis
    url: https://www.nhs.uk/conditions/optic-neuritis/
reviewed: 2025-06-01
---
## What it is

Optic neuritis is an inflammation of the optic nerve. Sight in one eye becomes blurred or dim,
and moving the eye can hurt. It is often one of the first signs of MS.
"""

# Every kind of answer the site gives, with the status it must have once content/ is gone.
EVERY_PAGE_TYPE = {
    "/": 200,
    "/glossary/": 200,
    "/glossary/letter/O": 200,
    "/glossary/optic-neuritis": 200,
    "/glossary/mri": 200,
    "/essays/": 200,
    "/essays/what-is-ms": 200,
    "/news/": 200,
    "/news/2017-ocrelizumab-approved": 200,
    "/people/": 200,
    "/resources/ms-trust": 200,
    "/about/accessibility-statement": 200,
    "/search?q=neuritis": 200,
    "/api/search?q=neuritis": 200,
    "/api/suggest?q=opt": 200,
    "/api/articles/glossary/optic-neuritis": 200,
    "/glossary/mri/audio.mp3": 200,
    "/glossary/mri/audio.vtt": 200,
    "/glossary/mri/chapters.vtt": 200,
    "/glossary/mri/audio.json": 200,
    "/glossary/playlist.m3u": 200,
    "/feeds/podcast.xml": 200,
    "/feeds/news.xml": 200,
    "/sitemap.xml": 200,
    "/opensearch.xml": 200,
    "/robots.txt": 200,
    "/preferences": 200,
    "/healthz": 200,
    "/static/css/site.css": 200,
    "/people/example-person": 404,
    "/no/such/page": 404,
}


def heading(html: str) -> str:
    return BeautifulSoup(html, "html.parser").h1.get_text(" ", strip=True)


def change_content(corpus) -> None:
    """Edit one article, add one, remove one."""
    mri = corpus.content / "glossary" / "mri.md"
    mri.write_text(mri.read_text().replace("It does not use X-rays.", "It uses no X-rays and no radiation."))
    (corpus.content / "glossary" / "optic-neuritis.md").write_text(NEW_ARTICLE, encoding="utf-8")
    (corpus.content / "people" / "example-person.md").unlink()


@pytest.mark.speech
def test_an_edit_an_addition_and_a_removal_are_served_without_a_restart_and_without_content(corpus):
    first = corpus.built("--no-audio")
    with corpus.server() as server:
        workers = children_of(server.process.pid)
        assert len(workers) == 2
        assert "It does not use X-rays." in get(server.url + "/glossary/mri").text
        assert get(server.url + "/glossary/optic-neuritis").status == 404
        assert get(server.url + "/people/example-person").status == 200

        change_content(corpus)
        second = corpus.built("--voice", "clear", "--jobs", "2")
        assert second != first
        for _ in range(6):  # enough requests for both workers to answer
            assert release_of(server) == second
            page = get(server.url + "/glossary/mri").text
            assert "It uses no X-rays and no radiation." in page and "It does not use X-rays." not in page
            added = get(server.url + "/glossary/optic-neuritis")
            assert added.status == 200 and heading(added.text) == "Optic neuritis"
            api = get(server.url + "/api/articles/glossary/optic-neuritis")
            assert api.status == 200 and api.json()["title"] == "Optic neuritis"
            found = get(server.url + "/api/search?q=neuritis").json()
            assert [hit["url"] for hit in found["results"]] == ["/glossary/optic-neuritis"]
            assert 'href="/glossary/optic-neuritis"' in get(server.url + "/search?q=neuritis").text
            assert get(server.url + "/people/example-person").status == 404
            assert get(server.url + "/api/articles/people/example-person").status == 404
        assert children_of(server.process.pid) == workers, "the workers were restarted"

        corpus.content.rename(corpus.root / "content-moved-away")
        for url, status in EVERY_PAGE_TYPE.items():
            answer = get(server.url + url)
            assert answer.status == status, f"{url}: {answer.status}"
        mp3 = get(server.url + "/glossary/mri/audio.mp3")
        assert mp3.headers["Content-Type"] == "audio/mpeg" and mp3.body[:3] == b"ID3"
        assert "no radiation" in get(server.url + "/glossary/mri/audio.vtt").text
        assert release_of(server) == second


def test_two_servers_on_one_release_folder_answer_alike_and_both_switch(corpus):
    first = corpus.built("--no-audio")
    one = corpus.server("one.log")
    with one:
        # A replica: its own process and port, the same releases and the same public address.
        two = corpus.server("two.log")
        two.settings["VOICEREF_PUBLIC_URL"] = one.settings["VOICEREF_PUBLIC_URL"]
        with two:
            urls = ["/", "/glossary/", "/glossary/mri", "/essays/what-is-ms", "/search?q=spasticity",
                    "/api/search?q=spasticity", "/api/articles/glossary/mri", "/sitemap.xml", "/feeds/news.xml"]
            for url in urls:
                a, b = get(one.url + url), get(two.url + url)
                assert a.status == b.status == 200 and a.body == b.body, url
            assert release_of(one) == release_of(two) == first

            change_content(corpus)
            second = corpus.built("--no-audio")
            assert release_of(one) == release_of(two) == second
            for url in [*urls, "/glossary/optic-neuritis"]:
                a, b = get(one.url + url), get(two.url + url)
                assert a.status == b.status == 200 and a.body == b.body, url
            assert "no radiation" in get(two.url + "/glossary/mri").text
