"""Write a Book as an EPUB 3 talking book (Media Overlays), reproducibly and atomically.

The same Book always gives the same bytes: fixed zip timestamps and permissions, entries
in sorted order after `mimetype` (first and stored, as OCF requires), dates taken from the
content rather than the clock. The file is written under a temporary name beside its
target and renamed into place, so a reader never sees half a book.
"""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .article import Chapter, link_resolver, make_chapter
from .model import Book, ExportError
from .overlay import clock, smil_document
from .xhtml import STYLESHEET, about_page, chapter_page, listening_time, nav_page, section_page

log = logging.getLogger(__name__)

ROOT = "EPUB"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time in the file
CONTAINER = """<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
 <rootfiles>
  <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
 </rootfiles>
</container>
"""
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
FEATURES = (
    "structuralNavigation",
    "tableOfContents",
    "readingOrder",
    "synchronizedAudioText",
    "displayTransformability",
)


@dataclass(frozen=True)
class BookReport:
    """What was written: where, how big, and how much it holds."""

    path: Path
    size: int  # bytes
    articles: int
    sentences: int
    duration: int  # ms of audio

    @property
    def size_label(self) -> str:
        return size_label(self.size)


def size_label(size: int) -> str:
    """Return a file size as people read it: '126 MB', '2.5 MB' or '640 kB'."""
    if size >= 10_000_000:
        return f"{size / 1_000_000:.0f} MB"
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"


def _names(section: str, slug: str) -> tuple[str, str, str]:
    """Return the paths (inside EPUB/) of an article's page, overlay and audio."""
    return f"text/{section}/{slug}.xhtml", f"smil/{section}/{slug}.smil", f"audio/{section}/{slug}.mp3"


def _relative(path: str, start: str) -> str:
    return posixpath.relpath(path, posixpath.dirname(start) or ".")


def accessibility_summary(book: Book) -> str:
    """Return the plain-words accessibility summary, including what is not read aloud."""
    return (
        f"Every article is read aloud by {book.narrator}, with each sentence highlighted as it is read "
        "(EPUB 3 Media Overlays). Not read aloud: the other names of a term, the Related links, the Sources, "
        "the review dates and the note that this is not medical advice; section pages and the page about "
        "the book have no audio. Pages have headings and lists, and no images (an image on the site is given "
        "as its text alternative); the table of contents goes by "
        "section, article and heading. The conformance claim is the publisher's own, checked with EPUBCheck "
        "and DAISY Ace; the book has not been tested with readers using assistive technology."
    )


def _package(book: Book, chapters: list[Chapter], manifest: list[dict[str, str]], spine: list[str]) -> bytes:
    """Return the package document: metadata, manifest and spine."""
    package = ET.Element(
        "package",
        {"xmlns": "http://www.idpf.org/2007/opf", "version": "3.0", "unique-identifier": "pub-id",
         "xml:lang": book.language},
    )
    metadata = ET.SubElement(package, "metadata", {"xmlns:dc": "http://purl.org/dc/elements/1.1/"})

    def meta(name: str, value: str, **attrs: str) -> None:
        if name.startswith("dc:"):
            ET.SubElement(metadata, name, attrs).text = value
        else:
            ET.SubElement(metadata, "meta", {"property": name, **attrs}).text = value

    meta("dc:identifier", book.identifier, id="pub-id")
    meta("dc:title", book.title)
    meta("dc:language", book.language)
    meta("dc:creator", "voiceref")
    meta("dc:publisher", "voiceref")
    meta("dc:date", book.modified.date().isoformat())
    if book.description:
        meta("dc:description", book.description)
    meta("dcterms:modified", book.modified.strftime("%Y-%m-%dT%H:%M:%SZ"))
    for mode in ("textual", "auditory"):
        meta("schema:accessMode", mode)
    meta("schema:accessModeSufficient", "textual")
    for feature in FEATURES:
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary", accessibility_summary(book))
    meta("dcterms:conformsTo", CONFORMANCE)
    meta("a11y:certifiedBy", "voiceref")
    meta("media:narrator", book.narrator)
    meta("media:active-class", "-epub-media-overlay-active")
    for chapter in chapters:
        meta("media:duration", clock(chapter.duration), refines=f"#mo-{chapter.article.section}-{chapter.article.slug}")
    meta("media:duration", clock(sum(chapter.duration for chapter in chapters)))
    items = ET.SubElement(package, "manifest")
    for item in manifest:
        ET.SubElement(items, "item", item)
    order = ET.SubElement(package, "spine")
    for idref in spine:
        ET.SubElement(order, "itemref", {"idref": idref})
    ET.indent(package, space=" ")
    return ET.tostring(package, encoding="utf-8", xml_declaration=True)


