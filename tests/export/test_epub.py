"""The EPUB file: container rules, reproducible bytes, atomic writes, metadata and navigation."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from voiceref.export import epub as epub_module
from voiceref.export.epub import write_epub
from voiceref.export.model import ExportError, book_identifier
from voiceref.export.overlay import clock

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SMIL = "{http://www.w3.org/ns/SMIL}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def package(book_path: Path) -> ET.Element:
    with zipfile.ZipFile(book_path) as archive:
        return ET.fromstring(archive.read("EPUB/package.opf"))


def metas(root: ET.Element, name: str, refines: str | None = None) -> list[str]:
    return [m.text for m in root.iter(f"{OPF}meta") if m.get("property") == name and m.get("refines") == refines]


def test_the_container_starts_with_an_uncompressed_mimetype_and_lists_entries_in_order(scripted_book, tmp_path):
    path = tmp_path / "book.epub"
    write_epub(scripted_book, path)
    assert path.read_bytes()[30:38] == b"mimetype"  # the first local header's name, no extra field
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert infos[0].extra == b"" and archive.read("mimetype") == b"application/epub+zip"
        names = [i.filename for i in infos[1:]]
        assert names == sorted(names) and "META-INF/container.xml" in names
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos if i.filename.endswith(".mp3"))
        assert archive.testzip() is None


def test_the_same_book_gives_the_same_bytes(scripted_book, tmp_path):
    first, second = tmp_path / "a.epub", tmp_path / "b" / "a.epub"
    write_epub(scripted_book, first)
    write_epub(scripted_book, second)
    assert first.read_bytes() == second.read_bytes()


def test_a_failed_export_leaves_the_previous_book_and_no_temporary_file(scripted_book, tmp_path, monkeypatch):
    path = tmp_path / "book.epub"
    path.write_bytes(b"the previous book")

    def broken(target: Path, files) -> None:
        target.write_bytes(b"half a book")
        raise OSError("disk full")

    monkeypatch.setattr(epub_module, "write_zip", broken)
    with pytest.raises(OSError, match="disk full"):
        write_epub(scripted_book, path)
    assert path.read_bytes() == b"the previous book"
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["book.epub"]


def test_missing_audio_stops_the_export_before_anything_is_written(scripted_book, tmp_path):
    scripted_book.articles[0].audio.unlink()
    with pytest.raises(ExportError, match=r"audio of /glossary/\S+ is missing.*voiceref build"):
        write_epub(scripted_book, tmp_path / "book.epub")
    assert not (tmp_path / "book.epub").exists()


def test_overlay_durations_add_up_to_the_total(scripted_book, tmp_path):
    report = write_epub(scripted_book, tmp_path / "book.epub")
    root = package(tmp_path / "book.epub")
    items = {i.get("id"): i for i in root.iter(f"{OPF}item")}
    overlays = [i for i in items.values() if i.get("media-type") == "application/smil+xml"]
    assert len(overlays) == report.articles == len(scripted_book.articles)
    per_overlay = [round(a.duration * 1000) for a in scripted_book.articles]
    assert [metas(root, "media:duration", f"#{o.get('id')}") for o in overlays] == [[clock(ms)] for ms in per_overlay]
    assert metas(root, "media:duration") == [clock(sum(per_overlay))] == [clock(report.duration)]
    assert metas(root, "media:active-class") == ["-epub-media-overlay-active"]
    pages = [i for i in items.values() if i.get("media-overlay")]
    assert {items[p.get("media-overlay")].get("media-type") for p in pages} == {"application/smil+xml"}
    assert {i.get("media-type") for i in items.values() if i.get("href").endswith(".mp3")} == {"audio/mpeg"}
    with zipfile.ZipFile(tmp_path / "book.epub") as archive:
        for overlay, ms in zip(overlays, per_overlay, strict=True):
            smil = ET.fromstring(archive.read(f"EPUB/{overlay.get('href')}"))
            clips = [(a.get("clipBegin"), a.get("clipEnd")) for a in smil.iter(f"{SMIL}audio")]
            assert clips[0][0] == clock(0) and clips[-1][1] == clock(ms)
            assert all(a[1] == b[0] for a, b in zip(clips, clips[1:], strict=False))


def test_accessibility_metadata_is_complete_and_says_what_is_not_read_aloud(scripted_book, tmp_path):
    write_epub(scripted_book, tmp_path / "book.epub")
    root = package(tmp_path / "book.epub")
    assert metas(root, "schema:accessMode") == ["textual", "auditory"]
    assert metas(root, "schema:accessModeSufficient") == ["textual"]
    assert "synchronizedAudioText" in metas(root, "schema:accessibilityFeature")
    assert {"structuralNavigation", "tableOfContents"} <= set(metas(root, "schema:accessibilityFeature"))
    assert metas(root, "schema:accessibilityHazard") == ["none"]
    assert metas(root, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    (summary,) = metas(root, "schema:accessibilitySummary")
    for unread in ("Sources", "review dates", "not medical advice"):
        assert unread in summary.split("Not read aloud:")[1]
    assert metas(root, "dcterms:modified") == ["2026-11-24T00:00:00Z"]
    (identifier,) = root.iter(f"{DC}identifier")
    assert identifier.text == scripted_book.identifier and root.get("unique-identifier") == identifier.get("id")


def test_identifiers_are_stable_and_differ_by_section_and_voice():
    site = "https://voiceref.example/"
    assert book_identifier(site, None, "clear") == book_identifier("https://voiceref.example", None, "clear")
    others = {book_identifier(site, "glossary", "clear"), book_identifier(site, None, "natural"),
              book_identifier("https://other.example/", None, "clear")}
    assert book_identifier(site, None, "clear") not in others and len(others) == 3
    assert book_identifier(site, None, "clear").startswith("urn:uuid:")


def test_navigation_goes_section_article_heading_in_reading_order(scripted_book, tmp_path):
    write_epub(scripted_book, tmp_path / "book.epub")
    with zipfile.ZipFile(tmp_path / "book.epub") as archive:
        nav = ET.fromstring(archive.read("EPUB/nav.xhtml"))
        root = ET.fromstring(archive.read("EPUB/package.opf"))
    toc, landmarks = [n for n in nav.iter(f"{XHTML}nav")]
    assert toc.get(EPUB_TYPE) == "toc" and landmarks.get(EPUB_TYPE) == "landmarks"
    top = toc.find(f"{XHTML}ol").findall(f"{XHTML}li")
    assert [li.find(f"{XHTML}a").text for li in top] == ["About this book"] + [s.title for s in scripted_book.sections]
    glossary = top[1].find(f"{XHTML}ol").findall(f"{XHTML}li")
    myoclonus = next(li for li in glossary if li.find(f"{XHTML}a").text == "Myoclonus")
    headings = [a.get("href") for a in myoclonus.iter(f"{XHTML}a")][1:]
    assert headings == [f"text/glossary/myoclonus.xhtml#{h}" for h in
                        ("what-it-is", "how-it-relates-to-ms", "night-time-jerks", "what-can-help")]
    items = {i.get("id"): i.get("href") for i in root.iter(f"{OPF}item")}
    spine = [items[ref.get("idref")] for ref in root.iter(f"{OPF}itemref")]
    toc_order = [a.get("href").split("#")[0] for a in toc.iter(f"{XHTML}a")]
    seen = list(dict.fromkeys(toc_order))
    assert seen == [s for s in spine if s in seen], "the contents follow the reading order"
    assert {a.get(EPUB_TYPE) for a in landmarks.iter(f"{XHTML}a")} == {"toc", "frontmatter", "bodymatter"}


def test_a_section_book_holds_only_that_section_and_links_out_to_the_rest(scripted_book, tmp_path):
    essays = dataclasses.replace(scripted_book, sections=tuple(s for s in scripted_book.sections if s.name == "essays"))
    report = write_epub(essays, tmp_path / "essays.epub")
    assert report.articles == 1
    with zipfile.ZipFile(tmp_path / "essays.epub") as archive:
        pages = [n for n in archive.namelist() if n.startswith("EPUB/text/") and n.count("/") == 3]
        page = ET.fromstring(archive.read("EPUB/text/essays/what-is-ms.xhtml"))
    assert pages == ["EPUB/text/essays/what-is-ms.xhtml"]
    hrefs = {a.get("href") for a in page.iter(f"{XHTML}a")}
    assert {"https://voiceref.example/glossary/spasticity", "https://voiceref.example/glossary/mri"} <= hrefs


@pytest.mark.parametrize(
    "size, label",
    [(300, "1 kB"), (640_400, "640 kB"), (1_000_000, "1.0 MB"), (2_540_000, "2.5 MB"), (126_049_000, "126 MB")],
)
def test_sizes_are_labelled_as_people_read_them(size, label):
    assert epub_module.size_label(size) == label
