"""The lexicon as phonemes for the natural voice: stress where the capitals put it."""

from __future__ import annotations

from pathlib import Path

import pytest

from voiceref.errors import SpeechError
from voiceref.speech.lexicon import Lexicon
from voiceref.speech.phonemes import phoneme_lexicon, respelling_phonemes, syllables

FAKE = {  # what espeak-ng (en-us) says for each group alone
    "ockra": "ˈɑːkɹə", "lizzyumab": "lˈɪzjuːmˌæb", "my": "mˈaɪ", "clohnus": "klˈoʊnəs", "kuh": "kˈʌ",
    "simpta": "sˈɪmptə", "emantadeen": "ɪmˈæntɐdˌiːn", "rosh": "ɹˈɑːʃ",
}


def fake_phonemize(text: str) -> str:
    return FAKE[text]


def test_the_group_with_capitals_keeps_the_primary_stress():
    assert respelling_phonemes("ockra LIZZyumab", fake_phonemize) == "ˌɑːkɹəlˈɪzjuːmˌæb"
    assert respelling_phonemes("eMANtadeen", fake_phonemize) == "ɪmˈæntɐdˌiːn"


def test_unstressed_syllables_lose_their_stress_and_weak_ones_become_schwa():
    assert respelling_phonemes("my a CLOHnus", fake_phonemize) == "maɪəklˈoʊnəs"
    assert respelling_phonemes("kuh SIMPta", fake_phonemize) == "kəsˈɪmptə"
    assert respelling_phonemes("rosh", fake_phonemize) == "ɹˈɑːʃ"  # no capitals: espeak's own stress
    assert syllables("ˌɑːkɹə") == 2 and syllables("mˈaɪ") == 1


def test_phonemes_given_outright_win_and_are_checked_against_the_voice():
    lexicon = Lexicon({"MS": "M S"}, {"roche": "rosh", "myoclonus": "my a CLOHnus"}, {"roche": "ɹˈoʊʃ"})
    symbols = set("ɹˈoʊʃmaɪəklnsˌ")
    natural = phoneme_lexicon(lexicon, fake_phonemize, symbols)
    assert natural.pronunciations == {"roche": "[[ɹˈoʊʃ]]", "myoclonus": "[[maɪəklˈoʊnəs]]"}
    assert natural.abbreviations == {"MS": "M S"}
    with pytest.raises(SpeechError, match=r"'roche' use ʃ"):
        phoneme_lexicon(lexicon, fake_phonemize, symbols - {"ʃ"})


def test_pronounce_shows_what_each_voice_is_given(tmp_path):
    from click.testing import CliRunner

    from voiceref.cli import main

    content = Path(__file__).parent / "fixtures" / "content"
    result = CliRunner().invoke(main, ["pronounce", "--content", str(content), "clonazepam", "MS"])
    assert result.exit_code == 0, result.output
    natural, clear = result.output.splitlines()
    assert natural.startswith("natural: [[kloʊnˈæziːpæm]] M S  /kloʊnˈæziːpæm ˈɛm ˈɛs")
    assert clear.startswith("clear: clo-nazz-ee-pam M S")
