"""Audio building blocks: WAV in, silence trimmed, sentences joined, MP3 out, WebVTT cues.

Everything here is pure Python on 16-bit mono PCM (what espeak-ng produces), plus
lameenc for MP3. `mp3_duration` reads MP3 frame headers, so a build can check the file it
wrote without a decoder.
"""

from __future__ import annotations

import re
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

import lameenc

SAMPLE_RATE = 22050  # what espeak-ng synthesises
BIT_RATE = 40  # kb/s: plenty for a single voice at 22.05 kHz (MPEG-2 layer III)
MP3_QUALITY = 5  # lame's 0 (best, slow) … 9 (fastest); 5 is its usual speed/quality balance
# LAME delays the signal by 576 + 529 samples; a decoder without a LAME tag plays them
# first, so cue times are moved by the same amount to stay on the words.
ENCODER_DELAY = 1105 / SAMPLE_RATE
SILENCE_THRESHOLD = 300  # of 32767: below this a sample counts as silence
EDGE_MARGIN = 0.02  # seconds of quiet kept either side of a trimmed sentence


class AudioFormatError(ValueError):
    """A file is not the audio it should be."""


@dataclass(frozen=True)
class Cue:
    """One WebVTT cue: a sentence (or a chapter) and when it is heard."""

    start: float
    end: float
    text: str
    identifier: str = ""


def read_wav(path: Path) -> array:
    """Return the samples of a 16-bit mono WAV file; raise AudioFormatError if it is not one."""
    try:
        with wave.open(str(path), "rb") as wav:
            if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
                raise AudioFormatError(
                    f"{path}: expected 16-bit mono, got {wav.getnchannels()} channels"
                )
            if wav.getframerate() != SAMPLE_RATE:
                raise AudioFormatError(
                    f"{path}: expected {SAMPLE_RATE} Hz, got {wav.getframerate()}"
                )
            frames = wav.readframes(wav.getnframes())
    except (EOFError, wave.Error) as exc:
        raise AudioFormatError(f"{path}: not a complete WAV file ({exc})") from exc
    if len(frames) % 2:
        raise AudioFormatError(f"{path}: truncated sample data")
    samples = array("h")
    samples.frombytes(frames)
    return samples


def wav_is_complete(path: Path) -> bool:
    """Return True if `path` is a WAV file whose header matches the data written so far."""
    try:
        size = path.stat().st_size
        with wave.open(str(path), "rb") as wav:
            expected = wav.getnframes() * wav.getsampwidth() * wav.getnchannels()
    except (OSError, EOFError, wave.Error):
        return False
    return expected > 0 and size >= 44 + expected


def _loud(chunk: array) -> bool:
    return bool(chunk) and (max(chunk) > SILENCE_THRESHOLD or -min(chunk) > SILENCE_THRESHOLD)


def trim_bounds(samples: array, step: int = 64) -> tuple[int, int]:
    """Return where `samples` start and stop being silent, keeping a short margin."""
    first = next((i for i in range(0, len(samples), step) if _loud(samples[i : i + step])), None)
    if first is None:
        return 0, 0
    last = next(i for i in range(len(samples), 0, -step) if _loud(samples[max(i - step, 0) : i]))
    margin = int(EDGE_MARGIN * SAMPLE_RATE)
    return max(first - margin, 0), min(last + margin, len(samples))


def trim_silence(samples: array, step: int = 64) -> array:
    """Return `samples` without the silence at either end, keeping a short margin."""
    low, high = trim_bounds(samples, step)
    return samples[low:high]


def silence(seconds: float) -> array:
    """Return `seconds` of silence."""
    return array("h", bytes(2 * round(seconds * SAMPLE_RATE)))


def seconds(samples: array | int) -> float:
    """Return the length in seconds of `samples` (or of that many samples)."""
    count = samples if isinstance(samples, int) else len(samples)
    return count / SAMPLE_RATE


