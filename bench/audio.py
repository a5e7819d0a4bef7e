"""Benchmark the audio build: seconds of audio made per wall-clock second, and incremental builds.

For the bundled content and for synthetic articles (default 200, words drawn from the bundled
content), runs the real `build_audio` (speech script, pyttsx3 + espeak-ng in worker processes,
MP3 encoding, checks, publishing) from an empty cache with --jobs 1 and --jobs 2. In the same
run, espeak-ng's own command line writes WAV for the same scripts as the reference. Then it
changes one article and times the incremental build. Prints a table.

    .venv/bin/python bench/audio.py [--synthetic 200] [--quick] [--seed 1]

Targets: at least 100× real time end to end on 2 cores; an incremental build after one
change within 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import frontmatter  # noqa: E402

from voiceref.content import Article, load_site  # noqa: E402
from voiceref.content.loader import glossary_terms  # noqa: E402
from voiceref.content.render import Linker, render_body  # noqa: E402
from voiceref.errors import ContentError  # noqa: E402
from voiceref.search import build_index  # noqa: E402
from voiceref.speech import Lexicon, build_audio, load_lexicon, speech_script  # noqa: E402
from voiceref.speech.engines import VoiceSpec, voice_spec  # noqa: E402

WORD = re.compile(r"[A-Za-z]{3,}")
RATE = 175


def lenient_articles(content_dir: Path) -> list[Article]:
    """Load the content; if it has editorial problems, load it anyway (this measures speech)."""
    try:
        return load_site(content_dir).articles
    except ContentError as error:
        print(f"note: the content has {len(error.problems)} problems; loading it leniently for the benchmark")
    articles = []
    for path in sorted(content_dir.rglob("*.md")):
        post = frontmatter.load(path)
        articles.append(
            Article(
                section=path.parent.name, slug=path.stem, title=str(post.get("title", path.stem)),
                summary=str(post.get("summary", "")), path=path, reviewed=dt.date(2026, 1, 1),
                aliases=list(post.get("aliases") or []), body=post.content,
            )
        )
    linker = Linker(glossary_terms(articles))
    for article in articles:
        rendered = render_body(article.body, linker, own_slug=article.slug)
        article.html, article.text, article.headings = rendered.html, rendered.text, rendered.headings
    return articles


def synthetic(count: int, words: list[str], rng: random.Random) -> list[Article]:
    """Make `count` articles like the real ones: sections, paragraphs and a list."""
    articles = []
    for n in range(count):
        def sentence(length: int) -> str:
            return " ".join(rng.choices(words, k=length)).capitalize() + "."

        parts = []
        for _ in range(rng.randint(2, 4)):
            parts.append(f"## {' '.join(rng.choices(words, k=3)).capitalize()}\n")
            for _ in range(rng.randint(1, 3)):
                parts.append(" ".join(sentence(rng.randint(8, 20)) for _ in range(rng.randint(2, 4))) + "\n")
            if rng.random() < 0.4:
                parts.append("\n".join(f"- {sentence(rng.randint(4, 10))}" for _ in range(3)) + "\n")
        body = "\n".join(parts)
        rendered = render_body(body)
        article = Article(
            section="glossary", slug=f"synthetic-{n}", title=f"{' '.join(rng.choices(words, k=2)).title()} {n}",
            summary=sentence(18), path=Path(f"synthetic-{n}.md"), reviewed=dt.date(2026, 1, 1), body=body,
        )
        article.html, article.text, article.headings = rendered.html, rendered.text, rendered.headings
        articles.append(article)
    return articles


def clear() -> VoiceSpec:
    """The clear voice (pyttsx3 + espeak-ng) at the benchmark's rate."""
    return voice_spec("clear", {"SPEECH_RATE": RATE})


def timed_build(articles: list[Article], lexicon: Lexicon, jobs: int, audio_dir: Path) -> tuple[float, float]:
    """Return (seconds of audio made, wall seconds) for a build from an empty cache."""
    shutil.rmtree(audio_dir, ignore_errors=True)
    started = time.perf_counter()
    report = build_audio(articles, audio_dir, lexicon, clear(), jobs=jobs)
    wall = time.perf_counter() - started
    if not report.ok:
        raise SystemExit("\n".join(report.failed))
    return report.seconds_made, wall


