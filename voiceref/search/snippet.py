"""Cut a short extract around the matched words of a result, with the words marked.

Whoosh's highlighter runs its whole analysis pipeline over the text, one Token object per
word; for ten results that was more than half of an uncached search (profiled on the bundled
content). This scans the opening of the text with one regular expression and a cached stemmer,
which gives the same matches, since the index's terms are lower-cased Porter stems.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape
from whoosh.lang.porter import stem

SCAN = 1200  # characters of a body scanned for matches: snippets come from the opening
WIDTH = 240  # characters in a snippet, about two lines
BEFORE = 70  # context kept before the first match
WORD = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)  # the index's tokenizer


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    """Return the index term of one word of text."""
    return stem(word.casefold())


def snippet(text: str, terms: frozenset[str]) -> Markup | None:
    """Return about WIDTH characters of `text` around its first matches, or None if none match."""
    opening = text[:SCAN]
    spans: list[tuple[int, int]] = []
    for match in WORD.finditer(opening):
        if spans and match.start() > spans[0][0] + WIDTH:
            break  # past anything the snippet can show
        if _stem(match.group()) in terms:
            spans.append(match.span())
    if not spans:
        return None
    start = max(0, spans[0][0] - BEFORE)
    if start:  # begin at a word
        space = opening.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(opening), start + WIDTH)
    if end < len(opening):
        space = opening.rfind(" ", spans[0][1], end)
        end = space if space > 0 else end
    parts = ["… " if start else ""]
    at = start
    for first, last in spans:
        if first < at or last > end:
            continue
        parts += [escape(opening[at:first]), Markup("<mark>"), escape(opening[first:last]), Markup("</mark>")]
        at = last
    parts += [escape(opening[at:end]), " …" if end < len(text) else ""]
    return Markup("").join(parts)
