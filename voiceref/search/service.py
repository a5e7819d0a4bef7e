"""The search service: a real Whoosh index, or a null one when none is built."""

from __future__ import annotations

import bisect
import json
import logging
import math
import struct
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape
from whoosh import highlight
from whoosh import index as whoosh_index
from whoosh.query import Every

from ..content.render import fold
from .index import SUGGEST_FILE
from .query import FIELD_BOOSTS, plan_query

log = logging.getLogger(__name__)



@dataclass
class SearchHit:
    """One result: where it is, what it is called, and the words that matched."""

    title: str
    url: str
    section: str
    snippet: Markup


@dataclass
class SearchPage:
    """One page of results for a query, with a spelling suggestion if any."""

    query: str
    total: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    page: int = 1
    page_size: int = 10
    suggestion: str | None = None
    available: bool = True

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


class Completions:
    """Prefix look-up over titles and aliases, from the file the build wrote."""

    def __init__(self, entries: list[dict]):
        keys: list[tuple[str, int, int]] = []  # (text from a word start, rank, entry)
        for number, entry in enumerate(entries):
            for rank, label in enumerate([entry["title"], *entry["aliases"]]):
                label = fold(label)
                starts = [0] + [i + 1 for i, ch in enumerate(label) if ch in " -/("]
                for start in starts:
                    # A match at the very start of the title ranks first.
                    keys.append((label[start:], (0 if rank == 0 else 1) + (2 if start else 0), number))
        keys.sort()
        self._keys = keys
        self._texts = [k[0] for k in keys]
        self._entries = entries

    def complete(self, prefix: str, limit: int) -> list[dict]:
        prefix = fold(prefix)
        if not prefix:
            return []
        found: dict[int, int] = {}
        i = bisect.bisect_left(self._texts, prefix)
        while i < len(self._texts) and self._texts[i].startswith(prefix) and len(found) < 400:
            _, rank, number = self._keys[i]
            found[number] = min(rank, found.get(number, rank))
            i += 1
        best = sorted(found, key=lambda n: (found[n], len(self._entries[n]["title"]), self._entries[n]["title"]))
        return [
            {k: self._entries[n][k] for k in ("title", "url", "section")} for n in best[:limit]
        ]


class IndexSearch:
    """Searches a built Whoosh index on disk."""

    available = True

    def __init__(self, path: Path):
        self.path = path
        self._ix = whoosh_index.open_dir(str(path))
        self._local = threading.local()
        entries = json.loads((path / SUGGEST_FILE).read_text(encoding="utf-8"))
        self._completions = Completions(entries)

    def _searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self._ix.searcher()
        return searcher

    def doc_count(self) -> int:
        return self._ix.doc_count()

    def healthy(self) -> bool:
        """Return True if the index answers a query (a damaged segment file raises here)."""
        try:
            self._searcher().search(Every(), limit=1)
        except (OSError, EOFError, ValueError, KeyError, struct.error, zlib.error) as exc:
            log.error("the search index at %s cannot be read: %r", self.path, exc)
            return False
        return True

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """Return index words within one, then two, edits of `word`, most frequent first."""
        if len(word) < 4 or not word.isalpha():
            return []
        reader = self._searcher().reader()
        for maxdist in (1, 2) if len(word) > 5 else (1,):
            near = set(reader.terms_within("words", word, maxdist, prefix=1)) - {word}
            if near:
                return sorted(near, key=lambda w: (-reader.doc_frequency("words", w), w))[:limit]
        return []

    def _is_known(self, word: str, stems: list[str]) -> bool:
        reader = self._searcher().reader()
        if reader.doc_frequency("words", word):
            return True
        return any(reader.doc_frequency(f, s) for s in stems for f in FIELD_BOOSTS)

    def search(self, text: str, page: int = 1, page_size: int = 10) -> SearchPage:
        """Return one page of hits for `text`; user text is never parsed as syntax."""
        result = SearchPage(query=text, page=page, page_size=page_size)
        plan = plan_query(text, self._is_known, self.corrections)
        result.suggestion = plan.suggestion
        if plan.strict is None:
            return result
        searcher = self._searcher()
        # optimize=False counts the total while scoring; with block skipping on, Whoosh runs
        # the whole query a second time just to count it (profiled: half of a query's time).
        hits = searcher.search_page(plan.strict, page, pagelen=page_size, optimize=False)
        if hits.total == 0 and plan.loose is not None:
            hits = searcher.search_page(plan.loose, page, pagelen=page_size, optimize=False)
        result.total = hits.total
        if page > hits.pagecount:  # Whoosh would quietly show the last page instead
            return result
        # Only the opening of a long body is scanned for a snippet: it keeps highlighting fast.
        hits.results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=70, charlimit=1200)
        hits.results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        for hit in hits:
            snippet = hit.highlights("body", top=1) or hit.highlights("summary") or escape(hit["summary"])
            result.hits.append(
                SearchHit(title=hit["title"], url=hit["url"], section=hit["section"], snippet=Markup(snippet))
            )
        return result

    def suggest(self, text: str, limit: int = 8) -> list[dict]:
        """Return titles that complete `text`, for an autocomplete list."""
        return self._completions.complete(text, limit)


class UnavailableSearch:
    """Stands in when no index is built: every search says so, and nothing fails."""

    available = False
    path = None

    def doc_count(self) -> int:
        return 0

    def healthy(self) -> bool:
        return False

    def search(self, text: str, page: int = 1, page_size: int = 10) -> SearchPage:
        return SearchPage(query=text, page=page, page_size=page_size, available=False)

    def suggest(self, text: str, limit: int = 8) -> list[dict]:
        return []
