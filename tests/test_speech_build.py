"""The audio build with the real pyttsx3 + espeak-ng: files, timings, cache, errors."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import miniaudio
import pytest
from click.testing import CliRunner

from voiceref import create_app
from voiceref.cli import main
from voiceref.content import load_site
from voiceref.errors import SpeechError
from voiceref.release.service import ReleaseService
from voiceref.speech import build as build_module
from voiceref.speech import build_audio, load_lexicon, speech_script
from voiceref.speech import synth as synth_module
from voiceref.speech.audio import SAMPLE_RATE, parse_webvtt
from voiceref.speech.build import prune_store
from voiceref.speech.catalog import KINDS, store_files
from voiceref.speech.engines import VoiceSpec, voice_spec

FIXTURES = Path(__file__).parent / "fixtures" / "content"
SHORT = ["clonazepam", "mri", "restless-legs-syndrome", "spasticity"]  # a few short articles


def short_articles(site):
    return [a for a in site.articles if a.slug in SHORT]


def clear(**changes) -> VoiceSpec:
    """The clear voice (pyttsx3 + espeak-ng) as the build would start it."""
    spec = voice_spec("clear", {})
    return VoiceSpec(**{**spec.__dict__, **changes})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture corpus's short articles, synthesised once for this module."""
    audio_dir = tmp_path_factory.mktemp("audio")
    site = load_site(FIXTURES)
    lexicon = load_lexicon(FIXTURES / "lexicon.yaml")
    report = build_audio(short_articles(site), audio_dir, lexicon, clear(), jobs=2)
    assert report.ok, report.failed
    return audio_dir, site, lexicon, report


def rms(samples, start: float, end: float) -> float:
    chunk = samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
    return math.sqrt(sum(s * s for s in chunk) / max(len(chunk), 1))


@pytest.mark.speech
def test_every_article_gets_mp3_cues_chapters_and_timings_that_agree(built):
    audio_dir, site, lexicon, report = built
    assert sorted(report.built) == sorted(f"/glossary/{slug}" for slug in SHORT)
    for article in short_articles(site):
        entry = report.entries[f"glossary/{article.slug}"]
        files = store_files(audio_dir, entry.key)
        assert {name: path.stat().st_size for name, path in files.items()} == entry.sizes
        data = files["mp3"].read_bytes()
        decoded = miniaudio.decode(data, nchannels=1, sample_rate=SAMPLE_RATE)
        duration = decoded.num_frames / SAMPLE_RATE
        assert duration == pytest.approx(entry.duration, abs=0.001)
        assert len(data) == entry.size and 32_000 <= len(data) * 8 / duration <= 48_000
        script = speech_script(article, lexicon)
        cues = parse_webvtt(files["vtt"].read_text(encoding="utf-8"))
        assert [c.identifier for c in cues] == [f"s{i}" for i in range(len(script.sentences))]
        assert [c.text for c in cues] == [s.source for s in script.sentences]
        assert all(a.end <= b.start for a, b in zip(cues, cues[1:], strict=False))
        assert cues[-1].end <= duration
        samples = decoded.samples
        for cue in cues:  # the words are where the cues say, the pauses between are quiet
            assert rms(samples, cue.start + 0.05, cue.end - 0.05) > 500, cue
        for a, b in zip(cues, cues[1:], strict=False):
            assert rms(samples, a.end + 0.04, b.start - 0.04) < 150, (a, b)
        chapters = parse_webvtt(files["chapters"].read_text(encoding="utf-8"))
        assert [c.text for c in chapters] == [c.title for c in script.chapters]
        assert chapters[0].start == 0 and chapters[-1].end == pytest.approx(duration, abs=0.001)
        timings = json.loads(files["timings"].read_text(encoding="utf-8"))
        assert [s["block"] for s in timings["sentences"]] == [s.block for s in script.sentences]


@pytest.mark.speech
def test_the_audio_lasts_about_as_long_as_the_words_take_at_the_rate(built):
    audio_dir, site, lexicon, report = built
    for article in short_articles(site):
        words = speech_script(article, lexicon).words
        seconds = report.entries[f"glossary/{article.slug}"].duration
        assert 0.5 < seconds / (words * 60 / 175) < 2.5, article.slug


