"""The site links the release's talking books and serves them like its audio."""

from __future__ import annotations

import json
import shutil

import pytest
from bs4 import BeautifulSoup

from voiceref import create_app
from voiceref.export import read_books, write_books
from voiceref.release import layout

from .conftest import PUBLIC

pytestmark = pytest.mark.speech  # the corpus is built with real pyttsx3 + espeak-ng


@pytest.fixture
def client(corpus):
    write_books(layout.pointer(corpus / "index"), PUBLIC)
    return create_app({"TESTING": True, "INDEX_DIR": corpus / "index"}).test_client()


def book_link(client, path: str):
    page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    return page.find("a", string="Download as a talking book")


@pytest.mark.parametrize(
    "path, name, articles",
    [("/", "voiceref-all-clear.epub", 10), ("/glossary/", "voiceref-glossary-clear.epub", 5),
     ("/essays/", "voiceref-essays-clear.epub", 1)],
)
def test_pages_link_their_book_with_its_size_and_voice(client, corpus, path, name, articles):
    link = book_link(client, path)
    assert link is not None and link["href"].startswith(f"/books/{name}?v=")
    book = next(b for b in read_books(layout.pointer(corpus / "index")) if b.name == name)
    details = link.find_next_sibling("span").get_text()
    counted = f"{articles} article{'s' if articles > 1 else ''}"
    assert details == f"(EPUB 3, {book.size_label}, {counted} read by the clear voice)"


def test_the_book_downloads_whole_with_ranges_and_a_long_cache_for_its_key(client, corpus):
    href = book_link(client, "/")["href"]
    path = layout.pointer(corpus / "index") / "books" / "voiceref-all-clear.epub"
    with client.get(href) as response:
        assert response.status_code == 200 and response.data == path.read_bytes()
        assert response.mimetype == "application/epub+zip"
        assert response.headers["Content-Disposition"] == "attachment; filename=voiceref-all-clear.epub"
        assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.immutable
    with client.get(href, headers={"Range": "bytes=0-57"}) as part:
        assert part.status_code == 206 and part.data == path.read_bytes()[:58]
    with client.get("/books/voiceref-all-clear.epub") as bare:
        assert bare.cache_control.max_age == 300


def test_an_unknown_book_is_a_helpful_404(client):
    response = client.get("/books/voiceref-recipes-clear.epub")
    assert response.status_code == 404 and "home page" in response.get_data(as_text=True)


def test_a_release_without_books_links_none(index_dir):
    client = create_app({"TESTING": True, "INDEX_DIR": index_dir}).test_client()  # no audio, so no books
    assert client.get("/").status_code == 200 and book_link(client, "/") is None


def test_the_link_follows_the_readers_voice_and_falls_back_to_one_that_has_a_book(corpus):
    release = layout.pointer(corpus / "index")
    books = release / "books"
    listed = json.loads((books / "books.json").read_text())
    clear = next(b for b in listed["books"] if b["section"] is None)
    shutil.copyfile(books / clear["name"], books / "voiceref-all-natural.epub")
    listed["books"].append({**clear, "name": "voiceref-all-natural.epub", "voice": "natural"})
    (books / "books.json").write_text(json.dumps(listed))
    client = create_app({"TESTING": True, "INDEX_DIR": corpus / "index"}).test_client()
    assert book_link(client, "/?voice=natural")["href"].startswith("/books/voiceref-all-natural.epub?v=")
    assert book_link(client, "/?voice=clear")["href"].startswith("/books/voiceref-all-clear.epub?v=")
    assert book_link(client, "/glossary/?voice=natural")["href"].startswith("/books/voiceref-glossary-clear.epub")
