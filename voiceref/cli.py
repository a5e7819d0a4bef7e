"""The `voiceref` command: check the content, build the index and audio, serve the site."""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from pathlib import Path

import click
from tqdm import tqdm

from . import config
from .content import SECTIONS, Site, load_site
from .content.quality import QualityReport, check_quality
from .content.review import DUE_SOON_DAYS
from .errors import ContentError, VoicerefError
from .speech.engines import DEFAULT_VOICE, VOICES

log = logging.getLogger(__name__)


def _settings(**overrides) -> dict:
    settings = config.from_environment()
    settings.update({k: v for k, v in overrides.items() if v is not None})
    return settings


def _load_checked(content_dir: Path, strict: bool) -> tuple[Site, QualityReport]:
    """Load the content; with `strict`, also run the editorial checks."""
    report = QualityReport()

    def extra(articles, line_of):
        if not strict:
            return []
        from .speech.lexicon import load_lexicon

        lexicon = load_lexicon(content_dir / "lexicon.yaml")
        found = check_quality(articles, line_of, set(lexicon.abbreviations))
        report.problems, report.warnings, report.grades = (
            found.problems,
            found.warnings,
            found.grades,
        )
        report.reviews = found.reviews
        return found.problems + _vocabulary_problems(content_dir, articles)

    return load_site(content_dir, extra_checks=extra), report


def _vocabulary_problems(content_dir: Path, articles) -> list:
    """Check the everyday vocabulary search uses (content/vocabulary.yaml) against the articles."""
    from .search.vocabulary import VOCABULARY_FILE, check_vocabulary, load_vocabulary

    try:
        vocabulary = load_vocabulary(content_dir / VOCABULARY_FILE)
    except ContentError as error:
        return error.problems
    return check_vocabulary(vocabulary, articles)