def espeak_reference(articles: list[Article], lexicon: Lexicon, jobs: int, work: Path) -> tuple[float, float]:
    """espeak-ng's command line writing one WAV per article script: (audio seconds, wall seconds)."""
    scripts = []
    for number, article in enumerate(articles):
        path = work / f"script-{number}.txt"
        path.write_text("\n".join(s.text for s in speech_script(article, lexicon).sentences), encoding="utf-8")
        scripts.append(path)

    def speak(path: Path) -> float:
        wav = path.with_suffix(".wav")
        subprocess.run(["espeak-ng", "-s", str(RATE), "-w", str(wav), "-f", str(path)], check=True)
        with wave.open(str(wav)) as audio:
            return audio.getnframes() / audio.getframerate()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        seconds = sum(pool.map(speak, scripts))
    return seconds, time.perf_counter() - started


def incremental(content_dir: Path, work: Path, jobs: int) -> tuple[float, float]:
    """Change one article after a full build; return (audio step, load + index + audio) seconds."""
    copy = work / "content"
    shutil.copytree(content_dir, copy)
    lexicon = load_lexicon(copy / "lexicon.yaml")
    audio_dir, index_dir = work / "audio-incremental", work / "index"
    first = lenient_articles(copy)
    build_index(first, index_dir / "1")
    made = build_audio(first, audio_dir, lexicon, clear(), jobs=jobs)
    target = sorted(copy.rglob("*.md"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\nThis sentence was added for the benchmark.\n")
    started = time.perf_counter()
    articles = lenient_articles(copy)
    build_index(articles, index_dir / "2", previous=index_dir / "1")
    audio_started = time.perf_counter()
    lexicon = load_lexicon(copy / "lexicon.yaml")
    report = build_audio(articles, audio_dir, lexicon, clear(), jobs=jobs, previous=made.entries)
    finished = time.perf_counter()
    assert len(report.built) == 1, report
    return finished - audio_started, finished - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=200, help="synthetic articles (default 200)")
    parser.add_argument("--quick", action="store_true", help="30 synthetic articles, for a fast look")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    count = 30 if args.quick else args.synthetic
    content_dir = ROOT / "content"
    lexicon = load_lexicon(content_dir / "lexicon.yaml")
    bundled = lenient_articles(content_dir)
    words = WORD.findall(" ".join(a.text for a in bundled))
    corpora = {"bundled": bundled, f"synthetic {count}": synthetic(count, words, random.Random(args.seed))}
    rows = []
    with tempfile.TemporaryDirectory(prefix="voiceref-bench-") as tmp:
        work = Path(tmp)
        for name, articles in corpora.items():
            for jobs in (1, 2):
                print(f"… {name}, --jobs {jobs}", file=sys.stderr)
                made, wall = timed_build(articles, lexicon, jobs, work / "audio")
                rows.append((name, len(articles), "voiceref build (MP3+VTT)", jobs, made, wall))
                scratch = work / f"espeak-{jobs}"
                scratch.mkdir()
                made, wall = espeak_reference(articles, lexicon, jobs, scratch)
                shutil.rmtree(scratch)
                rows.append((name, len(articles), "espeak-ng CLI (WAV)", jobs, made, wall))
        print("… incremental build", file=sys.stderr)
        audio_step, whole = incremental(content_dir, work, 2)
    header = ("corpus", "articles", "what", "jobs", "audio min", "wall s", "× real time")
    print("\n{:<14} {:>8}  {:<26} {:>4} {:>9} {:>7} {:>11}".format(*header))
    for name, n, what, jobs, made, wall in rows:
        print(f"{name:<14} {n:>8}  {what:<26} {jobs:>4} {made / 60:>9.1f} {wall:>7.1f} {made / wall:>11.0f}")
    print(f"\nIncremental build after one article changes (bundled, --jobs 2): audio step {audio_step:.2f} s; "
          f"load + index + audio {whole:.2f} s (target ≤ 2 s)")


if __name__ == "__main__":
    main()
