"""The published-audio contract: the one place that says what an article's audio files are.

Both sides import it: the build (which writes files into the audio store and a catalog into
each release) and the web app, the API and the feeds (which read them). Nothing else derives
file names, URL names, media types or key lengths.

- The *store* (AUDIO_DIR) holds every rendering once, named by its cache key:
  `AUDIO_DIR/<key[:2]>/<key[:KEY_LENGTH]><suffix>`. Unchanged audio is never remade or copied.
- A *release* links the renderings it serves under the names their URLs use:
  `<release>/audio/<voice>/<section>/<slug>/<url name>`, and lists them in `<release>/audio.json`.
  A release folder is therefore complete by itself (hard links share the bytes on one disk).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

KEY_LENGTH = 20  # hex digits of the cache key in store file names and `?v=` cache busters
CATALOG_FILE = "audio.json"  # in a release
RELEASE_AUDIO = "audio"  # folder in a release


@dataclass(frozen=True)
class AudioKind:
    """One kind of file each rendering has: how it is stored, named in URLs and served."""

    name: str
    suffix: str  # in the store
    url_name: str  # the last part of its URL, and its file name in a release
    media_type: str


KINDS: dict[str, AudioKind] = {
    kind.name: kind
    for kind in (
        AudioKind("mp3", ".mp3", "audio.mp3", "audio/mpeg"),
        AudioKind("vtt", ".vtt", "audio.vtt", "text/vtt; charset=utf-8"),
        AudioKind("chapters", ".chapters.vtt", "chapters.vtt", "text/vtt; charset=utf-8"),
        AudioKind("podcast_chapters", ".chapters.json", "chapters.json", "application/json+chapters"),
        AudioKind("timings", ".json", "audio.json", "application/json"),
    )
}
BY_URL_NAME: dict[str, AudioKind] = {kind.url_name: kind for kind in KINDS.values()}
COMPLETION_KIND = "timings"  # written last: a rendering whose timings file exists is whole


def short_key(key: str) -> str:
    """Return the part of a cache key that names files and busts caches."""
    return key[:KEY_LENGTH]


def store_files(store: Path, key: str) -> dict[str, Path]:
    """Return where each file of the rendering `key` lives in the audio store."""
    folder = store / key[:2]
    return {name: folder / f"{short_key(key)}{kind.suffix}" for name, kind in KINDS.items()}


def release_folder(release: Path, voice: str, section: str, slug: str) -> Path:
    """Return the folder of one article's audio in one voice inside a release."""
    return release / RELEASE_AUDIO / voice / section / slug


@dataclass(frozen=True)
class CatalogEntry:
    """One article's audio in one voice, as a release publishes it."""

    section: str
    slug: str
    voice: str
    key: str  # the cache key: a hash of the speech script, voice, engine and format
    source: str  # a hash of what the script is made from: unchanged means reuse without rework
    title: str
    duration: float  # seconds
    sentences: int
    chapters: int
    sizes: dict[str, int] = field(default_factory=dict)  # bytes of each kind of file

    @property
    def article(self) -> str:
        return f"{self.section}/{self.slug}"

    @property
    def size(self) -> int:
        """Bytes of the MP3."""
        return self.sizes.get("mp3", 0)

    @property
    def version(self) -> str:
        """The cache buster that page links add to the URL (`?v=`)."""
        return short_key(self.key)

    def files(self, release: Path) -> dict[str, Path]:
        """Return each of this entry's files inside `release`."""
        folder = release_folder(release, self.voice, self.section, self.slug)
        return {name: folder / kind.url_name for name, kind in KINDS.items()}

    def problems(self, release: Path) -> list[str]:
        """Return what is wrong with this entry's files in `release` (nothing when whole)."""
        found = []
        for name, path in self.files(release).items():
            try:
                size = path.stat().st_size
            except OSError:
                found.append(f"{path} is missing")
                continue
            if name in self.sizes and size != self.sizes[name]:
                found.append(f"{path} has {size} bytes, the catalog says {self.sizes[name]}")
        return found


Catalog = dict[str, dict[str, CatalogEntry]]  # voice → "section/slug" → entry


def write_catalog(release: Path, catalog: Catalog) -> Path:
    """Write a release's audio catalog (the release is not live yet, so no swap is needed)."""
    data = {
        voice: {name: asdict(entry) for name, entry in sorted(entries.items())}
        for voice, entries in sorted(catalog.items())
    }
    path = release / CATALOG_FILE
    path.write_text(json.dumps({"format": 1, "voices": data}, ensure_ascii=False), encoding="utf-8")
    return path


def read_catalog(release: Path) -> Catalog:
    """Return a release's audio catalog; an empty one if it has none."""
    try:
        data = json.loads((release / CATALOG_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {
        voice: {name: CatalogEntry(**entry) for name, entry in entries.items()}
        for voice, entries in data["voices"].items()
    }


def link_into(release: Path, entry: CatalogEntry, store: Path) -> None:
    """Give `release` its own names for the stored files of `entry` (hard links, else copies)."""
    folder = release_folder(release, entry.voice, entry.section, entry.slug)
    folder.mkdir(parents=True, exist_ok=True)
    targets = entry.files(release)
    for name, stored in store_files(store, entry.key).items():
        try:
            os.link(stored, targets[name])
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EOPNOTSUPP):
                raise
            shutil.copyfile(stored, targets[name])
