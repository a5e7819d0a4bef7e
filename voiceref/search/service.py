"""The search service: a real Whoosh index, or a null one when none is built."""

from __future__ import annotations

import errno
import json
import logging
import math
import struct
import threading
import weakref
import zlib
from collections import OrderedDict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup, escape
from whoosh.filedb.filetables import FileFormatError
from whoosh.query import Every

from .complete import Completions
from .index import POPULAR_FILE, SUGGEST_FILE, VOCABULARY_JSON, open_index, segment_files
from .query import Knowledge, QueryPlan, Slot, plan_query, words_of
from .rank import FIELD_WEIGHTS, Ranking, label_words, rank, slot_matches
from .snippet import snippet
from .spelling import NearWords, read_english
from .vocabulary import Vocabulary

log = logging.getLogger(__name__)

# What reading a damaged Whoosh index raises (a truncated or missing segment file).
READ_ERRORS = (OSError, EOFError, ValueError, KeyError, struct.error, zlib.error, FileFormatError)

PAGE_CACHE = 2048  # pages of results kept per index, keyed by the query's words and the page
RANKING_CACHE = 1024  # ranked documents per query, shared by its pages
SLOT_CACHE = 128  # matches per query word: "ms" is in most queries


@dataclass
class SearchHit:
    """One result: where it is, what it is called, and the words that matched."""

    title: str
    url: str
    section: str
    snippet: Markup


@dataclass
class SearchPage:
    """One page of results for a query, with a spelling suggestion and, if none, ways on."""

    query: str
    total: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    page: int = 1
    page_size: int = 10
    suggestion: str | None = None
    available: bool = True
    topics: list[dict] = field(default_factory=list)  # popular topics, offered when nothing matched

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


