"""Render one article's speech script into MP3, WebVTT cues, chapters and timings.

This runs inside a worker process (see build.py): sentence by sentence through the
voice's engine, joined with measured pauses, so every sentence's offset in the MP3 is
known exactly, and so is every word's (the engine reports where its words fall; words.py
maps them onto the page's words). The MP3 carries its chapters in ID3 frames. The files
are written under temporary names; the build checks and publishes them.
"""

from __future__ import annotations

import json
import os
from array import array
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpeechError
from .audio import (
    BIT_RATE,
    ENCODER_DELAY,
    SAMPLE_RATE,
    Cue,
    encode_mp3,
    mp3_duration,
    seconds,
    silence,
    webvtt,
)
from .chapters import podcast_chapters, with_chapters
from .engines import VoiceSpec, worker_engine
from .script import SpeechScript
from .words import map_to_page

TAIL = 0.5  # seconds of quiet after the last sentence
# Bump when the rendering shared by both voices changes (MP3, cues, chapters, words.py), so every
# cached file is remade; a change to one engine's word timings bumps that engine's WORD_TIMING.
FORMAT = 4  # 4: word starts after a phoneme's tail and a stop's closure


@dataclass(frozen=True)
class AudioJob:
    """One article to render, with everything a worker needs (it is pickled)."""

    script: SpeechScript
    cache_key: str
    folder: Path  # where the article's files go
    workdir: Path  # scratch space for sentence WAVs
    spec: VoiceSpec  # the voice that reads it
    source: str = ""  # the content file, for error messages

    @property
    def name(self) -> str:
        where = f" ({self.source})" if self.source else ""
        return f"/{self.script.section}/{self.script.slug}{where}"

    def temp(self, suffix: str) -> Path:
        return self.folder / f".tmp-{self.cache_key[:20]}-{os.getpid()}{suffix}"


@dataclass(frozen=True)
class Rendered:
    """What a worker made for one article: temporary files and what they should contain."""

    cache_key: str
    files: dict[str, Path]  # kind (see catalog.KINDS) to temporary file
    duration: float  # of the MP3, from its frame headers
    speech: float  # seconds of PCM before encoding
    size: int
    sentences: int


def _chapter_cues(script: SpeechScript, starts: list[float], total: float) -> list[dict]:
    chapters = []
    for number, chapter in enumerate(script.chapters):
        start = starts[chapter.sentence]
        following = (
            script.chapters[number + 1].sentence if number + 1 < len(script.chapters) else None
        )
        end = starts[following] if following is not None else total
        start = 0.0 if number == 0 else start
        chapters.append(
            {"title": chapter.title, "block": chapter.block, "start": start, "end": end}
        )
    return chapters


def _word_times(words: list[tuple[int, int, int, int]], start: float) -> list[dict]:
    """Return page words' timings in seconds of the MP3, from samples into their sentence."""
    return [
        {"start": round(start + a / SAMPLE_RATE, 3), "end": round(start + b / SAMPLE_RATE, 3), "from": i, "to": j}
        for a, b, i, j in words
    ]


def render_article(job: AudioJob) -> Rendered:
    """Synthesise `job`'s script and write its files under temporary names."""
    script = job.script
    spec = job.spec
    try:
        engine = worker_engine(spec, job.workdir)
        pcm = array("h")
        sentences, starts = [], []
        for number, sentence in enumerate(script.sentences):
            utterance = engine.synthesize(sentence.text)
            start = seconds(pcm) + ENCODER_DELAY
            pcm.extend(utterance.samples)
            end = seconds(pcm) + ENCODER_DELAY
            starts.append(round(start, 3))
            words = map_to_page(sentence.words, sentence.text, utterance.words)
            sentences.append(
                {
                    "start": round(start, 3),
                    "end": round(end, 3),
                    "block": sentence.block,
                    "from": sentence.start,
                    "to": sentence.end,
                    "kind": sentence.kind,
                    "text": sentence.source or sentence.text,
                    "spoken": sentence.text,
                    "words": _word_times(words, start),
                }
            )
            pcm.extend(silence(TAIL if number == len(script.sentences) - 1 else sentence.pause))
        encoded = encode_mp3(pcm)
        duration, _ = mp3_duration(encoded)
    except SpeechError as exc:
        raise SpeechError(f"Could not make the audio for {job.name}: {exc}") from exc
    chapters = _chapter_cues(script, starts, duration)
    mp3 = with_chapters(encoded, script.title, chapters)
    cues = [Cue(s["start"], s["end"], s["text"], f"s{n}") for n, s in enumerate(sentences)]
    chapter_cues = [Cue(c["start"], c["end"], c["title"], f"c{n}") for n, c in enumerate(chapters)]
    timings = {
        "format": FORMAT,
        "section": script.section,
        "slug": script.slug,
        "title": script.title,
        "cache_key": job.cache_key,
        "duration": round(duration, 3),
        "size": len(mp3),
        "sample_rate": SAMPLE_RATE,
        "bit_rate": BIT_RATE,
        "voice": spec.name,
        "engine": spec.version,
        "word_timing": spec.timing,
        "rate": spec.rate,
        "sentences": sentences,
        "chapters": chapters,
    }
    job.folder.mkdir(parents=True, exist_ok=True)
    files = {
        "mp3": job.temp(".mp3"),
        "vtt": job.temp(".vtt"),
        "chapters": job.temp(".chapters.vtt"),
        "podcast_chapters": job.temp(".chapters.json"),
        "timings": job.temp(".json"),
    }
    files["mp3"].write_bytes(mp3)
    files["vtt"].write_text(webvtt(cues), encoding="utf-8")
    files["chapters"].write_text(webvtt(chapter_cues), encoding="utf-8")
    document = podcast_chapters(script.title, chapters)
    files["podcast_chapters"].write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    files["timings"].write_text(json.dumps(timings, ensure_ascii=False), encoding="utf-8")
    return Rendered(job.cache_key, files, duration, seconds(pcm), len(mp3), len(sentences))
