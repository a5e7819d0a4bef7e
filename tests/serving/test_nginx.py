"""The shipped nginx set-up, for real: nginx in front of two `voiceref serve` processes on 127.0.0.1.

nginx runs deploy/nginx/ with only its paths, addresses and ports replaced (voiceref.loopback),
in the foreground, as a child of the test, once over HTTP and once terminating TLS with a
certificate made for the test. The failover test comes last: it kills one app process.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from voiceref.loopback import AppProcess, NginxProcess, free_port, main_config, shipped_site
from voiceref.web.preferences import COOKIE
from voiceref.web.security import HEADERS

from .rawhttp import request_bytes, send_raw

STATIC = Path(__file__).resolve().parents[2] / "static"
NGINX_ETAG = re.compile(r'^(W/)?"[0-9a-f]+-[0-9a-f]+"$')  # mtime-size: a file nginx sent itself

@dataclass
class Proxy:
    url: str
    tls_url: str
    port: int
    apps: list[AppProcess]
    certificate: Path
    audio: Path  # INDEX_DIR: the releases, their audio included
    store: Path  # AUDIO_DIR: every rendering, named by its key


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, headers: dict[str, str] | None = None, context: ssl.SSLContext | None = None):
    """GET without following redirects; return (status, headers, body) for any status."""
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def directives(headers) -> set[str]:
    """Return the Cache-Control directives, which must come in one header."""
    values = headers.get_all("Cache-Control")
    assert len(values) == 1, values
    return {part.strip() for part in values[0].split(",")}


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """Make a self-signed certificate for localhost with openssl."""
    cert, key = folder / "localhost.pem", folder / "localhost.key"
    openssl = shutil.which("openssl")
    assert openssl, "openssl is missing: run scripts/install"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.fixture(scope="module")
def proxy(built, tmp_path_factory) -> Iterator[Proxy]:
    root = tmp_path_factory.mktemp("nginx")
    port, tls_port = free_port(), free_port()
    settings = built.settings(f"http://127.0.0.1:{port}", PROXIES="1", AUDIO_ACCEL="/_audio/")
    apps = [AppProcess(free_port(), settings, root / f"app{i}.log") for i in range(2)]
    certificate = make_certificate(root)
    plain = shipped_site(root / "plain", port=port, upstreams=[a.port for a in apps], static_dir=STATIC,
                         audio_dir=built.index, store_dir=built.audio)
    tls = shipped_site(root / "tls", port=free_port(), upstreams=[a.port for a in apps], static_dir=STATIC,
                       audio_dir=built.index, store_dir=built.audio, tls_port=tls_port, certificate=certificate)
    # Both sites share the upstream and cache names, so the TLS one gets its own nginx.
    main_config(root / "plain", f"include {plain};")
    main_config(root / "tls", f"include {tls};")
    try:
        for app in apps:
            app.start()
        with NginxProcess(root / "plain", [port]), NginxProcess(root / "tls", [tls_port]):
            yield Proxy(f"http://127.0.0.1:{port}", f"https://localhost:{tls_port}", port, apps,
                        certificate[0], built.index, built.audio)
    finally:
        for app in apps:
            app.stop()


def test_pages_come_through_with_the_site_headers_once(proxy):
    for path in ["/", "/glossary/myoclonus", "/search?q=spasticity", "/api/suggest?q=my", "/nope"]:
        status, headers, body = get(proxy.url + path)
        assert status == (404 if path == "/nope" else 200), path
        for name, value in HEADERS.items():
            assert headers.get_all(name) == [value], (path, name)
    page = BeautifulSoup(get(proxy.url + "/glossary/myoclonus")[2], "html.parser")
    assert page.h1.get_text(strip=True) == "Myoclonus"


def test_pages_are_cached_briefly_per_preference_cookie(proxy):
    url = proxy.url + "/glossary/spasticity"
    statuses = [get(url)[1]["X-Cache-Status"] for _ in range(2)]
    assert statuses[-1] == "HIT"
    status, headers, body = get(url, {"Cookie": f"{COOKIE}=theme=dark"})
    assert headers["X-Cache-Status"] == "MISS" and b"theme-dark" in body
    assert b"theme-dark" not in get(url)[2]  # the cookie-less entry is untouched
    assert get(url, {"Cookie": f"{COOKIE}=theme=dark"})[1]["X-Cache-Status"] == "HIT"
    assert headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert "Cookie" in ", ".join(headers.get_all("Vary"))


def test_a_validator_gets_304_through_the_proxy(proxy):
    url = proxy.url + "/glossary/mri"
    tag = get(url)[1]["ETag"]
    status, headers, body = get(url, {"If-None-Match": tag})
    assert status == 304 and body == b""


def test_text_is_compressed(proxy):
    for path in ["/glossary/myoclonus", "/api/search?q=spasticity", "/feeds/podcast.xml"]:
        plain = get(proxy.url + path)[2]
        status, headers, body = get(proxy.url + path, {"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(body) == plain and len(body) < len(plain)
    css = BeautifulSoup(get(proxy.url + "/")[2], "html.parser").find("link", rel="stylesheet")["href"]
    assert get(proxy.url + css, {"Accept-Encoding": "gzip"})[1]["Content-Encoding"] == "gzip"


def test_static_files_come_from_disk_cached_by_fingerprint(proxy):
    page = BeautifulSoup(get(proxy.url + "/")[2], "html.parser")
    css = page.find("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", css)
    status, headers, body = get(proxy.url + css)
    assert status == 200 and body == (STATIC / "css" / "site.css").read_bytes()
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert NGINX_ETAG.match(headers["ETag"]) and headers["Content-Type"] == "text/css"
    assert get(proxy.url + "/static/css/site.css")[1]["Cache-Control"] == "public, max-age=3600"
    assert get(proxy.url + "/static/nope.css")[0] == 404


def test_audio_comes_from_disk_with_ranges(proxy):
    page = BeautifulSoup(get(proxy.url + "/glossary/mri")[2], "html.parser")
    src = page.find("audio")["src"]
    timings = json.loads(get(proxy.url + "/glossary/mri/audio.json")[2])
    mp3 = (proxy.audio / "current" / "audio" / "natural" / "glossary" / "mri" / "audio.mp3").read_bytes()
    status, headers, body = get(proxy.url + src, {"Range": "bytes=100-199"})
    assert status == 206 and body == mp3[100:200]
    assert headers["Content-Range"] == f"bytes 100-199/{len(mp3)}" == f"bytes 100-199/{timings['size']}"
    assert headers["Content-Type"] == "audio/mpeg" and NGINX_ETAG.match(headers["ETag"])
    assert directives(headers) == {"max-age=31536000", "public", "immutable"}
    assert directives(get(proxy.url + "/glossary/mri/audio.mp3")[1]) == {"max-age=300", "public"}
    vtt = get(proxy.url + "/glossary/mri/audio.vtt")
    assert vtt[0] == 200 and vtt[1]["Content-Type"] == "text/vtt; charset=utf-8" and vtt[2].startswith(b"WEBVTT")
    assert get(proxy.url + "/_audio/glossary/mri/")[0] == 404  # the internal location is not for readers


def app_logs(proxy) -> str:
    return "".join(app.log.read_text(errors="replace") for app in proxy.apps)


def test_an_mp3_a_page_links_is_sent_by_nginx_without_the_app(proxy):
    src = BeautifulSoup(get(proxy.url + "/glossary/mri")[2], "html.parser").find("audio")["src"]
    key = re.search(r"[?&]v=([0-9a-f]+)", src)[1]
    stored = (proxy.store / key[:2] / f"{key}.mp3").read_bytes()
    status, headers, body = get(f"{proxy.url}{src}&probe=from-nginx", {"Range": "bytes=0-65535"})
    assert status == 206 and body == stored[:65536]
    assert stored == (proxy.audio / "current" / "audio" / "natural" / "glossary" / "mri" / "audio.mp3").read_bytes()
    assert headers["Content-Type"] == "audio/mpeg" and headers["Content-Range"] == f"bytes 0-65535/{len(stored)}"
    assert headers["Content-Disposition"] == "inline; filename=mri.mp3"
    assert directives(headers) == {"max-age=31536000", "public", "immutable"}
    for name, value in HEADERS.items():
        assert headers.get_all(name) == [value], name
    # A key the store does not hold goes to the app, which sends the current file for a short time.
    status, headers, body = get(f"{proxy.url}/glossary/mri/audio.mp3?v={'0' * len(key)}&voice=natural&probe=app")
    assert status == 200 and body == stored and directives(headers) == {"max-age=300", "public"}
    deadline = time.monotonic() + 10
    while "probe=app" not in app_logs(proxy) and time.monotonic() < deadline:
        time.sleep(0.1)  # an access line is written once its answer is sent
    logs = app_logs(proxy)
    assert "probe=app" in logs and "probe=from-nginx" not in logs


def test_limits_are_kept_by_nginx_too(proxy):
    answer = send_raw(proxy.port, request_bytes("POST", "/preferences", {
        "Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(30 * 1024 * 1024)}))
    assert answer.status == 413
    assert answer.header("Content-Security-Policy") == HEADERS["Content-Security-Policy"]
    assert get(proxy.url + "/search?q=" + "a" * 9000)[0] == 414
    assert get(proxy.url + "/", {"X-Big": "b" * 9000})[0] == 400


def test_an_unknown_host_is_refused_and_never_cached(proxy):
    for _ in range(2):
        status, headers, body = get(proxy.url + "/glossary/mri", {"Host": "evil.example"})
        assert status == 400 and b"evil.example" not in body
        assert headers["Cache-Control"] == "no-store" and headers["X-Cache-Status"] != "HIT"
    assert get(proxy.url + "/glossary/mri")[0] == 200


def test_tls_adds_hsts_and_plain_http_is_redirected(proxy):
    context = ssl.create_default_context(cafile=str(proxy.certificate))
    status, headers, body = get(proxy.tls_url + "/glossary/myoclonus", context=context)
    assert status == 200 and b"Myoclonus" in body
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers.get_all("Content-Security-Policy") == [HEADERS["Content-Security-Policy"]]
    assert "Strict-Transport-Security" not in get(proxy.url + "/")[1]  # never over plain HTTP


def test_requests_keep_succeeding_when_an_app_process_dies(proxy):
    def served_by(app: AppProcess) -> int:
        return len(re.findall(r'"GET /search\?q=failover', app.log.read_text(errors="replace")))

    before = [get(f"{proxy.url}/search?q=failover{i}")[0] for i in range(20)]  # distinct: never cached
    assert before == [200] * 20
    assert all(served_by(app) > 0 for app in proxy.apps)  # both processes were taking requests
    survivor_before = served_by(proxy.apps[1])
    proxy.apps[0].kill()
    after = [get(f"{proxy.url}/search?q=failover-after{i}")[0] for i in range(40)]
    assert after == [200] * 40
    assert get(proxy.url + "/glossary/clonazepam")[0] == 200
    assert served_by(proxy.apps[1]) - survivor_before >= 40
