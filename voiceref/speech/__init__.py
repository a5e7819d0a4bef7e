"""Speech: the script a voice reads, the lexicon it reads with, synthesis and the built audio."""

from .build import AudioBuildReport, build_audio, cache_key, plan_audio, render_audio
from .lexicon import Lexicon, load_lexicon
from .script import Chapter, Sentence, SpeechScript, speech_script
from .service import AudioInfo
from .synth import check_engine

__all__ = [
    "AudioBuildReport",
    "AudioInfo",
    "Chapter",
    "Lexicon",
    "Sentence",
    "SpeechScript",
    "build_audio",
    "plan_audio",
    "render_audio",
    "cache_key",
    "check_engine",
    "load_lexicon",
    "speech_script",
]
