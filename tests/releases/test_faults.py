"""Faults during a build, with a real server running: kill -9, a full disk, a damaged index.

Whatever goes wrong, the release that was current stays current and keeps serving, no
process of the build is left running, and the next build cleans up and succeeds.
"""

from __future__ import annotations

import json
import random
import re
import subprocess

import pytest

from voiceref.loopback import voiceref_command
from voiceref.release import layout
from voiceref.search.index import segment_files

from .conftest import fill, small_disk
from .support import assert_nothing_left_running, children_of, get, kill_build, release_of, wait_for

WORDS = "muscle nerve brain spinal fatigue balance walking vision bladder memory relapse lesion myelin".split()


def add_index_heavy_articles(corpus, count: int = 30) -> None:
    """Add resources with many aliases: much to index, little to render or speak."""
    rng = random.Random(9)
    for number in range(count):
        aliases = [f"{' '.join(rng.choice(WORDS) for _ in range(6))} {number}x{i}" for i in range(400)]
        (corpus.content / "resources" / f"synthetic-{number:03d}.md").write_text(
            f"---\ntitle: Synthetic resource {number:03d}\nsummary: A made-up resource for a test.\n"
            f"aliases: {json.dumps(aliases)}\nreviewed: 2025-01-10\n---\n## What it is\n\nA short body.\n",
            encoding="utf-8",
        )


def assert_still_serving(server, release: str) -> None:
    """The server answers from `release`: healthy, with its pages and its search."""
    assert release_of(server) == release
    assert get(server.url + "/glossary/mri").status == 200
    assert get(server.url + "/api/search?q=spasticity").json()["total"] >= 1


def test_a_build_killed_while_indexing_leaves_nothing_running_and_the_next_build_cleans_up(corpus):
    first = corpus.built("--no-audio")
    add_index_heavy_articles(corpus)
    with corpus.server() as server:
        build = corpus.start_build("--no-audio")

        def indexing():
            staged = [p for p in layout.releases_dir(corpus.index).glob(".tmp-*/search") if p.is_dir()]
            return staged and not (staged[0] / "suggest.json").exists() and children_of(build.pid)

        wait_for(indexing, "the build to start Whoosh's indexing processes")
        kill_build(build)
        assert_nothing_left_running(corpus.marker)
        assert corpus.current() == first
        assert list(layout.releases_dir(corpus.index).glob(".tmp-*")), "the build was killed before it staged"
        assert_still_serving(server, first)

        second = corpus.built("--no-audio")
        assert second != first
        assert corpus.leftovers() == []
        assert list(corpus.tmp.iterdir()) == []
        assert release_of(server) == second
        assert get(server.url + "/resources/synthetic-007").status == 200


@pytest.mark.speech
def test_a_build_killed_while_speaking_leaves_no_worker_and_the_next_build_cleans_up(corpus):
    first = corpus.built("--no-audio")
    with corpus.server() as server:
        build = corpus.start_build("--voice", "clear", "--jobs", "2")

        def speaking():
            workers = [c for c in children_of(build.pid).values() if "multiprocessing.spawn" in c]
            sentences = list(corpus.audio.glob(".work-*/*.wav"))
            return workers and sentences

        wait_for(speaking, "speech workers writing sentences into .work-* in the audio store")
        kill_build(build)
        assert_nothing_left_running(corpus.marker)  # the workers and multiprocessing's resource tracker
        assert corpus.current() == first
        assert_still_serving(server, first)
        assert "The spoken version is not ready yet." in get(server.url + "/glossary/mri").text
        assert get(server.url + "/glossary/mri/audio.mp3").status == 404

        second = corpus.built("--voice", "clear", "--jobs", "2")
        assert corpus.leftovers() == []
        assert list(corpus.tmp.iterdir()) == []
        assert release_of(server) == second
        audio = get(server.url + "/glossary/mri/audio.mp3")
        assert audio.status == 200 and audio.headers["Content-Type"] == "audio/mpeg" and len(audio.body) > 1000


LOG_LINE = re.compile(r"^(DEBUG|INFO|WARNING)[: ]")


