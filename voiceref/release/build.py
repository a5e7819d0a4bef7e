"""Build a release: validate, render, index and speak the content, check it all, switch once.

`build_release` is the whole pipeline; the CLI, the tests and `bench/` call it. It holds the
build lock, stages everything in `releases/.tmp-<id>`, checks the staged release (see
verify.py) and publishes it with one atomic switch of `current`. The first voice is made
before the first release is published; every further voice is published as it is made (a new
release every `publish_every` seconds with the renderings finished so far), so a reader gets
each article's natural voice as soon as it exists. Anything that fails leaves the current
release as it was and removes what was staged.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..content import Site, load_site
from ..errors import DiskFull, ReleaseError, SpeechError
from ..export import write_books
from ..search import build_index
from ..search.vocabulary import VOCABULARY_FILE, load_vocabulary
from ..speech.catalog import Catalog, CatalogEntry, link_into, read_catalog, write_catalog
from ..web.hosts import parse_public_url
from . import layout
from .articles import FILENAME, write_articles
from .documents import write_documents
from .verify import check_release, healthy

log = logging.getLogger(__name__)
_hooked = False

SEARCH = "search"  # the Whoosh index's folder in a release
PUBLISH_EVERY = 30.0  # seconds between releases while a further voice is being made


@dataclass
class BuildReport:
    """What a build did: the releases it published and, per voice, what it spoke."""

    released: list[Path] = field(default_factory=list)
    articles: int = 0
    index_seconds: float = 0.0
    audio: dict[str, object] = field(default_factory=dict)  # voice → AudioBuildReport
    errors: list[str] = field(default_factory=list)  # voices that could not be made at all

    @property
    def failed(self) -> list[str]:
        return self.errors + [message for report in self.audio.values() for message in report.failed]


def content_hash(content_dir: Path) -> str:
    """Return a hash of every content file's path and bytes (the lexicon included)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in content_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(content_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def versions() -> dict[str, str]:
    """Return the versions of what made a release, for its manifest."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": sys.version.split()[0]}
    for name in ("voiceref", "whoosh", "flask", "pyttsx3", "piper-tts"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


class _Stager:
    """Makes, checks and publishes releases that share the articles and index built once."""

    def __init__(self, index_dir: Path, store: Path, site: Site, base: dict):
        self.index_dir, self.store, self.site, self.base = index_dir, store, site, base
        self.latest: Path | None = None  # the last release published: the next links its files
        self.published: Catalog | None = None  # and its audio catalog

    def publish(self, catalog: Catalog, build_index_into: Callable[[Path], int] | None = None) -> Path:
        """Stage a release with `catalog`, check it and make it current; return its folder."""
        release_id = layout.new_id()
        staged: Path | None = None
        try:
            staged = layout.stage(self.index_dir, release_id)
            if self.latest is None:
                write_articles(staged / FILENAME, self.site)
                indexed = build_index_into(staged / SEARCH) if build_index_into else 0
                self.base["indexed"] = indexed
            else:
                _link_tree(self.latest / FILENAME, staged / FILENAME)
                _link_tree(self.latest / SEARCH, staged / SEARCH)
            for entries in catalog.values():
                for entry in entries.values():
                    link_into(staged, entry, self.store)
            write_catalog(staged, catalog)
            write_books(staged, self.base["public_url"], previous=self.latest or self.base.get("start"))
            manifest = layout.Manifest(
                id=release_id,
                created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                content_hash=self.base["content_hash"],
                articles=len(self.site),
                indexed=self.base["indexed"],
                voices={voice: len(entries) for voice, entries in catalog.items()},
                versions=self.base["versions"],
                previous=self.base.get("previous"),
                public_url=self.base["public_url"],
                site_name=self.base["site_name"],
            )
            manifest.write(staged)  # the checks, and the documents' rendering, open it as a server would
            write_documents(staged, manifest.public_url, manifest.site_name)  # needs the manifest
            problems = check_release(staged, manifest, render=self.latest is None)
            if problems:
                raise ReleaseError("The new release failed its checks:\n" + "\n".join(problems))
            final = layout.publish(self.index_dir, staged, manifest)
        except BaseException as exc:
            if staged is not None:
                shutil.rmtree(staged, ignore_errors=True)
            if _disk_full(exc):
                detail = exc.args[0][0][-1] if isinstance(exc, shutil.Error) else exc  # the first file's
                raise DiskFull(f"while writing release {release_id} in {self.index_dir}: {detail}") from exc
            raise
        if self.latest is not None:
            layout.prune(self.index_dir)  # releases made while a voice is still being spoken
        self.latest, self.published = final, {voice: dict(entries) for voice, entries in catalog.items()}
        self.base["previous"] = release_id
        log.info("published release %s", release_id)
        return final


def _disk_full(exc: BaseException) -> bool:
    """Return True if `exc` says the disk is full (SQLite says so in its own words)."""
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
    if isinstance(exc, shutil.Error):  # copytree keeps only the text of each file's error
        full = (os.strerror(errno.ENOSPC), os.strerror(errno.EDQUOT))
        return any(reason in str(why) for *_, why in exc.args[0] for reason in full)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def _link_tree(source: Path, target: Path) -> None:
    """Give `target` the files of `source` by hard links (copies where links cannot be made)."""
    if source.is_file():
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
        return
    shutil.copytree(source, target, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def build_release(
    settings: dict,
    voices: list[str] | None = None,
    jobs: int | None = None,
    audio: bool = True,
    publish_every: float = PUBLISH_EVERY,
    on_start: Callable[[int], object] | None = None,
    on_index: Callable[[int], object] | None = None,
    on_audio: Callable[[str, int, float], object] | None = None,
) -> BuildReport:
    """Build the content in `settings["CONTENT_DIR"]` into a new current release.

    `voices` are made in order (default: every voice, clear first, so the site can be
    served with audio as soon as possible); with `audio` False nothing is synthesised, and each
    article gets whatever audio the store already has for its current speech. A voice whose engine is missing is
    reported in `BuildReport.errors` and left out. Raises ContentError, ReleaseError, DiskFull.
    """
    from ..speech import load_lexicon
    from ..speech.build import plan_audio, render_audio
    from ..speech.workers import exit_with_parent

    global _hooked
    if not _hooked:  # Whoosh's indexing processes are forked: they too must die with the build
        os.register_at_fork(after_in_child=exit_with_parent)
        _hooked = True
    from ..speech.engines import CLEAR, VOICES, voice_spec

    content_dir = Path(settings["CONTENT_DIR"])
    index_dir = Path(settings["INDEX_DIR"])
    store = Path(settings["AUDIO_DIR"])
    voices = list(voices) if voices is not None else sorted(VOICES, key=lambda v: v != CLEAR)
    report = BuildReport()
    with layout.build_lock(index_dir):
        layout.prune(index_dir)  # what an interrupted build left behind
        site = load_site(content_dir)
        vocabulary = load_vocabulary(content_dir / VOCABULARY_FILE)  # everyday words search uses
        report.articles = len(site)
        if on_start:
            on_start(len(site))
        current = layout.pointer(index_dir)
        usable = current is not None and healthy(current)
        if current is not None and not usable:
            log.warning("the current release %s is damaged: building from scratch", current)
        base = {
            "content_hash": content_hash(content_dir),
            "versions": versions(),
            "previous": current.name if current is not None else None,
            "start": current if usable else None,  # its unchanged talking books are reused
            "public_url": parse_public_url(config.public_url({**config.DEFAULTS, **settings})).origin,
            "site_name": str({**config.DEFAULTS, **settings}["SITE_NAME"]),
        }
        previous_catalog = read_catalog(current) if usable else {}
        stager = _Stager(index_dir, store, site, base)

        def index_into(target: Path) -> int:
            started = time.perf_counter()
            build_index(
                site.articles,
                target,
                previous=current / SEARCH if usable else None,
                advance=on_index,
                vocabulary=vocabulary,
            )
            report.index_seconds = time.perf_counter() - started
            return len(site)

        # Plan every voice first: audio that is still right is published from the first release.
        lexicon = load_lexicon(content_dir / "lexicon.yaml")
        plans, specs = {}, {}
        if not audio and not any(store.glob("??/*")):
            voices = []  # nothing synthesised and nothing stored: no voice to plan
        for voice in voices:
            try:
                specs[voice] = voice_spec(voice, settings)
            except SpeechError as error:
                report.errors.append(f"The {voice} voice is not available: {error}")
                continue
            plans[voice] = plan_audio(site.articles, store, lexicon, specs[voice], previous_catalog.get(voice))
            report.audio[voice] = plans[voice]
        catalog: Catalog = {voice: dict(plan.entries) for voice, plan in plans.items()}
        if not audio or not plans:
            report.released.append(stager.publish(catalog, index_into))
            return _finish(index_dir, store, report)
        for number, (voice, plan) in enumerate(plans.items()):
            last = [time.monotonic()]

            def progress(done: int, seconds: float, voice=voice) -> None:
                if on_audio:
                    on_audio(voice, done, seconds)

            def publish_partial(entries: dict[str, CatalogEntry], voice=voice, last=last) -> None:
                if time.monotonic() - last[0] >= publish_every:
                    report.released.append(stager.publish({**catalog, voice: dict(entries)}))
                    last[0] = time.monotonic()

            if on_audio and plan.reused:
                on_audio(voice, len(plan.reused), 0.0)
            render_audio(plan, store, specs[voice], jobs, progress, publish_partial if number > 0 else None)
            catalog[voice] = dict(plan.entries)
            if stager.published != catalog:
                report.released.append(stager.publish(dict(catalog), index_into))
        return _finish(index_dir, store, report)


def _finish(index_dir: Path, store: Path, report: BuildReport) -> BuildReport:
    """Prune old releases, then every stored rendering that no kept release uses."""
    from ..speech.build import prune_store

    layout.prune(index_dir)
    keep = {
        entry.key
        for path, manifest in layout.list_releases(index_dir)
        for entries in read_catalog(path).values()
        for entry in entries.values()
    }
    removed = prune_store(store, keep)
    log.info("removed %d unused audio files", removed)
    return report
