"""The speech script: what is read, in what order, and where each sentence came from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup

from voiceref.content import Article
from voiceref.content.render import render_body
from voiceref.speech.lexicon import Lexicon, load_lexicon
from voiceref.speech.script import (
    PAUSE_BEFORE_SECTION,
    PAUSE_HEADING,
    own_text,
    speech_script,
    split_sentences,
)

BODY = """\
## What it is

Myoclonus is a quick jerk, e.g. a hiccup. See [the NINDS page](https://www.ninds.nih.gov/) or
https://example.org/x for more.

![A diagram of a nerve](/static/nerve.png)

- First item about MS.
- Second item[1].

1. Take 5 mg.
2. Rest.

> A quote about MRI scans.

```
code = "never read"
```

## What helps

**Clonazepam** can help. Dr. Smith agrees.
"""


def make_article(body: str = BODY, title: str = "Myoclonus", summary: str = "Sudden jerks.") -> Article:
    rendered = render_body(body)
    article = Article(
        section="glossary", slug="myoclonus", title=title, summary=summary,
        path=Path("myoclonus.md"), reviewed=dt.date(2026, 1, 1),
    )
    article.html, article.text, article.headings = rendered.html, rendered.text, rendered.headings
    return article


LEXICON = Lexicon(
    abbreviations={"MS": "M S", "MRI": "M R I", "NINDS": "N I N D S"},
    pronunciations={"myoclonus": "my oh CLOH nuss", "clonazepam": "clo NAZZ ee pam"},
)


def test_split_sentences_keeps_abbreviations_decimals_and_initials_together():
    text = "It works, e.g. for 1.5 years. Dr. Smith and J. Jones agree! Why? Yes."
    parts = [text[a:b] for a, b in split_sentences(text)]
    assert parts == ["It works, e.g. for 1.5 years.", "Dr. Smith and J. Jones agree!", "Why?", "Yes."]


def test_script_reads_title_summary_then_body_in_order():
    script = speech_script(make_article(), LEXICON)
    spoken = [s.text for s in script.sentences]
    assert spoken[:3] == ["my-oh-cloh-nuss.", "In short.", "Sudden jerks."]
    assert spoken[3] == "What it is."
    assert spoken[-2:] == ["clo-nazz-ee-pam can help.", "Doctor Smith agrees."]
    assert [s.block for s in script.sentences[:3]] == ["article-title", "in-short", "summary"]


def test_links_read_their_text_and_urls_markup_footnotes_and_code_are_not_read():
    spoken = " ".join(s.text for s in speech_script(make_article(), LEXICON).sentences)
    assert "the N I N D S page" in spoken
    for never in ("http", "www", "example.org", "[1]", "**", "#", "code", "never read", "/static"):
        assert never not in spoken
    assert "for example a hiccup" in spoken


def test_lists_are_announced_and_items_read_as_items():
    sentences = speech_script(make_article(), LEXICON).sentences
    spoken = [s.text for s in sentences]
    assert spoken.count("A list of two items.") == 2
    assert "First item about M S." in spoken
    assert "Second item." in spoken
    assert "one. Take five milligrams." in spoken
    items = [s for s in sentences if s.kind == "item"]
    assert len(items) == 6  # two announcements and four items


def test_images_read_their_alt_text_and_quotes_are_read():
    spoken = [s.text for s in speech_script(make_article(), LEXICON).sentences]
    assert "Image: A diagram of a nerve." in spoken
    assert "A quote about M R I scans." in spoken


def test_headings_are_followed_by_a_pause_and_sections_preceded_by_one():
    sentences = speech_script(make_article(), LEXICON).sentences
    heading = next(i for i, s in enumerate(sentences) if s.text == "What helps.")
    assert sentences[heading].kind == "heading" and sentences[heading].pause == PAUSE_HEADING
    assert sentences[heading - 1].pause == PAUSE_BEFORE_SECTION


def test_chapters_start_at_the_title_and_each_h2():
    script = speech_script(make_article(), LEXICON)
    assert [(c.title, c.block) for c in script.chapters] == [
        ("Introduction", "article-title"), ("What it is", "what-it-is"), ("What helps", "what-helps"),
    ]
    for chapter in script.chapters:
        assert script.sentences[chapter.sentence].block == chapter.block


def test_each_sentence_points_at_its_words_in_its_page_element():
    article = make_article()
    script = speech_script(article, LEXICON)
    soup = BeautifulSoup(article.html, "html.parser")
    checked = 0
    for sentence in script.sentences:
        element = soup.find(id=sentence.block)
        if element is None or sentence.start is None:
            continue
        text, _ = own_text(element)
        assert text[sentence.start : sentence.end].strip() == sentence.source.split(". ", 1)[-1] or (
            " ".join(text[sentence.start : sentence.end].split()) in sentence.source
        )
        checked += 1
    assert checked >= 8
    first = next(s for s in script.sentences if s.block == "blk-1")
    assert first.start == 0 and first.source == "Myoclonus is a quick jerk, e.g. a hiccup."


def test_lexicon_entries_used_are_part_of_the_digest():
    article = make_article()
    script = speech_script(article, LEXICON)
    assert "pronunciation:clonazepam=clo NAZZ ee pam" in script.lexicon_used
    unrelated = Lexicon(LEXICON.abbreviations | {"EDSS": "E D S S"}, LEXICON.pronunciations)
    assert speech_script(article, unrelated).digest() == script.digest()
    changed = Lexicon(LEXICON.abbreviations, LEXICON.pronunciations | {"clonazepam": "KLON a ze pam"})
    assert speech_script(article, changed).digest() != script.digest()


def test_fixture_corpus_scripts(site, content_dir):
    lexicon = load_lexicon(content_dir / "lexicon.yaml")
    for article in site.articles:
        script = speech_script(article, lexicon)
        assert script.sentences[0].kind == "title"
        assert all(s.text[-1] in ".!?:;" for s in script.sentences)
        assert not any(ch.isdigit() for s in script.sentences for ch in s.text), article.slug
