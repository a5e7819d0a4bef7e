"""One article as a book chapter: its page with a span per sentence, and the overlay's pars.

Every timing names the element its sentence came from and a character range in that
element's own text. Here each range becomes a `<span id>` (headings keep their own id, so
that starting playback from the table of contents lands on them), and each sentence
becomes a `<par>` whose clip runs to the next sentence's start. Before anything is
wrapped, the words of every timing are compared with the page's: if they differ, the audio
was made from another version of the page and the export stops, saying which.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from .model import BookArticle, ExportError, Timing
from .overlay import Par, contiguous_clips, milliseconds
from .sentences import Range, own_text, wrap_ranges

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LISTS = {"ul", "ol"}
_LIST_INTRO = re.compile(r"A list of (\d+) items:")


@dataclass(frozen=True)
class Chapter:
    """An article made ready for the book: its page (a BeautifulSoup tree) and its overlay."""

    article: BookArticle
    page: BeautifulSoup
    pars: list[Par]
    duration: int  # ms: the sum of the pars' clips

    @property
    def sentences(self) -> int:
        return len(self.pars)


def _stale(article: BookArticle, number: int, reason: str) -> ExportError:
    return ExportError(
        f"The audio of {article.url} does not match its page (sentence {number + 1}: {reason}). "
        "It was made from another version of the article: rebuild the audio (voiceref build)."
    )


def _words(text: str) -> str:
    return " ".join(text.split())


def _reads(said: str, shown: str) -> bool:
    """True if a sentence that says `said` reads the words `shown` on the page.

    Only words count: the script may add a number before a list item ("3. ") and drop the
    colon after a care card's level.
    """
    said_words, shown_words = re.findall(r"\w+", said.casefold()), re.findall(r"\w+", shown.casefold())
    return said_words[len(said_words) - len(shown_words) :] == shown_words


def _is_list_intro(timing: Timing, element: Tag) -> bool:
    """True for the "A list of N items:" sentence the script attaches to a list's first item."""
    match = _LIST_INTRO.fullmatch(timing.text)
    parent = element.parent
    if not match or element.name != "li" or parent is None or parent.name not in LISTS:
        return False
    items = parent.find_all("li", recursive=False)
    return items[0] is element and len(items) == int(match.group(1))


class _Ids:
    """Hands out ids that no element of the page uses yet."""

    def __init__(self, page: BeautifulSoup):
        self.used = {tag["id"] for tag in page.find_all(id=True)}

    def new(self, wanted: str) -> str:
        name, number = wanted, 1
        while name in self.used:
            number += 1
            name = f"{wanted}-{number}"
        self.used.add(name)
        return name

    def of(self, element: Tag, wanted: str) -> str:
        """Return the element's id, giving it one if it has none."""
        if not element.get("id"):
            element["id"] = self.new(wanted)
        return element["id"]


def _table_rows(page: BeautifulSoup) -> list[Tag]:
    """Rows the script reads (cells joined), in order: sentences with no block are these."""
    return [
        row
        for row in page.find_all("tr")
        if re.search(r"\w", " ".join(_words(c.get_text()) for c in row.find_all(["th", "td"])))
    ]


def _targets(article: BookArticle, page: BeautifulSoup, ids: _Ids) -> list[Tag | Range]:
    """Return what each sentence highlights: a whole element, or a range of one to wrap."""
    by_id = {tag["id"]: tag for tag in page.find_all(id=True)}
    rows = iter(_table_rows(page))
    targets: list[Tag | Range] = []
    for number, timing in enumerate(article.timings):
        if timing.block is None:
            row = next(rows, None)
            if row is None:
                raise _stale(article, number, "it reads a table row the page does not have")
            ids.of(row, "row")
            targets.append(row)
            continue
        element = by_id.get(timing.block)
        if element is None:
            raise _stale(article, number, f"the page has no element #{timing.block}")
        if timing.span is None:
            targets.append(element.parent if _is_list_intro(timing, element) else element)
            continue
        start, end = timing.span
        shown = _words(own_text(element)[start:end])
        if timing.text and not _reads(timing.text, shown):
            raise _stale(article, number, f"it reads “{timing.text}” where the page says “{shown}”")
        if element.name in HEADINGS:
            targets.append(element)
        else:
            targets.append(Range(ids.new(f"s{number}"), start, end))
    return targets


def _list_chain(element: Tag, ids: _Ids) -> tuple[str, ...]:
    """Return the ids of the lists `element` is in (or is), outermost first."""
    chain = [tag for tag in [element, *element.parents] if isinstance(tag, Tag) and tag.name in LISTS]
    return tuple(ids.of(tag, "list") for tag in reversed(chain))


def make_chapter(article: BookArticle, link: Callable[[str], str]) -> Chapter:
    """Return `article` with a span per sentence, its links resolved by `link`, and its pars.

    Raises ExportError if the timings do not match the page or its audio.
    """
    page = BeautifulSoup(article.html, "html.parser")
    ids = _Ids(page)
    targets = _targets(article, page, ids)
    by_element: dict[str, list[Range]] = {}
    for timing, target in zip(article.timings, targets, strict=True):
        if isinstance(target, Range):
            by_element.setdefault(str(timing.block), []).append(target)
    elements: dict[str, Tag] = {}
    for block, ranges in by_element.items():
        element = page.find(id=block)
        try:
            unwrapped = set(wrap_ranges(element, ranges, page))
        except ValueError as exc:
            raise ExportError(f"The timings of {article.url} do not fit #{block}: {exc}") from exc
        for item in ranges:
            elements[item.id] = element if item.id in unwrapped else page.find(id=item.id)
    starts = [milliseconds(t.start) for t in article.timings]
    clips = contiguous_clips(starts, milliseconds(article.duration), article.url)
    pars = []
    for target, (begin, end) in zip(targets, clips, strict=True):
        element = elements[target.id] if isinstance(target, Range) else target
        lists = _list_chain(element, ids)  # first, so a list is named "list-…"
        pars.append(Par(ids.of(element, "sentence"), begin, end, lists))
    for anchor in page.find_all("a", href=True):
        anchor["href"] = link(anchor["href"])
    _images_as_text(page)
    return Chapter(article, page, pars, sum(par.length for par in pars))


def _images_as_text(page: BeautifulSoup) -> None:
    """Replace each image by its text alternative: the book holds no image files (the site has none)."""
    for image in page.find_all("img"):
        alt = " ".join(image.get("alt", "").split())
        if alt:
            text = page.new_tag("span", attrs={"class": "image-alt"})
            text.string = f"[Image: {alt}]"
            image.replace_with(text)
        else:
            image.decompose()


def link_resolver(
    page_url: str, document: str, documents: dict[str, str], public_url: str
) -> Callable[[str], str]:
    """Return a function that rewrites a link on `page_url` for the book.

    `documents` maps site paths ("/glossary/myoclonus") to book paths ("text/glossary/myoclonus.xhtml").
    A link to a page in the book becomes a relative link to its document (same fragment);
    any other link into the site goes to its public URL; links elsewhere stay as they are.
    """
    base = public_url.rstrip("/")
    folder = posixpath.dirname(document)

    def link(href: str) -> str:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("#"):
            return href
        path = urlsplit(urljoin(page_url, href)).path
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        target = documents.get(path.rstrip("/") or "/")
        if target is not None:
            return posixpath.relpath(target, folder) + fragment
        query = f"?{parts.query}" if parts.query else ""
        return f"{base}{path}{query}{fragment}"

    return link
