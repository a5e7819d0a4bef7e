"""The everyday vocabulary in content/vocabulary.yaml: what people say, and what it means here.

The file maps a term the site uses (an article's title or alias, or a word its articles use)
to the everyday words and phrases people type for it:

    fatigue: [knackered, shattered, worn out, no energy]
    bladder problems: [wee, pee, loo]

Search reads it at build time into the index folder; a query containing "worn out" then also
matches "fatigue". `voiceref check` reports every problem as `file:line: reason`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..content import Article
from ..content.render import fold
from ..errors import ContentError, Problem
from .query import index_terms, phrase_key, words_of

VOCABULARY_FILE = "vocabulary.yaml"


@dataclass(frozen=True)
class Entry:
    """One everyday phrase and the term it means, with the line it is written on."""

    phrase: str
    term: str
    line: int


@dataclass(frozen=True)
class Vocabulary:
    """Every entry of the vocabulary file, in file order."""

    entries: tuple[Entry, ...] = ()
    path: Path | None = None

    def phrases(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Return phrase stems -> the terms the phrase means, for the query planner."""
        found: dict[tuple[str, ...], list[str]] = {}
        for entry in self.entries:
            key = phrase_key(entry.phrase)
            if key and entry.term not in found.setdefault(key, []):
                found[key].append(entry.term)
        return {key: tuple(terms) for key, terms in found.items()}

    def to_json(self) -> list[list[str]]:
        """Return [phrase, term] pairs, for the index folder."""
        return [[entry.phrase, entry.term] for entry in self.entries]

    @classmethod
    def from_json(cls, data: Iterable[list[str]]) -> Vocabulary:
        """Read the [phrase, term] pairs an index folder holds."""
        return cls(tuple(Entry(phrase, term, 0) for phrase, term in data))


def load_vocabulary(path: Path) -> Vocabulary:
    """Read the vocabulary; a missing file is an empty one, a malformed one an error."""
    if not path.exists():
        return Vocabulary(path=path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise ContentError([Problem(path, line, f"YAML error: {exc.problem}")]) from exc
    if root is None:
        return Vocabulary(path=path)
    if not isinstance(root, yaml.MappingNode):
        raise ContentError([Problem(path, root.start_mark.line + 1, "expected 'term: [everyday words]' lines")])
    problems: list[Problem] = []
    entries: list[Entry] = []
    terms_seen: dict[str, int] = {}
    for key, value in root.value:
        line = key.start_mark.line + 1
        term = key.value.strip() if isinstance(key, yaml.ScalarNode) else ""
        if not term:
            problems.append(Problem(path, line, "a term must be plain text"))
            continue
        if fold(term) in terms_seen:
            problems.append(Problem(path, line, f"duplicate term {term!r} (also on line {terms_seen[fold(term)]})"))
        terms_seen.setdefault(fold(term), line)
        items = value.value if isinstance(value, yaml.SequenceNode) else None
        if not items or not all(isinstance(item, yaml.ScalarNode) and item.value.strip() for item in items):
            problems.append(Problem(path, line, f"{term!r} needs a list of everyday words, such as [word, phrase]"))
            continue
        entries.extend(Entry(item.value.strip(), term, item.start_mark.line + 1) for item in items)
    if problems:
        raise ContentError(problems)
    return Vocabulary(tuple(entries), path)


def check_vocabulary(vocabulary: Vocabulary, articles: list[Article]) -> list[Problem]:
    """Return every problem: unknown terms, repeated phrases, phrases that are already aliases."""
    path = vocabulary.path or Path(VOCABULARY_FILE)
    labels = {fold(label): article.url for article in articles for label in (article.title, *article.aliases)}
    text = " ".join(fold(" ".join((a.title, *a.aliases, a.summary, a.text))) for a in articles)
    known_words = set(re.findall(r"\w+", text))
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for entry in vocabulary.entries:
        term, phrase = fold(entry.term), fold(entry.phrase)
        reasons = []
        if term not in labels and not _used_in(term, text, known_words):
            reasons.append(f"unknown term {entry.term!r}: not a title or alias, and no article uses it")
        if not index_terms(entry.phrase):
            reasons.append(f"{entry.phrase!r} has only stop words, so it can never match")
        if (phrase, term) in seen:
            reasons.append(f"duplicate phrase {entry.phrase!r} (also on line {seen[phrase, term]})")
        seen.setdefault((phrase, term), entry.line)
        if phrase in labels:
            reasons.append(
                f"{entry.phrase!r} is already a title or alias of {labels[phrase]}: "
                "search finds it without this line"
            )
        if phrase == term:
            reasons.append(f"{entry.phrase!r} means itself")
        problems.extend(Problem(path, entry.line, reason) for reason in reasons)
    return problems


def _used_in(term: str, text: str, known_words: set[str]) -> bool:
    """Return True if an article uses `term`: the word, or the words in a row."""
    words = words_of(term)
    if len(words) == 1:
        return words[0] in known_words
    return re.search(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b", text) is not None