def _print_summary(site: Site, report: QualityReport) -> None:
    counts = Counter(a.section for a in site.articles)
    click.echo(f"{'section':<10} {'articles':>8} {'summary grade (mean)':>21}")
    for name in SECTIONS:
        grades = report.grades.get(name) or []
        mean = f"{sum(grades) / len(grades):.1f}" if grades else "–"
        click.echo(f"{name:<10} {counts.get(name, 0):>8} {mean:>21}")
    click.echo(f"{'total':<10} {len(site):>8}")
    overdue = sum(1 for item in report.reviews if item.overdue)
    click.echo(f"Reviews: {len(report.reviews) - overdue} due within {DUE_SOON_DAYS} days, {overdue} overdue.")


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log what each step does.")
@click.version_option(package_name="voiceref")
def main(verbose: bool) -> None:
    """voiceref: an accessible, listen-first reference about multiple sclerosis."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def _fail(error: VoicerefError) -> None:
    click.echo(str(error), err=True)
    sys.exit(1)


@main.command()
@click.option("--content", "content_dir", type=click.Path(path_type=Path), help="Content folder.")
def check(content_dir: Path | None) -> None:
    """Validate every content file and run the editorial checks; build nothing."""
    settings = _settings(CONTENT_DIR=content_dir)
    try:
        site, report = _load_checked(Path(settings["CONTENT_DIR"]), strict=True)
    except ContentError as error:
        _fail(error)
        return
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    _print_summary(site, report)
    click.echo(f"OK: {len(site)} articles, {len(report.warnings)} warnings.")


@main.command()
@click.option("--content", "content_dir", type=click.Path(path_type=Path), help="Content folder.")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Where releases go.")
@click.option("--audio", "audio_dir", type=click.Path(path_type=Path), help="The audio store.")
@click.option(
    "--jobs", type=click.IntRange(min=1), help="Speech worker processes (default: one per core, within memory)."
)
@click.option("--voice", "voices", multiple=True, help="Only this voice (repeatable; default: every voice).")
@click.option("--no-audio", is_flag=True, help="Synthesise nothing; keep the audio whose speech is unchanged.")
def build(
    content_dir: Path | None,
    index_dir: Path | None,
    audio_dir: Path | None,
    jobs: int | None,
    voices: tuple[str, ...],
    no_audio: bool,
) -> None:
    """Build a release (articles, search index, audio) and make it current when it is whole."""
    from .release.build import build_release

    settings = _settings(CONTENT_DIR=content_dir, INDEX_DIR=index_dir, AUDIO_DIR=audio_dir)
    bars: dict[str, tqdm] = {}
    made: dict[str, float] = {}

    def bar(name: str, total: int) -> tqdm:
        if name not in bars:
            bars[name] = tqdm(total=total, desc=name, unit="article", disable=None, file=sys.stderr)
        return bars[name]

    def on_audio(voice: str, done: int, seconds: float) -> None:
        made[voice] = made.get(voice, 0.0) + seconds
        progress = bar(f"Speaking ({voice})", report_total[0])
        progress.set_postfix_str(f"{made[voice] / 60:.1f} min of audio made", refresh=False)
        progress.update(done)

    report_total = [0]
    started = time.perf_counter()
    try:
        report = build_release(
            settings,
            voices=list(voices) or None,
            jobs=jobs,
            audio=not no_audio,
            on_start=lambda n: report_total.__setitem__(0, n),
            on_index=lambda n: bar("Indexing", report_total[0]).update(n),
            on_audio=on_audio,
        )
    except VoicerefError as error:
        for progress in bars.values():
            progress.close()
        _fail(error)
        return
    for progress in bars.values():
        progress.close()
    click.echo(f"Release {report.released[-1].name}: {report.articles} articles, index in {report.index_seconds:.1f} s")
    for voice, audio in report.audio.items():
        click.echo(
            f"Audio ({voice}): {len(audio.built)} made ({audio.seconds_made / 60:.1f} min of speech), "
            f"{len(audio.reused)} unchanged"
        )
    click.echo(f"{len(report.released)} release(s) published in {time.perf_counter() - started:.1f} s")
    if report.failed:
        for message in report.failed:
            click.echo(message, err=True)
        click.echo("Some audio is missing; those pages say their audio is not ready yet.", err=True)
        sys.exit(1)


@main.command()
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Where releases are.")
def releases(index_dir: Path | None) -> None:
    """List the releases, newest first, and say which is current and which previous."""
    from .release import layout

    root = Path(_settings(INDEX_DIR=index_dir)["INDEX_DIR"])
    marks = {layout.pointer(root): "current", layout.pointer(root, layout.PREVIOUS): "previous"}
    found = layout.list_releases(root)
    if not found:
        click.echo(f"No releases in {root}: run voiceref build.")
        return
    for path, manifest in found:
        if manifest is None:
            click.echo(f"{path.name}  DAMAGED (no readable manifest)")
            continue
        voices = ", ".join(f"{v} {n}/{manifest.articles}" for v, n in manifest.voices.items()) or "no audio"
        mark = marks.get(path, "")
        click.echo(f"{path.name}  {manifest.created}  {manifest.articles} articles  audio: {voices}  {mark}".rstrip())


@main.command()
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Where releases are.")
def rollback(index_dir: Path | None) -> None:
    """Make the previous release current again; servers switch on their next request."""
    from .release import layout

    root = Path(_settings(INDEX_DIR=index_dir)["INDEX_DIR"])
    try:
        now, before = layout.rollback(root)
    except VoicerefError as error:
        _fail(error)
        return
    click.echo(f"Current release: {now.name} (was {before.name}).")


@main.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--content", "content_dir", type=click.Path(path_type=Path), help="Content folder.")
def pronounce(words: tuple[str, ...], content_dir: Path | None) -> None:
    """Show what each voice is given for WORDS once the lexicon is applied (to check an entry)."""
    from .speech.engines import VOICES, lexicon_for, voice_spec
    from .speech.lexicon import load_lexicon
    from .speech.normalise import normalise

    settings = _settings(CONTENT_DIR=content_dir)
    try:
        lexicon = load_lexicon(Path(settings["CONTENT_DIR"]) / "lexicon.yaml")
    except ContentError as error:
        _fail(error)
        return
    for name in VOICES:
        try:
            spec = voice_spec(name, settings)
            voiced = lexicon_for(spec, lexicon)
        except VoicerefError as error:
            click.echo(f"{name}: {error}", err=True)
            continue
        text = normalise(" ".join(words), voiced.abbreviations, voiced.pronunciations)
        if spec.accepts_phonemes:
            from .speech.piper_engine import phonemes_of

            click.echo(f"{name}: {text}  /{phonemes_of(spec, text)}/")
        else:
            click.echo(f"{name}: {text}  (espeak-ng -q -x shows its phonemes)")


@main.command()
@click.option("--host", help="Address to bind (default 127.0.0.1).")
@click.option("--port", type=int, help="Port (default 5000).")
@click.option("--workers", type=int, help="gunicorn worker processes (default 2).")
@click.option(
    "--build", "build_first", is_flag=True,
    help="Build first: serve once the index and the clear voice are published; the natural voice follows.",
)
def serve(host: str | None, port: int | None, workers: int | None, build_first: bool) -> None:
    """Serve the current release with gunicorn (gevent workers; see voiceref/server.py).

    The server switches to each new release by itself, with no restart.
    """
    from . import server

    settings = _settings(HOST=host, PORT=port, WORKERS=workers)
    if build_first:
        from .release.background import build_in_background

        try:
            build_in_background(Path(settings["INDEX_DIR"]), [])
        except VoicerefError as error:
            _fail(error)
            return
    click.echo(f"Serving voiceref on http://{settings['HOST']}:{settings['PORT']}/", err=True)
    try:
        server.serve(settings)
    except VoicerefError as error:
        _fail(error)


@main.group()
def export() -> None:
    """Export the built site to read elsewhere."""


@export.command("epub")
@click.option("--section", type=click.Choice(list(SECTIONS)), help="One section only (default: the whole site).")
@click.option(
    "--voice", type=click.Choice(VOICES), default=DEFAULT_VOICE, show_default=True, help="The voice that reads it."
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The file to write.")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Where releases are.")
@click.option("--public-url", help="Where the site is served; links to pages not in the book go there.")
def export_epub(
    section: str | None, voice: str, out: Path | None, index_dir: Path | None, public_url: str | None
) -> None:
    """Write the current release, or one section of it, as an EPUB 3 talking book.

    Nothing is synthesised: the book holds the audio the release has (voiceref build makes it).
    """
    from .export import book_filename, export_book

    settings = _settings(INDEX_DIR=index_dir, PUBLIC_URL=public_url)
    target = out or Path(book_filename(section, voice))
    started = time.perf_counter()
    try:
        report = export_book(settings, target, section=section, voice=voice)
    except VoicerefError as error:
        _fail(error)
        return
    click.echo(
        f"Wrote {report.path}: {report.articles} articles, {report.sentences:,} sentences, "
        f"{report.duration / 3_600_000:.1f} h of audio, {report.size_label}, in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
