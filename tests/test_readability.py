"""The Flesch–Kincaid grade, computed offline from Pyphen syllable counts."""

from __future__ import annotations

import pytest

from voiceref.content.readability import (
    flesch_kincaid_grade,
    readability,
    sentence_count,
    syllables,
    words,
)


@pytest.mark.parametrize(
    ("word", "count"),
    [("cat", 1), ("muscle", 2), ("common", 2), ("condition", 3), ("overwhelming", 3), ("sclerosis", 3)],
)
def test_syllables_follow_hyphenation_points(word: str, count: int) -> None:
    assert syllables(word) == count


def test_words_keep_contractions_and_split_hyphens() -> None:
    assert words("It isn’t long-term, is it? 2 MRIs.") == ["It", "isn’t", "long", "term", "is", "it", "2", "MRIs"]


def test_sentences_end_at_marks_followed_by_space() -> None:
    assert sentence_count("One. Two! Three? Four…") == 4
    assert sentence_count("No end mark") == 1
    assert sentence_count("Version 2.5 is out.") == 1  # a full stop inside a number ends nothing


def test_grade_of_a_known_sentence() -> None:
    # 6 words, 1 sentence, 6 syllables: 0.39 × 6 + 11.8 × 1 − 15.59 = −1.45
    assert readability("The cat sat on the mat.").grade == pytest.approx(-1.45)


def test_grade_of_a_known_passage() -> None:
    # 8 words, 2 sentences, 12 syllables: 0.39 × 4 + 11.8 × 1.5 − 15.59 = 3.67
    text = "Fatigue is very common. It can be overwhelming!"
    assert readability(text) == readability(text)  # counts are a pure function of the text
    assert (readability(text).words, readability(text).sentences, readability(text).syllables) == (8, 2, 12)
    assert flesch_kincaid_grade(text) == 3.7


def test_longer_words_and_sentences_read_harder() -> None:
    plain = "MS can make you tired. Rest helps."
    dense = (
        "Multiple sclerosis frequently causes debilitating fatigue, "
        "necessitating comprehensive management strategies."
    )
    assert flesch_kincaid_grade(dense) > 15 > 5 > flesch_kincaid_grade(plain)


def test_empty_text_has_grade_zero() -> None:
    assert flesch_kincaid_grade("") == 0.0
