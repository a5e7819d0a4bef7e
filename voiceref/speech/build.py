"""Build the spoken versions: only what changed, in worker processes, into the audio store.

Renderings are named by a cache key, a hash of (speech script, voice, rate, lexicon entries
used, engine version, format), in the audio store (see catalog.py). A worker writes them
under temporary names; the build checks them (MP3 frames, duration, one cue per sentence)
and renames them into place, the timings file last, so a crash never leaves a truncated
file under a published name. The build returns catalog entries; the release build links the
files into a release and publishes it. Workers die with the build (PR_SET_PDEATHSIG), and a
full disk stops the build at the first failure.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import ID3

from ..content import Article
from ..errors import DiskFull, SpeechError
from .audio import AudioFormatError, mp3_duration, parse_webvtt
from .catalog import COMPLETION_KIND, KINDS, CatalogEntry, short_key, store_files
from .engines import VoiceSpec, lexicon_for
from .lexicon import Lexicon
from .render import FORMAT, AudioJob, Rendered, render_article
from .script import speech_script
from .workers import exit_with_parent, worker_count

log = logging.getLogger(__name__)

WORK_PREFIX = ".work-"  # scratch folders in the store; a later build removes any left behind
TEMP_PREFIX = ".tmp-"


def _voice_identity(spec: VoiceSpec) -> list:
    return [spec.name, spec.model, spec.rate, spec.version, FORMAT, spec.timing]


def cache_key(script_digest: str, spec: VoiceSpec) -> str:
    """Return the hash that names an article's audio files in one voice."""
    data = json.dumps([script_digest, *_voice_identity(spec)])
    return hashlib.sha256(data.encode()).hexdigest()


@lru_cache(maxsize=1)
def _script_code() -> str:
    """Return a hash of the code that turns a page into a speech script."""
    here = Path(__file__).parent
    code = b"".join((here / name).read_bytes() for name in ("normalise.py", "script.py"))
    return hashlib.sha256(code).hexdigest()


def source_key(article: Article, lexicon: Lexicon, spec: VoiceSpec) -> str:
    """Return a hash of everything a speech script is made from, plus how it is spoken.

    When it matches the previous release's, the article's audio is reused without even
    making its script again; otherwise the script's own cache key decides.
    """
    data = [article.title, article.summary, article.html, lexicon.digest(), _script_code()]
    data += _voice_identity(spec)
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def read_timings(store: Path, key: str) -> dict | None:
    """Return the timings of a complete rendering in the store, or None if there is none."""
    files = store_files(store, key)
    try:
        timings = json.loads(files[COMPLETION_KIND].read_text(encoding="utf-8"))
        complete = (
            all(p.is_file() for p in files.values())
            and files["mp3"].stat().st_size == timings["size"]
        )
    except (OSError, ValueError, KeyError):
        return None
    return timings if complete and timings.get("cache_key") == key else None


def make_entry(store: Path, key: str, source: str, voice: str, timings: dict) -> CatalogEntry:
    """Return the catalog entry of a complete rendering in the store."""
    files = store_files(store, key)
    return CatalogEntry(
        section=timings["section"],
        slug=timings["slug"],
        voice=voice,
        key=key,
        source=source,
        title=timings.get("title", ""),
        duration=float(timings.get("duration", 0.0)),
        sentences=len(timings.get("sentences", [])),
        chapters=len(timings.get("chapters", [])),
        sizes={name: files[name].stat().st_size for name in KINDS},
    )


