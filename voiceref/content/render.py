"""Markdown bodies to sanitised HTML, with heading checks and glossary auto-links."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import nh3
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import cards
from .model import Heading

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "a", "strong", "em", "code",
    "pre", "blockquote", "img", "br", "hr", "table", "thead", "tbody", "tr", "th", "td",
    "div", "span",  # care cards (cards.py); raw HTML is off, so only the renderer makes them
}
ALLOWED_ATTRIBUTES = {
    "*": {"id"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"scope"},
    "div": {"aria-labelledby"},
}
ALLOWED_CLASSES = {"div": cards.CARD_CLASSES, "span": {cards.LEVEL_CLASS}}
ALLOWED_VALUES = {"div": {"role": {"note"}}}
BLOCK_TAGS = ("h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td", "th")


def _markdown() -> MarkdownIt:
    """Return a CommonMark parser with raw HTML off and typographic quotes on."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
        ["replacements", "smartquotes", "table"]
    )
    return cards.use_care_cards(md)


@dataclass(frozen=True)
class Term:
    """A glossary title or alias that links to its entry on first mention."""

    text: str
    slug: str
    url: str


@dataclass
class Rendered:
    """What rendering one body produced, and the problems found on the way."""

    html: str
    text: str
    headings: list[Heading]
    problems: list[tuple[int, str]] = field(default_factory=list)  # (body line, reason)


def fold(text: str) -> str:
    """Return `text` as a look-up key: case folded, curly apostrophes and dashes made plain,
    and runs of white space made one space."""
    text = text.casefold().replace("’", "'").replace("–", "-").replace("‐", "-")
    return " ".join(text.split())


def slugify(text: str) -> str:
    """Return a lower-case, hyphenated id for a heading."""
    text = text.casefold().replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "section"


def _units(term: str) -> list[str]:
    """Split a term into regex pieces: apostrophes, dashes and spaces match their variants."""
    units = []
    for char in term:
        if char in "'’":
            units.append("['’]")
        elif char in "-–‐":
            units.append("[-–‐]")
        elif char == " ":
            units.append(r"\s+")
        else:
            units.append(re.escape(char))
    return units


def _trie_pattern(terms: Iterable[list[str]]) -> str:
    """Return one regex matching any of `terms`, factored by common prefix.

    A plain alternation of ~600 terms is tried term by term at every position; a trie lets
    the regex engine reject a position after a character or two (profiled: 8× faster).
    """
    trie: dict = {}
    for units in terms:
        node = trie
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}  # end of a term

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [unit + pattern(child) for unit, child in node.items() if unit]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # the shorter term ends here: the longer ones are optional, tried first
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
        return body

    return pattern(trie)


class Linker:
    """Finds the first mention of each glossary term in a run of text."""

    def __init__(self, terms: Iterable[Term]):
        self._by_key: dict[str, Term] = {}
        for term in sorted(terms, key=lambda t: len(t.text), reverse=True):
            self._by_key.setdefault(fold(term.text), term)
        # Abbreviations (MS, MRI) match only in capitals; words match in any case.
        capitals = [_units(t.text) for t in self._by_key.values() if t.text.isupper()]
        words = [_units(t.text.casefold()) for t in self._by_key.values() if not t.text.isupper()]
        # Words first, so "MS nurse" is preferred to the "MS" it starts with.
        alternatives = []
        if words:
            alternatives.append(_trie_pattern(words))
        if capitals:
            alternatives.append(f"(?-i:{_trie_pattern(capitals)})")
        self._regex: re.Pattern[str] | None = (
            re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])", re.IGNORECASE)
            if alternatives
            else None
        )

    def matches(self, text: str) -> Iterable[tuple[int, int, Term]]:
        """Yield (start, end, term) for each term mentioned in `text`."""
        if self._regex is None:
            return
        for match in self._regex.finditer(text):
            term = self._by_key.get(fold(match.group(0)))
            if term is not None:
                yield match.start(), match.end(), term


def _link_tokens(children: list[Token], linker: Linker, linked: set[str]) -> list[Token]:
    """Return inline children with the first mention of each unlinked term made a link."""
    out: list[Token] = []
    depth = 0
    for child in children:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        if child.type != "text" or depth > 0:
            out.append(child)
            continue
        text, pos = child.content, 0
        for start, end, term in linker.matches(text):
            if term.slug in linked:
                continue
            linked.add(term.slug)
            if start > pos:
                out.append(_text(text[pos:start]))
            link = Token("link_open", "a", 1)
            link.attrSet("href", term.url)
            out.extend([link, _text(text[start:end]), Token("link_close", "a", -1)])
            pos = end
        if pos < len(text):
            out.append(_text(text[pos:]))
    return out


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def render_body(body: str, linker: Linker | None = None, own_slug: str = "") -> Rendered:
    """Render a Markdown body: check headings, add ids, link glossary terms, sanitise."""
    md = _markdown()
    tokens = md.parse(body)
    problems: list[tuple[int, str]] = []
    headings: list[Heading] = []
    used_ids: set[str] = set()
    linked: set[str] = {own_slug}
    previous_level, blocks = 1, 0

    def unique_id(text: str) -> str:
        anchor = slugify(text)
        while anchor in used_ids:
            anchor += "-2"
        used_ids.add(anchor)
        return anchor

    for i, token in enumerate(tokens):
        line = token.map[0] if token.map else 0
        if token.type == cards.OPEN:
            problems.extend((line, reason) for reason in cards.check_card(tokens, i, previous_level, unique_id))
            card = cards.card_heading(token)
            if card is not None:
                headings.append(Heading(card.depth, card.text, card.id))
        elif token.type == "inline" and token.content.startswith(":::") and tokens[i - 1].type == "paragraph_open":
            problems.append((line, "a ':::' line that opens no care card: write '::: care <level> <action>'"))
        if token.type == "heading_open":
            level = int(token.tag[1])
            if level == 1:
                problems.append((line, "body headings start at '##' (h2): the title is the only h1"))
            elif level > previous_level + 1:
                problems.append(
                    (line, f"heading level skips from h{previous_level} to h{level}")
                )
            previous_level = level
            text = tokens[i + 1].content
            anchor = unique_id(text)
            token.attrSet("id", anchor)
            headings.append(Heading(level, text, anchor))
        elif token.type in {"paragraph_open", "list_item_open", "blockquote_open"} and not token.hidden:
            blocks += 1
            token.attrSet("id", f"blk-{blocks}")
        elif token.type == "inline" and linker is not None and token.children:
            inside_heading = i > 0 and tokens[i - 1].type == "heading_open"
            if not inside_heading:
                token.children = _link_tokens(token.children, linker, linked)
    raw = md.renderer.render(tokens, md.options, {})
    html = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        tag_attribute_values=ALLOWED_VALUES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Rendered(html=html, text=plain_text(html), headings=headings, problems=problems)


def plain_text(html: str) -> str:
    """Return the readable text of an HTML fragment, one block a line."""
    soup = BeautifulSoup(html, "html.parser")
    lines = []
    for element in soup.find_all(BLOCK_TAGS):
        if element.find(BLOCK_TAGS):
            continue  # the inner block will be read on its own
        line = " ".join(element.get_text().split())
        if line:
            lines.append(line)
    return "\n".join(lines)
