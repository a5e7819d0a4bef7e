"""Build the spoken versions: only what changed, in worker processes, published atomically.

Files are named by a cache key, a hash of (speech script, voice, rate, lexicon entries
used, engine version, format), under AUDIO_DIR/<section>/<slug>/. A worker writes them
under temporary names; the build checks them (MP3 frames, duration, one cue per sentence)
and renames them into place, the timings file last, so a crash never leaves a truncated
file that is served. Then `catalog.json`, which the web app reads, is replaced in one step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..content import Article
from ..errors import SpeechError
from .audio import AudioFormatError, mp3_duration, parse_webvtt
from .lexicon import Lexicon
from .render import FORMAT, AudioJob, Rendered, render_article
from .script import speech_script
from .synth import check_engine

log = logging.getLogger(__name__)

CATALOG = "catalog.json"
SUFFIXES = {"mp3": ".mp3", "vtt": ".vtt", "chapters": ".chapters.vtt", "timings": ".json"}
KEY_LENGTH = 20  # hex digits of the cache key in file names


def cache_key(script_digest: str, voice: str, rate: int, engine_version: str) -> str:
    """Return the hash that names an article's audio files."""
    data = json.dumps([script_digest, voice, rate, engine_version, FORMAT])
    return hashlib.sha256(data.encode()).hexdigest()


@lru_cache(maxsize=1)
def _script_code() -> str:
    """Return a hash of the code that turns a page into a speech script."""
    here = Path(__file__).parent
    code = b"".join((here / name).read_bytes() for name in ("normalise.py", "script.py"))
    return hashlib.sha256(code).hexdigest()


def source_key(article: Article, lexicon: Lexicon, voice: str, rate: int, engine_version: str) -> str:
    """Return a hash of everything a speech script is made from, plus how it is spoken.

    When it matches the catalog's, the article's audio is reused without even making its
    script again; otherwise the script's own cache key decides.
    """
    data = [article.title, article.summary, article.html, lexicon.digest(), _script_code()]
    data += [voice, rate, engine_version, FORMAT]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def article_folder(audio_dir: Path, section: str, slug: str) -> Path:
    return audio_dir / section / slug


def published_files(folder: Path, key: str) -> dict[str, Path]:
    """Return the four files of one rendering, named by its cache key."""
    stem = key[:KEY_LENGTH]
    return {kind: folder / f"{stem}{suffix}" for kind, suffix in SUFFIXES.items()}


def read_timings(folder: Path, key: str) -> dict | None:
    """Return the timings of a complete published rendering, or None if there is none."""
    files = published_files(folder, key)
    try:
        timings = json.loads(files["timings"].read_text(encoding="utf-8"))
        complete = (
            all(p.is_file() for p in files.values())
            and files["mp3"].stat().st_size == timings["size"]
        )
    except (OSError, ValueError, KeyError):
        return None
    return timings if complete and timings.get("cache_key") == key else None


def verify(rendered: Rendered, name: str) -> None:
    """Check a worker's files before they are published; raise SpeechError if any is wrong."""
    try:
        data = rendered.files["mp3"].read_bytes()
        duration, _ = mp3_duration(data)
        cues = parse_webvtt(rendered.files["vtt"].read_text(encoding="utf-8"))
        timings = json.loads(rendered.files["timings"].read_text(encoding="utf-8"))
        parse_webvtt(rendered.files["chapters"].read_text(encoding="utf-8"))
    except (OSError, ValueError, AudioFormatError) as exc:
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
    if problems:
        raise SpeechError(f"The audio for {name} failed its checks: {'; '.join(problems)}")


def publish(rendered: Rendered, folder: Path) -> None:
    """Rename a checked rendering into place, the timings file (its completion mark) last."""
    final = published_files(folder, rendered.cache_key)
    for kind in ("mp3", "vtt", "chapters", "timings"):
        os.replace(rendered.files[kind], final[kind])


@dataclass
class AudioBuildReport:
    """What a build did: articles made, articles reused from the cache, and failures."""

    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one message per article
    seconds_made: float = 0.0  # of new audio
    catalog: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.failed


def _run_jobs(
    jobs: list[AudioJob], workers: int, done: Callable[[AudioJob, Rendered | None, str], None]
) -> None:
    """Render `jobs` in worker processes; a crashed pool is restarted once for the rest."""
    pending = list(jobs)
    for round_number in (1, 2):
        context = multiprocessing.get_context("spawn")  # never fork: espeak starts once per process
        crashed: list[AudioJob] = []
        with ProcessPoolExecutor(
            max_workers=max(1, min(workers, len(pending))), mp_context=context
        ) as pool:
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
                        done(
                            job,
                            None,
                            f"The speech worker crashed while making the audio for {job.name}.",
                        )
        if not crashed:
            return
        log.warning("a speech worker crashed; retrying %d articles", len(crashed))
        pending = crashed


