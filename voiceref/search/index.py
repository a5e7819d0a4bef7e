"""Build the Whoosh index of a release (into a folder the release build gives it)."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from ..content import Article
from .query import index_terms
from .spelling import english_words, write_english
from .vocabulary import Vocabulary

log = logging.getLogger(__name__)

SUGGEST_FILE = "suggest.json"  # titles and aliases for autocomplete
DIGESTS_FILE = "digests.json"  # a hash of each indexed document, for incremental builds
VOCABULARY_JSON = "vocabulary.json"  # everyday phrases and the terms they mean
POPULAR_FILE = "popular.json"  # the topics most linked from other articles
POPULAR_COUNT = 8
SCHEMA_VERSION = 3  # bump when make_schema(), document() or the file layout changes: forces a full build
INCREMENTAL_LIMIT = 0.25  # rebuild in full when more than this share of documents changed
INDEX_NAME = "MAIN"  # Whoosh's default: its segment files are named MAIN_<segment id>.<ext>
# Each segment is written as separate files, never assembled into one compound `.seg` file.
# Whoosh 2.7 reads a compound file through mmap and copies every part of it into a BytesIO on
# a searcher's first read (filedb/compound.py, structfile.BufferFile): at 10,000 articles the
# first search grew a worker by 122 MB (to a 215 MB peak) and, since the copy touches every
# page, half of that again as mapped file pages. Separate files are read with seek and read,
# which costs about 8 % of an uncached query's time (measured 2026-11-29, README "Worker
# start-up").
COMPOUND = False


def open_index(path: Path):
    """Open the Whoosh index in `path` for reading, without memory-mapping anything.

    Only compound segments are ever mmapped (and then copied, see COMPOUND); an index built
    before COMPOUND was turned off is still read without the copy, through plain file reads.
    """
    return FileStorage(str(path), supports_mmap=False, readonly=True).open_index(INDEX_NAME)


def segment_files(path: Path) -> list[Path]:
    """Return the files of the index's segments in `path` (not its table of contents or lock)."""
    return sorted(p for p in path.glob(f"{INDEX_NAME}_*.*") if p.is_file())


def make_schema() -> Schema:
    """Return the schema: stemmed text fields for ranking, plain words for spelling.

    No field stores word positions (phrase=False): reading a common word's postings was then
    five to ten times faster (measured at 10,000 articles), and nearness is matched through
    `pairs`, the neighbouring terms of the short fields, instead.
    """
    stemmed = StemmingAnalyzer()
    plain = RegexTokenizer() | LowercaseFilter()
    return Schema(
        key=ID(stored=True, unique=True),
        url=STORED,
        section=ID(stored=True),
        title=TEXT(analyzer=stemmed, stored=True, phrase=False),
        aliases=TEXT(analyzer=stemmed, stored=True, phrase=False),
        summary=TEXT(analyzer=stemmed, stored=True, phrase=False),
        headings=TEXT(analyzer=stemmed, phrase=False),
        body=TEXT(analyzer=stemmed, stored=True, phrase=False),
        pairs=KEYWORD,
        words=TEXT(analyzer=plain, phrase=False),
    )


def pairs_of(lines: list[str]) -> str:
    """Return the neighbouring index terms of each line, as "first_second" tokens."""
    pairs = []
    for line in lines:
        terms = index_terms(line)
        pairs.extend(f"{a}_{b}" for a, b in zip(terms, terms[1:], strict=False))
    return " ".join(dict.fromkeys(pairs))


def run_on(text: str) -> str:
    """Join lines into running text, closing headings and list items with a full stop.

    Snippets are cut from this text, so "What it is Fatigue in MS" reads as two sentences.
    """
    lines = (line.strip() for line in text.splitlines())
    return " ".join(line if line[-1] in ".?!:;…" else line + "." for line in lines if line)


def document(article: Article) -> dict[str, str]:
    """Return the Whoosh fields for one article."""
    aliases = "\n".join(article.aliases)
    headings = [heading.text for heading in article.headings]
    return {
        "key": f"{article.section}/{article.slug}",
        "url": article.url,
        "section": article.section,
        "title": article.title,
        "aliases": aliases,
        "summary": article.summary,
        "headings": "\n".join(headings),
        "body": run_on(article.text),
        "pairs": pairs_of([article.title, *article.aliases, article.summary, *headings]),
        "words": "\n".join((article.title, aliases, article.summary, article.text)),
    }


def popular_topics(articles: list[Article], count: int = POPULAR_COUNT) -> list[dict[str, str]]:
    """Return the glossary entries and essays that most other articles point to."""
    links: dict[str, int] = {}
    for article in articles:
        for slug in article.related:
            links[slug] = links.get(slug, 0) + 1
    candidates = [a for a in articles if a.section in ("glossary", "essays")]
    candidates.sort(key=lambda a: (-links.get(a.slug, 0), a.title))
    return [{"title": a.title, "url": a.url} for a in candidates[:count]]


def _digest(doc: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:20]


def _previous_digests(previous: Path | None) -> dict[str, str] | None:
    """Return the document digests of a previous index, if it can be updated from a copy."""
    if previous is None or not whoosh_index.exists_in(previous):
        return None
    try:
        data = json.loads((previous / DIGESTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != SCHEMA_VERSION:
        return None
    return data["digests"]


def build_index(
    articles: list[Article],
    target: Path,
    previous: Path | None = None,
    advance: Callable[[int], object] | None = None,
    vocabulary: Vocabulary | None = None,
) -> Path:
    """Index `articles` into the new folder `target` (a release's search folder).

    When only a few articles changed since the `previous` index (the current release's, if it
    is whole), `target` starts as a copy of it and only those documents are replaced; the
    previous index itself is never written to. Beside the Whoosh files the folder holds
    everything a searcher reads: titles for completion, the everyday `vocabulary`, the popular
    topics, and the English word list.
    """
    docs = {doc["key"]: doc for doc in map(document, articles)}
    digests = {key: _digest(doc) for key, doc in docs.items()}
    target.mkdir(parents=True, exist_ok=False)
    try:
        old = _previous_digests(previous)
        changed = removed = None
        if old is not None:
            changed = [key for key, digest in digests.items() if old.get(key) != digest]
            removed = [key for key in old if key not in digests]
            if len(changed) + len(removed) > INCREMENTAL_LIMIT * max(len(docs), 1):
                changed = removed = None
        if changed is not None and removed is not None and previous is not None:
            shutil.copytree(previous, target, dirs_exist_ok=True)
            writer = whoosh_index.open_dir(str(target)).writer(limitmb=256, compound=COMPOUND)
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
            writer = ix.writer(limitmb=256, procs=2, multisegment=True, compound=COMPOUND)
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
        vocabulary = vocabulary or Vocabulary()
        (target / VOCABULARY_JSON).write_text(json.dumps(vocabulary.to_json()), encoding="utf-8")
        (target / POPULAR_FILE).write_text(json.dumps(popular_topics(articles)), encoding="utf-8")
        write_english(target, english_words())
        (target / DIGESTS_FILE).write_text(
            json.dumps({"version": SCHEMA_VERSION, "digests": digests}), encoding="utf-8"
        )
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    log.info("index built at %s", target)
    return target
