"""Full-text search over the articles with Whoosh: build once, then only read."""

from .index import build_index, live_index_path
from .query import clean_query
from .service import IndexSearch, SearchHit, SearchPage, SearchService, UnavailableSearch

__all__ = [
    "IndexSearch", "SearchHit", "SearchPage", "SearchService", "UnavailableSearch",
    "build_index", "clean_query", "live_index_path",
]
