"""Sentences made elements: wrap character ranges of a page element's own text in spans.

The website highlights a sentence by its character range inside the element it came from
(see speech/script.py), but an EPUB reading system can only highlight an element, so every
sentence becomes a `<span id>`. A range may start or end inside an inline element
(`<em>… rare. Most …</em>`); that element is then split in two, the way DOM ranges are, so
each span holds well-nested copies of the inline elements its words sit in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PageElement, PreformattedString

# Elements a <span> may hold (HTML's phrasing content, as far as a page can contain it).
PHRASING = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i", "img",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
    "var", "wbr",
}


@dataclass(frozen=True)
class Range:
    """Characters [start, end) of an element's own text that become the span `id`."""

    id: str
    start: int
    end: int


def nearest_id(node: PageElement) -> Tag | None:
    """Return the closest ancestor of `node` that has an id."""
    parent = node.parent
    while parent is not None and not parent.get("id"):
        parent = parent.parent
    return parent


def own_text_nodes(element: Tag) -> list[tuple[int, NavigableString]]:
    """Return (offset, node) for the text nodes whose closest ancestor with an id is `element`.

    Their text, joined, is what speech/script.py's own_text() measures offsets in.
    """
    nodes, offset = [], 0
    for node in element.descendants:
        if isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            if nearest_id(node) is element:
                nodes.append((offset, node))
                offset += len(node)
    return nodes


def own_text(element: Tag) -> str:
    """Return the element's own text (not that of nested elements with ids)."""
    return "".join(str(node) for _, node in own_text_nodes(element))


def _split_text(element: Tag, offsets: Iterable[int]) -> None:
    """Split the element's own text nodes so that every offset falls between two nodes."""
    cuts = sorted(set(offsets))
    for start, node in own_text_nodes(element):
        text = str(node)
        inside = [c - start for c in cuts if start < c < start + len(text)]
        if not inside:
            continue
        bounds = [0, *inside, len(text)]
        node.replace_with(*(NavigableString(text[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)))


def _shallow_copy(tag: Tag, soup: BeautifulSoup) -> Tag:
    attrs = {k: v for k, v in tag.attrs.items() if k != "id"}
    return soup.new_tag(tag.name, attrs=attrs)


def _split_before(node: PageElement, top: Tag, soup: BeautifulSoup, made: list[Tag]) -> PageElement:
    """Split the elements between `node` and `top` so `node` begins a child of `top`; return it."""
    current = node
    while current.parent is not top:
        parent = current.parent
        if current.previous_sibling is not None:
            moving = [current, *current.next_siblings]
            copy = _shallow_copy(parent, soup)
            made += [parent, copy]
            parent.insert_after(copy)
            for item in moving:
                copy.append(item.extract())
            current = copy
        else:
            current = parent
    return current


def _split_after(node: PageElement, top: Tag, soup: BeautifulSoup, made: list[Tag]) -> PageElement:
    """Split the elements between `node` and `top` so `node` ends a child of `top`; return it."""
    current = node
    while current.parent is not top:
        parent = current.parent
        if current.next_sibling is not None:
            moving = list(current.next_siblings)
            copy = _shallow_copy(parent, soup)
            made += [parent, copy]
            parent.insert_after(copy)
            for item in moving:
                copy.append(item.extract())
        current = parent
    return current


def _is_phrasing(node: PageElement) -> bool:
    if not isinstance(node, Tag):
        return True
    return node.name in PHRASING and all(_is_phrasing(child) for child in node.children)


def wrap_ranges(element: Tag, ranges: list[Range], soup: BeautifulSoup) -> list[str]:
    """Wrap each range of `element`'s own text in a `<span id>`, splitting inline elements.

    Returns the ids of ranges that could not be wrapped because they enclose a nested block
    (a list inside a list item, say): those sentences can only point at the whole element.
    Raises ValueError if ranges overlap or run past the element's own text.
    """
    ordered = sorted(ranges, key=lambda r: r.start)
    length = len(own_text(element))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            raise ValueError(f"sentences {before.id} and {after.id} overlap")
    for item in ordered:
        if not 0 <= item.start < item.end <= length:
            raise ValueError(f"sentence {item.id} ({item.start}–{item.end}) is outside the {length} characters")
    _split_text(element, [offset for r in ordered for offset in (r.start, r.end)])
    nodes = own_text_nodes(element)
    unwrapped: list[str] = []
    made: list[Tag] = []
    for item in ordered:
        inside = [node for offset, node in nodes if item.start <= offset < item.end and len(node)]
        first = _split_before(inside[0], element, soup, made)
        last = _split_after(inside[-1], element, soup, made)
        run = [first]
        while run[-1] is not last:
            run.append(run[-1].next_sibling)
        if not all(_is_phrasing(node) for node in run):
            unwrapped.append(item.id)
            continue
        span = soup.new_tag("span", attrs={"id": item.id})
        first.insert_before(span)
        for node in run:
            span.append(node.extract())
    for part in made:  # a part that holds only the space between two sentences is not needed
        if part.parent is not None and not part.find(True) and not part.get_text().strip():
            part.unwrap()
    return unwrapped
