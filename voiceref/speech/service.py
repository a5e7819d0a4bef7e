"""How pages describe one article's published audio in one voice (a catalog entry, for people)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import url_for

from .catalog import KINDS, CatalogEntry


@dataclass(frozen=True)
class AudioInfo:
    """One article's spoken version in one voice: its files and what a listener needs first."""

    entry: CatalogEntry
    files: dict[str, Path]  # kind → file inside the release

    @classmethod
    def of(cls, entry: CatalogEntry, release: Path) -> AudioInfo:
        return cls(entry, entry.files(release))

    section = property(lambda self: self.entry.section)
    slug = property(lambda self: self.entry.slug)
    voice = property(lambda self: self.entry.voice)
    key = property(lambda self: self.entry.key)
    version = property(lambda self: self.entry.version)
    duration = property(lambda self: self.entry.duration)
    size = property(lambda self: self.entry.size)
    sentences = property(lambda self: self.entry.sentences)
    chapters = property(lambda self: self.entry.chapters)

    def link(self, kind: str, **args) -> str:
        """Return the URL of one kind of file (needs a request or app context)."""
        return url_for("audio.audio_file", section=self.section, slug=self.slug, name=KINDS[kind].url_name, **args)

    url = property(lambda self: self.link("mp3"))
    vtt_url = property(lambda self: self.link("vtt"))
    chapters_url = property(lambda self: self.link("chapters"))
    timings_url = property(lambda self: self.link("timings"))

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
