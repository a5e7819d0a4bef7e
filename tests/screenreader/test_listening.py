"""A key's answer is everything Orca says until it is idle and quiet, however long it pauses inside.

These run without Orca: they write the speech log as orca_logged.py does (from Orca's own debug
marks, through a stand-in of its debug module) and read it as the screen-reader tests do.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from . import listening
from .listening import QUIET, ScreenReader
from .orca_logged import JsonLines, log_activity


def said(text: str) -> dict:
    """A speech record as Orca's speech logger writes it."""
    return {"message": f"SPEECH OUTPUT: '{text}'"}


def write(log: Path, *records: dict) -> None:
    with open(log, "a", encoding="utf-8") as file:
        for record in records:
            file.write(json.dumps({"time": time.time(), **record}) + "\n")


def reader_of(log: Path) -> ScreenReader:
    return ScreenReader(SimpleNamespace(speech_log=log), page=None)


def test_an_answer_goes_on_while_orca_is_busy_however_long_it_pauses(tmp_path):
    # Seen under load: "Main", then Orca worked out the landmark's first line for 0.24 s.
    log = tmp_path / "speech.jsonl"
    write(log, {"orca": "busy"}, said("Main"))

    def orca_finishes_the_line() -> None:
        time.sleep(QUIET * 3)
        write(log, said("Glossary A–Z link."), {"orca": "idle"})

    finisher = threading.Thread(target=orca_finishes_the_line)
    finisher.start()
    try:
        assert reader_of(log).settle(0) == ["Main", "Glossary A–Z link."]
    finally:
        finisher.join()


def test_an_answer_ends_when_orca_is_idle_and_quiet(tmp_path):
    log = tmp_path / "speech.jsonl"
    write(log, {"orca": "busy"}, said("Breadcrumb"), said("Home link."), {"orca": "idle"})
    reader = reader_of(log)
    assert reader.settle(0) == ["Breadcrumb", "Home link."]
    assert not reader.log.busy()


def test_a_busy_mark_never_finished_stops_counting_after_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(listening, "BUSY_LIMIT", QUIET * 2)
    log = tmp_path / "speech.jsonl"
    write(log, {"orca": "busy"}, said("Footer"))
    reader = reader_of(log)
    assert reader.settle(0) == ["Footer"]
    assert not reader.log.busy()


def test_orca_debug_marks_become_busy_and_idle_records(tmp_path):
    printed = []
    debug = SimpleNamespace(println=lambda level, text="", timestamp=False: printed.append(text))
    handler = JsonLines(str(tmp_path / "speech.jsonl"))
    log_activity(handler, debug)
    # Orca 43: a key event; a mark that is not an event's; a handler that raised (no end mark).
    debug.println(800, "\nvvvvv PROCESS KEY_PRESSED_EVENT: 'm' (58) vvvvv", False)
    debug.println(800, "vvvvv CONSUME KEY_PRESSED_EVENT: 'm' (58) vvvvv")
    debug.println(800, "^^^^^ PROCESS KEY_PRESSED_EVENT: 'm' (58) ^^^^^\n", False)
    debug.println(800, "\nvvvvv PROCESS OBJECT EVENT object:text-caret-moved vvvvv")
    # Orca 48: an object event, its end mark after the processing time in the same message.
    debug.println(800, "\nvvvvv START PRIORITY-1 OBJECT EVENT OBJECT:STATE-CHANGED:FOCUSED (queue size: 0) vvvvv")
    debug.println(800, "TOTAL PROCESSING TIME: 0.0123\n^^^^^ FINISHED PRIORITY-1 OBJECT EVENT X ^^^^^\n")
    handler.stream.close()
    records = [json.loads(line) for line in (tmp_path / "speech.jsonl").read_text().splitlines()]
    assert [record["orca"] for record in records] == ["busy", "idle", "busy", "busy", "idle"]
    assert len(printed) == 6, "every message still reaches Orca's own printer"