def one_message(done) -> str:
    """Return the build's only line of error output; fail if it printed more (or a traceback).

    Log lines below ERROR (a speech worker retrying a sentence, now and then) are not messages.
    """
    lines = [line for line in done.stderr.splitlines() if line.strip() and not LOG_LINE.match(line)]
    assert "Traceback" not in done.stderr + done.stdout
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.speech
def test_a_full_audio_store_stops_the_build_at_once_with_one_message(corpus):
    with small_disk(corpus.audio):
        first = corpus.built("--no-audio")
        with corpus.server() as server:
            filler = fill(corpus.audio, leave=150_000)  # less than one article's sentences and MP3
            done = corpus.build("--voice", "clear", "--jobs", "2")
            assert done.returncode == 1
            message = one_message(done)
            assert message.startswith("The disk is full (while making the audio for /")
            assert "No space left on device" in message
            assert message.endswith("The build stopped; the previous release is still served. "
                                     "Free some space and build again.")
            assert corpus.leftovers() == []
            assert corpus.releases() == [first] and corpus.current() == first
            assert_still_serving(server, first)

            filler.unlink()
            second = corpus.built("--voice", "clear", "--jobs", "2")
            assert corpus.leftovers() == []
            assert release_of(server) == second
            assert get(server.url + "/glossary/mri/audio.mp3").status == 200


@pytest.mark.parametrize(
    ("leave", "audio"),
    [
        (20_000, "--no-audio"),  # the disk fills while the articles' SQLite file is written
        (100_000, "--no-audio"),  # while the index is copied and updated
        pytest.param(300_000, "--voice=clear", marks=pytest.mark.speech),  # while audio is copied in
    ],
)
def test_a_full_release_disk_stops_the_build_with_one_message(corpus, leave, audio):
    """Whichever part of the release the disk fills on, the build stops with one message."""
    with small_disk(corpus.index):
        first = corpus.built(audio)
        with corpus.server() as server:
            mri = corpus.content / "glossary" / "mri.md"
            mri.write_text(mri.read_text().replace("It does not use X-rays.", "It uses no X-rays."))
            filler = fill(corpus.index, leave=leave)
            done = corpus.build(audio)
            assert done.returncode == 1
            message = one_message(done)
            assert message.startswith("The disk is full (while writing release ")
            assert f" in {corpus.index}: " in message and "full" in message.split(": ", 1)[1]
            assert "the previous release is still served" in message
            assert corpus.leftovers() == []
            assert corpus.releases() == [first] and corpus.current() == first
            assert_still_serving(server, first)
            assert "It does not use X-rays." in get(server.url + "/glossary/mri").text

            filler.unlink()
            second = corpus.built(audio)
            assert corpus.leftovers() == []
            assert release_of(server) == second
            assert "It uses no X-rays." in get(server.url + "/glossary/mri").text


def test_a_damaged_live_index_is_reported_pages_still_serve_and_the_next_build_starts_afresh(corpus):
    first = corpus.built("--no-audio")
    with corpus.server() as server:
        for _ in range(4):  # both workers open the index and read from it
            assert get(server.url + "/search?q=spasticity").status == 200
        search = layout.pointer(corpus.index) / "search"
        damaged = [p.name for p in segment_files(search)]
        assert damaged
        for segment in segment_files(search):
            segment.write_bytes(b"")  # truncated, as a failing disk or a careless copy leaves it

        for _ in range(4):  # every answer is an answer: no dropped connection, no 500
            health = get(server.url + "/healthz")
            assert health.status == 503 and health.json()["release"] == first
            assert "search index" in health.json()["status"] and "cannot be read" in health.json()["status"]
            for page in ("/", "/glossary/", "/glossary/mri", "/essays/what-is-ms", "/api/articles/glossary/mri"):
                assert get(server.url + page).status == 200, page
            assert get(server.url + "/search?q=spasticity").status == 200  # kept from before, same release
            page = get(server.url + "/search?q=myoclonus")  # a search the index must answer now
            assert page.status == 200 and "Search is not available" in page.text
            api = get(server.url + "/api/search?q=myoclonus")
            assert api.status == 503 and "not available" in api.json()["error"]

        done = corpus.build("--no-audio", verbose=True)
        assert done.returncode == 0, done.stderr
        assert "is damaged: building from scratch" in done.stderr
        second = corpus.current()
        assert second != first
        rebuilt = [p.name for p in segment_files(layout.pointer(corpus.index) / "search")]
        assert rebuilt and not set(rebuilt) & set(damaged), "the damaged segments were copied"
        assert release_of(server) == second
        assert get(server.url + "/api/search?q=spasticity").json()["total"] >= 1

        # The damaged release is now the previous one: a rollback must not go back to it.
        assert corpus.previous() == first
        rolled = subprocess.run([voiceref_command(), "rollback", "--index", str(corpus.index)],
                                capture_output=True, text=True, timeout=120)
        assert rolled.returncode == 1 and "Traceback" not in rolled.stderr
        assert rolled.stderr.splitlines()[-1].startswith(f"The previous release {first} is damaged"), rolled.stderr
        assert "the search index" in rolled.stderr and "cannot be read" in rolled.stderr  # and why
        assert corpus.current() == second and release_of(server) == second