def clean_store(store: Path) -> None:
    """Remove scratch folders and temporary files that an interrupted build left behind."""
    if not store.is_dir():
        return
    for path in store.glob(f"{WORK_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in store.glob(f"*/{TEMP_PREFIX}*"):
        path.unlink(missing_ok=True)


def prune_store(store: Path, keep: set[str]) -> int:
    """Delete stored renderings whose key is not in `keep`; return how many files went."""
    wanted = {short_key(key) for key in keep}
    removed = 0
    for path in store.glob("??/*"):
        if not path.name.startswith(".") and path.name.split(".")[0] not in wanted:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def verify(rendered: Rendered, name: str) -> None:
    """Check a worker's files before they are published; raise SpeechError if any is wrong."""
    try:
        data = rendered.files["mp3"].read_bytes()
        duration, _ = mp3_duration(data)
        frames = ID3(io.BytesIO(data)).getall("CHAP")
        cues = parse_webvtt(rendered.files["vtt"].read_text(encoding="utf-8"))
        timings = json.loads(rendered.files["timings"].read_text(encoding="utf-8"))
        chapters = parse_webvtt(rendered.files["chapters"].read_text(encoding="utf-8"))
        listed = json.loads(rendered.files["podcast_chapters"].read_text(encoding="utf-8"))["chapters"]
    except (OSError, ValueError, KeyError, AudioFormatError, MutagenError) as exc:
        raise SpeechError(f"The audio for {name} failed its checks: {exc}") from exc
    problems = []
    if len(data) != rendered.size or abs(duration - rendered.duration) > 0.001:
        problems.append("the MP3 is not the file the worker encoded")
    if not rendered.speech <= duration <= rendered.speech + 0.25:
        problems.append(f"the MP3 lasts {duration:.2f} s for {rendered.speech:.2f} s of speech")
    if len(cues) != rendered.sentences or len(timings["sentences"]) != rendered.sentences:
        problems.append(f"{len(cues)} cues for {rendered.sentences} sentences")
    if any(b.start < a.start for a, b in zip(cues, cues[1:], strict=False)) or any(
        c.end > duration for c in cues
    ):
        problems.append("cues are out of order or run past the end")
    if not len(frames) == len(listed) == len(chapters):
        problems.append(f"{len(frames)} ID3 chapters and {len(listed)} listed for {len(chapters)} chapter cues")
    words = [(w["start"], w["end"]) for s in timings["sentences"] for w in s.get("words", [])]
    if any(start > end for start, end in words) or any(
        b[0] < a[1] for a, b in zip(words, words[1:], strict=False)
    ) or any(end > duration for _, end in words):
        problems.append("word timings are out of order or run past the end")
    if problems:
        raise SpeechError(f"The audio for {name} failed its checks: {'; '.join(problems)}")


def publish(rendered: Rendered, store: Path) -> None:
    """Rename a checked rendering into place, the timings file (its completion mark) last."""
    final = store_files(store, rendered.cache_key)
    for kind in sorted(KINDS, key=lambda name: name == COMPLETION_KIND):
        os.replace(rendered.files[kind], final[kind])


@dataclass
class AudioBuildReport:
    """What a build did: articles made, articles reused from the store, and failures."""

    voice: str = ""
    entries: dict[str, CatalogEntry] = field(default_factory=dict)  # "section/slug" → entry
    todo: list[AudioJob] = field(default_factory=list)  # articles still to synthesise
    sources: dict[str, str] = field(default_factory=dict)  # their source keys
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one message per article
    seconds_made: float = 0.0  # of new audio

    @property
    def ok(self) -> bool:
        return not self.failed


def _disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def _run_jobs(
    jobs: list[AudioJob], workers: int, memory_mb: int, done: Callable[[AudioJob, Rendered | None, str], None]
) -> None:
    """Render `jobs` in worker processes; a crashed pool is restarted once for the rest.

    A full disk is not retried: it raises DiskFull at once, and the pending jobs are dropped.
    """
    pending = list(jobs)
    for round_number in (1, 2):
        context = multiprocessing.get_context("spawn")  # never fork: espeak starts once per process
        crashed: list[AudioJob] = []
        pool = ProcessPoolExecutor(
            max_workers=worker_count(workers, memory_mb, len(pending)),
            mp_context=context,
            initializer=exit_with_parent,
            initargs=(os.getpid(),),  # a worker still starting when the build is killed must end too
        )
        try:
            futures = {pool.submit(render_article, job): job for job in pending}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    done(job, future.result(), "")
                except SpeechError as exc:
                    done(job, None, str(exc))
                except BrokenProcessPool:
                    if round_number == 1:
                        crashed.append(job)
                    else:
                        done(job, None, f"The speech worker crashed while making the audio for {job.name}.")
                except OSError as exc:
                    if _disk_full(exc):
                        raise DiskFull(f"while making the audio for {job.name}: {exc}") from exc
                    done(job, None, f"Could not write the audio for {job.name}: {exc}")
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if not crashed:
            return
        log.warning("a speech worker crashed; retrying %d articles", len(crashed))
        pending = crashed


def plan_audio(
    articles: Iterable[Article],
    store: Path,
    lexicon: Lexicon,
    spec: VoiceSpec,
    previous: dict[str, CatalogEntry] | None = None,
) -> AudioBuildReport:
    """Find which articles already have audio in this voice; queue jobs for the rest.

    `previous` is the last release's catalog for this voice: an article whose sources have
    not changed reuses its entry without remaking its script. Nothing is synthesised here.
    """
    previous = previous or {}
    spoken = lexicon_for(spec, lexicon)
    store.mkdir(parents=True, exist_ok=True)
    report = AudioBuildReport(voice=spec.name)
    workdir = store / f"{WORK_PREFIX}{os.getpid()}"
    for article in articles:
        name = f"{article.section}/{article.slug}"
        source = source_key(article, lexicon, spec)
        known = previous.get(name)
        key = known.key if known is not None and known.source == source else ""
        timings = read_timings(store, key) if key else None
        if timings is None:  # something changed: does the script itself differ?
            script = speech_script(article, spoken)
            key = cache_key(script.digest(), spec)
            timings = read_timings(store, key)
        if timings is not None:
            report.entries[name] = make_entry(store, key, source, spec.name, timings)
            report.reused.append(article.url)
        else:
            folder = store_files(store, key)["mp3"].parent
            report.todo.append(AudioJob(script, key, folder, workdir, spec, str(article.path)))
            report.sources[name] = source
    return report


def render_audio(
    report: AudioBuildReport,
    store: Path,
    spec: VoiceSpec,
    jobs: int | None = None,
    progress: Callable[[int, float], object] | None = None,
    on_entries: Callable[[dict[str, CatalogEntry]], object] | None = None,
) -> AudioBuildReport:
    """Synthesise the jobs a plan queued, in worker processes, into the store.

    `progress(articles_done, seconds_of_audio_made)` and `on_entries(entries_so_far)` are
    called in this process as articles finish. Raises DiskFull when the disk fills up; what
    was finished stays in the store for the next build.
    """
    clean_store(store)

    def done(job: AudioJob, rendered: Rendered | None, error: str) -> None:
        name = f"{job.script.section}/{job.script.slug}"
        if rendered is not None:
            try:
                verify(rendered, job.name)
                publish(rendered, store)
                timings = read_timings(store, job.cache_key) or {}
                report.entries[name] = make_entry(store, job.cache_key, report.sources[name], spec.name, timings)
                report.built.append(f"/{name}")
                report.seconds_made += rendered.duration
            except OSError as exc:
                if _disk_full(exc):
                    raise DiskFull(f"while publishing the audio for {job.name}: {exc}") from exc
                error = str(exc)
            except SpeechError as exc:
                error = str(exc)
        if error:
            log.error("%s", error)
            report.failed.append(error)
        if progress:
            progress(1, rendered.duration if rendered is not None and not error else 0.0)
        if on_entries and not error:
            on_entries(report.entries)

    if not report.todo:
        return report
    workdir = report.todo[0].workdir
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        _run_jobs(report.todo, jobs or 0, spec.memory_mb, done)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        clean_store(store)
    return report


def build_audio(
    articles: Iterable[Article],
    store: Path,
    lexicon: Lexicon,
    spec: VoiceSpec,
    jobs: int | None = None,
    previous: dict[str, CatalogEntry] | None = None,
    progress: Callable[[int, float], object] | None = None,
) -> AudioBuildReport:
    """Make the audio of every article whose speech changed in one voice, into the store."""
    report = plan_audio(articles, store, lexicon, spec, previous)
    if progress and report.reused:
        progress(len(report.reused), 0.0)
    return render_audio(report, store, spec, jobs, progress)
