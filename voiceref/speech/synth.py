"""The clear voice: pyttsx3 + espeak-ng, wrapped so that every file it writes is complete and checked.

pyttsx3 2.99's espeak driver has known quirks (see nateshmbhat/pyttsx3 #170, #219, #283
and #348): synthesis runs on espeak's own thread and `runAndWait()` can return before
`save_to_file` has written the file; espeak can be initialised only once per process; the
driver prints "Audio saved to …" on stdout; several queued `save_to_file` calls can end
up in one file; its callback holds only a weak reference to the engine; and runAndWait()
starts by cancelling anything espeak still reports as playing, which now and then is the
utterance it is about to make. So a
`ClearEngine` lives in its own worker process, keeps a strong reference to the engine,
queues one sentence at a time, waits for the WAV to be complete, checks its length
against the text, and retries before giving up with an error that names the article.

Word timings come from espeak-ng's own word events: the driver's synthesis callback is
wrapped so that each event's text position and sample are kept (pyttsx3's "started-word"
notification passes on the position in the text but not in the audio). The event's
`sample` is used rather than its `audio_position`, which is the same count truncated to
whole milliseconds (up to 1 ms early). words.py moves each start to where the word is
first heard (past the previous phoneme's last samples and a stop's silent closure).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.metadata
import importlib.util
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpeechError
from .audio import SAMPLE_RATE, AudioFormatError, read_wav, seconds, trim_bounds, wav_is_complete
from .engines import CLEAR, Utterance, VoiceSpec, plausible
from .words import spoken_words, timings_from_starts

log = logging.getLogger(__name__)

ESPEAK_LIBRARY = "espeak-ng"  # the shared library pyttsx3's espeak driver loads
PYTTSX3_VERSION = "2.99"
INSTALL_ESPEAK = "sudo apt-get install espeak-ng libespeak-ng1"
INSTALL_PYTTSX3 = f".venv/bin/pip install pyttsx3=={PYTTSX3_VERSION}"
RETRIES = 3
# Bump when the word timings this module makes change (espeak-ng's word events to word starts),
# so the clear voice's audio is remade and the natural voice's is not. Shared code bumps render.FORMAT.
WORD_TIMING = 1
WAIT_SECONDS = 5.0  # for a sentence's file to be complete after runAndWait()
STUCK_SECONDS = 30.0  # for runAndWait() itself, before the driver's loop is ended


@dataclass(frozen=True)
class EngineInfo:
    """Which synthesiser is installed: part of the audio cache key."""

    pyttsx3: str
    espeak: str

    @property
    def version(self) -> str:
        return f"pyttsx3 {self.pyttsx3}; espeak-ng {self.espeak}"


def check_engine() -> EngineInfo:
    """Return the installed engine's versions; raise SpeechError saying what to install."""
    if importlib.util.find_spec("pyttsx3") is None:
        raise SpeechError(
            f"Speech is not available: pyttsx3 is not installed. Install it with: {INSTALL_PYTTSX3}"
        )
    library = ctypes.util.find_library(ESPEAK_LIBRARY)
    if library is None:
        raise SpeechError(
            f"Speech is not available: the espeak-ng library (lib{ESPEAK_LIBRARY}) "
            f"is not installed. Install it with: {INSTALL_ESPEAK}"
        )
    try:
        dll = ctypes.CDLL(library)
        dll.espeak_Info.restype = ctypes.c_char_p
        dll.espeak_Info.argtypes = [ctypes.c_void_p]
        espeak = (dll.espeak_Info(None) or b"unknown").decode()
    except (OSError, AttributeError) as exc:
        raise SpeechError(
            f"Speech is not available: cannot load {library} ({exc}). "
            f"Reinstall it with: {INSTALL_ESPEAK}"
        ) from exc
    return EngineInfo(pyttsx3=importlib.metadata.version("pyttsx3"), espeak=espeak.split()[0])


class _StdoutToLog:
    """Stands in for sys.stdout in a worker: the driver's prints become debug log lines."""

    def write(self, text: str) -> int:
        if text.strip():
            log.debug("pyttsx3: %s", text.strip())
        return len(text)

    def flush(self) -> None:
        pass


