"""Realistic search queries for load tests: as many distinct ones as asked for (1,000 by default).

A mix of what people type into this site's search box, drawn from the bundled content so the
queries fit it: the labelled queries of bench/relevance*.tsv (symptoms in everyday words,
questions, brand names, misspellings, abbreviations, things the site does not cover), titles and
aliases, the everyday phrases of content/vocabulary.yaml, questions built on glossary titles
("what is clonus", "baclofen side effects"), and titles with one typing slip. The same seed gives
the same list.

    from queries import realistic_queries        # with bench/ on sys.path
    .venv/bin/python bench/queries.py [--count 1000] [--seed 1]   # one query a line
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import frontmatter

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = (
    "what is {}", "{} and ms", "{} symptoms", "how to manage {}", "is {} common in ms",
    "{} treatment", "what causes {}", "help with {}",
)
MEDICINE_QUESTIONS = ("{} side effects", "how does {} work", "is {} safe in pregnancy", "{} dose")
# Shares of the mix, in the order they are filled: labelled, titles, everyday, questions, typos.
SHARES = (0.25, 0.25, 0.2, 0.15, 0.15)


def labelled_queries() -> list[str]:
    """Return the queries of the relevance sets."""
    found = []
    for path in sorted((ROOT / "bench").glob("relevance*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found.append(line.split("\t")[0])
    return found


def labels(content_dir: Path) -> tuple[list[str], list[str], list[str]]:
    """Return (every title and alias, glossary titles, glossary titles of medicines)."""
    everything, glossary, medicines = [], [], []
    for path in sorted(content_dir.rglob("*.md")):
        post = frontmatter.load(path)
        title = str(post.get("title", ""))
        everything.extend([title, *map(str, post.get("aliases") or [])])
        if path.parent.name == "glossary":
            glossary.append(title)
            if "medicine" in str(post.get("summary", "")).lower() or "tablet" in post.content.lower()[:400]:
                medicines.append(title)
    return everything, glossary, medicines


def everyday_phrases(content_dir: Path) -> list[str]:
    """Return the everyday phrases of the vocabulary file."""
    sys.path.insert(0, str(ROOT))
    from voiceref.search.vocabulary import VOCABULARY_FILE, load_vocabulary

    return [entry.phrase for entry in load_vocabulary(content_dir / VOCABULARY_FILE).entries]


def slip(word: str, rng: random.Random) -> str:
    """Return `word` with one typing slip after its first two letters."""
    i = rng.randrange(2, len(word))
    kind = rng.choice(("swap", "drop", "double", "vowel"))
    if kind == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]


def realistic_queries(count: int = 1000, content_dir: Path = ROOT / "content", seed: int = 1) -> list[str]:
    """Return `count` distinct queries (case and spacing ignored), in a shuffled, repeatable order."""
    rng = random.Random(seed)
    everything, glossary, medicines = labels(content_dir)
    pools = [
        labelled_queries(),
        [label.lower() if rng.random() < 0.7 else label for label in everything],
        everyday_phrases(content_dir),
        [rng.choice(QUESTIONS).format(t.lower()) for t in glossary]
        + [rng.choice(MEDICINE_QUESTIONS).format(t.lower()) for t in medicines],
        [" ".join(slip(w, rng) if len(w) > 4 else w for w in t.lower().split()) for t in everything if len(t) > 4],
    ]
    chosen: list[str] = []
    seen: set[str] = set()

    def take(candidates: list[str], limit: int) -> None:
        candidates = candidates[:]
        rng.shuffle(candidates)
        for text in candidates:
            key = " ".join(text.casefold().split())
            if len(chosen) >= limit:
                return
            if key and key not in seen:
                seen.add(key)
                chosen.append(text)

    total = 0.0
    for pool, share in zip(pools, SHARES, strict=True):
        total += share
        take(pool, round(count * total))
    for pool in pools:  # a small site may run short of one kind: top up from all of them
        take(pool, count)
    if len(chosen) < count:
        raise ValueError(f"only {len(chosen)} distinct queries can be made from {content_dir}")
    rng.shuffle(chosen)
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for query in realistic_queries(args.count, seed=args.seed):
        print(query)


if __name__ == "__main__":
    main()
