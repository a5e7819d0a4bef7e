"""Hosts and the public URL: absolute URLs never come from Host; unknown hosts get 400."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from voiceref import create_app
from voiceref.errors import ConfigError
from voiceref.web.hosts import allowed_hosts, host_name, parse_public_url
from voiceref.web.preferences import COOKIE

PUBLIC = "https://ms.example.org"
EVIL = "evil.example"


@pytest.fixture
def public_app(content_dir, index_dir, tmp_path):
    return create_app({"TESTING": True, "CONTENT_DIR": content_dir, "INDEX_DIR": index_dir,
                       "AUDIO_DIR": tmp_path / "audio", "PUBLIC_URL": PUBLIC,
                       "ALLOWED_HOSTS": "www.ms.example.org, Mirror.Example."})


@pytest.fixture
def public(public_app):
    return public_app.test_client()


def get(client, path, host="ms.example.org", **headers):
    return client.get(path, headers={"Host": host, **headers})


def test_public_url_must_be_an_http_origin():
    assert parse_public_url("https://MS.example.org/").origin == "https://ms.example.org"
    assert parse_public_url("http://127.0.0.1:5200").port == 5200
    assert parse_public_url("https://[::1]:8443").hostname == "::1"
    for bad in ["ms.example.org", "ftp://x.org", "https://x.org/ms/", "https://x.org?q=1", "https://u@x.org",
                "https://x.org:99999", "https://"]:
        with pytest.raises(ConfigError, match="VOICEREF_PUBLIC_URL"):
            parse_public_url(bad)


def test_host_names_are_read_strictly():
    assert host_name("MS.Example.org.:443") == "ms.example.org"
    assert host_name("[::1]:5000") == "::1"
    for bad in ["a..b", "", " ", "x y", "a/b", "[::1", "@evil", "evil.example:port", ".lead"]:
        assert host_name(bad) is None, bad


def test_allowed_hosts_are_the_public_one_loopback_and_the_configured_ones():
    hosts = allowed_hosts(parse_public_url(PUBLIC), " www.ms.example.org, Mirror.Example. ,")
    assert hosts == {"ms.example.org", "www.ms.example.org", "mirror.example", "localhost", "127.0.0.1", "::1"}


@pytest.mark.parametrize("host", ["ms.example.org", "www.ms.example.org:8080", "mirror.example", "localhost",
                                  "127.0.0.1:5000"])
def test_allowed_hosts_are_served(public, host):
    assert get(public, "/", host).status_code == 200


@pytest.mark.parametrize("host", [EVIL, "a..b", "ms.example.org.evil.example", "[::2]", "x" * 300])
def test_other_hosts_get_the_normal_400_page(public, host):
    response = get(public, "/glossary/myoclonus", host)
    assert response.status_code == 400
    page = BeautifulSoup(response.data, "html.parser")
    assert page.h1.get_text(strip=True) == "Bad Request"
    assert page.find("a", string="Go to the home page")["href"] == "/"
    assert response.headers["Content-Security-Policy"] and response.headers["Cache-Control"] == "no-store"
    assert EVIL.encode() not in response.data


def test_every_absolute_url_comes_from_the_public_url(public):
    bodies = [get(public, path, "localhost:5000").get_data(as_text=True) for path in
              ["/opensearch.xml", "/feeds/podcast.xml", "/feeds/news.xml", "/robots.txt", "/sitemap.xml",
               "/glossary/playlist.m3u"]]
    text = "\n".join(bodies)
    assert "localhost" not in text and f"{PUBLIC}/" in text
    template = ET.fromstring(bodies[0]).find("{http://a9.com/-/spec/opensearch/1.1/}Url").get("template")
    assert template == f"{PUBLIC}/search?q={{searchTerms}}"
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in bodies[3]


def test_redirects_go_to_the_public_url(public):
    response = get(public, "/glossary", "localhost")
    assert response.status_code == 308 and response.headers["Location"] == f"{PUBLIC}/glossary/"
    letter = get(public, "/glossary/letter/M", "localhost")
    assert letter.status_code == 301 and letter.headers["Location"] == "/glossary/letter/m"  # relative: no host


def test_forwarded_headers_are_ignored_without_proxies(public):
    response = get(public, "/", "ms.example.org", **{"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "http"})
    assert response.status_code == 200


def test_forwarded_host_is_believed_and_checked_with_one_proxy(content_dir, index_dir, tmp_path):
    app = create_app({"TESTING": True, "CONTENT_DIR": content_dir, "INDEX_DIR": index_dir, "PUBLIC_URL": PUBLIC,
                      "PROXIES": 1})
    client = app.test_client()
    assert get(client, "/", "localhost", **{"X-Forwarded-Host": EVIL}).status_code == 400
    assert get(client, "/", EVIL, **{"X-Forwarded-Host": "ms.example.org"}).status_code == 200
    # Two hops claimed, one trusted: the client's own entry is not the one believed.
    two = get(client, "/", "localhost", **{"X-Forwarded-Host": f"ms.example.org, {EVIL}"})
    assert two.status_code == 400


def test_the_cookie_is_secure_when_the_public_url_is_https(public):
    response = public.post("/preferences", data={"theme": "dark"},
                           headers={"Host": "ms.example.org", "Origin": PUBLIC})
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "Secure" in cookie


def test_the_cookie_is_not_secure_when_the_public_url_is_http(client):
    response = client.post("/preferences", data={"theme": "dark"})
    assert "Secure" not in response.headers["Set-Cookie"]


def test_a_form_from_another_origin_is_refused(public):
    for origin in [f"https://{EVIL}", "null", "https://ms.example.org.evil.example"]:
        response = public.post("/preferences", data={"theme": "dark"},
                               headers={"Host": "ms.example.org", "Origin": origin})
        assert response.status_code == 403, origin


def test_a_bad_configuration_stops_the_app(content_dir, index_dir):
    with pytest.raises(ConfigError, match="VOICEREF_PROXIES"):
        create_app({"CONTENT_DIR": content_dir, "INDEX_DIR": index_dir, "PUBLIC_URL": PUBLIC, "PROXIES": -1})
    with pytest.raises(ConfigError, match="VOICEREF_PUBLIC_URL"):
        create_app({"CONTENT_DIR": content_dir, "INDEX_DIR": index_dir, "PUBLIC_URL": "ms.example.org"})
