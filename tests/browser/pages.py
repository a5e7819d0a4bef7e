"""The pages every browser check visits, and the presentations it visits them in."""

from __future__ import annotations

# name -> path, on the fixture corpus (tests/fixtures/content).
PAGES: dict[str, str] = {
    "home": "/",
    "glossary A-Z": "/glossary/",
    "glossary letter": "/glossary/letter/m",
    "article with audio": "/glossary/myoclonus",
    "article with care cards": "/essays/what-is-ms",
    "essays": "/essays/",
    "news": "/news/",
    "people": "/people/",
    "resources": "/resources/",
    "about": "/about/",
    "search with results": "/search?q=spasticity",
    "search with a suggestion": "/search?q=spastisity",
    "search with no results": "/search?q=xyzzy",
    "not found": "/no-such-page",
    "preferences": "/preferences",
    "accessibility statement": "/about/accessibility-statement",
}

# name -> (preferences cookie value, emulated colour scheme)
THEMES: dict[str, tuple[str, str]] = {
    "system-light": ("", "light"),
    "system-dark": ("", "dark"),
    "light": ("theme=light", "dark"),  # chosen light wins over a dark device
    "dark": ("theme=dark", "light"),
    "contrast": ("theme=contrast", "light"),
}

# Every reader choice at its most demanding, for layout checks.
LARGEST = "size=200&line=wider&letter=wider&font=dyslexic"

WIDTHS = (1280, 320)
