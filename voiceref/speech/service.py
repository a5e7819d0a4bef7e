"""The audio service the web app reads: built audio from the catalog, or a null library.

Request handlers never synthesise. They ask `AudioService.get()` for the library that
`voiceref build` published; it reloads when the build replaces catalog.json.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from .build import CATALOG, article_folder, published_files

log = logging.getLogger(__name__)

MEDIA_TYPES = {
    "mp3": "audio/mpeg",
    "vtt": "text/vtt; charset=utf-8",
    "chapters": "text/vtt; charset=utf-8",
    "timings": "application/json",
}


@dataclass(frozen=True)
class AudioInfo:
    """One article's spoken version: its files and what a listener needs to know first."""

    section: str
    slug: str
    key: str
    duration: float  # seconds
    size: int  # bytes of MP3
    sentences: int
    chapters: int
    files: dict[str, Path]

    @property
    def url(self) -> str:
        return f"/{self.section}/{self.slug}/audio.mp3"

    @property
    def vtt_url(self) -> str:
        return f"/{self.section}/{self.slug}/audio.vtt"

    @property
    def chapters_url(self) -> str:
        return f"/{self.section}/{self.slug}/chapters.vtt"

    @property
    def timings_url(self) -> str:
        return f"/{self.section}/{self.slug}/audio.json"

    @property
    def minutes(self) -> int:
        """Whole minutes of listening, at least one."""
        return max(1, round(self.duration / 60))

    @property
    def length_label(self) -> str:
        """The length as people say it: '3 min 20 s', or '45 s'."""
        total = round(self.duration)
        minutes, secs = divmod(total, 60)
        if not minutes:
            return f"{secs} s"
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"

    @property
    def size_label(self) -> str:
        """The size as people read it: '1.2 MB' or '640 kB'."""
        if self.size >= 1_000_000:
            return f"{self.size / 1_000_000:.1f} MB"
        return f"{max(1, round(self.size / 1000))} kB"


class AudioLibrary:
    """The audio a build published, as listed in its catalog."""

    available = True

    def __init__(self, audio_dir: Path, catalog: dict):
        self.audio_dir = audio_dir
        self._articles: dict[str, dict] = catalog.get("articles", {})
        self.built = catalog.get("built", "")

    def info(self, section: str, slug: str) -> AudioInfo | None:
        """Return the article's audio, or None if it has none (yet)."""
        entry = self._articles.get(f"{section}/{slug}")
        if entry is None:
            return None
        files = published_files(article_folder(self.audio_dir, section, slug), entry["key"])
        return AudioInfo(
            section=section,
            slug=slug,
            key=entry["key"],
            duration=float(entry["duration"]),
            size=int(entry["size"]),
            sentences=int(entry["sentences"]),
            chapters=int(entry["chapters"]),
            files=files,
        )

    def __len__(self) -> int:
        return len(self._articles)


class UnavailableAudio:
    """Stands in when nothing has been built: every article says its audio is not ready."""

    available = False
    built = ""

    def info(self, section: str, slug: str) -> AudioInfo | None:
        return None

    def __len__(self) -> int:
        return 0


class AudioService:
    """Hands out the published audio library, reloading it when a build replaces the catalog."""

    def __init__(self, audio_dir: Path | None):
        self.audio_dir = audio_dir
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._library: AudioLibrary | None = None

    def get(self) -> AudioLibrary | UnavailableAudio:
        if self.audio_dir is None:
            return UnavailableAudio()
        path = self.audio_dir / CATALOG
        try:
            stat = path.stat()
        except OSError:
            return UnavailableAudio()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if self._library is not None and self._stamp == stamp:
            return self._library
        with self._lock:
            if self._library is None or self._stamp != stamp:
                try:
                    catalog = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    log.error("cannot read the audio catalog %s: %s", path, exc)
                    return UnavailableAudio()
                self._library, self._stamp = AudioLibrary(self.audio_dir, catalog), stamp
            return self._library
