"""The speech script: what the voice reads for one article, sentence by sentence.

It is made from the rendered page, not the Markdown: the title, the "In short" summary,
then the body. Every sentence keeps the id of the page element it came from and where it
sits in that element's own text, so the page can highlight it while it is spoken.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, replace

from bs4 import BeautifulSoup, NavigableString, Tag

from ..content import Article
from ..content.cards import LEVEL_CLASS as CARE_LEVEL
from .lexicon import Lexicon
from .normalise import COMMON_ABBREVIATIONS, abbreviation_pattern, normalise, pronunciation_rule
from .words import page_words

HEADINGS = ("h2", "h3", "h4", "h5", "h6")
TITLE_ID, SUMMARY_ID, IN_SHORT_ID = "article-title", "summary", "in-short"

# Seconds of silence after a sentence, by where it ends.
PAUSE_SENTENCE = 0.35
PAUSE_BLOCK = 0.6
PAUSE_HEADING = 0.75
PAUSE_BEFORE_SECTION = 0.9
PAUSE_TITLE = 0.9

# A full stop after these is not the end of a sentence.
NOT_SENTENCE_END = {
    "e.g",
    "i.e",
    "etc",
    "vs",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "st",
    "no",
    "approx",
    "fig",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    """One sentence: what is said, where on the page it came from, and the pause after it."""

    text: str  # what the voice says, normalised
    block: str | None  # id of the page element it came from (None: no element to highlight)
    start: int | None = None  # offsets into the element's own text; None: the whole element
    end: int | None = None
    kind: str = "text"  # title, summary, heading, item, text
    pause: float = PAUSE_SENTENCE
    source: str = ""  # the words as the page shows them, for captions
    words: tuple[tuple[int, int, str], ...] = ()  # the page's words: offsets as start/end, and text


@dataclass(frozen=True)
class Chapter:
    """A jump point: the title and summary, then one per h2 section."""

    title: str
    block: str
    sentence: int  # index of its first sentence


@dataclass(frozen=True)
class SpeechScript:
    """Everything the voice says for one article, and the lexicon entries it relied on."""

    section: str
    slug: str
    title: str
    sentences: tuple[Sentence, ...]
    chapters: tuple[Chapter, ...]
    lexicon_used: tuple[str, ...] = field(default_factory=tuple)

    @property
    def key(self) -> tuple[str, str]:
        return (self.section, self.slug)

    @property
    def words(self) -> int:
        return sum(len(s.text.split()) for s in self.sentences)

    def digest(self) -> str:
        """Return a hash of everything that changes the audio or its timings."""
        data = json.dumps(
            [
                [asdict(s) for s in self.sentences],
                [asdict(c) for c in self.chapters],
                self.lexicon_used,
            ],
            sort_keys=True,
        )
        return hashlib.sha256(data.encode()).hexdigest()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences in `text`, trimmed of spaces."""
    spans, begin = [], 0
    for match in _SENTENCE_END.finditer(text):
        word = re.search(r"(\S+?)[.!?…]*[\"'”’)\]]*$", text[begin : match.start() + 1])
        last = word.group(1).casefold().rstrip(".") if word else ""
        if match.group(0).startswith(".") and (
            last in NOT_SENTENCE_END or re.fullmatch(r"[a-z]", last)
        ):
            continue  # an abbreviation or an initial, not a full stop
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, len(text)))
    trimmed = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end))
    return trimmed


def _nearest_id(node: Tag | NavigableString) -> Tag | None:
    parent = node.parent
    while parent is not None and not parent.get("id"):
        parent = parent.parent
    return parent


def own_text(element: Tag) -> tuple[str, list[str]]:
    """Return the element's own text (not that of nested elements with ids) and image alts.

    This matches what the page's script gets by walking the element's text nodes whose
    closest ancestor with an id is the element, so offsets line up in the browser.
    """
    parts, alts = [], []
    for node in element.descendants:
        if isinstance(node, NavigableString) and _nearest_id(node) is element:
            parts.append(str(node))
        elif isinstance(node, Tag) and node.name == "img" and _nearest_id(node) is element:
            if node.get("alt", "").strip():
                alts.append(" ".join(node["alt"].split()))
    return "".join(parts), alts


