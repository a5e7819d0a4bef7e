"""Build the Whoosh index in a temporary folder and swap it in when complete."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, STORED, TEXT, Schema

from ..content import Article

log = logging.getLogger(__name__)

CURRENT = "current"  # symlink inside INDEX_DIR to the live build
BUILDS = "builds"
KEEP_BUILDS = 2  # the live build and the one before it, for readers still using it
SUGGEST_FILE = "suggest.json"  # titles and aliases for autocomplete
DIGESTS_FILE = "digests.json"  # a hash of each indexed document, for incremental builds
SCHEMA_VERSION = 1  # bump when make_schema() or document() changes: forces a full build
INCREMENTAL_LIMIT = 0.25  # rebuild in full when more than this share of documents changed


def make_schema() -> Schema:
    """Return the schema: stemmed text fields for ranking, plain words for spelling."""
    stemmed = StemmingAnalyzer()
    plain = RegexTokenizer() | LowercaseFilter()
    return Schema(
        key=ID(stored=True, unique=True),
        url=STORED,
        section=ID(stored=True),
        title=TEXT(analyzer=stemmed, stored=True),
        aliases=TEXT(analyzer=stemmed, stored=True),
        summary=TEXT(analyzer=stemmed, stored=True),
        body=TEXT(analyzer=stemmed, stored=True),
        words=TEXT(analyzer=plain),
    )


def run_on(text: str) -> str:
    """Join lines into running text, closing headings and list items with a full stop.

    Snippets are cut from this text, so "What it is Fatigue in MS" reads as two sentences.
    """
    lines = (line.strip() for line in text.splitlines())
    return " ".join(line if line[-1] in ".?!:;…" else line + "." for line in lines if line)


def document(article: Article) -> dict[str, str]:
    """Return the Whoosh fields for one article."""
    aliases = "\n".join(article.aliases)
    return {
        "key": f"{article.section}/{article.slug}",
        "url": article.url,
        "section": article.section,
        "title": article.title,
        "aliases": aliases,
        "summary": article.summary,
        "body": run_on(article.text),
        "words": "\n".join((article.title, aliases, article.summary, article.text)),
    }


def _digest(doc: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:20]


def _previous_digests(index_dir: Path) -> tuple[Path, dict[str, str]] | None:
    """Return the live build and its document digests, if it can be updated in place."""
    live = live_index_path(index_dir)
    if live is None:
        return None
    try:
        data = json.loads((live / DIGESTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != SCHEMA_VERSION:
        return None
    return live, data["digests"]


def build_index(
    articles: list[Article], index_dir: Path, advance: Callable[[int], object] | None = None
) -> Path:
    """Index `articles` into a new folder, then point `index_dir/current` at it.

    When only a few articles changed since the live build, the new folder starts as a copy of
    it and only those documents are replaced; the live build itself is never written to.
    """
    docs = {doc["key"]: doc for doc in map(document, articles)}
    digests = {key: _digest(doc) for key, doc in docs.items()}
    builds = index_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    target = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=builds))
    try:
        previous = _previous_digests(index_dir)
        changed = removed = None
        if previous is not None:
            old = previous[1]
            changed = [key for key, digest in digests.items() if old.get(key) != digest]
            removed = [key for key in old if key not in digests]
            if len(changed) + len(removed) > INCREMENTAL_LIMIT * max(len(docs), 1):
                changed = removed = None
        if changed is not None and removed is not None and previous is not None:
            shutil.copytree(previous[0], target, dirs_exist_ok=True)
            writer = whoosh_index.open_dir(str(target)).writer(limitmb=256)
            with writer:  # commits on success, cancels on error
                for key in removed:
                    writer.delete_by_term("key", key)
                for key in changed:
                    writer.update_document(**docs[key])
            if advance is not None:
                advance(len(docs))
            log.info("index updated: %d changed, %d removed", len(changed), len(removed))
        else:
            ix = whoosh_index.create_in(target, make_schema())
            # Two processes on two cores; each leaves its own segment rather than merging.
            writer = ix.writer(limitmb=256, procs=2, multisegment=True)
            with writer:  # commits on success, cancels on error
                for doc in docs.values():
                    writer.add_document(**doc)
                    if advance is not None:
                        advance(1)
        completions = [
            {"title": a.title, "aliases": a.aliases, "url": a.url, "section": a.section}
            for a in articles
        ]
        (target / SUGGEST_FILE).write_text(json.dumps(completions), encoding="utf-8")
        (target / DIGESTS_FILE).write_text(
            json.dumps({"version": SCHEMA_VERSION, "digests": digests}), encoding="utf-8"
        )
        _swap(index_dir, target)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    _prune(builds, keep=target)
    log.info("index built at %s", target)
    return target


def _swap(index_dir: Path, target: Path) -> None:
    """Atomically repoint the `current` symlink: readers see the old or the new index."""
    link = index_dir / CURRENT
    tmp_link = index_dir / f".{CURRENT}.{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(target.relative_to(index_dir), target_is_directory=True)
    os.replace(tmp_link, link)


def _prune(builds: Path, keep: Path) -> None:
    """Delete old builds, keeping the newest few."""
    older = sorted((p for p in builds.iterdir() if p.is_dir() and p != keep), reverse=True)
    for stale in older[KEEP_BUILDS - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)


def current_target(index_dir: Path) -> Path | None:
    """Return the folder `index_dir/current` points at (one readlink), or None."""
    try:
        return (index_dir / CURRENT).resolve(strict=True)
    except (FileNotFoundError, RuntimeError):
        return None


def live_index_path(index_dir: Path) -> Path | None:
    """Return the folder of the live index, or None if no complete index exists."""
    target = current_target(index_dir)
    return target if target is not None and whoosh_index.exists_in(target) else None
