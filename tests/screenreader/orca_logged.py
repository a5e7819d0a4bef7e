"""Run Orca with every line of its "speech" log appended to a file, as JSON lines.

Started by tests/screenreader/desktop.py with the system Python (Orca and pyatspi are Debian
packages, not in the virtual environment): `python3 orca_logged.py LOG_FILE [orca options]`.
Each utterance is written as Orca sends it to speech-dispatcher, flushed at once so the tests
can read it while Orca runs. Orca 43 (Debian 12) keeps a "speech" logger for its regression
tests (orca/logger.py) and a handler on it sees each "SPEECH OUTPUT" line. Orca 48 (Debian 13)
dropped that logger and writes the same lines only as debug messages (orca.debug.print_message),
so there the lines are taken from a wrapper around that function, whatever the debug level.

Between its utterances the file also says when Orca starts and finishes handling a key or an
accessibility event ({"orca": "busy"} and {"orca": "idle"}), from the "vvvvv PROCESS" and
"^^^^^ PROCESS" marks both versions write to their debug output around each one. Orca can take a
quarter of a second between two utterances of one answer (a landmark's label, then its first line,
which it computes from many calls to the browser): the tests wait for it to be idle, not only quiet.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import runpy
import sys
import time

ORCA = "/usr/bin/orca"
SPEECH_OUTPUT = "SPEECH OUTPUT: "
BEGINS = ("vvvvv PROCESS", "vvvvv START PRIORITY-")  # Orca 43 and 48: handling an event starts
ENDS = ("^^^^^ PROCESS", "^^^^^ FINISHED PRIORITY-")  # ... and ends (48 prefixes its processing time)


class JsonLines(logging.Handler):
    """Write each record as one flushed JSON line: the time and the message."""

    def __init__(self, path: str) -> None:
        super().__init__(level=logging.INFO)
        self.stream = open(path, "a", encoding="utf-8", buffering=1)  # open for as long as Orca runs

    def emit(self, record: logging.LogRecord) -> None:
        self.write({"message": record.getMessage()})

    def write(self, fields: dict) -> None:
        """Write one record, stamped with the time."""
        self.stream.write(json.dumps({"time": time.time(), **fields}) + "\n")


def log_activity(handler: JsonLines, debug) -> None:
    """Write when Orca starts handling a key or an event ("busy") and when it has finished ("idle").

    `debug` is Orca's debug module: its printers are wrapped to see the marks. Each mark is
    written as it comes, not counted: an event whose handler raised never prints its end, and a
    count would then say "busy" for ever; the next event's marks set it right.
    """

    def mark(text: object) -> None:
        if not isinstance(text, str):
            return
        if text.lstrip("\n").startswith(BEGINS):
            handler.write({"orca": "busy"})
        elif any(end in text for end in ENDS):
            handler.write({"orca": "idle"})

    for name in ("println", "print_message"):  # Orca 43 prints with the first, 48 with the second
        if hasattr(debug, name):
            setattr(debug, name, _watching(getattr(debug, name), mark))


def _watching(function, mark):
    """`function` (one of Orca's debug printers) that first shows its text to `mark`."""

    def watched(level, text="", *args, **kwargs):
        mark(text)
        return function(level, text, *args, **kwargs)

    return watched


def log_debug_speech(handler: JsonLines) -> None:
    """Send Orca 48's "SPEECH OUTPUT" debug messages to `handler` as well as to Orca's debug log."""
    from orca import debug  # Orca's own module, the one its speech module calls

    print_message = debug.print_message

    def print_and_log(level: int, text: str, *args, **kwargs) -> None:
        if isinstance(text, str) and text.startswith(SPEECH_OUTPUT):
            handler.emit(logging.makeLogRecord({"msg": text, "levelno": logging.INFO}))
        print_message(level, text, *args, **kwargs)

    debug.print_message = print_and_log


def main() -> None:
    """Attach the handler, then run Orca's own start-up script with the remaining arguments."""
    log_path = sys.argv.pop(1)
    handler = JsonLines(log_path)
    if importlib.util.find_spec("orca.logger"):  # Orca 43
        logging.getLogger("speech").addHandler(handler)
    else:
        log_debug_speech(handler)
    from orca import debug  # Orca's own module, the one it prints its marks with

    log_activity(handler, debug)
    sys.argv[0] = ORCA
    runpy.run_path(ORCA, run_name="__main__")


if __name__ == "__main__":
    main()
