"""What a screen reader should find on a page, worked out from the served HTML with BeautifulSoup.

Only the HTML-AAM mappings that voiceref's templates use are modelled: landmarks from header,
footer, main, nav, aside, named section and form elements and from explicit landmark roles;
headings h1–h6; links with an href. Anything under a `hidden` attribute, inside <audio> or
<video> (fallback content), or inside a closed <details> (other than its summary) is not on the
page as a screen reader meets it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

LANDMARK_ROLES = {"banner", "complementary", "contentinfo", "form", "main", "navigation", "region", "search"}
SECTIONING = ("article", "aside", "main", "nav", "section")
IMPLICIT = {"main": "main", "nav": "navigation", "aside": "complementary"}
# Served hidden, shown by static/js/player.js as it starts.
SHOWN_BY_SCRIPT = ".player-controls, [data-action=play-all], [data-shortcuts-panel], .player-sleep"
# Served for pages without scripts, hidden by static/js/player.js (its radios act at once).
HIDDEN_BY_SCRIPT = "[data-voice-submit]"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int
    link: bool  # the whole heading is one link


@dataclass(frozen=True)
class Landmark:
    role: str
    label: str  # "" when it has none


@dataclass(frozen=True)
class Control:
    name: str  # everything a screen reader reads, visually hidden text included
    shown: str  # what is on screen


def parse(html: str) -> BeautifulSoup:
    """The page's document."""
    return BeautifulSoup(html, "html.parser")


def squeeze(text: str) -> str:
    """Collapse runs of white space (no-break spaces too) to one space, as speech does."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def text_of(element: Tag) -> str:
    """An element's text, as a screen reader reads it."""
    return squeeze(element.get_text())


def shown_text(element: Tag) -> str:
    """An element's text without visually hidden parts."""
    copy = parse(str(element))
    for hidden in copy.select(".visually-hidden"):
        hidden.decompose()
    return squeeze(copy.get_text())


def on_page(element: Tag, scripted: bool = False) -> bool:
    """Whether a screen reader meets the element at all (`scripted`: once the page's script ran)."""
    for node in [element, *element.parents]:
        if not isinstance(node, Tag):
            continue
        shown_later = scripted and node.css.match(SHOWN_BY_SCRIPT)
        if scripted and node.css.match(HIDDEN_BY_SCRIPT):
            return False
        if node.has_attr("hidden") and not shown_later:
            return False
        if node.get("aria-hidden") == "true" or node.name in ("audio", "video", "template"):
            return False
        if node is not element and node.name == "details" and not node.has_attr("open"):
            summary = node.find("summary")
            if summary is None or (element is not summary and summary not in element.parents):
                return False
    return True


def title(soup: BeautifulSoup) -> str:
    """The page title."""
    return squeeze(soup.title.get_text())


def headings(soup: BeautifulSoup) -> list[Heading]:
    """Every heading on the page, in order."""
    found = []
    for element in soup.find_all(re.compile(r"^h[1-6]$")):
        if on_page(element):
            links = element.find_all("a", href=True)
            whole_link = len(links) == 1 and text_of(links[0]) == text_of(element)
            found.append(Heading(text_of(element), int(element.name[1]), whole_link))
    return found


def label_of(element: Tag, soup: BeautifulSoup) -> str:
    """An element's accessible label from aria-labelledby or aria-label ("" if neither)."""
    if element.get("aria-labelledby"):
        parts = [soup.find(id=ref) for ref in element["aria-labelledby"].split()]
        return squeeze(" ".join(text_of(part) for part in parts if part is not None))
    return squeeze(element.get("aria-label", ""))


def _landmark_role(element: Tag, label: str) -> str | None:
    role = element.get("role")
    if role in LANDMARK_ROLES:
        return role if role not in ("region", "form") or label else None
    if element.name in IMPLICIT:
        return IMPLICIT[element.name]
    if element.name in ("header", "footer"):
        scoped = any(parent.name in SECTIONING for parent in element.parents)
        return None if scoped else ("banner" if element.name == "header" else "contentinfo")
    if element.name == "section" and label:
        return "region"
    if element.name == "form" and label:
        return "form"
    return None


def landmarks(soup: BeautifulSoup) -> list[Landmark]:
    """Every landmark on the page, in order, with its label."""
    found = []
    for element in soup.body.find_all(True):
        label = label_of(element, soup)
        role = _landmark_role(element, label)
        if role and on_page(element):
            found.append(Landmark(role, label))
    return found


def link_count(soup: BeautifulSoup) -> int:
    """How many links a screen reader finds."""
    return sum(1 for link in soup.find_all("a", href=True) if on_page(link))


def form_count(soup: BeautifulSoup) -> int:
    """Forms that are not landmarks (no name, no role): Orca counts these apart."""
    forms = [form for form in soup.find_all("form") if on_page(form)]
    return sum(1 for form in forms if not form.get("role") and not label_of(form, soup))


def first_link(soup: BeautifulSoup) -> str:
    """The text of the first link on the page (the skip link), where Orca starts reading."""
    return text_of(soup.body.find("a", href=True))


def links_before_search(soup: BeautifulSoup) -> list[str]:
    """The text of each link before the first search box, in order (what Tab reaches first)."""
    box = soup.select_one("form[role=search] input[name=q]")
    return [text_of(link) for link in box.find_all_previous("a", href=True)[::-1] if on_page(link)]


def last_link(soup: BeautifulSoup) -> str:
    """The text of the last link on the page (where reading line by line ends)."""
    return text_of([link for link in soup.find_all("a", href=True) if on_page(link)][-1])


def search_label(soup: BeautifulSoup) -> str:
    """The label of the first search box on the page."""
    box = soup.select_one("form[role=search] input[name=q]")
    return text_of(soup.find("label", attrs={"for": box["id"]}))


def buttons(soup: BeautifulSoup) -> list[Control]:
    """The page's buttons once its script has run (the player's among them), in order."""
    return [Control(text_of(button), shown_text(button)) for button in soup.find_all("button") if on_page(button, True)]


def speed_label(soup: BeautifulSoup) -> str:
    """The visually hidden word in front of the player's speed ("Speed")."""
    return text_of(soup.select_one("[data-rate] .visually-hidden"))
