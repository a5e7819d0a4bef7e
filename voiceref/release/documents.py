"""The XML documents a release publishes: its feeds, its sitemap and its OpenSearch description.

They are made of absolute URLs, and absolute URLs come from the public URL
(VOICEREF_PUBLIC_URL), which is a serving setting, not a content one. So the build renders
each document once, through the web app as a server would, for the public URL and site name
it was given, writes the bytes into `<release>/published/<URL path>`, and records that public
URL and site name in the manifest. A server whose public URL and site name are the recorded
ones sends those bytes; any other server (a release copied to a staging host, or a build made
without the production URL) renders the document per request, so its URLs are always its own.
A feed lists each article's audio in the reader's voice: the built feeds are the ones for the
default voice, and a reader who chose another voice gets theirs rendered.

`check_documents` is one of the checks a release passes before it is published: every
document is there and well-formed, every URL in it is under the recorded public URL, and every
podcast enclosure is an MP3 of the audio catalog, with the catalog's size.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from ..content import SECTIONS
from ..errors import ReleaseError
from ..speech.catalog import KINDS, Catalog, read_catalog

log = logging.getLogger(__name__)

FOLDER = "published"  # in a release: the documents, each under its URL path
FEEDS = ("/feeds/podcast.xml", *(f"/feeds/{name}.xml" for name in SECTIONS))
DOCUMENTS = (*FEEDS, "/sitemap.xml", "/opensearch.xml")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def document_file(release: Path, path: str) -> Path:
    """Return where the release keeps the document served at the URL path `path`."""
    if path not in DOCUMENTS:
        raise KeyError(path)
    return release / FOLDER / path.lstrip("/")


def write_documents(release: Path, public_url: str, site_name: str) -> None:
    """Render every document of the staged `release` through the web app and keep the bytes.

    The release's manifest must be written already: the app opens the release as a server does.
    """
    from .. import create_app

    app = create_app({"TESTING": True, "RELEASE": release, "PUBLIC_URL": public_url,
                      "SITE_NAME": site_name, "PAGE_CACHE_MB": 0})
    with app.test_client() as client:
        for path in DOCUMENTS:
            response = client.get(path)
            if response.status_code != 200:
                raise ReleaseError(f"{path} does not render for release {release.name} (HTTP {response.status_code})")
            target = document_file(release, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(response.data)


def _urls(root) -> list[str]:
    """Return every absolute URL a document holds (feed links, enclosures, sitemap locations)."""
    found = [element.get(name) for element in root.iter() for name in ("href", "url", "template")
             if (element.get(name) or "").startswith(("http://", "https://"))]
    found += [element.text.strip() for element in root.iter() if isinstance(element.tag, str)
              and etree.QName(element).localname in {"loc", "link", "guid"} and (element.text or "").strip()]
    return found


def _enclosure_problem(url: str, length: str | None, catalog: Catalog, release: Path) -> str | None:
    """Return what is wrong with one podcast enclosure, or None if the catalog has its MP3."""
    parts = urlsplit(url).path.strip("/").split("/")
    if len(parts) != 3 or parts[2] != KINDS["mp3"].url_name:
        return f"the enclosure {url} is not an article's MP3"
    entries = [voice[f"{parts[0]}/{parts[1]}"] for voice in catalog.values() if f"{parts[0]}/{parts[1]}" in voice]
    if not entries:
        return f"the enclosure {url} is not in the audio catalog"
    if not any(str(entry.size) == length and entry.files(release)["mp3"].is_file() for entry in entries):
        return f"the enclosure {url} ({length} bytes) matches no MP3 of the catalog"
    return None


def check_documents(release: Path, public_url: str) -> list[str]:
    """Return every problem with the documents of `release` (nothing when they are whole)."""
    try:
        catalog = read_catalog(release)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        return [f"the audio catalog of {release} cannot be read: {exc!r}"]
    problems = []
    for path in DOCUMENTS:
        file = document_file(release, path)
        try:
            root = etree.fromstring(file.read_bytes(), _PARSER)
        except OSError as exc:
            problems.append(f"{file} cannot be read: {exc.strerror or exc}")
            continue
        except etree.XMLSyntaxError as exc:
            problems.append(f"{file} is not well-formed XML: {exc}")
            continue
        foreign = [url for url in _urls(root) if not url.startswith(public_url.rstrip("/") + "/")]
        if foreign:
            problems.append(f"{file} links to {foreign[0]}, which is not under {public_url}")
        for enclosure in root.iter("enclosure"):
            problem = _enclosure_problem(enclosure.get("url", ""), enclosure.get("length"), catalog, release)
            if problem:
                problems.append(f"{file}: {problem}")
    return problems
