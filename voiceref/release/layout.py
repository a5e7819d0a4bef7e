"""Where releases live, what their manifest says, and the one atomic switch that publishes one.

    INDEX_DIR/
      releases/<id>/        one complete release: manifest.json, articles.sqlite, search/,
                            audio.json and audio/<voice>/<section>/<slug>/<files>, and
                            published/ (feeds, sitemap, OpenSearch: documents.py)
      releases/.tmp-<id>/   a release being built (never served; removed by the next build)
      current  -> releases/<id>    what the server serves
      previous -> releases/<id>    what `voiceref rollback` goes back to
      .lock                 held by the one build allowed at a time

A folder gets its final name only after every part has been written and checked, and the
manifest is the last file written, so a folder under `releases/` without a readable manifest
is damaged, not unfinished.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import ReleaseError

log = logging.getLogger(__name__)

RELEASES = "releases"
CURRENT = "current"
PREVIOUS = "previous"
MANIFEST = "manifest.json"
TEMP_PREFIX = ".tmp-"
LOCK = ".lock"
KEEP = 3  # complete releases kept besides current and previous
FORMAT = 1  # of the release folder; bump when its layout changes


@dataclass(frozen=True)
class Manifest:
    """What a release is: when it was built, from what, with which versions, holding what."""

    id: str
    created: str  # ISO 8601, UTC
    content_hash: str  # of every content file and the lexicon
    articles: int
    indexed: int
    voices: dict[str, int] = field(default_factory=dict)  # voice → articles with audio
    versions: dict[str, str] = field(default_factory=dict)
    previous: str | None = None  # the release that was current when this one was published
    public_url: str = ""  # the origin its feeds, sitemap and OpenSearch were rendered for (documents.py)
    site_name: str = ""  # and the site name they carry
    format: int = FORMAT

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """Return the manifest of the release in `folder`; raise ReleaseError if it is unreadable."""
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ReleaseError(f"{folder} is a release of format {data.get('format')}, not {FORMAT}")
            return cls(**data)
        except (OSError, ValueError, TypeError) as exc:
            raise ReleaseError(f"{folder / MANIFEST} cannot be read: {exc}") from exc


def new_id(now: dt.datetime | None = None) -> str:
    """Return a new release id: sortable by time, unique even within one second."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def releases_dir(index_dir: Path) -> Path:
    return index_dir / RELEASES


def pointer(index_dir: Path, name: str = CURRENT) -> Path | None:
    """Return the release folder that `current` (or `previous`) points at, or None."""
    link = index_dir / name
    try:
        target = os.readlink(link)
    except OSError:
        return None
    return (index_dir / target) if not os.path.isabs(target) else Path(target)


def list_releases(index_dir: Path) -> list[tuple[Path, Manifest | None]]:
    """Return every release folder, newest first, with its manifest (None when damaged)."""
    found = []
    folder = releases_dir(index_dir)
    for path in sorted(folder.iterdir() if folder.is_dir() else [], reverse=True):
        if path.is_dir() and not path.name.startswith("."):
            try:
                found.append((path, Manifest.read(path)))
            except ReleaseError:
                found.append((path, None))
    return found


def _point(index_dir: Path, name: str, target: Path) -> None:
    """Atomically make the symlink `index_dir/name` point at `target`."""
    link = index_dir / name
    temp = index_dir / f".{name}.{os.getpid()}"
    temp.unlink(missing_ok=True)
    temp.symlink_to(target.relative_to(index_dir), target_is_directory=True)
    os.replace(temp, link)


def publish(index_dir: Path, staged: Path, manifest: Manifest) -> Path:
    """Give a checked, staged release (manifest written) its final name and make it current."""
    final = releases_dir(index_dir) / manifest.id
    _fsync_tree(staged)
    os.rename(staged, final)
    old = pointer(index_dir)
    if old is not None and old.is_dir() and old != final:
        _point(index_dir, PREVIOUS, old)
    _point(index_dir, CURRENT, final)
    return final


def rollback(index_dir: Path) -> tuple[Path, Path]:
    """Make the previous release current again (and the current one previous)."""
    current, previous = pointer(index_dir), pointer(index_dir, PREVIOUS)
    if previous is None or not previous.is_dir():
        raise ReleaseError("There is no previous release to roll back to.")
    Manifest.read(previous)  # refuse a damaged one
    from .verify import healthy  # verify reads releases through this module

    if not healthy(previous):  # a build replaced it because it was damaged, or it has been since
        raise ReleaseError(
            f"The previous release {previous.name} is damaged (its index or audio cannot be read): "
            "it cannot be rolled back to. Build a new release instead."
        )
    _point(index_dir, CURRENT, previous)
    if current is not None and current.is_dir():
        _point(index_dir, PREVIOUS, current)
    return previous, current or previous


def prune(index_dir: Path, keep: int = KEEP) -> list[Path]:
    """Delete unfinished and surplus releases; never current, previous or the newest `keep`."""
    protected = {p.resolve() for p in (pointer(index_dir), pointer(index_dir, PREVIOUS)) if p is not None}
    removed = []
    for path in releases_dir(index_dir).glob(f"{TEMP_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    complete = 0
    for path, manifest in list_releases(index_dir):
        if path.resolve() in protected:
            continue
        if manifest is not None and complete < keep:
            complete += 1
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the lock that lets one build at a time write under `index_dir`."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ReleaseError(f"Another build is running in {index_dir}; wait for it to finish.") from exc
        yield


def stage(index_dir: Path, release_id: str) -> Path:
    """Create the folder a new release is built in."""
    folder = releases_dir(index_dir) / f"{TEMP_PREFIX}{release_id}"
    folder.mkdir(parents=True)
    return folder


def _fsync_tree(folder: Path) -> None:
    """Flush a staged release to disk before it is named, so a power cut cannot publish holes."""
    for root, folders, files in os.walk(folder):
        if Path(root) == folder and "audio" in folders:
            folders.remove("audio")  # links to the audio store, whose files were complete already
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
