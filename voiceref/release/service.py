"""What request handlers read: the current release, opened once and kept until it changes.

Each request asks `ReleaseService.get()` for a snapshot. That costs one readlink of
`INDEX_DIR/current`; only when the link points somewhere new is the new release opened (its
manifest read, its articles' SQLite file, search index and audio catalog opened). A release
that cannot be opened is not served: the last good one goes on serving, and `problem` says
why, for /healthz. Nothing here renders, indexes or synthesises.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..search import IndexSearch, UnavailableSearch
from ..speech.catalog import Catalog, CatalogEntry, read_catalog
from . import layout
from .articles import FILENAME, ArticleStore, EmptyStore
from .verify import READ_ERRORS, SEARCH

log = logging.getLogger(__name__)


@dataclass
class Release:
    """One release, open for reading: its articles, its search index and its audio."""

    path: Path | None
    manifest: layout.Manifest | None
    site: ArticleStore
    search: IndexSearch | UnavailableSearch
    catalog: Catalog = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path) -> Release:
        """Open the release in `path`; raise ReleaseError (or a read error) if it is not whole."""
        manifest = layout.Manifest.read(path)
        site = ArticleStore(path / FILENAME)
        search = IndexSearch(path / SEARCH)
        return cls(path, manifest, site, search, read_catalog(path))

    @classmethod
    def empty(cls) -> Release:
        """Stand in when nothing has been built: no articles, no search, no audio."""
        return cls(None, None, EmptyStore(), UnavailableSearch())

    @property
    def id(self) -> str:
        return self.manifest.id if self.manifest else ""

    def audio(self, section: str, slug: str, voice: str) -> CatalogEntry | None:
        """Return one article's audio in `voice`, or None if that voice has none (yet)."""
        return self.catalog.get(voice, {}).get(f"{section}/{slug}")

    def audio_file(self, entry: CatalogEntry, kind: str) -> Path:
        assert self.path is not None
        return entry.files(self.path)[kind]


class ReleaseService:
    """Hands out the current release, switching to a new one when a build publishes it."""

    def __init__(self, index_dir: Path, pinned: Path | None = None):
        self.index_dir = index_dir
        self.pinned = pinned  # a release folder to serve whatever `current` says (checks, tests)
        self._lock = threading.Lock()
        self._open = Release.empty()
        self._target: Path | None = None  # where `current` pointed when last looked at
        self.problem = "no release has been built yet: run voiceref build"

    def get(self) -> Release:
        target = self.pinned or layout.pointer(self.index_dir)
        if target == self._target:
            return self._open
        with self._lock:
            if target != self._target:
                self._switch(target)
            return self._open

    def _switch(self, target: Path | None) -> None:
        self._target = target
        if target is None:
            self.problem = "no release has been built yet: run voiceref build"
            return
        try:
            self._open, self.problem = Release.open(target), ""
        except READ_ERRORS as exc:
            self.problem = f"release {target.name} cannot be opened ({exc}); serving {self._open.id or 'nothing'}"
            log.error("%s", self.problem)
