"""A release's feeds, sitemap and OpenSearch description: built once for a public URL, served as built."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from voiceref import create_app
from voiceref.content import load_site
from voiceref.release import layout
from voiceref.release.build import build_release
from voiceref.release.documents import DOCUMENTS, FEEDS, check_documents, document_file
from voiceref.release.verify import check_release
from voiceref.speech import build_audio, load_lexicon
from voiceref.speech.engines import voice_spec

FIXTURES = Path(__file__).parent / "fixtures" / "content"
SPOKEN = ["mri", "spasticity"]
BUILT_FOR = "https://ms.example.org"

pytestmark = pytest.mark.speech


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """A release built for BUILT_FOR in which two articles have real (clear) audio."""
    root = tmp_path_factory.mktemp("documents")
    shutil.copytree(FIXTURES, root / "content")
    articles = [a for a in load_site(root / "content").articles if a.slug in SPOKEN]
    report = build_audio(articles, root / "audio", load_lexicon(FIXTURES / "lexicon.yaml"),
                         voice_spec("clear", {}), jobs=2)
    assert report.ok, report.failed
    settings = {"CONTENT_DIR": root / "content", "INDEX_DIR": root / "index", "AUDIO_DIR": root / "audio",
                "PUBLIC_URL": BUILT_FOR + "/", "SITE_NAME": "MS explained"}
    build_release(settings, audio=False)  # publishes the audio the store already has
    return layout.pointer(root / "index")


def client_for(release: Path, public_url: str, site_name: str = "MS explained"):
    return create_app({"TESTING": True, "RELEASE": release, "PUBLIC_URL": public_url,
                       "SITE_NAME": site_name}).test_client()


def urls_in(body: bytes) -> list[str]:
    """Return the absolute URLs of a document (attributes and element text)."""
    root = etree.fromstring(body)
    found = [value for element in root.iter() for value in element.attrib.values()]
    found += [element.text.strip() for element in root.iter() if element.text]
    return [url for url in found if url.startswith(("http://", "https://")) and "rssboard.org" not in url]


def enclosures(body: bytes) -> list[tuple[str, str]]:
    return [(e.get("url"), e.get("length")) for e in etree.fromstring(body).iter("enclosure")]


def test_the_release_keeps_every_document_rendered_for_its_public_url(release):
    manifest = layout.Manifest.read(release)
    assert (manifest.public_url, manifest.site_name) == (BUILT_FOR, "MS explained")
    for path in DOCUMENTS:
        body = document_file(release, path).read_bytes()
        assert urls_in(body) and all(url.startswith(BUILT_FOR + "/") for url in urls_in(body)), path
    podcast = document_file(release, "/feeds/podcast.xml").read_bytes()
    assert sorted(url for url, _ in enclosures(podcast)) == [
        f"{BUILT_FOR}/glossary/{slug}/audio.mp3" for slug in SPOKEN]
    assert b"MS explained" in document_file(release, "/opensearch.xml").read_bytes()
    assert check_documents(release, BUILT_FOR) == []


def test_a_server_at_that_public_url_sends_the_built_bytes(release, tmp_path):
    client = client_for(release, BUILT_FOR)
    for path in DOCUMENTS:
        response = client.get(path)
        assert response.status_code == 200 and response.data == document_file(release, path).read_bytes(), path
    assert client.get("/feeds/podcast.xml").mimetype == "application/rss+xml"
    assert client.get("/opensearch.xml").mimetype == "application/opensearchdescription+xml"
    # The bytes come from the file, not from rendering again: mark a copy and serve that.
    copy = tmp_path / release.name
    shutil.copytree(release, copy)
    marked = document_file(copy, "/sitemap.xml")
    marked.write_bytes(marked.read_bytes().replace(b"<urlset", b"<!-- built --><urlset", 1))
    assert b"<!-- built -->" in client_for(copy, BUILT_FOR).get("/sitemap.xml").data


@pytest.mark.parametrize("public_url", ["http://localhost", "https://staging.example.net:8443"])
def test_a_server_at_another_public_url_renders_its_own_urls(release, public_url):
    client = client_for(release, public_url)
    for path in DOCUMENTS:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.data != document_file(release, path).read_bytes(), path
        urls = urls_in(response.data)
        assert urls and all(url.startswith(public_url + "/") for url in urls), (path, urls)
    built = enclosures(document_file(release, "/feeds/podcast.xml").read_bytes())
    served = enclosures(client.get("/feeds/podcast.xml").data)
    assert served == [(url.replace(BUILT_FOR, public_url), length) for url, length in built]


def test_another_site_name_is_rendered_too(release):
    body = client_for(release, BUILT_FOR, site_name="Another name").get("/opensearch.xml").data
    assert b"Another name" in body and body != document_file(release, "/opensearch.xml").read_bytes()


def test_the_checks_find_a_broken_document_and_an_enclosure_the_catalog_lacks(release, tmp_path):
    copy = tmp_path / release.name
    shutil.copytree(release, copy)
    sitemap = document_file(copy, "/sitemap.xml")
    sitemap.write_bytes(sitemap.read_bytes()[:-40])  # cut short, as a full disk leaves it
    podcast = document_file(copy, "/feeds/podcast.xml")
    (url, length), _ = enclosures(podcast.read_bytes())
    podcast.write_bytes(podcast.read_bytes()
                        .replace(f'length="{length}"'.encode(), b'length="1"', 1)
                        .replace(b"/spasticity/audio.mp3", b"/myoclonus/audio.mp3"))
    document_file(copy, "/opensearch.xml").unlink()
    news = document_file(copy, FEEDS[1])
    news.write_bytes(news.read_bytes().replace(BUILT_FOR.encode(), b"https://evil.example", 1))

    problems = check_release(copy, layout.Manifest.read(copy), render=False)
    assert any("sitemap.xml is not well-formed XML" in p for p in problems), problems
    assert any(f"{url} (1 bytes) matches no MP3" in p for p in problems), problems
    assert any("myoclonus/audio.mp3 is not in the audio catalog" in p for p in problems), problems
    assert any("opensearch.xml cannot be read" in p for p in problems), problems
    assert any("https://evil.example" in p and "not under" in p for p in problems), problems
    assert check_documents(release, BUILT_FOR) == []  # the original is untouched
