"""Fixtures for the release tests: a site of each test's own, and a small disk to fill."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .support import Corpus, processes_of


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[Corpus]:
    """The fixture corpus in a folder of this test's own; no process of its builds outlives it."""
    site = Corpus.of_fixtures(tmp_path / "site")
    yield site
    for pid in processes_of(site.marker):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@contextmanager
def small_disk(folder: Path, size: str = "40m") -> Iterator[Path]:
    """Mount a tmpfs of `size` on `folder` for the test (skip where mounting is not allowed)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("filling a disk needs a tmpfs of its own, and mounting one needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}), so no disk can be filled")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(folder)], check=True)


def fill(folder: Path, leave: int) -> Path:
    """Take all but `leave` bytes of the free space on `folder`'s disk with one file."""
    stats = os.statvfs(folder)
    filler = folder / "filler"
    with open(filler, "wb") as handle:
        os.posix_fallocate(handle.fileno(), 0, stats.f_bavail * stats.f_frsize - leave)
    return filler
