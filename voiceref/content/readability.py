"""Reading grade of plain English text: the Flesch–Kincaid grade level, computed offline.

FK grade = 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59
(Kincaid et al., 1975). Syllables come from Pyphen's en_US hyphenation patterns (a word has
one more syllable than it has hyphenation points), as textstat 0.7 counted them; textstat
itself is not used because its releases either need `pkg_resources` (gone from Python
3.12+ virtual environments) or download an NLTK corpus at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyphen

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")


@lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


def words(text: str) -> list[str]:
    """Return the words of `text`: runs of letters and digits, contractions kept whole."""
    return _WORD.findall(text.replace("-", " "))


def syllables(word: str) -> int:
    """Return how many syllables `word` has, by its hyphenation points."""
    word = word.lower().replace("’", "").replace("'", "")
    return len(_dictionary().positions(word)) + 1 if word else 0


def sentence_count(text: str) -> int:
    """Return how many sentences `text` has; text with no end mark is one sentence."""
    return max(1, len(_SENTENCE_END.findall(text.strip())))


@dataclass(frozen=True)
class Readability:
    """The counts behind a grade, and the grade itself."""

    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        if not self.words:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


def readability(text: str) -> Readability:
    """Return the word, sentence and syllable counts of `text`."""
    found = words(text)
    return Readability(len(found), sentence_count(text), sum(map(syllables, found)))


def flesch_kincaid_grade(text: str) -> float:
    """Return the Flesch–Kincaid grade of `text`, to one decimal place."""
    return round(readability(text).grade, 1)
