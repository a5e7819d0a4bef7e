"""The book's XHTML: article chapters, section pages, the page about the book, and navigation.

Pages are built as ElementTree elements and serialised by it, so every document is
well-formed XML whatever the text holds; HTML parsed with BeautifulSoup is copied into the
tree node by node.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from ..content import DISCLAIMER, Heading
from .article import Chapter
from .model import Book, BookSection

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
ACTIVE_CLASS = "-epub-media-overlay-active"  # the class reading systems know best
STYLESHEET = f"""\
body {{ font-family: sans-serif; line-height: 1.5; margin: 0 1em; color: #000; background: #fff; }}
h1, h2, h3, h4 {{ line-height: 1.25; }}
a {{ color: #0645ad; }}
.article-meta, .review, .aliases {{ color: #333; }}
.in-short {{ border-left: 0.3em solid #1d5e9e; padding-left: 0.8em; }}
.care-card {{ border: 2px solid #005eb8; border-left-width: 0.6em; padding: 0 0.8em; margin: 1em 0; }}
.care-card-urgent {{ border-color: #b3261e; }}
.care-card-emergency {{ border-color: #7a0e0e; border-width: 4px 4px 4px 0.75em; }}
.care-level {{ display: block; font-size: 0.85em; }}
.{ACTIVE_CLASS} {{ background-color: #ffe16b; color: #000; outline: 2px solid #7a5c00; }}
"""


def serialise(title: str, body: ET.Element, lang: str, stylesheet: str) -> bytes:
    """Return a whole XHTML content document with `body`."""
    html = ET.Element("html", {"xmlns": XHTML_NS, "xmlns:epub": OPS_NS, "lang": lang, "xml:lang": lang})
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", {"charset": "utf-8"})
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "link", {"rel": "stylesheet", "type": "text/css", "href": stylesheet})
    html.append(body)
    text = ET.tostring(html, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n{text}\n'.encode()


def _append_text(parent: ET.Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def copy_soup(node: Tag | BeautifulSoup, parent: ET.Element) -> None:
    """Append copies of `node`'s children (elements and text; no comments) to `parent`."""
    for child in node.children:
        if isinstance(child, Tag):
            attrs = {k: " ".join(v) if isinstance(v, list) else str(v) for k, v in child.attrs.items()}
            copy_soup(child, ET.SubElement(parent, child.name, attrs))
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            _append_text(parent, str(child))


def _element(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
    if text:
        element.text = text
    return element


def _link(parent: ET.Element, href: str, text: str) -> ET.Element:
    return _element(parent, "a", text, href=href)


def listening_time(ms: int) -> str:
    """Return a length as people say it: '7 h 3 min', '12 min', '40 s'."""
    seconds = round(ms / 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min" if minutes else f"{seconds} s"


def chapter_page(chapter: Chapter, lang: str, stylesheet: str) -> bytes:
    """Return an article's content document."""
    body = ET.Element("body")
    wrapper = _element(body, "section", role="doc-chapter", aria_labelledby="article-title")
    wrapper.set("epub:type", "chapter")
    copy_soup(chapter.page, wrapper)
    return serialise(chapter.article.title, body, lang, stylesheet)


def section_page(
    section: BookSection, hrefs: dict[str, str], lengths: dict[str, int], lang: str, stylesheet: str
) -> bytes:
    """Return a section's page: what it is and its articles, each a link to its chapter."""
    body = ET.Element("body")
    wrapper = _element(body, "section", aria_labelledby="section-title")
    _element(wrapper, "h1", section.title, id="section-title")
    _element(wrapper, "p", section.description)
    total = sum(lengths[a.url] for a in section.articles)
    count = len(section.articles)
    _element(wrapper, "p", f"{count} article{'s' if count != 1 else ''}, {listening_time(total)} of listening.")
    items = _element(wrapper, "ol")
    for article in section.articles:
        item = _element(items, "li")
        _link(item, hrefs[article.url], article.title)
        _append_text(item, f" ({listening_time(lengths[article.url])})")
    return serialise(section.title, body, lang, stylesheet)


def about_page(book: Book, total: int, lang: str, stylesheet: str) -> bytes:
    """Return the page about the book: where it comes from, what is read aloud, and what is not."""
    body = ET.Element("body")
    wrapper = _element(body, "section", aria_labelledby="book-title")
    _element(wrapper, "h1", book.title, id="book-title")
    count = len(book.articles)
    names = ", ".join(section.title for section in book.sections)
    intro = _element(
        wrapper,
        "p",
        f"A talking book of voiceref, a reference about multiple sclerosis (MS) for people whose MS "
        f"makes reading a screen or using a mouse hard. It holds {count} article{'s' if count != 1 else ''} "
        f"({names}), last updated {book.modified.day} {book.modified:%B %Y}.",
    )
    _append_text(intro, " The website is at ")
    _link(intro, book.public_url, book.public_url)
    _append_text(intro, ".")
    _element(wrapper, "h2", "Listening", id="listening")
    _element(
        wrapper,
        "p",
        f"Every article is read aloud by {book.narrator}, and each sentence is highlighted as it is "
        f"read: {listening_time(total)} in all. In a reading system that plays EPUB 3 Media Overlays "
        "(read-aloud books), start from any article or heading in the table of contents; a list can "
        "be skipped as a whole.",
    )
    _element(wrapper, "h2", "What is not read aloud", id="not-read-aloud")
    _element(
        wrapper,
        "p",
        "The voice reads each article's title, its “In short” summary and its body. It does not read "
        "the other names a term is known by, the Related links, the Sources, the review dates or the "
        "note that this is not medical advice: they are on each page as text only. Section pages and "
        "this page have no audio.",
    )
    _element(wrapper, "h2", "Not medical advice", id="not-medical-advice")
    _element(
        wrapper,
        "p",
        f"{DISCLAIMER} If you have new or worsening symptoms, contact your GP, MS nurse or neurologist.",
    )
    return serialise(f"About this book – {book.title}", body, lang, stylesheet)


def _heading_tree(parent: ET.Element, href: str, headings: Iterable[Heading]) -> None:
    """Append a nested list of `headings` (h2, with h3 inside, …) to the item `parent`."""
    stack: list[tuple[int, ET.Element]] = [(1, parent)]
    for heading in headings:
        while stack[-1][0] >= heading.level:
            stack.pop()
        owner = stack[-1][1]
        items = owner.find("ol")
        if items is None:
            items = _element(owner, "ol")
        item = _element(items, "li")
        _link(item, f"{href}#{heading.id}", heading.text)
        stack.append((heading.level, item))


def nav_page(
    book: Book, about: str, section_hrefs: dict[str, str], hrefs: dict[str, str], lang: str, stylesheet: str
) -> bytes:
    """Return the navigation document: contents (section, article, headings) and landmarks.

    The hrefs are relative to the folder of the package document, where nav.xhtml sits.
    """
    body = ET.Element("body")
    toc = _element(body, "nav", id="toc", role="doc-toc", aria_labelledby="toc-title")
    toc.set("epub:type", "toc")
    _element(toc, "h1", "Contents", id="toc-title")
    top = _element(toc, "ol")
    _link(_element(top, "li"), about, "About this book")
    for section in book.sections:
        item = _element(top, "li")
        _link(item, section_hrefs[section.name], section.title)
        articles = _element(item, "ol")
        for article in section.articles:
            entry = _element(articles, "li")
            _link(entry, hrefs[article.url], article.title)
            _heading_tree(entry, hrefs[article.url], article.headings)
    landmarks = _element(body, "nav", id="landmarks", aria_labelledby="landmarks-title", hidden="hidden")
    landmarks.set("epub:type", "landmarks")
    _element(landmarks, "h2", "Landmarks", id="landmarks-title")
    marks = _element(landmarks, "ol")
    for kind, href, text in (
        ("toc", "#toc", "Contents"),
        ("frontmatter", about, "About this book"),
        ("bodymatter", section_hrefs[book.sections[0].name], "Start of content"),
    ):
        _link(_element(marks, "li"), href, text).set("epub:type", kind)
    return serialise(f"Contents – {book.title}", body, lang, stylesheet)
