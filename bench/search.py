"""Benchmark search: Whoosh (voiceref) against SQLite FTS5 on the same synthetic corpus.

Generates N articles (default 10,000) whose words are drawn, with their real frequencies, from
the bundled content; builds both indexes; then times single-word, two-word and misspelt queries
(query words drawn evenly from the distinct words of five letters or more, as people search for
topic words rather than "which"), realistic queries from bench/queries.py (questions, everyday
phrases, brand names, typos) and title completion, in-process. Every search row is uncached:
voiceref's result caches are emptied before each query; the "repeated" row then asks the
realistic queries again, from the cache. Prints build time and p50/p95/p99 latencies side by
side.

    .venv/bin/python bench/search.py [--articles 10000] [--queries 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import frontmatter  # noqa: E402
from queries import realistic_queries  # noqa: E402

from voiceref.content import Article  # noqa: E402
from voiceref.search import IndexSearch, build_index  # noqa: E402
from voiceref.search.vocabulary import VOCABULARY_FILE, load_vocabulary  # noqa: E402

WORD = re.compile(r"[a-z]{3,}")


def vocabulary(content_dir: Path) -> tuple[list[str], list[str]]:
    """Return (all words with repeats, for Zipf-like sampling; distinct words of titles)."""
    posts = [frontmatter.load(path) for path in sorted(content_dir.rglob("*.md"))]
    words = WORD.findall(" ".join(p.content + " " + str(p.get("summary", "")) for p in posts).casefold())
    title_words = sorted({w for p in posts for w in WORD.findall(str(p.get("title", "")).casefold())})
    return words, title_words


def synthetic_corpus(count: int, words: list[str], title_words: list[str], rng: random.Random) -> list[Article]:
    """Make `count` articles with lengths like the real ones (150 to 1,500 words)."""
    articles = []
    for n in range(count):
        title = " ".join(rng.choice(title_words) for _ in range(rng.randint(1, 4))).capitalize()
        body_words = rng.choices(words, k=int(rng.lognormvariate(5.9, 0.5)))
        sentences = [" ".join(body_words[i : i + 14]).capitalize() + "." for i in range(0, len(body_words), 14)]
        articles.append(
            Article(
                section="glossary",
                slug=f"synthetic-{n}",
                title=f"{title} {n}",
                summary=" ".join(rng.choices(words, k=25)).capitalize() + ".",
                path=Path(f"synthetic-{n}.md"),
                reviewed=dt.date(2026, 1, 1),
                aliases=[" ".join(rng.choices(title_words, k=2))],
                text="\n".join(sentences),
            )
        )
    return articles


def misspell(word: str, rng: random.Random) -> str:
    """Return `word` with one edit after its first two letters."""
    i = rng.randrange(2, len(word))
    edit = rng.choice(["swap", "drop", "replace"])
    if edit == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if edit == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def timed(function, inputs) -> list[float]:
    out = []
    for item in inputs:
        started = time.perf_counter()
        function(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def build_fts(articles: list[Article], path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, aliases, summary, body, tokenize='porter unicode61')"
    )
    db.executemany(
        "INSERT INTO docs VALUES (?, ?, ?, ?)",
        ((a.title, " ".join(a.aliases), a.summary, a.text) for a in articles),
    )
    db.commit()
    return db


def fts_search(db: sqlite3.Connection, text: str) -> list:
    query = " ".join('"' + w + '"' for w in re.findall(r"\w+", text))
    if not query:
        return []
    return db.execute(
        "SELECT title, snippet(docs, 3, '<mark>', '</mark>', '…', 12) FROM docs WHERE docs MATCH ? "
        "ORDER BY bm25(docs, 6.0, 4.0, 2.0, 1.0) LIMIT 10",
        (query,),
    ).fetchall()


def fts_suggest(db: sqlite3.Connection, prefix: str) -> list:
    return db.execute(
        "SELECT title FROM docs WHERE docs MATCH ? LIMIT 8", (f'title : "{prefix}" *',)
    ).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    words, title_words = vocabulary(ROOT / "content")
    common = [w for w in set(words) if len(w) >= 5]
    articles = synthetic_corpus(args.articles, words, title_words, rng)
    n = args.queries
    singles = rng.sample(common, n)
    pairs = [" ".join(rng.sample(common, 2)) for _ in range(n)]
    typos = [misspell(w, rng) for w in rng.sample([w for w in common if len(w) >= 6], n)]
    prefixes = [rng.choice(title_words)[: rng.randint(2, 5)] for _ in range(n)]
    realistic = realistic_queries(1000, seed=args.seed)[:n]

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        everyday = load_vocabulary(ROOT / "content" / VOCABULARY_FILE)
        build_index(articles, Path(tmp) / "index", vocabulary=everyday)
        whoosh_build = time.perf_counter() - started
        started = time.perf_counter()
        db = build_fts(articles, Path(tmp) / "fts.db")
        fts_build = time.perf_counter() - started

        search = IndexSearch(Path(tmp) / "index")
        search.search("warm up")

        def uncached(text: str):
            search.clear_caches()
            return search.search(text)

        rows = []
        kinds = (("single word", singles), ("two words", pairs), ("typo", typos), ("realistic", realistic))
        for label, inputs in kinds:
            rows.append((f"search: {label}", timed(uncached, inputs), timed(lambda q: fts_search(db, q), inputs)))
        for text in realistic:
            search.search(text)  # into the cache
        repeated = timed(search.search, realistic)
        rows.append(("search: repeated", repeated, timed(lambda q: fts_search(db, q), realistic)))
        rows.append(("suggest", timed(search.suggest, prefixes), timed(lambda p: fts_suggest(db, p), prefixes)))
        typo_found = sum(1 for q in typos if uncached(q).total) / n
        typo_found_fts = sum(1 for q in typos if fts_search(db, q)) / n
        db.close()

    print(f"Search benchmark: {args.articles:,} synthetic articles, {n} queries per row, seed {args.seed}")
    print(f"{'':24} {'voiceref (Whoosh)':>26} {'reference (SQLite FTS5)':>26}")
    print(f"{'build (s)':24} {whoosh_build:>26.1f} {fts_build:>26.1f}")
    print(f"{'latency ms p50/p95/p99':24}")
    for label, ours, ref in rows:
        a = "/".join(f"{x:.1f}" for x in percentiles(ours))
        b = "/".join(f"{x:.1f}" for x in percentiles(ref))
        print(f"{label:24} {a:>26} {b:>26}")
    print(f"{'typos that found results':24} {typo_found:>26.0%} {typo_found_fts:>26.0%}")
    print("targets: search p95 <= 20 ms, suggest p95 <= 10 ms, build <= 60 s")


if __name__ == "__main__":
    main()
