"""Turn user text into a safe Whoosh query, with typo correction; never parse syntax."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from whoosh.analysis import StemmingAnalyzer
from whoosh.query import And, Or, Query, Term

FIELD_BOOSTS = {"title": 6.0, "aliases": 4.0, "summary": 2.0, "body": 1.0}
MAX_WORDS = 12
WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = StemmingAnalyzer()


class UnionOr(Or):
    """An Or that walks its terms' posting lists together.

    Whoosh's default picks a matcher that first loads every match into an array when a
    segment holds fewer than 5,000 documents, which profiling showed to cost most of a query.
    """

    matcher_type = Or.DEFAULT_MATCHER


@dataclass(frozen=True)
class CleanQuery:
    """User text made safe to show and search: printable, trimmed, bounded."""

    text: str
    truncated: bool = False


def clean_query(raw: str | None, max_length: int) -> CleanQuery:
    """Drop control and unprintable characters, fold spaces, and cap the length."""
    raw = raw or ""
    kept = "".join(
        " " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in raw
    )
    text = " ".join(kept.split())
    if len(text) > max_length:
        return CleanQuery(text[:max_length].rstrip(), truncated=True)
    return CleanQuery(text)


def words_of(text: str) -> list[str]:
    """Return the lower-case words of `text`, at most MAX_WORDS of them."""
    return [w.casefold() for w in WORD.findall(text)][:MAX_WORDS]


def stems_of(word: str) -> list[str]:
    """Return the index terms a word becomes (none for a stop word such as 'and')."""
    return [token.text for token in _stemmer(word)]


def word_query(stems: list[str]) -> Query:
    """Match any of `stems` in any text field, titles and aliases weighted highest."""
    return UnionOr([Term(field, stem, boost=boost) for stem in stems for field, boost in FIELD_BOOSTS.items()])


@dataclass
class QueryPlan:
    """The query to run, the fallback if it finds nothing, and a spelling suggestion."""

    strict: Query | None
    loose: Query | None
    suggestion: str | None


def plan_query(text: str, is_known, corrections) -> QueryPlan:
    """Build AND and OR queries over the words of `text`, correcting unknown words.

    `is_known(word, stems)` says whether the index holds a word; `corrections(word)` returns
    index words close to a misspelt one, best first.
    """
    parts: list[Query] = []
    shown: list[str] = []
    changed = False
    for word in words_of(text):
        stems = stems_of(word)
        if not stems:
            shown.append(word)
            continue
        if not is_known(word, stems):
            fixes = corrections(word)
            if fixes:
                changed = True
                shown.append(fixes[0])
                stems = sorted({s for fix in fixes for s in stems_of(fix)} | set(stems))
            else:
                shown.append(word)
        else:
            shown.append(word)
        parts.append(word_query(stems))
    if not parts:
        return QueryPlan(None, None, None)
    strict = parts[0] if len(parts) == 1 else And(parts)
    loose = None if len(parts) == 1 else UnionOr(parts)
    return QueryPlan(strict, loose, " ".join(shown) if changed else None)