class LruCache:
    """A bounded mapping that forgets the least recently used entry; safe across threads."""

    def __init__(self, size: int):
        self._size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        """Return the value for `key` (now the most recently used), or None."""
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        """Remember `value` for `key`, forgetting the least recently used entry if full."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            if len(self._data) > self._size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class SearcherPool:
    """Whoosh searchers for the requests in flight: a searcher reads files with seek and read,
    so two threads never share one, and one is reused rather than opened per request (a
    per-thread searcher would be opened anew for every greenlet under gevent)."""

    def __init__(self, ix):
        self._ix = ix
        self._idle: deque = deque()
        # Each searcher holds its segment files open: close them with the pool.
        weakref.finalize(self, _close_all, self._idle)

    @contextmanager
    def searcher(self) -> Iterator:
        """Lend an idle searcher (or a new one) for the length of a `with` block."""
        try:
            searcher = self._idle.pop()
        except IndexError:
            searcher = self._ix.searcher()
        try:
            yield searcher
        finally:
            self._idle.append(searcher)


def _close_all(searchers: deque) -> None:
    """Close every searcher in `searchers`."""
    while searchers:
        searchers.pop().close()


class IndexSearch:
    """Searches a built Whoosh index on disk, with everything it needs read from its folder."""

    available = True

    def __init__(self, path: Path):
        self.path = path
        self._ix = open_index(path)
        self._searchers = SearcherPool(self._ix)
        self._segments = {segment: segment.stat().st_size for segment in segment_files(path)}
        entries = json.loads((path / SUGGEST_FILE).read_text(encoding="utf-8"))
        self._completions = Completions(entries)
        self._labels: dict[tuple[str, ...], list[str]] = {}
        for entry in entries:
            for label in (entry["title"], *entry["aliases"]):
                keys = self._labels.setdefault(label_words(label), [])
                if entry["url"].lstrip("/") not in keys:
                    keys.append(entry["url"].lstrip("/"))
        # An index built before these files existed still serves, without them.
        vocabulary = Vocabulary.from_json(_read_json(path / VOCABULARY_JSON, []))
        self._phrases = vocabulary.phrases()
        self._everyday = {word for entry in vocabulary.entries for word in words_of(entry.phrase)}
        self._english = read_english(path)
        self._popular = _read_json(path / POPULAR_FILE, [])
        self._pages = LruCache(PAGE_CACHE)
        self._rankings = LruCache(RANKING_CACHE)
        self._slots = LruCache(SLOT_CACHE)
        self._corrections = LruCache(SLOT_CACHE)
        self._near: NearWords | None = None  # made at the first misspelt word

    def doc_count(self) -> int:
        return self._ix.doc_count()

    def healthy(self) -> bool:
        """Return True if the index answers a query (a damaged segment file raises here).

        With a searcher of its own: a pooled one opened its files before any damage.
        """
        try:
            self._check_segments()  # a query need not read the file that was damaged
            with self._ix.searcher() as searcher:
                searcher.search(Every(), limit=1)
        except READ_ERRORS as exc:
            log.error("the search index at %s cannot be read: %r", self.path, exc)
            return False
        return True

    def _check_segments(self) -> None:
        """Raise OSError if a segment file changed size since the index was opened.

        A truncated file read through mmap killed the worker with SIGBUS, which no except clause
        can catch; nothing is mmapped now (see index.open_index), but a plain read of a changed
        file returns short or wrong bytes, so the index is refused rather than read.
        """
        for segment, size in self._segments.items():
            if segment.stat().st_size != size:
                raise OSError(errno.EIO, "the segment file changed after the index was opened", str(segment))

    def clear_caches(self) -> None:
        """Forget cached results (for benchmarks that time the uncached path)."""
        for cache in (self._pages, self._rankings, self._slots, self._corrections):
            cache.clear()

    def search(self, text: str, page: int = 1, page_size: int = 10) -> SearchPage:
        """Return one page of hits for `text`; user text is never parsed as syntax.

        A damaged index answers with an unavailable page (not an error), as /healthz says.
        """
        try:
            return self._search(text, page, page_size)
        except READ_ERRORS as exc:
            log.error("the search index at %s cannot be read: %r", self.path, exc)
            return SearchPage(query=text, page=page, page_size=page_size, available=False)

    def _search(self, text: str, page: int, page_size: int) -> SearchPage:
        key = " ".join(words_of(text))
        cached = self._pages.get((key, page, page_size))
        if cached is not None:
            return replace(cached, query=text)
        self._check_segments()
        with self._searchers.searcher() as searcher:
            plan, ranking = self._ranked(key, searcher)
            result = SearchPage(text, ranking.total, page=page, page_size=page_size, suggestion=plan.suggestion)
            start = (page - 1) * page_size
            terms = frozenset(term for slot in plan.slots for term in slot.terms)
            for docnum in ranking.docnums[start : start + page_size]:
                result.hits.append(_hit(searcher.stored_fields(docnum), terms))
        if not ranking.total:
            result.topics = self._popular
        self._pages.put((key, page, page_size), result)
        return result

    def _ranked(self, key: str, searcher) -> tuple[QueryPlan, Ranking]:
        """Plan and rank a query, or reuse the ranking another page of it made."""
        cached = self._rankings.get(key)
        if cached is not None:
            return cached
        reader = searcher.reader()
        know = Knowledge(
            knows=lambda word, terms: self._knows(reader, word, terms),
            is_word=self._english.__contains__,
            corrections=lambda word: self.corrections(word, reader),
            relatives=lambda word: relatives(word, reader),
        )
        plan = plan_query(key, self._phrases, know)
        leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]

        def matches_of(slot: Slot) -> dict[int, float]:
            """Return the documents satisfying `slot`, from the cache when another query asked."""
            key = (slot.alternatives, slot.literal)
            found = self._slots.get(key)
            if found is None:
                found = slot_matches(leaves, slot)
                self._slots.put(key, found)
            return found

        def labelled(words: tuple[str, ...]) -> tuple[int, ...]:
            """Return the documents whose title or an alias is exactly `words`."""
            keys = self._labels.get(words, ())
            return tuple(n for n in (searcher.document_number(key=k) for k in keys) if n is not None)

        ranked = plan, rank(leaves, searcher.doc_count_all(), plan, matches_of, labelled)
        self._rankings.put(key, ranked)
        return ranked

    def _knows(self, reader, word: str, terms: tuple[str, ...]) -> bool:
        """Return True if the index or the everyday vocabulary holds `word`."""
        if word in self._everyday or reader.doc_frequency("words", word):
            return True
        fields = [name for name, _ in FIELD_WEIGHTS] + ["body"]
        return any(reader.doc_frequency(f, term) for term in terms for f in fields)

    def corrections(self, word: str, reader=None, limit: int = 3) -> list[str]:
        """Return index words within one, then two, edits of `word`, most frequent first."""
        if len(word) < 4 or not word.isalpha():
            return []
        if reader is None:
            with self._searchers.searcher() as searcher:
                return self.corrections(word, searcher.reader(), limit)
        found = self._corrections.get((word, limit))  # about 1 ms a word (spelling.NearWords)
        if found is None:
            found = []
            if self._near is None:
                field = self._ix.schema["words"]
                self._near = NearWords(field.from_bytes(term) for term in reader.lexicon("words"))
            for maxdist in (1, 2) if len(word) > 5 else (1,):
                near = self._near.within(word, maxdist) - {word}  # as reader.terms_within(..., prefix=1)
                if near:
                    found = sorted(near, key=lambda w: (-reader.doc_frequency("words", w), w))[:limit]
                    break
            self._corrections.put((word, limit), found)
        return found

    def suggest(self, text: str, limit: int = 8) -> list[dict]:
        """Return titles that complete `text`, for an autocomplete list."""
        return self._completions.complete(text, limit)


def _read_json(path: Path, default):
    """Return the JSON in `path`, or `default` if an older build did not write it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


def relatives(word: str, reader, limit: int = 4) -> list[str]:
    """Return index words that share all but the last few letters of `word` ("blurr-y", "-ed").

    Only for a real word the index lacks: the stemmer keeps "blurry" and "blurred", or
    "pregnant" and "pregnancy", apart.
    """
    if len(word) < 5 or not word.isalpha():
        return []
    prefix = word[: max(5, len(word) - 3)]
    found = (w.decode() if isinstance(w, bytes) else w for w in reader.expand_prefix("words", prefix))
    near = [w for w in found if abs(len(w) - len(word)) <= 3]
    return sorted(near, key=lambda w: (-reader.doc_frequency("words", w), w))[:limit]


def _hit(fields: dict, terms: frozenset[str]) -> SearchHit:
    """Make a result from a document's stored fields, with a snippet around the matched words."""
    extract = snippet(fields["body"], terms) or snippet(fields["summary"], terms)
    return SearchHit(
        title=fields["title"],
        url=fields["url"],
        section=fields["section"],
        snippet=extract or escape(fields["summary"]),
    )


class UnavailableSearch:
    """Stands in when no index is built: every search says so, and nothing fails."""

    available = False
    path = None

    def doc_count(self) -> int:
        return 0

    def search(self, text: str, page: int = 1, page_size: int = 10) -> SearchPage:
        return SearchPage(query=text, page=page, page_size=page_size, available=False)

    def healthy(self) -> bool:
        return False

    def suggest(self, text: str, limit: int = 8) -> list[dict]:
        return []