class ClearEngine:
    """One process's pyttsx3 engine: synthesises a sentence at a time into checked PCM."""

    name = CLEAR
    sample_rate = SAMPLE_RATE

    def __init__(self, spec: VoiceSpec, workdir: Path):
        try:
            import pyttsx3
        except ImportError as exc:
            raise SpeechError(
                f"Speech is not available: pyttsx3 is not installed ({exc}). "
                f"Install it with: {INSTALL_PYTTSX3}"
            ) from exc
        sys.stdout = _StdoutToLog()  # the driver prints a line for every file it saves
        try:
            self._engine = pyttsx3.init("espeak")  # a strong reference: the driver holds a weak one
        except (RuntimeError, OSError) as exc:
            raise SpeechError(
                f"Speech is not available: espeak-ng did not start ({exc}). "
                f"Install it with: {INSTALL_ESPEAK}"
            ) from exc
        voice = spec.model
        if voice:
            known = {v.id for v in self._engine.getProperty("voices")} | {
                v.name for v in self._engine.getProperty("voices")
            }
            if voice not in known:
                raise SpeechError(
                    f"Unknown voice {voice!r}: list the voices with `espeak-ng --voices`, "
                    "then set VOICEREF_VOICE"
                )
            self._engine.setProperty("voice", voice)
        self._engine.setProperty("rate", spec.rate)
        self._engine.connect("finished-utterance", self._on_finished)
        from pyttsx3.drivers import _espeak  # the driver's own binding of libespeak-ng

        self._espeak = _espeak
        self._is_playing = _espeak.IsPlaying
        self._driver_callback = self._engine.proxy._driver._onSynth
        _espeak.SetSynthCallback(self._on_synth)  # the binding keeps a reference to it
        self._events: list[tuple[int, int]] = []  # (character, sample) of each word
        self._cancelled = False
        self.version = spec.version
        self.rate = spec.rate
        self.workdir = workdir
        self._count = 0
        self._failure: BaseException | None = None  # why the driver could not save the last WAV

    def _on_synth(self, wav, numsamples, events) -> int:
        """Keep the word events' positions, then let the driver collect the audio."""
        index = 0
        while events[index].type != self._espeak.EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == self._espeak.EVENT_WORD:
                self._events.append((event.text_position - 1, event.sample))
            index += 1
        try:
            return self._driver_callback(wav, numsamples, events)
        except RuntimeError as exc:
            # The driver could not save the WAV (a full disk): it raised here, on espeak's
            # thread, before ending its loop. End it now and keep why, so that a full disk stops
            # the build at once (the watchdog would end the loop after 30 s and retry in vain).
            self._failure = exc.__context__ if isinstance(exc.__context__, OSError) else exc
            driver = self._engine.proxy._driver
            driver._data_buffer, driver._speaking = b"", False
            self._engine.proxy.setBusy(False)
            driver.endLoop()
            return 0

    def _attempt(self, text: str) -> Path:
        self._count += 1
        self.workdir.mkdir(parents=True, exist_ok=True)
        path = self.workdir / f"sentence-{os.getpid()}-{self._count}.wav"
        self._wait_until_idle()
        self._cancelled = False
        self._events = []
        self._failure = None
        self._engine.save_to_file(text, str(path))
        # If the driver never hears that the utterance ended (its callback failed), its loop
        # would wait for ever: a timer ends the loop, and the attempt fails and is retried.
        watchdog = threading.Timer(STUCK_SECONDS, self._end_stuck_loop)
        watchdog.start()
        try:
            self._engine.runAndWait()
        finally:
            watchdog.cancel()
        if self._failure is not None:
            path.unlink(missing_ok=True)
            if isinstance(self._failure, OSError):
                raise self._failure  # not retried: a full disk stops the build (see build.py)
            raise SpeechError(f"the WAV file could not be saved: {self._failure}")
        deadline = time.monotonic() + WAIT_SECONDS
        while not wav_is_complete(path):  # runAndWait() may return before the file is written
            if self._cancelled:
                raise SpeechError("the driver cancelled the utterance")
            if time.monotonic() > deadline:
                raise SpeechError(f"no complete audio file after {WAIT_SECONDS:.0f} s")
            time.sleep(0.002)
        return path

    def _end_stuck_loop(self) -> None:
        log.warning("the espeak driver did not finish an utterance in %.0f s; ending its loop", STUCK_SECONDS)
        self._cancelled = True
        self._engine.proxy._driver.endLoop()

    def _on_finished(self, name: str | None = None, completed: bool = True) -> None:
        if not completed:
            self._cancelled = True

    def _wait_until_idle(self) -> None:
        """Wait (briefly) until espeak has wound down the previous utterance.

        runAndWait() begins by "stopping" the driver, which cancels whatever espeak still
        reports as playing: if the last utterance's thread has not quite finished, the new
        utterance is cancelled and no file is written. Waiting for idle avoids that.
        """
        deadline = time.monotonic() + 1.0
        while self._is_playing() and time.monotonic() < deadline:
            time.sleep(0.001)

    def _utterance(self, text: str, path: Path) -> Utterance:
        """Return the trimmed samples in `path` with the words espeak reported for `text`."""
        samples = read_wav(path)
        low, high = trim_bounds(samples)
        spans = spoken_words(text)
        starts: list[int | None] = [None] * len(spans)
        for character, sample in self._events:
            word = next((k for k, (a, b) in enumerate(spans) if a <= character < b), None)
            if word is not None and starts[word] is None:
                starts[word] = min(max(sample - low, 0), high - low)
        return Utterance(samples[low:high], timings_from_starts(spans, starts, samples[low:high]))

    def synthesize(self, text: str) -> Utterance:
        """Return `text` spoken, with its word timings, retrying a missing or odd result."""
        problem = ""
        for attempt in range(1, RETRIES + 1):
            path: Path | None = None
            try:
                path = self._attempt(text)
                utterance = self._utterance(text, path)
                if plausible(seconds(utterance.samples), text, self.rate):
                    return utterance
                problem = f"{seconds(utterance.samples):.2f} s of audio for {len(text.split())} words"
            except (SpeechError, AudioFormatError) as exc:
                problem = str(exc)
            finally:
                if path is not None:
                    path.unlink(missing_ok=True)
            log.warning("retrying %r (attempt %d of %d): %s", text[:80], attempt, RETRIES, problem)
        raise SpeechError(f"could not synthesise {text[:60]!r}: {problem}")
