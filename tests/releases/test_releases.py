"""Releases kept, listed, pruned and rolled back; content that is never published."""

from __future__ import annotations

import os
import subprocess

from voiceref.loopback import voiceref_command
from voiceref.release import layout
from voiceref.release.build import build_release

from .support import get, release_of


def voiceref(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([voiceref_command(), *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_links_out_of_content_big_articles_and_pipes_are_refused_and_nothing_is_published(corpus, tmp_path):
    first = corpus.built("--no-audio")
    outside = tmp_path / "elsewhere" / "secret.md"
    outside.parent.mkdir()
    outside.write_text((corpus.content / "glossary" / "mri.md").read_text().replace("title: MRI", "title: Secret"))
    link = corpus.content / "glossary" / "secret.md"
    link.symlink_to(outside)
    huge = corpus.content / "essays" / "huge.md"
    huge.write_text("---\ntitle: Huge\nsummary: Far too long.\nreviewed: 2025-01-10\n---\n" + "Words. " * 150_000)
    size = huge.stat().st_size
    pipe = corpus.content / "news" / "pipe.md"
    os.mkfifo(pipe)  # reading it would wait for a writer for ever
    expected = [
        f"{link}:1: is a link to {outside.resolve()}, outside the content folder: copy the file in instead",
        f"{huge}:1: is {size:,} bytes; an article may be at most 1,000,000 (split it up)",
        f"{pipe}:1: is not a regular file (a folder, pipe or device): an article must be a plain text file",
    ]

    checked = voiceref("check", "--content", str(corpus.content))
    assert checked.returncode == 1
    for line in expected:
        assert line in checked.stderr.splitlines(), checked.stderr

    built = corpus.build("--no-audio")
    assert built.returncode == 1
    for line in expected:
        assert line in built.stderr.splitlines(), built.stderr
    assert "Traceback" not in built.stderr
    assert corpus.releases() == [first] and corpus.current() == first


def build_in_process(corpus) -> str:
    """One real release of the corpus (no audio), built in this process; return its id."""
    settings = {"CONTENT_DIR": corpus.content, "INDEX_DIR": corpus.index, "AUDIO_DIR": corpus.audio}
    return build_release(settings, audio=False).released[-1].name


def test_pruning_keeps_current_and_previous_and_removes_unfinished_and_damaged_releases(corpus):
    built = [build_in_process(corpus) for _ in range(6)]
    assert corpus.current() == built[-1] and corpus.previous() == built[-2]
    kept = corpus.releases()  # every build pruned: current, previous and the newest KEEP others
    assert len(kept) == layout.KEEP + 2 and {built[-1], built[-2]} <= set(kept)

    rolled = voiceref("rollback", "--index", str(corpus.index))
    assert rolled.returncode == 0, rolled.stderr
    assert rolled.stdout.strip() == f"Current release: {built[-2]} (was {built[-1]})."
    unfinished = layout.releases_dir(corpus.index) / f"{layout.TEMP_PREFIX}29991231-235959-aaaaaa"
    (unfinished / "search").mkdir(parents=True)
    (unfinished / "articles.sqlite").write_bytes(b"half")
    damaged = layout.releases_dir(corpus.index) / "29991231-235959-bbbbbb"  # newer than all, no manifest
    (damaged / "search").mkdir(parents=True)

    listed = voiceref("releases", "--index", str(corpus.index))
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0] == f"{damaged.name}  DAMAGED (no readable manifest)"
    marks = {line.split()[0]: line.split()[-1] for line in lines[1:]}
    assert marks[built[-2]] == "current" and marks[built[-1]] == "previous"
    assert unfinished.name not in listed.stdout

    removed = layout.prune(corpus.index, keep=0)
    assert unfinished in removed and damaged in removed
    assert corpus.releases() == sorted([built[-2], built[-1]])
    assert corpus.current() == built[-2] and corpus.previous() == built[-1]

    # A build after a crash: it clears what the crash left, and the release it replaces stays.
    (unfinished / "search").mkdir(parents=True)
    newest = build_in_process(corpus)
    assert corpus.current() == newest and corpus.previous() == built[-2]
    assert not unfinished.exists() and built[-1] in corpus.releases()


def test_rollback_switches_back_and_a_running_server_follows(corpus):
    first = corpus.built("--no-audio")
    mri = corpus.content / "glossary" / "mri.md"
    mri.write_text(mri.read_text().replace("It does not use X-rays.", "It uses no X-rays and no radiation."))
    second = corpus.built("--no-audio")
    with corpus.server() as server:
        assert release_of(server) == second
        assert "no radiation" in get(server.url + "/glossary/mri").text

        rolled = voiceref("rollback", "--index", str(corpus.index))
        assert rolled.returncode == 0, rolled.stderr
        assert corpus.current() == first and corpus.previous() == second
        for _ in range(4):  # each worker, on its next request
            assert release_of(server) == first
            assert "It does not use X-rays." in get(server.url + "/glossary/mri").text

        forward = voiceref("rollback", "--index", str(corpus.index))
        assert forward.returncode == 0 and corpus.current() == second
        for _ in range(4):
            assert release_of(server) == second
            assert "no radiation" in get(server.url + "/glossary/mri").text


def test_rollback_without_a_previous_release_says_so(corpus):
    corpus.built("--no-audio")
    done = voiceref("rollback", "--index", str(corpus.index))
    assert done.returncode == 1
    assert done.stderr.strip() == "There is no previous release to roll back to."
