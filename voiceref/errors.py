"""The small hierarchy of errors voiceref raises; the CLI turns them into messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class VoicerefError(Exception):
    """Base class: something the user can fix, with a message that says how."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one content file, at one line."""

    path: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class ContentError(VoicerefError):
    """The content folder has problems; every one of them is listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        files = len({p.path for p in self.problems})
        head = f"{count} content problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))


class ConfigError(VoicerefError):
    """A setting has a value voiceref cannot use; the message names the variable."""


class SearchUnavailable(VoicerefError):
    """The search index has not been built, or cannot be opened."""


class SpeechError(VoicerefError):
    """Speech synthesis failed or is not installed."""


class ReleaseError(VoicerefError):
    """A release could not be built, checked, switched to or read."""


class DiskFull(VoicerefError):
    """The disk filled up during a build; the build stopped and served nothing new."""

    def __init__(self, where: str):
        super().__init__(
            f"The disk is full ({where}). The build stopped; the previous release is still "
            "served. Free some space and build again."
        )