def encode_mp3(samples: array, bit_rate: int = BIT_RATE, quality: int = MP3_QUALITY) -> bytes:
    """Encode mono PCM at SAMPLE_RATE as a constant-bit-rate MP3."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bit_rate)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(quality)
    return bytes(encoder.encode(samples.tobytes())) + bytes(encoder.flush())


# Bit rates (kb/s) of MPEG layer III by version; index 0 is "free", 15 is invalid.
_BITRATES = {
    "1": (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    "2": (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {
    "1": (44100, 48000, 32000),
    "2": (22050, 24000, 16000),
    "2.5": (11025, 12000, 8000),
}
_VERSIONS = {3: "1", 2: "2", 0: "2.5"}


def mp3_duration(data: bytes) -> tuple[float, int]:
    """Return (seconds, frames) of an MPEG layer III stream by walking its frame headers.

    Raises AudioFormatError if the data is not a clean sequence of layer III frames.
    """
    pos, frames, total = 0, 0, 0.0
    if data[:3] == b"ID3" and len(data) >= 10:
        pos = 10 + ((data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9])
    while pos + 4 <= len(data):
        b1, b2 = data[pos + 1], data[pos + 2]
        if data[pos] != 0xFF or (b1 & 0xE0) != 0xE0:
            raise AudioFormatError(f"no MP3 frame sync at byte {pos}")
        version = _VERSIONS.get((b1 >> 3) & 3)
        if version is None or ((b1 >> 1) & 3) != 1:
            raise AudioFormatError(f"frame at byte {pos} is not MPEG layer III")
        table = _BITRATES["1" if version == "1" else "2"]
        bitrate_index, rate_index = b2 >> 4, (b2 >> 2) & 3
        if bitrate_index in (0, 15) or rate_index == 3:
            raise AudioFormatError(f"frame at byte {pos} has a bad header")
        rate = _SAMPLE_RATES[version][rate_index]
        per_frame = 1152 if version == "1" else 576
        padding = (b2 >> 1) & 1
        length = (per_frame // 8) * table[bitrate_index] * 1000 // rate + padding
        frames += 1
        total += per_frame / rate
        pos += length
    if frames == 0:
        raise AudioFormatError("no complete MP3 frames")
    if pos != len(data):
        raise AudioFormatError(
            f"the last frame is cut short ({len(data)} bytes, frames end at {pos})"
        )
    return total, frames


def timestamp(value: float) -> str:
    """Format seconds as a WebVTT timestamp, 00:01:02.345."""
    millis = max(0, round(value * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def webvtt(cues: list[Cue]) -> str:
    """Return a WebVTT file with one cue per entry of `cues`."""
    lines = ["WEBVTT", ""]
    for cue in cues:
        if cue.identifier:
            lines.append(cue.identifier)
        lines.append(f"{timestamp(cue.start)} --> {timestamp(cue.end)}")
        lines.append(cue.text.replace("-->", "→").replace("\n", " "))
        lines.append("")
    return "\n".join(lines)


_TIMING = re.compile(r"^(\d{2,}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2,}):(\d{2}):(\d{2})\.(\d{3})")


def parse_webvtt(text: str) -> list[Cue]:
    """Parse the cues of a WebVTT file (identifiers, timings and one text line each)."""
    if not text.startswith("WEBVTT"):
        raise AudioFormatError("a WebVTT file must start with WEBVTT")
    cues = []
    for block in re.split(r"\n\s*\n", text.strip())[1:]:
        lines = block.splitlines()
        identifier = "" if _TIMING.match(lines[0]) else lines.pop(0)
        match = _TIMING.match(lines[0]) if lines else None
        if match is None:
            raise AudioFormatError(f"cue without timings: {block[:40]!r}")
        g = [int(x) for x in match.groups()]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        cues.append(Cue(start, end, " ".join(lines[1:]), identifier))
    return cues
