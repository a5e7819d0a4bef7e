"""Chapters: every sentence of the real speech script lands on the words it reads."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from voiceref.export.article import link_resolver, make_chapter
from voiceref.export.model import ExportError, Timing

from .conftest import PUBLIC


def keep(href: str) -> str:
    return href


def words(text: str) -> str:
    return " ".join(text.split())


def test_every_sentence_highlights_exactly_the_words_it_reads(scripted_book):
    for article in scripted_book.articles:
        chapter = make_chapter(article, keep)
        assert len(chapter.pars) == len(article.timings)
        for par, timing in zip(chapter.pars, article.timings, strict=True):
            element = chapter.page.find(id=par.target)
            assert element is not None, (article.url, par.target)
            said, shown = words(timing.text).rstrip(":"), words(element.get_text())
            if element.name.startswith("h"):  # a heading is read whole, or its care level first
                assert said in shown, (article.url, par.target)
            elif timing.span is not None:  # a range of its element: the span holds those words
                assert said.endswith(shown), (article.url, par.target)
        ids = [tag["id"] for tag in chapter.page.find_all(id=True)]
        assert len(ids) == len(set(ids)), article.url


def test_headings_keep_their_own_ids_and_sentences_get_spans(scripted_book):
    article = next(a for a in scripted_book.articles if a.slug == "myoclonus")
    chapter = make_chapter(article, keep)
    targets = [chapter.page.find(id=par.target) for par in chapter.pars]
    assert [t.name for t in targets[:4]] == ["h1", "h2", "span", "h2"]
    assert [p.target for p in chapter.pars[:4]] == ["article-title", "in-short", "s2", "what-it-is"]
    body_headings = {h.id for h in article.headings}
    assert body_headings <= {t["id"] for t in targets if t.name in {"h2", "h3"}}


def test_a_list_is_introduced_on_the_list_and_its_items_are_inside_it(scripted_book):
    article = next(a for a in scripted_book.articles if a.slug == "myoclonus")
    chapter = make_chapter(article, keep)
    listed = [(p, chapter.page.find(id=p.target)) for p in chapter.pars if p.lists]
    intro, *items = listed
    assert intro[1].name == "ul" and intro[0].lists == (intro[1]["id"],)
    assert [element.find_parent("li")["id"] for _, element in items] == ["blk-3", "blk-4"]
    assert all(par.lists == intro[0].lists for par, _ in items)


def test_clips_run_from_zero_to_the_end_of_the_audio(scripted_book):
    for article in scripted_book.articles:
        chapter = make_chapter(article, keep)
        assert chapter.pars[0].begin == 0 and chapter.pars[-1].end == round(article.duration * 1000)
        assert chapter.duration == sum(p.length for p in chapter.pars) == round(article.duration * 1000)


def _changed(article, number: int, **changes):
    timings = list(article.timings)
    timings[number] = dataclasses.replace(timings[number], **changes)
    return dataclasses.replace(article, timings=tuple(timings))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"text": "Hiccups are a harmful kind."}, "reads “Hiccups are a harmful kind.” where the page says"),
        ({"block": "blk-99"}, "has no element #blk-99"),
        ({"block": None}, "table row"),
    ],
)
def test_timings_from_another_version_of_the_page_stop_the_export(scripted_book, changes, message):
    article = next(a for a in scripted_book.articles if a.slug == "myoclonus")
    number = next(n for n, t in enumerate(article.timings) if t.text == "Hiccups are a harmless kind.")
    with pytest.raises(ExportError, match=rf"/glossary/myoclonus .*sentence {number + 1}: .*{message}.*voiceref build"):
        make_chapter(_changed(article, number, **changes), keep)


def test_timings_past_the_end_of_the_audio_stop_the_export(scripted_book):
    article = scripted_book.articles[0]
    with pytest.raises(ExportError, match="do not fit its audio"):
        make_chapter(dataclasses.replace(article, duration=1.0), keep)


def test_table_rows_are_read_in_order_and_highlighted_whole(scripted_book):
    article = scripted_book.articles[0]
    rows = "<tr><th>Drug</th><th>Use</th></tr><tr><td></td><td></td></tr><tr><td>A</td><td>B</td></tr>"
    html = f"{article.html}<table>{rows}</table>"
    extra = (Timing(90.0, 91.0, None, None, "Drug, Use"), Timing(91.0, 92.0, None, None, "A, B"))
    table_article = dataclasses.replace(article, html=html, timings=article.timings + extra, duration=93.0)
    chapter = make_chapter(table_article, keep)
    rows = [chapter.page.find(id=p.target) for p in chapter.pars[-2:]]
    assert [r.name for r in rows] == ["tr", "tr"]
    assert [words(r.get_text(" ")) for r in rows] == ["Drug Use", "A B"]


def test_site_links_go_to_the_book_or_the_public_site():
    documents = {"/glossary/mri": "text/glossary/mri.xhtml", "/essays/what-is-ms": "text/essays/what-is-ms.xhtml",
                 "/glossary": "text/glossary.xhtml"}
    link = link_resolver("/glossary/myoclonus", "text/glossary/myoclonus.xhtml", documents, PUBLIC)
    assert link("/glossary/mri") == "mri.xhtml"
    assert link("/glossary/mri#what-it-is") == "mri.xhtml#what-it-is"
    assert link("/essays/what-is-ms") == "../essays/what-is-ms.xhtml"
    assert link("/glossary/") == "../glossary.xhtml"
    assert link("mri") == "mri.xhtml"  # relative to the page
    assert link("#what-it-is") == "#what-it-is"
    assert link("/glossary/not-in-this-book") == "https://voiceref.example/glossary/not-in-this-book"
    assert link("/search?q=ms#results") == "https://voiceref.example/search?q=ms#results"
    assert link("https://www.nhs.uk/conditions/") == "https://www.nhs.uk/conditions/"
    assert link("mailto:team@example.org") == "mailto:team@example.org"


def test_links_on_the_page_are_rewritten(scripted_book, tmp_path: Path):
    article = next(a for a in scripted_book.articles if a.slug == "myoclonus")
    documents = {a.url: f"text/{a.section}/{a.slug}.xhtml" for a in scripted_book.articles if a.slug != "mri"}
    link = link_resolver(article.url, documents[article.url], documents, PUBLIC)
    hrefs = [a["href"] for a in make_chapter(article, link).page.find_all("a")]
    assert "spasticity.xhtml" in hrefs and "https://voiceref.example/glossary/mri" in hrefs
    assert not [h for h in hrefs if h.startswith("/")]


def test_images_become_their_text_alternatives(scripted_book):
    article = scripted_book.articles[0]
    html = article.html + '<p><img src="/static/scan.png" alt="An MRI  scan"/> <img src="/x.png" alt=""/></p>'
    page = make_chapter(dataclasses.replace(article, html=html), keep).page
    assert page.find("img") is None
    assert [s.get_text() for s in page.find_all("span", class_="image-alt")] == ["[Image: An MRI scan]"]
