"""Run Orca with every line of its "speech" log appended to a file, as JSON lines.

Started by tests/screenreader/desktop.py with the system Python (Orca and pyatspi are Debian
packages, not in the virtual environment): `python3 orca_logged.py LOG_FILE [orca options]`.
Orca keeps a "speech" logger for its own regression tests (orca/logger.py); a handler added
here sees each utterance as Orca sends it to speech-dispatcher, and flushes it at once so the
tests can read it while Orca runs.
"""

from __future__ import annotations

import json
import logging
import runpy
import sys
import time

ORCA = "/usr/bin/orca"


class JsonLines(logging.Handler):
    """Write each record as one flushed JSON line: the time and the message."""

    def __init__(self, path: str) -> None:
        super().__init__(level=logging.INFO)
        self.stream = open(path, "a", encoding="utf-8", buffering=1)  # open for as long as Orca runs

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(json.dumps({"time": time.time(), "message": record.getMessage()}) + "\n")


def main() -> None:
    """Attach the handler, then run Orca's own start-up script with the remaining arguments."""
    log_path = sys.argv.pop(1)
    logging.getLogger("speech").addHandler(JsonLines(log_path))
    sys.argv[0] = ORCA
    runpy.run_path(ORCA, run_name="__main__")


if __name__ == "__main__":
    main()
