"""A build beside the server: serve as soon as the first release is published, keep building.

`voiceref serve --build` starts `voiceref build` as a child process that dies with the server
(PR_SET_PDEATHSIG), waits until the build has published a release (the index and the first
voice), then serves it while the build goes on making the other voices and publishing a new
release as each batch of articles is spoken. The build's progress bars stay on the terminal,
and /healthz counts each voice's articles as releases appear.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

from ..errors import ReleaseError
from ..speech.workers import exit_with_parent
from . import layout

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5


def _die_with_server() -> None:  # runs in the child between fork and exec
    exit_with_parent()


def build_in_background(index_dir: Path, arguments: list[str], wait: float = 3600.0) -> subprocess.Popen:
    """Start `voiceref build ARGUMENTS`; return it once a new release is current.

    Raises ReleaseError if the build fails before publishing anything and there is no
    release to serve, or if nothing is published within `wait` seconds.
    """
    before = layout.pointer(index_dir)
    command = [sys.executable, "-m", "voiceref.cli", "build", *arguments]
    child = subprocess.Popen(command, preexec_fn=_die_with_server, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        now = layout.pointer(index_dir)
        if now is not None and now != before:
            return child
        code = child.poll()
        if code is not None:
            if code == 0 or before is not None:
                log.warning("the build ended (exit %d) without a new release; serving %s", code, before)
                return child
            raise ReleaseError(f"The build failed (exit {code}) and there is no release to serve.")
        time.sleep(POLL_SECONDS)
    child.kill()
    raise ReleaseError(f"No release was published within {wait:.0f} s.")
