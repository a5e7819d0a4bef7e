"""The speech-engine interface: a voice turns one sentence into samples and word timings.

Two real engines stand behind it. "natural" is Piper (PyPI `piper-tts`) with a voice model
from an installed package or any configured `.onnx` + `.onnx.json` pair; "clear" is
pyttsx3 driving espeak-ng, predictable at high speed. The build picks a voice by name,
checks it is installed in the parent process (`voice_spec`), and hands the resulting
`VoiceSpec` to worker processes, each of which starts its engine once (`worker_engine`).
"""

from __future__ import annotations

import logging
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import SpeechError
from .lexicon import Lexicon

log = logging.getLogger(__name__)

NATURAL, CLEAR = "natural", "clear"
VOICES = (NATURAL, CLEAR)  # every article is published in each; the first is the default
DEFAULT_VOICE = NATURAL
LABELS = {NATURAL: "Natural voice", CLEAR: "Clear voice"}


@dataclass(frozen=True)
class WordTiming:
    """One word of the text an engine was given, and where it is heard in its samples."""

    start: int  # first sample
    end: int  # sample after the last
    first: int  # character offsets of the word in the synthesised text
    last: int


@dataclass(frozen=True)
class Utterance:
    """One sentence spoken: 16-bit mono samples, silence trimmed, and its words' timings."""

    samples: array
    words: tuple[WordTiming, ...]


class SpeechEngine(Protocol):
    """A started voice in a worker process."""

    name: str
    version: str
    sample_rate: int

    def synthesize(self, text: str) -> Utterance:
        """Return `text` spoken, with a timing for each of its words."""
        ...


@dataclass(frozen=True)
class VoiceSpec:
    """Everything a worker needs to start a voice (it is pickled), and its identity."""

    name: str  # natural or clear
    version: str  # engine and model: part of the audio cache key
    rate: int  # words a minute (natural: relative to 175, its own pace)
    model: str = ""  # natural: the .onnx file; clear: the espeak-ng voice ("" = default)
    config: str = ""  # natural: the .onnx.json file
    memory_mb: int = 150  # resident size of one worker, to bound how many run at once
    accepts_phonemes: bool = False  # takes [[phonemes]] in its text (Piper does)
    # The version of this engine's own word timings (synth.WORD_TIMING, piper_engine.WORD_TIMING):
    # part of the cache key, so a change to one voice's timings remakes that voice's audio only.
    timing: int = 1


def expected_seconds(text: str, rate: int) -> float:
    """Return roughly how long `text` takes to say at `rate` words a minute."""
    return len(text.split()) * 60.0 / rate


def plausible(duration: float, text: str, rate: int) -> bool:
    """Return True if `duration` is a believable length for saying `text` at `rate`."""
    expected = expected_seconds(text, rate)
    return 0.25 * expected - 0.3 <= duration <= 3.0 * expected + 1.5


def voice_spec(name: str, settings: dict | None = None) -> VoiceSpec:
    """Return the spec of voice `name` from settings; raise SpeechError saying what to install."""
    settings = settings or {}
    rate = int(settings.get("SPEECH_RATE", 175))
    if name == NATURAL:
        from .piper_engine import natural_spec

        return natural_spec(str(settings.get("NATURAL_MODEL", "") or ""), rate)
    if name == CLEAR:
        from .synth import WORD_TIMING, check_engine

        info = check_engine()
        return VoiceSpec(CLEAR, info.version, rate, model=str(settings.get("VOICE", "") or ""),
                         timing=WORD_TIMING)
    raise SpeechError(f"Unknown voice {name!r}: choose one of {', '.join(VOICES)}")


def lexicon_for(spec: VoiceSpec, lexicon: Lexicon) -> Lexicon:
    """Return `lexicon` in the form the voice reads: respellings, or [[phonemes]] for Piper."""
    if not spec.accepts_phonemes:
        return lexicon
    from .piper_engine import natural_lexicon

    return natural_lexicon(spec, lexicon)


_started: dict[str, tuple[VoiceSpec, SpeechEngine]] = {}  # per voice, in one worker process


def worker_engine(spec: VoiceSpec, workdir: Path) -> SpeechEngine:
    """Return this worker process's engine for `spec`, starting it on first use."""
    if spec.name not in _started:
        if spec.name == NATURAL:
            from .piper_engine import NaturalEngine

            engine: SpeechEngine = NaturalEngine(spec)
        else:
            from .synth import ClearEngine

            engine = ClearEngine(spec, workdir)
        _started[spec.name] = (spec, engine)
        log.debug("started the %s voice (%s)", spec.name, spec.version)
    started, engine = _started[spec.name]
    if started != spec:
        raise SpeechError("a speech worker cannot change its voice or rate: start a new build")
    if hasattr(engine, "workdir"):
        engine.workdir = workdir
    return engine
