"""Static files under content-hash URLs: a year and immutable when current, an hour otherwise."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from voiceref.web.assets import fingerprinted, fingerprints, resolve

FINGERPRINTED = re.compile(r"^/static/(.+)\.([0-9a-f]{12})(\.[a-z0-9]+)$")


def fetch(client, url):
    with client.get(url) as response:
        response.data  # read while open, so the file is closed afterwards  # noqa: B018
        return response


def test_fingerprints_follow_the_content(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("a{}")
    first = fingerprints(tmp_path)
    (tmp_path / "css" / "site.css").write_text("b{}")
    second = fingerprints(tmp_path)
    assert first.keys() == {"css/site.css"} and first != second
    name = fingerprinted("css/site.css", second)
    assert name == f"css/site.{second['css/site.css']}.css"
    assert resolve(name, second) == ("css/site.css", True)
    assert resolve(fingerprinted("css/site.css", first), second) == ("css/site.css", False)
    assert resolve("css/site.css", second) == ("css/site.css", False)
    assert fingerprinted("unknown.js", second) == "unknown.js"


def test_pages_link_fingerprinted_static_files(client):
    page = BeautifulSoup(client.get("/glossary/myoclonus").data, "html.parser")
    links = [tag["href"] for tag in page.find_all("link", href=re.compile("^/static/"))]
    links += [tag["src"] for tag in page.find_all("script", src=True)]
    assert len(links) >= 4 and all(FINGERPRINTED.match(url) for url in links), links


def test_a_fingerprinted_file_is_cached_for_a_year(client, app):
    url = next(tag["href"] for tag in BeautifulSoup(client.get("/").data, "html.parser").find_all("link")
               if "site." in tag["href"])
    response = fetch(client, url)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.data == (Path(app.static_folder) / "css" / "site.css").read_bytes()
    assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.immutable
    assert response.cache_control.public


def test_plain_and_stale_names_are_cached_an_hour_and_never_immutable(client):
    for url in ["/static/css/site.css", "/static/css/site.0123456789ab.css", "/static/fonts/opendyslexic-LICENSE.txt"]:
        response = fetch(client, url)
        assert response.status_code == 200, url
        assert response.cache_control.max_age == 3600 and not response.cache_control.immutable


def test_unknown_static_files_are_404(client):
    for url in ["/static/nope.css", "/static/nope.0123456789ab.css", "/static/../app.py"]:
        assert fetch(client, url).status_code == 404, url
