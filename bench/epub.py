"""Benchmark the talking-book export: time and size of each book, beside a plain zip of its audio.

Exports the whole site and each section from what `voiceref build` published (nothing is
synthesised): "load" reads the content and the published timings, "write" makes the pages and
overlays and writes the book (medians of three runs for the whole site). In the same run, as
the reference, it writes a zip of just the same MP3 files, stored, the least any export of this
audio costs; the ratio is what the pages, overlays and checks add to it.

    .venv/bin/python bench/epub.py [--content content] [--audio audio] [--voice clear] [--runs 3]

Build the audio first (voiceref build); run on a quiet machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voiceref import config  # noqa: E402
from voiceref.content import SECTIONS, load_site  # noqa: E402
from voiceref.export import Book, book_filename, write_epub  # noqa: E402
from voiceref.export.source import book_from_build  # noqa: E402
from voiceref.export.xhtml import listening_time  # noqa: E402
from voiceref.speech import load_lexicon  # noqa: E402


def prepare(settings: dict, section: str | None, voice: str) -> Book:
    """Load the content and the published timings: what `voiceref export epub` does first."""
    content = Path(settings["CONTENT_DIR"])
    return book_from_build(
        load_site(content), Path(settings["AUDIO_DIR"]), load_lexicon(content / "lexicon.yaml"),
        section=section, voice=voice, public_url=str(settings["PUBLIC_URL"]),
        engine_voice=str(settings["VOICE"]), rate=int(settings["SPEECH_RATE"]),
    )


def timed(action, runs: int) -> tuple[float, object]:
    """Return the median wall time of `runs` calls of `action`, and its last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def reference_zip(book: Book, out: Path) -> None:
    """Write the book's MP3s alone into a zip, stored: the floor for any export of this audio."""
    with zipfile.ZipFile(out, "w") as archive:
        for number, article in enumerate(book.articles):
            archive.write(article.audio, f"{number}.mp3", compress_type=zipfile.ZIP_STORED)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path)
    parser.add_argument("--audio", type=Path)
    parser.add_argument("--voice", default="clear")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    settings = config.from_environment()
    settings.update({k: v for k, v in {"CONTENT_DIR": args.content, "AUDIO_DIR": args.audio}.items() if v})
    rows = []
    with tempfile.TemporaryDirectory(prefix="voiceref-bench-epub-") as scratch:
        folder = Path(scratch)
        for section in [None, *SECTIONS]:
            runs = args.runs if section is None else 1
            out = folder / book_filename(section, args.voice)
            load, book = timed(lambda section=section: prepare(settings, section, args.voice), runs)
            write, report = timed(lambda book=book, out=out: write_epub(book, out), runs)
            floor, _ = timed(lambda book=book: reference_zip(book, folder / "reference.zip"), runs)
            rows.append((section or "whole site", report, load, write, floor))
    print(f"{'book':<11} {'articles':>8} {'sentences':>9} {'audio':>10} {'size':>9} "
          f"{'load s':>7} {'write s':>7} {'zip s':>6} {'write/zip':>9}")
    for name, report, load, write, floor in rows:
        print(
            f"{name:<11} {report.articles:>8} {report.sentences:>9,} {listening_time(report.duration):>10} "
            f"{report.size_label:>9} "
            f"{load:>7.2f} {write:>7.2f} {floor:>6.2f} {write / floor:>8.1f}×"
        )


if __name__ == "__main__":
    main()