@pytest.mark.speech
def test_cache_skips_unchanged_and_rebuilds_changed(content_dir, tmp_path):
    audio_dir = tmp_path / "audio"
    lexicon = load_lexicon(content_dir / "lexicon.yaml")
    articles = [a for a in short_articles(load_site(content_dir)) if a.slug in ("mri", "spasticity")]
    first = build_audio(articles, audio_dir, lexicon, clear(), jobs=1)
    assert len(first.built) == 2
    stamps = {p: p.stat().st_mtime_ns for p in audio_dir.rglob("*.mp3")}
    def no_scripts(*args):
        raise AssertionError("an unchanged article's script should not be made again")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "speech_script", no_scripts)
        again = build_audio(articles, audio_dir, lexicon, clear(), jobs=1, previous=first.entries)
    assert again.built == [] and len(again.reused) == 2
    assert {p: p.stat().st_mtime_ns for p in audio_dir.rglob("*.mp3")} == stamps
    source = content_dir / "glossary" / "mri.md"
    source.write_text(source.read_text().replace("takes detailed pictures", "takes detailed pictures of the brain"))
    changed = [a for a in short_articles(load_site(content_dir)) if a.slug in ("mri", "spasticity")]
    third = build_audio(changed, audio_dir, lexicon, clear(), jobs=1, previous=again.entries)
    assert third.built == ["/glossary/mri"] and third.reused == ["/glossary/spasticity"]
    assert len(list(audio_dir.rglob("*.mp3"))) == 3  # the store keeps the old rendering until pruned
    assert prune_store(audio_dir, {e.key for e in third.entries.values()}) == len(KINDS)  # its files
    kept = sorted(store_files(audio_dir, e.key)["mp3"] for e in third.entries.values())
    assert sorted(audio_dir.rglob("*.mp3")) == kept
    assert not list(audio_dir.rglob(".tmp-*")) and not list(audio_dir.glob(".work-*"))


@pytest.mark.speech
def test_a_new_lexicon_entry_rebuilds_only_the_articles_that_use_the_word(built, tmp_path):
    audio_dir, site, lexicon, _ = built
    copy = tmp_path / "audio"
    shutil.copytree(audio_dir, copy)
    changed = type(lexicon)(lexicon.abbreviations, lexicon.pronunciations | {"spasticity": "spa STISS it ee"})
    report = build_audio(short_articles(site), copy, changed, clear(), jobs=2)
    users = sorted(f"/glossary/{a.slug}" for a in short_articles(site) if "spasticity" in (a.title + a.text).lower())
    assert sorted(report.built) == users and len(report.reused) == len(SHORT) - len(users)


@pytest.mark.speech
def test_a_failure_names_the_article_and_publishes_nothing_for_it(tmp_path):
    site = load_site(FIXTURES)
    article = next(a for a in site.articles if a.slug == "mri")
    lexicon = load_lexicon(FIXTURES / "lexicon.yaml")
    report = build_audio([article], tmp_path / "audio", lexicon, clear(model="no-such-voice"))
    assert not report.ok
    assert "/glossary/mri" in report.failed[0] and "mri.md" in report.failed[0]
    assert "Unknown voice 'no-such-voice'" in report.failed[0]
    assert report.entries == {} and not list((tmp_path / "audio").rglob("*.mp3"))


def test_a_missing_engine_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(synth_module, "ESPEAK_LIBRARY", "espeak-ng-not-installed")
    with pytest.raises(SpeechError, match="apt-get install espeak-ng libespeak-ng1"):
        clear()


def test_build_without_an_engine_exits_non_zero_but_the_pages_still_serve(monkeypatch, content_dir, tmp_path):
    monkeypatch.setattr(synth_module, "ESPEAK_LIBRARY", "espeak-ng-not-installed")
    index, audio_dir = tmp_path / "index", tmp_path / "audio"
    args = ["build", "--content", str(content_dir), "--index", str(index), "--audio", str(audio_dir)]
    result = CliRunner().invoke(main, [*args, "--voice", "clear"])
    assert result.exit_code == 1
    assert "sudo apt-get install espeak-ng libespeak-ng1" in result.output
    app = create_app({"TESTING": True, "INDEX_DIR": index})
    client = app.test_client()
    page = client.get("/glossary/myoclonus")
    assert page.status_code == 200 and "The spoken version is not ready yet." in page.get_data(as_text=True)
    assert client.get("/search?q=myoclonus").status_code == 200


