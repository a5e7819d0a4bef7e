"""A real English word list, read at build time, so search never "corrects" a real word.

Without it, any word the articles never use looked like a typo: "ringing" was offered as
"running". The lists come from Debian's `wbritish` and `wamerican` packages; `voiceref build`
copies the words into the index folder, so the web app never reads /usr/share/dict.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

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