class _ScriptWriter:
    """Collects sentences, normalising each and keeping pauses and chapters."""

    def __init__(self, lexicon: Lexicon):
        self.abbreviations = lexicon.abbreviations
        self.pronunciations = lexicon.pronunciations
        self.sentences: list[Sentence] = []
        self.chapters: list[Chapter] = []

    def add(
        self,
        source: str,
        block: str | None,
        span: tuple[int, int] | None,
        kind: str,
        pause: float,
        prefix: str = "",
    ) -> None:
        """Add a sentence; `source` is the page text at `span`, `prefix` is said but not shown."""
        spoken = normalise(prefix + source, self.abbreviations, self.pronunciations)
        if not re.search(r"\w", spoken):
            return
        if spoken[-1] not in ".!?:;":
            spoken += "."
        start, end = span if span else (None, None)
        shown = " ".join((prefix + source).split())
        words = page_words(source, start) if start is not None else ()
        self.sentences.append(Sentence(spoken, block, start, end, kind, pause, shown, words))

    def add_text(self, text: str, block: str | None, kind: str, prefix: str = "") -> None:
        spans = split_sentences(text)
        for number, (start, end) in enumerate(spans):
            last = number == len(spans) - 1
            pause = PAUSE_BLOCK if last else PAUSE_SENTENCE
            self.add(text[start:end], block, (start, end), kind, pause, prefix if number == 0 else "")

    def pause_before(self, seconds: float) -> None:
        if self.sentences:
            last = self.sentences[-1]
            self.sentences[-1] = replace(last, pause=max(last.pause, seconds))


def _body(writer: _ScriptWriter, html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        if element.find_parent("pre") or element.name == "pre":
            continue  # code is not read
        if element.name in HEADINGS:
            raw = element.get_text()
            text = " ".join(raw.split())
            writer.pause_before(PAUSE_BEFORE_SECTION if element.name == "h2" else PAUSE_BLOCK)
            if element.name == "h2" and element.get("id"):
                writer.chapters.append(Chapter(text, element["id"], len(writer.sentences)))
            level = element.find("span", class_=CARE_LEVEL) if "care-card" in element.parent.get("class", []) else None
            if level is not None:  # a care card: say its level ("Urgent advice.") on its own first
                said = raw.index(level.get_text()) + len(level.get_text())
                writer.add(raw[:said], element.get("id"), (0, said), "heading", PAUSE_SENTENCE)
                writer.add(raw[said:], element.get("id"), (said, len(raw)), "heading", PAUSE_HEADING)
                continue
            writer.add(raw, element.get("id"), (0, len(raw)), "heading", PAUSE_HEADING)
        elif element.name in ("ul", "ol"):
            items = element.find_all("li", recursive=False)
            first = items[0].get("id") if items else None
            if len(items) > 1:
                writer.add(f"A list of {len(items)} items:", first, None, "item", PAUSE_SENTENCE)
        elif element.name == "tr":
            cells = [" ".join(c.get_text().split()) for c in element.find_all(["th", "td"])]
            writer.add(", ".join(c for c in cells if c), None, None, "text", PAUSE_BLOCK)
        elif element.get("id", "").startswith("blk-"):
            text, alts = own_text(element)
            prefix = ""
            if element.name == "li" and element.parent is not None and element.parent.name == "ol":
                position = element.parent.find_all("li", recursive=False).index(element)
                prefix = f"{int(element.parent.get('start', 1)) + position}. "
                if not text.strip():
                    writer.add("", element["id"], None, "item", PAUSE_SENTENCE, prefix)
            writer.add_text(text, element["id"], "item" if element.name == "li" else "text", prefix)
            for alt in alts:
                writer.add(f"Image: {alt}", element["id"], None, "text", PAUSE_BLOCK)


def lexicon_used(article: Article, lexicon: Lexicon) -> tuple[str, ...]:
    """Return the lexicon entries this article's text uses, as 'kind:word=spoken' strings."""
    text = " ".join([article.title, article.summary, article.text])
    used = []
    if lexicon.abbreviations:
        found = {m.group(1) for m in abbreviation_pattern(tuple(lexicon.abbreviations)).finditer(text)}
        used += [f"abbreviation:{w}={lexicon.abbreviations[w]}" for w in sorted(found - set(COMMON_ABBREVIATIONS))]
    if lexicon.pronunciations:
        pattern, _ = pronunciation_rule(tuple(lexicon.pronunciations.items()))
        found = {m.group(1).casefold() for m in pattern.finditer(text)}
        used += [f"pronunciation:{w}={s}" for w, s in sorted(lexicon.pronunciations.items()) if w.casefold() in found]
    return tuple(used)


def speech_script(article: Article, lexicon: Lexicon | None = None) -> SpeechScript:
    """Return what the voice reads for `article`: title, "In short" summary, then body."""
    writer = _ScriptWriter(lexicon or Lexicon())
    writer.chapters.append(Chapter("Introduction", TITLE_ID, 0))
    writer.add(article.title, TITLE_ID, (0, len(article.title)), "title", PAUSE_TITLE)
    if article.summary:
        writer.add("In short", IN_SHORT_ID, (0, len("In short")), "heading", PAUSE_HEADING)
        writer.add_text(article.summary, SUMMARY_ID, "summary")
    _body(writer, article.html)
    chapters = [c for c in writer.chapters if c.sentence < len(writer.sentences)]
    return SpeechScript(
        section=article.section,
        slug=article.slug,
        title=article.title,
        sentences=tuple(writer.sentences),
        chapters=tuple(chapters),
        lexicon_used=lexicon_used(article, lexicon or Lexicon()),
    )