@pytest.mark.speech
def test_cli_builds_index_and_audio_for_the_fixture_corpus(content_dir, tmp_path):
    index, audio_dir = tmp_path / "index", tmp_path / "audio"
    args = ["build", "--content", str(content_dir), "--index", str(index), "--audio", str(audio_dir), "--jobs", "2"]
    result = CliRunner().invoke(main, [*args, "--voice", "clear"])
    assert result.exit_code == 0, result.output
    assert "Audio (clear): 10 made" in result.output
    assert len(ReleaseService(index).get().catalog["clear"]) == 10
    again = CliRunner().invoke(main, [*args, "--voice", "clear", "--jobs", "1"])
    assert "Audio (clear): 0 made" in again.output and "10 unchanged" in again.output
    skipped = CliRunner().invoke(main, [*args, "--voice", "clear", "--no-audio"])
    assert skipped.exit_code == 0 and "Audio (clear): 0 made (0.0 min of speech), 10 unchanged" in skipped.output


def test_verify_refuses_a_rendering_whose_files_disagree(tmp_path):
    from array import array

    from voiceref.speech.audio import Cue, encode_mp3, mp3_duration, webvtt
    from voiceref.speech.build import verify
    from voiceref.speech.chapters import podcast_chapters, with_chapters
    from voiceref.speech.render import Rendered

    pcm = array("h", [1000, -1000] * (SAMPLE_RATE // 2))  # one second of sound
    chapters = [{"title": "Introduction", "block": "article-title", "start": 0.0, "end": 1.0}]
    plain = encode_mp3(pcm)
    mp3 = with_chapters(plain, "X", chapters)
    files = {kind: tmp_path / f"x.{kind}" for kind in ("mp3", "vtt", "chapters", "podcast_chapters", "timings")}
    files["mp3"].write_bytes(mp3)
    cues = [Cue(0.05, 0.5, "One.", "s0"), Cue(0.6, 1.0, "Two.", "s1")]
    files["vtt"].write_text(webvtt(cues))
    files["chapters"].write_text(webvtt([Cue(0, 1.0, "Introduction", "c0")]))
    files["podcast_chapters"].write_text(json.dumps(podcast_chapters("X", chapters)))
    words = [{"start": 0.05, "end": 0.3, "from": 0, "to": 3}, {"start": 0.3, "end": 0.5, "from": 4, "to": 8}]
    files["timings"].write_text(json.dumps({"sentences": [{"words": words}, {}]}))
    duration = mp3_duration(mp3)[0]
    verify(Rendered("k", files, duration, 1.0, len(mp3), 2), "/glossary/x")
    with pytest.raises(SpeechError, match="2 cues for 3 sentences"):
        verify(Rendered("k", files, duration, 1.0, len(mp3), 3), "/glossary/x")
    files["timings"].write_text(json.dumps({"sentences": [{"words": words[::-1]}, {}]}))
    with pytest.raises(SpeechError, match="word timings are out of order"):
        verify(Rendered("k", files, duration, 1.0, len(mp3), 2), "/glossary/x")
    files["timings"].write_text(json.dumps({"sentences": [{"words": words}, {}]}))
    files["podcast_chapters"].write_text(json.dumps(podcast_chapters("X", chapters * 2)))
    with pytest.raises(SpeechError, match="1 ID3 chapters and 2 listed for 1 chapter cues"):
        verify(Rendered("k", files, duration, 1.0, len(mp3), 2), "/glossary/x")
    files["podcast_chapters"].write_text(json.dumps(podcast_chapters("X", chapters)))
    files["mp3"].write_bytes(plain)
    with pytest.raises(SpeechError, match="failed its checks: .*ID3"):
        verify(Rendered("k", files, mp3_duration(plain)[0], 1.0, len(plain), 2), "/glossary/x")
    files["mp3"].write_bytes(mp3[:-50])
    with pytest.raises(SpeechError, match="/glossary/x failed its checks: the last frame is cut short"):
        verify(Rendered("k", files, duration, 1.0, len(mp3), 2), "/glossary/x")