def build_audio(
    articles: Iterable[Article],
    audio_dir: Path,
    lexicon: Lexicon,
    voice: str = "",
    rate: int = 175,
    jobs: int | None = None,
    progress: Callable[[int, float], object] | None = None,
) -> AudioBuildReport:
    """Make the audio of every article whose speech changed, then publish the catalog.

    `progress(articles_done, seconds_of_audio_made)` is called as articles finish.
    Raises SpeechError (saying what to install) when the engine is missing.
    """
    engine = check_engine()
    articles = list(articles)
    audio_dir.mkdir(parents=True, exist_ok=True)
    previous = read_catalog(audio_dir)
    report = AudioBuildReport()
    entries: dict[str, dict] = {}
    todo: list[AudioJob] = []
    workdir = Path(tempfile.mkdtemp(prefix="voiceref-speech-"))
    sources: dict[str, str] = {}
    for article in articles:
        name = f"{article.section}/{article.slug}"
        folder = article_folder(audio_dir, article.section, article.slug)
        sources[name] = source_key(article, lexicon, voice, rate, engine.version)
        known = previous.get("articles", {}).get(name, {})
        timings = read_timings(folder, known["key"]) if known.get("source") == sources[name] else None
        if timings is None:  # something changed: does the script itself differ?
            script = speech_script(article, lexicon)
            key = cache_key(script.digest(), voice, rate, engine.version)
            timings = read_timings(folder, key)
        if timings is not None:
            entries[name] = _entry(timings, timings["cache_key"], sources[name])
            report.reused.append(article.url)
            if progress:
                progress(1, 0.0)
        else:
            todo.append(AudioJob(script, key, folder, workdir, voice, rate, str(article.path)))

    def done(job: AudioJob, rendered: Rendered | None, error: str) -> None:
        name = f"{job.script.section}/{job.script.slug}"
        if rendered is not None:
            try:
                verify(rendered, job.name)
                publish(rendered, job.folder)
                timings = read_timings(job.folder, job.cache_key) or {}
                entries[name] = _entry(timings, job.cache_key, sources[name])
                report.built.append(f"/{name}")
                report.seconds_made += rendered.duration
            except (SpeechError, OSError) as exc:
                error = str(exc)
        if error:
            log.error("%s", error)
            report.failed.append(error)
        if progress:
            progress(1, rendered.duration if rendered is not None and not error else 0.0)

    try:
        if todo:
            _run_jobs(todo, jobs or os.cpu_count() or 1, done)
    finally:
        _remove_tree(workdir)
    report.catalog = write_catalog(audio_dir, entries, engine.version, voice, rate)
    remove_stale(audio_dir, entries, previous)
    return report


def _entry(timings: dict, key: str, source: str) -> dict:
    return {
        "key": key,
        "source": source,
        "title": timings.get("title", ""),
        "duration": timings.get("duration", 0.0),
        "size": timings.get("size", 0),
        "sentences": len(timings.get("sentences", [])),
        "chapters": len(timings.get("chapters", [])),
    }


def read_catalog(audio_dir: Path) -> dict:
    """Return the published catalog, or an empty one."""
    try:
        return json.loads((audio_dir / CATALOG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"articles": {}}


def write_catalog(
    audio_dir: Path, entries: dict[str, dict], engine: str, voice: str, rate: int
) -> Path:
    """Replace catalog.json in one step."""
    catalog = {
        "format": FORMAT,
        "engine": engine,
        "voice": voice,
        "rate": rate,
        "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "articles": dict(sorted(entries.items())),
    }
    target = audio_dir / CATALOG
    temp = audio_dir / f".tmp-{CATALOG}-{os.getpid()}"
    temp.write_text(json.dumps(catalog, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, target)
    return target


def remove_stale(audio_dir: Path, entries: dict[str, dict], previous: dict) -> None:
    """Delete renderings that neither this catalog nor the one before it names.

    The previous rendering is kept for one build, for listeners still downloading it.
    """
    keep = {name: {e["key"][:KEY_LENGTH]} for name, e in entries.items()}
    for name, old in previous.get("articles", {}).items():
        keep.setdefault(name, set()).add(str(old.get("key", ""))[:KEY_LENGTH])
    for folder in audio_dir.glob("*/*"):
        if not folder.is_dir():
            continue
        stems = keep.get(f"{folder.parent.name}/{folder.name}", set())
        for path in folder.iterdir():
            if path.name.split(".")[0] not in stems:
                path.unlink(missing_ok=True)
        if not any(folder.iterdir()):
            folder.rmdir()


def _remove_tree(path: Path) -> None:
    for child in path.glob("*"):
        child.unlink(missing_ok=True)
    path.rmdir()
