"""Spelling: a real English word list, and the index words within a few edits of a misspelt one.

Without the word list, any word the articles never use looked like a typo: "ringing" was
offered as "running". The lists come from Debian's `wbritish` and `wamerican` packages;
`voiceref build` copies the words into the index folder, so the web app never reads
/usr/share/dict.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from whoosh.support.levenshtein import distance

log = logging.getLogger(__name__)

WORD_LISTS = (Path("/usr/share/dict/british-english"), Path("/usr/share/dict/american-english"))
ENGLISH_FILE = "english.txt"


def english_words(paths: Iterable[Path] = WORD_LISTS) -> set[str]:
    """Return the lower-case words of the system word lists, without possessives ("Alice's")."""
    words: set[str] = set()
    found = False
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        found = True
        words.update(w.casefold() for w in text.split() if "'" not in w and len(w) > 1)
    if not found:
        log.warning(
            "no English word list at %s (Debian packages wbritish, wamerican): spelling "
            "suggestions will be offered for real words too",
            ", ".join(map(str, paths)),
        )
    return words


def write_english(folder: Path, words: Iterable[str]) -> None:
    """Write the word list into an index folder, one word a line."""
    (folder / ENGLISH_FILE).write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")


def read_english(folder: Path) -> frozenset[str]:
    """Read the word list an index folder holds (empty for a folder built without one)."""
    try:
        return frozenset((folder / ENGLISH_FILE).read_text(encoding="utf-8").split())
    except FileNotFoundError:
        return frozenset()


class NearWords:
    """Index words by first letter and length, to find those within an edit distance quickly.

    Whoosh's `terms_within(field, word, maxdist, prefix=1)` works out the Damerau-Levenshtein
    distance, in Python, to every term with the word's first letter: about 115 terms and 8 ms
    for each word a search does not know, a third of an uncached search with a typo in it
    (bench/serve.py, "search, uncached"). Words whose lengths differ by more than `maxdist`
    are more than `maxdist` edits apart, so only the lengths that can match are compared, with
    the same distance function: the same words, 3.4 times faster (4.4 → 1.3 ms a word). An
    index of one segment used to take another path, Whoosh's Levenshtein automaton, which counts
    a swap of two letters as two edits; now every index counts it as one.
    """

    def __init__(self, words: Iterable[str]):
        self._groups: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in words:
            self._groups[word[:1], len(word)].append(word)

    def within(self, word: str, maxdist: int) -> set[str]:
        """Return the words with `word`'s first letter at most `maxdist` edits from it (itself too)."""
        found = set()
        for length in range(len(word) - maxdist, len(word) + maxdist + 1):
            for candidate in self._groups.get((word[:1], length), ()):
                if distance(candidate, word, limit=maxdist) <= maxdist:
                    found.add(candidate)
        return found
