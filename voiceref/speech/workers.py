"""Worker processes for synthesis: how many may run, and that none outlives its parent.

A Piper worker peaks at about 710 MB (measured), a pyttsx3 worker at about 120 MB, so the
number of workers is bounded by the memory available as well as by the cores. A worker
ends when the process that started it dies (Linux: prctl PR_SET_PDEATHSIG; elsewhere a
thread that watches the parent's pid), so an interrupted build leaves no process behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5
RESERVE_MB = 300  # left for the parent process and the rest of the machine


def available_memory_mb() -> int | None:
    """Return the memory the kernel says is available for new work, in MB (None if unknown)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        return None


def usable_cores() -> int:
    """Return the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def worker_count(requested: int | None, memory_mb: int, jobs: int, available_mb: int | None = None) -> int:
    """Return how many workers to start: at most `requested` (default: the cores), `jobs`,
    and as many as fit in the available memory at `memory_mb` each; at least one."""
    limit = requested or usable_cores()
    available = available_memory_mb() if available_mb is None else available_mb
    if available is not None:
        fits = max(1, (available - RESERVE_MB) // max(memory_mb, 1))
        if fits < limit:
            log.info("%d speech workers, not %d: %d MB available, %d MB each", fits, limit, available, memory_mb)
        limit = min(limit, fits)
    return max(1, min(limit, jobs))


def exit_with_parent(parent: int | None = None) -> None:
    """Make this process end when its parent does; call it first thing in a worker.

    Pass the parent's pid when the child runs this a while after it was started (a spawned
    worker does, after its imports): if the parent died meanwhile, the child was re-parented,
    and its new parent's pid would be watched instead.
    """
    parent = parent or os.getppid()
    if os.getppid() != parent:
        os._exit(1)  # the parent died before this child got here
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed (errno %d); watching the parent instead", ctypes.get_errno())
        elif os.getppid() == parent:
            return
        else:
            os._exit(1)  # the parent died before the signal was armed
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
