"""The audio building blocks: trimming, joining, MP3 frames, WebVTT."""

from __future__ import annotations

import math
import wave
from array import array

import miniaudio
import pytest

from voiceref.speech import audio
from voiceref.speech.audio import AudioFormatError, Cue


def tone(seconds: float, amplitude: int = 8000) -> array:
    count = round(seconds * audio.SAMPLE_RATE)
    return array("h", (int(amplitude * math.sin(2 * math.pi * 220 * i / audio.SAMPLE_RATE)) for i in range(count)))


def test_trim_silence_keeps_the_sound_and_a_short_margin():
    samples = audio.silence(0.5) + tone(1.0) + audio.silence(0.7)
    trimmed = audio.trim_silence(samples)
    assert 1.0 <= audio.seconds(trimmed) <= 1.0 + 2 * audio.EDGE_MARGIN + 0.01
    assert audio.trim_silence(audio.silence(1.0)) == array("h")


def test_read_wav_and_completeness(tmp_path):
    path = tmp_path / "a.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(audio.SAMPLE_RATE)
        wav.writeframes(tone(0.2).tobytes())
    assert audio.wav_is_complete(path)
    assert len(audio.read_wav(path)) == round(0.2 * audio.SAMPLE_RATE)
    truncated = tmp_path / "b.wav"
    truncated.write_bytes(path.read_bytes()[:30])
    assert not audio.wav_is_complete(truncated)
    assert not audio.wav_is_complete(tmp_path / "missing.wav")
    with pytest.raises(AudioFormatError):
        audio.read_wav(truncated)


def test_mp3_is_mono_speech_bit_rate_and_its_frames_give_its_duration():
    samples = tone(2.0)
    mp3 = audio.encode_mp3(samples)
    duration, frames = audio.mp3_duration(mp3)
    assert 2.0 <= duration <= 2.0 + 0.15
    assert frames == round(duration * audio.SAMPLE_RATE / 576)
    bits_per_second = len(mp3) * 8 / duration
    assert 32_000 <= bits_per_second <= 48_000
    decoded = miniaudio.decode(mp3, nchannels=1, sample_rate=audio.SAMPLE_RATE)
    assert decoded.nchannels == 1
    assert decoded.num_frames / audio.SAMPLE_RATE == pytest.approx(duration, abs=0.001)


def test_mp3_duration_rejects_garbage_and_truncation():
    mp3 = audio.encode_mp3(tone(0.5))
    with pytest.raises(AudioFormatError):
        audio.mp3_duration(mp3[:-7])
    with pytest.raises(AudioFormatError):
        audio.mp3_duration(b"RIFF" + bytes(100))
    with pytest.raises(AudioFormatError):
        audio.mp3_duration(b"")


def test_encoder_delay_is_what_cue_times_allow_for():
    click = audio.silence(0.5)
    click[audio.SAMPLE_RATE // 4] = 30000
    decoded = miniaudio.decode(audio.encode_mp3(click), nchannels=1, sample_rate=audio.SAMPLE_RATE)
    loudest = max(range(len(decoded.samples)), key=lambda i: abs(decoded.samples[i]))
    heard_at = loudest / audio.SAMPLE_RATE
    assert heard_at - 0.25 == pytest.approx(audio.ENCODER_DELAY, abs=0.002)


def test_webvtt_round_trip():
    cues = [Cue(0.05, 1.5, "First sentence.", "s0"), Cue(2.0, 3725.25, "A --> B", "s1")]
    text = audio.webvtt(cues)
    assert text.startswith("WEBVTT\n\ns0\n00:00:00.050 --> 00:00:01.500\nFirst sentence.\n")
    parsed = audio.parse_webvtt(text)
    assert [c.identifier for c in parsed] == ["s0", "s1"]
    assert parsed[1].end == pytest.approx(3725.25) and parsed[1].text == "A → B"
    with pytest.raises(AudioFormatError):
        audio.parse_webvtt("not a vtt")


def test_timestamp():
    assert audio.timestamp(0) == "00:00:00.000"
    assert audio.timestamp(61.2345) == "00:01:01.234"
    assert audio.timestamp(3600 * 2 + 5) == "02:00:05.000"
