"""Care cards: urgent-help guidance in the NHS pattern (non-urgent, urgent, emergency).

In Markdown a card is a fenced container whose first line gives its level and its action:

    ::: care urgent Ask for an urgent GP appointment or call 111 if:
    - your sight gets worse over a few hours or days
    :::

It renders as a note whose heading says the level in words ("Urgent advice: Ask for …"), so
the level is in the heading a screen reader lists, in the note's accessible name, in print and
in the spoken version; colour only repeats it. The heading sits one level below the section it
is in, and does not change the level the next body heading is checked against.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

NAME = "care"
OPEN, CLOSE = f"container_{NAME}_open", f"container_{NAME}_close"


@dataclass(frozen=True)
class CareLevel:
    """One level of urgency: the word a card uses for it and the words a reader sees and hears."""

    name: str
    label: str


LEVELS: dict[str, CareLevel] = {
    level.name: level
    for level in (
        CareLevel("non-urgent", "Non-urgent advice"),
        CareLevel("urgent", "Urgent advice"),
        CareLevel("emergency", "Immediate action required"),
    )
}
LEVEL_NAMES = ", ".join(LEVELS)
CARD_CLASSES = {"care-card", *(f"care-card-{name}" for name in LEVELS)}
LEVEL_CLASS = "care-level"
EXAMPLE = "'::: care urgent Ask for an urgent GP appointment if:'"


def use_care_cards(md: MarkdownIt) -> MarkdownIt:
    """Teach `md` the `::: care <level> <action>` container."""
    return md.use(container_plugin, NAME, validate=_is_card, render=_render)


def _is_card(params: str, *_: object) -> bool:
    words = params.split(maxsplit=1)
    return bool(words) and words[0] == NAME


@dataclass(frozen=True)
class CardHeading:
    """What a checked card's heading says, and where it sits in the outline."""

    level: CareLevel
    action: str
    depth: int  # 2 for an h2
    id: str

    @property
    def text(self) -> str:
        return f"{self.level.label}: {self.action}"


def check_card(tokens: Sequence[Token], index: int, depth: int, make_id: Callable[[str], str]) -> list[str]:
    """Return what is wrong with the card opening at tokens[index]; ready a good one to render.

    `depth` is the heading level of the section the card sits in (1 before the first h2);
    `make_id(text)` returns a page-unique id for the card's heading.
    """
    opening = tokens[index]
    words = opening.info.split(maxsplit=2)[1:]
    problems = []
    level = LEVELS.get(words[0]) if words else None
    if not words:
        problems.append(f"care card needs a level ({LEVEL_NAMES}) and an action, like {EXAMPLE}")
    elif level is None:
        problems.append(f"unknown care level {words[0]!r}: use one of {LEVEL_NAMES}")
    elif len(words) < 2:
        problems.append(f"care card needs an action after its level, like {EXAMPLE}")
    close = _closing(tokens, index)
    inside = tokens[index + 1 : close]
    if not inside:
        problems.append("care card is empty: list the signs that call for this help")
    if any(t.type == "heading_open" for t in inside):
        problems.append("care card has a heading inside: its first line is its heading")
    if any(t.type == OPEN for t in inside):
        problems.append("care cards cannot be nested")
    if close >= len(tokens) or tokens[close].markup == "":
        problems.append("care card is not closed: end it with a line of ':::'")
    if not problems and level is not None:
        action = " ".join(words[1].split())
        opening.meta["card"] = CardHeading(level, action, min(depth + 1, 6), make_id(level.label))
    return problems


def card_heading(opening: Token) -> CardHeading | None:
    """Return the heading of a checked card, or None for a card with problems."""
    return opening.meta.get("card")


def _closing(tokens: Sequence[Token], index: int) -> int:
    depth = 0
    for position in range(index, len(tokens)):
        if tokens[position].type == OPEN:
            depth += 1
        elif tokens[position].type == CLOSE:
            depth -= 1
            if depth == 0:
                return position
    return len(tokens)


def _render(renderer, tokens: Sequence[Token], index: int, _options, _env) -> str:
    token = tokens[index]
    if token.type == CLOSE:
        return "</div>\n"
    card: CardHeading | None = token.meta.get("card")
    if card is None:  # a card with problems: the check has already stopped the build
        return '<div class="care-card">\n'
    level, action, tag = html.escape(card.level.label), html.escape(card.action), f"h{card.depth}"
    return (
        f'<div class="care-card care-card-{card.level.name}" role="note" aria-labelledby="{card.id}">\n'
        f'<{tag} id="{card.id}"><span class="{LEVEL_CLASS}">{level}:</span> {action}</{tag}>\n'
    )
