"""Speech workers: how many run, and that a worker never outlives the process that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from voiceref.speech.workers import RESERVE_MB, available_memory_mb, usable_cores, worker_count

PARENT = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", {child!r}])
print(child.pid, flush=True)
time.sleep(120)
"""
ARMED = "print('armed', flush=True); time.sleep(120)"
CHILD_PDEATHSIG = "import time; from voiceref.speech.workers import exit_with_parent; exit_with_parent(); " + ARMED
CHILD_WATCHER = (
    "import os, threading, time; from voiceref.speech.workers import _watch_parent; "
    "threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start(); " + ARMED
)


def test_workers_are_bounded_by_memory_as_well_as_cores():
    assert worker_count(2, 550, jobs=100, available_mb=RESERVE_MB + 2 * 550) == 2
    assert worker_count(2, 550, jobs=100, available_mb=RESERVE_MB + 550 + 549) == 1
    assert worker_count(4, 60, jobs=100, available_mb=RESERVE_MB + 1000) == 4
    assert worker_count(4, 550, jobs=3, available_mb=100_000) == 3
    assert worker_count(2, 550, jobs=10, available_mb=10) == 1  # always at least one
    assert worker_count(None, 60, jobs=1000, available_mb=100_000) == usable_cores()


def test_available_memory_is_read_from_the_system():
    available = available_memory_mb()
    assert available is not None and 0 < available < 10_000_000


def _ended(pid: int) -> bool:
    """Return True if `pid` has exited (a zombie waiting for its new parent counts)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


@pytest.mark.parametrize("child", [CHILD_PDEATHSIG, CHILD_WATCHER], ids=["pdeathsig", "watcher"])
def test_a_worker_ends_when_its_parent_is_killed(child):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT.format(child=child)], stdout=subprocess.PIPE, text=True
    )
    worker = int(parent.stdout.readline())
    try:
        assert parent.stdout.readline().strip() == "armed"
        assert not _ended(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 30
        while not _ended(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _ended(worker), "the worker outlived its parent"
    finally:
        parent.stdout.close()
        if not _ended(worker):
            os.kill(worker, signal.SIGKILL)
