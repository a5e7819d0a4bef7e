"""Full-text search over the articles with Whoosh: build once, then only read."""

from .index import build_index
from .query import clean_query
from .service import IndexSearch, SearchHit, SearchPage, UnavailableSearch

__all__ = [
    "IndexSearch", "SearchHit", "SearchPage", "UnavailableSearch", "build_index", "clean_query",
]
