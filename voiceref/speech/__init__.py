"""Speech: the script a voice reads, the lexicon it reads with, synthesis and the built audio."""

from .build import AudioBuildReport, build_audio, cache_key
from .lexicon import Lexicon, load_lexicon
from .script import Chapter, Sentence, SpeechScript, speech_script
from .service import AudioInfo, AudioLibrary, AudioService, UnavailableAudio
from .synth import check_engine

__all__ = [
    "AudioBuildReport",
    "AudioInfo",
    "AudioLibrary",
    "AudioService",
    "Chapter",
    "Lexicon",
    "Sentence",
    "SpeechScript",
    "UnavailableAudio",
    "build_audio",
    "cache_key",
    "check_engine",
    "load_lexicon",
    "speech_script",
]
