"""Each text normalisation step on its own, then the whole chain."""

from __future__ import annotations

import pytest

from voiceref.speech import normalise as n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See https://www.nhs.uk/conditions/ms/ for more.", "See for more."),
        ("(see https://example.org/a_b).", "."),
        ("Visit www.mstrust.org.uk.", "Visit ."),
        ("Write to help@mssociety.org.uk today", "Write to today"),
    ],
)
def test_strip_urls(text, expected):
    assert n.strip_urls(text).split() == expected.split()


def test_strip_footnote_markers():
    assert n.strip_footnote_markers("Common[1] and rare[^2], often¹ or † not.") == (
        "Common and rare, often or  not."
    )


def test_strip_markup():
    assert n.strip_markup("**bold** _it_ `code` # | x <b>y</b>").split() == [
        "bold", "it", "code", "x", "y",
    ]
    assert "<" in n.strip_markup("< 5") and ">" in n.strip_markup("> 3")


def test_expand_abbreviations_whole_word_and_case_sensitive():
    abbreviations = {"MS": "M S", "MRI": "M R I", "RRMS": "R R M S"}
    assert n.expand_abbreviations("MS and RRMS, not ms or MSc", abbreviations) == (
        "M S and R R M S, not ms or MSc"
    )
    assert n.expand_abbreviations("two MRIs", abbreviations) == "two M R I's"
    assert n.expand_abbreviations("e.g. this", n.COMMON_ABBREVIATIONS) == "for example this"


def test_speak_dates():
    assert n.speak_dates("on 24 November 2026") == "on the twenty-fourth of November twenty twenty-six"
    assert n.speak_dates("November 24, 2026") == "November twenty-fourth twenty twenty-six"
    assert n.speak_dates("2026-11-24") == "the twenty-fourth of November twenty twenty-six"
    assert n.speak_dates("in March 2017") == "in March twenty seventeen"
    assert n.speak_dates("2026-13-45") == "2026-13-45"


def test_speak_years_and_decades():
    assert n.speak_years("In 1993 and since 2010") == "In nineteen ninety-three and since twenty ten"
    assert n.speak_years("the 1990s, people in their 30s") == "the nineteen nineties, people in their thirties"
    assert n.speak_years("2000 people") == "2000 people"


def test_speak_ranges():
    assert n.speak_ranges("10–20 people") == "10 to 20 people"
    assert n.speak_ranges("5 - 10 mg") == "5 to 10 mg"
    assert n.speak_ranges("1990–1995") == "nineteen ninety to nineteen ninety-five"
    assert n.speak_ranges("COVID-19") == "COVID-19"


def test_speak_percentages():
    assert n.speak_percentages("50% of people") == "fifty percent of people"
    assert n.speak_percentages("1.5 %") == "one point five percent"


def test_speak_currency():
    assert n.speak_currency("$100") == "one hundred dollars"
    assert n.speak_currency("£2.5 million") == "two point five million pounds"
    assert n.speak_currency("€1") == "one euro"


def test_speak_units():
    assert n.speak_units("5 mg") == "5 milligrams"
    assert n.speak_units("1 mg") == "1 milligram"
    assert n.speak_units("20mg/day") == "20 milligrams a day"
    assert n.speak_units("37 °C") == "37 degrees Celsius"
    assert n.speak_units("3 T MRI") == "3 tesla MRI"
    assert n.speak_units("5 million") == "5 million"


def test_speak_ordinals():
    assert n.speak_ordinals("the 1st, 22nd and 103rd") == "the first, twenty-second and one hundred and third"


def test_speak_numbers():
    assert n.speak_numbers("2,800,000 people") == "two million eight hundred thousand people"
    assert n.speak_numbers("6.5") == "six point five"
    assert n.speak_numbers("1/3") == "one out of three"
    assert n.speak_numbers("007") == "zero zero seven"


def test_speak_symbols():
    assert n.speak_symbols("A & B") == "A  and  B"
    assert n.speak_symbols("tired – really") == "tired, really"
    assert n.speak_symbols("walk/run, and/or") == "walk or run, and or"
    assert n.speak_symbols("pills/day") == "pills a day"


def test_respell_joins_syllables_for_espeak():
    assert n.respell("my oh CLOH nuss") == "my-oh-cloh-nuss"
    assert n.respell(" clo-NAZZ ee pam ") == "clo-nazz-ee-pam"


def test_apply_pronunciations_any_case_and_plurals():
    pronunciations = {"myoclonus": "my oh CLOH nuss"}
    assert n.apply_pronunciations("Myoclonus, myoclonus's and MYOCLONUS", pronunciations) == (
        "my-oh-cloh-nuss, my-oh-cloh-nuss's and my-oh-cloh-nuss"
    )
    assert n.apply_pronunciations("myoclonuslike", pronunciations) == "myoclonuslike"


def test_tidy():
    assert n.tidy("  a ,  b .. c ;; d  ( ) ") == "a, b. c; d"


def test_whole_chain():
    spoken = n.normalise(
        "In 2017, 1 in 3 people with MS took 5 mg/day (see https://x.org). Myoclonus¹ rose 10–20%.",
        {"MS": "M S"},
        {"myoclonus": "my oh CLOH nuss"},
    )
    assert spoken == (
        "In twenty seventeen, one in three people with M S took five milligrams a day. "
        "my-oh-cloh-nuss rose ten to twenty percent."
    )
    assert not any(ch.isdigit() for ch in spoken)


def test_phonemes_pass_through_with_plurals_inside_the_brackets():
    pronunciations = {"ocrelizumab": "[[ˌɑːkɹəlˈɪzjuːmæb]]", "paresis": "[[pɚɹˈiːsɪs]]", "tremor": "TREMer"}
    text = "Ocrelizumab, ocrelizumabs, pareses? paresis's tremors"
    assert n.apply_pronunciations(text, pronunciations) == (
        "[[ˌɑːkɹəlˈɪzjuːmæb]], [[ˌɑːkɹəlˈɪzjuːmæbz]], pareses? [[pɚɹˈiːsɪsɪz]] tremers"
    )
    assert n.respell("[[ˈɛm ˈɛs]]") == "[[ˈɛm ˈɛs]]"
