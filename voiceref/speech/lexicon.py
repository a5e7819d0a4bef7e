"""The pronunciation and abbreviation lexicon in content/lexicon.yaml."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ContentError, Problem

SECTIONS = ("abbreviations", "pronunciations", "phonemes")


@dataclass(frozen=True)
class Lexicon:
    """How the voice says abbreviations and words it would otherwise get wrong."""

    abbreviations: dict[str, str] = field(default_factory=dict)
    pronunciations: dict[str, str] = field(default_factory=dict)
    phonemes: dict[str, str] = field(default_factory=dict)  # for voices that take [[phonemes]]

    def digest(self) -> str:
        """Return a stable hash, so a changed lexicon invalidates cached audio."""
        data = json.dumps([self.abbreviations, self.pronunciations, self.phonemes], sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def load_lexicon(path: Path) -> Lexicon:
    """Read the lexicon; a missing file is an empty lexicon, a malformed one an error."""
    if not path.exists():
        return Lexicon()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise ContentError([Problem(path, line, f"YAML error: {exc.problem}")]) from exc
    problems = []
    sections = {}
    for name in SECTIONS:
        value = data.get(name) or {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            problems.append(Problem(path, 1, f"{name} must map words to how they are spoken"))
            value = {}
        sections[name] = {str(k): str(v) for k, v in value.items()}
    unknown = set(data) - set(SECTIONS)
    problems.extend(Problem(path, 1, f"unknown lexicon section {k!r}") for k in sorted(unknown))
    if problems:
        raise ContentError(problems)
    return Lexicon(**sections)
