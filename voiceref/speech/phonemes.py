"""The lexicon as phonemes, for a voice that takes [[phonemes]] in its text (Piper).

A respelling such as "ockra LIZZyumab" reaches espeak-ng (the clear voice) as one
hyphenated word, and espeak stresses each group on its own. Piper can be given the
phonemes themselves, so the stress can be exactly where the capitals put it: each group is
turned into phonemes on its own, the group with capitals keeps its primary stress, the
others keep at most a secondary one, and the groups are joined into one word. Where even
that is wrong, the lexicon's `phonemes:` section gives the phonemes outright.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from ..errors import SpeechError
from .lexicon import Lexicon

PRIMARY, SECONDARY = "ˈ", "ˌ"
WEAK = {"a": "ə"}  # alone, espeak says the letter A
_VOWELS = re.compile(r"[aeiouæɑɐɒɔəɚɛɜɝɪʊʌᵻɨʉøœɘɵɤɯy]+")


def syllables(phonemes: str) -> int:
    """Return roughly how many syllables `phonemes` has (runs of vowel symbols)."""
    return len(_VOWELS.findall(phonemes))


def respelling_phonemes(respelling: str, phonemize: Callable[[str], str]) -> str:
    """Return the phonemes of a respelling, stressed on its group with capitals."""
    groups = [g for g in re.split(r"[\s-]+", respelling.strip()) if g]
    capitals = [any(c.isupper() for c in group) for group in groups]
    parts = []
    for group, stressed in zip(groups, capitals, strict=True):
        lower = group.lower()
        if lower in WEAK and not stressed:
            parts.append(WEAK[lower])
            continue
        phonemes = "".join(phonemize(lower).split())
        if any(capitals) and not stressed:
            weaker = SECONDARY if syllables(phonemes) > 1 else ""
            phonemes = phonemes.replace(PRIMARY, weaker).replace(SECONDARY, weaker)
            if not weaker:
                phonemes = phonemes.replace("ʌ", "ə")  # "kuh": an unstressed syllable is a schwa
        parts.append(phonemes)
    return "".join(parts)


def check_phonemes(word: str, phonemes: str, symbols: Collection[str]) -> None:
    """Raise SpeechError if `phonemes` uses a symbol the voice does not know."""
    unknown = sorted({p for p in phonemes if p not in symbols})
    if unknown:
        raise SpeechError(
            f"content/lexicon.yaml: the phonemes of {word!r} use {' '.join(unknown)}, "
            "which the natural voice does not know (see its .onnx.json phoneme_id_map)"
        )


def phoneme_lexicon(lexicon: Lexicon, phonemize: Callable[[str], str], symbols: Collection[str]) -> Lexicon:
    """Return `lexicon` with every pronunciation given as [[phonemes]]."""
    pronunciations = {
        word: f"[[{respelling_phonemes(spoken, phonemize)}]]" for word, spoken in lexicon.pronunciations.items()
    }
    for word, phonemes in lexicon.phonemes.items():
        check_phonemes(word, phonemes, symbols)
        pronunciations[word] = f"[[{phonemes}]]"
    return Lexicon(lexicon.abbreviations, pronunciations, lexicon.phonemes)
