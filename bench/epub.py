"""Benchmark the talking books: time and size of each book, beside a plain zip of its audio.

Reads the current release (build it first: voiceref build). For the whole site and each
section: "load" reads the pages and timings from the release, "write" makes the pages and
overlays and writes the book (medians of `--runs` runs for the whole site). In the same run,
as the reference, it writes a zip of just the same MP3 files, stored: the least any export of
this audio costs, so the ratio is what the pages, overlays and checks add. Then it times the
build's hook, `write_books`, into a copy of the release: once from nothing, once with the
first copy as the previous release (every book unchanged, so linked).

    .venv/bin/python bench/epub.py [--index index] [--voice clear] [--runs 3]

Run on a quiet machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voiceref import config  # noqa: E402
from voiceref.content import SECTIONS  # noqa: E402
from voiceref.export import Book, book_filename, current_book, write_books, write_epub  # noqa: E402
from voiceref.export.xhtml import listening_time  # noqa: E402
from voiceref.release import layout  # noqa: E402


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


def staged_copy(release: Path, target: Path) -> Path:
    """Copy a release without its books, as the build stages the next one (audio hard-linked)."""
    shutil.copytree(release, target, ignore=shutil.ignore_patterns("books"), copy_function=_link)
    return target


def _link(source: str, target: str) -> None:
    Path(target).hardlink_to(source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path)
    parser.add_argument("--voice", default="clear")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    settings = config.from_environment()
    if args.index:
        settings["INDEX_DIR"] = args.index
    rows = []
    with tempfile.TemporaryDirectory(prefix="voiceref-bench-epub-", dir=settings["INDEX_DIR"]) as scratch:
        folder = Path(scratch)
        for section in [None, *SECTIONS]:
            runs = args.runs if section is None else 1
            out = folder / book_filename(section, args.voice)
            load, book = timed(lambda section=section: current_book(settings, section, args.voice), runs)
            write, report = timed(lambda book=book, out=out: write_epub(book, out), runs)
            floor, _ = timed(lambda book=book: reference_zip(book, folder / "reference.zip"), runs)
            rows.append((section or "whole site", report, load, write, floor))
        release = layout.pointer(Path(settings["INDEX_DIR"]))
        first, second = staged_copy(release, folder / "first"), staged_copy(release, folder / "second")
        url = config.public_url(settings)
        fresh, books = timed(lambda: write_books(first, url), 1)
        again, _ = timed(lambda: write_books(second, url, previous=first), 1)
    print(f"{'book':<11} {'articles':>8} {'sentences':>9} {'audio':>10} {'size':>9} "
          f"{'load s':>7} {'write s':>7} {'zip s':>6} {'write/zip':>9}")
    for name, report, load, write, floor in rows:
        print(
            f"{name:<11} {report.articles:>8} {report.sentences:>9,} {listening_time(report.duration):>10} "
            f"{report.size_label:>9} {load:>7.2f} {write:>7.2f} {floor:>6.2f} {write / floor:>8.1f}×"
        )
    size = sum(book.size for book in books) / 1_000_000
    print(f"write_books: {len(books)} books, {size:.1f} MB, {fresh:.2f} s from nothing, "
          f"{again:.2f} s when none changed (linked from the previous release)")


if __name__ == "__main__":
    main()