def assemble(book: Book) -> tuple[dict[str, bytes | Path], list[Chapter]]:
    """Return every file of the book by its path in the zip, and its chapters."""
    if not book.sections or not book.articles:
        raise ExportError(f"“{book.title}” has no articles to put in a book.")
    lang = book.language
    documents = {a.url: _names(a.section, a.slug)[0] for a in book.articles}
    documents.update({f"/{s.name}": f"text/{s.name}.xhtml" for s in book.sections})
    files: dict[str, bytes | Path] = {"book.css": STYLESHEET.encode()}
    manifest = [
        {"id": "nav", "href": "nav.xhtml", "media-type": "application/xhtml+xml", "properties": "nav"},
        {"id": "css", "href": "book.css", "media-type": "text/css"},
        {"id": "about", "href": "about-this-book.xhtml", "media-type": "application/xhtml+xml"},
    ]
    spine = ["about", "nav"]
    chapters: list[Chapter] = []
    for section in book.sections:
        page = documents[f"/{section.name}"]
        manifest.append({"id": f"section-{section.name}", "href": page, "media-type": "application/xhtml+xml"})
        spine.append(f"section-{section.name}")
        for article in section.articles:
            text, smil, audio = _names(article.section, article.slug)
            if not article.audio.is_file():
                raise ExportError(f"The audio of {article.url} is missing ({article.audio}): run voiceref build.")
            link = link_resolver(article.url, text, documents, book.public_url)
            chapter = make_chapter(article, link)
            chapters.append(chapter)
            files[text] = chapter_page(chapter, lang, _relative("book.css", text))
            files[smil] = smil_document(_relative(text, smil), _relative(audio, smil), chapter.pars)
            files[audio] = article.audio
            name = f"{article.section}-{article.slug}"
            manifest += [
                {"id": f"page-{name}", "href": text, "media-type": "application/xhtml+xml",
                 "media-overlay": f"mo-{name}"},
                {"id": f"mo-{name}", "href": smil, "media-type": "application/smil+xml"},
                {"id": f"audio-{name}", "href": audio, "media-type": "audio/mpeg"},
            ]
            spine.append(f"page-{name}")
    lengths = {c.article.url: c.duration for c in chapters}
    total = sum(lengths.values())
    for section in book.sections:
        page = documents[f"/{section.name}"]
        hrefs = {a.url: _relative(documents[a.url], page) for a in section.articles}
        files[page] = section_page(section, hrefs, lengths, lang, _relative("book.css", page))
    files["about-this-book.xhtml"] = about_page(book, total, lang, "book.css")
    section_pages = {s.name: documents[f"/{s.name}"] for s in book.sections}
    files["nav.xhtml"] = nav_page(book, "about-this-book.xhtml", section_pages, documents, lang, "book.css")
    files["package.opf"] = _package(book, chapters, manifest, spine)
    entries: dict[str, bytes | Path] = {f"{ROOT}/{name}": data for name, data in files.items()}
    entries["META-INF/container.xml"] = CONTAINER.encode()
    return entries, chapters


def _zip_entry(name: str, stored: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.create_system = 3  # Unix, whatever system writes it
    info.external_attr = 0o100644 << 16
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def write_zip(path: Path, files: dict[str, bytes | Path]) -> None:
    """Write an EPUB container: `mimetype` first and stored, then every file in sorted order.

    `files` maps paths in the zip to their bytes, or to a file whose bytes are copied.
    """
    with zipfile.ZipFile(path, "w", compresslevel=9) as archive:
        archive.writestr(_zip_entry("mimetype", stored=True), b"application/epub+zip")
        for name in sorted(files):
            data = files[name]
            info = _zip_entry(name, stored=name.endswith(".mp3"))  # MP3 does not compress
            if isinstance(data, Path):
                info.file_size = data.stat().st_size
                with data.open("rb") as source, archive.open(info, "w") as target:
                    shutil.copyfileobj(source, target, 1 << 20)
            else:
                archive.writestr(info, data)


def write_epub(book: Book, out: Path) -> BookReport:
    """Write `book` to `out`, replacing any earlier file in one step; return what was written.

    Raises ExportError if an article's audio is missing or does not match its page.
    """
    files, chapters = assemble(book)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        write_zip(temp, files)
        with temp.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    duration = sum(chapter.duration for chapter in chapters)
    report = BookReport(out, out.stat().st_size, len(chapters), sum(c.sentences for c in chapters), duration)
    log.info("wrote %s: %d articles, %s, %d bytes", out, report.articles, listening_time(duration), report.size)
    return report
