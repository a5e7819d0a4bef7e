"""Word timings: page words, engine words onto page words, Piper phonemes into words."""

from __future__ import annotations

from array import array

from voiceref.speech.alignment import word_samples
from voiceref.speech.engines import WordTiming
from voiceref.speech.words import (
    loud_end,
    loud_start,
    map_to_page,
    page_words,
    spoken_words,
    timings_from_starts,
)


def test_page_words_are_trimmed_of_punctuation_and_keep_page_offsets():
    text = "Multiple sclerosis (MS), a “disease” — see https://example.org/ms."
    words = page_words(text, offset=100)
    assert [w[2] for w in words] == ["Multiple", "sclerosis", "MS", "a", "disease", "see", "https://example.org/ms"]
    for start, end, word in words:
        assert text[start - 100 : end - 100] == word
    assert page_words("— … *") == ()


def test_spoken_words_include_phoneme_blocks():
    text = "[[ˌɑːkɹəlˈɪzjuːmæb]] is, — given."
    assert [text[a:b] for a, b in spoken_words(text)] == ["[[ˌɑːkɹəlˈɪzjuːmæb]]", "is,", "given."]


def _timing(start, end, text, word):
    first = text.index(word)
    return WordTiming(start, end, first, first + len(word))


def test_words_that_read_the_same_take_their_own_times():
    spoken = "In nineteen ninety-three, M S was named."
    timings = tuple(
        _timing(a, b, spoken, w)
        for a, b, w in [(0, 10, "In"), (12, 30, "nineteen"), (31, 60, "ninety-three"), (70, 75, "M"), (76, 82, "S"),
                        (85, 90, "was"), (92, 110, "named")]
    )
    page = "In 1993, MS was named."
    result = map_to_page(page_words(page), spoken, timings)
    assert [(page[i:j], (a, b)) for a, b, i, j in result] == [
        ("In", (0, 10)), ("1993", (12, 60)), ("MS", (70, 82)), ("was", (85, 90)), ("named", (92, 110)),
    ]


def test_a_run_of_page_words_is_split_at_spoken_word_boundaries():
    spoken = "twenty milligrams a day of it"
    words = ["twenty", "milligrams", "a", "day", "of", "it"]
    timings = tuple(WordTiming(10 * k, 10 * k + 8, *_span(spoken, w)) for k, w in enumerate(words))
    page = "20 mg/day of it"
    result = map_to_page(page_words(page), spoken, timings)
    assert [(page[i:j], a, b) for a, b, i, j in result] == [
        ("20", 0, 8), ("mg/day", 10, 38), ("of", 40, 48), ("it", 50, 58),
    ]


def _span(text, word):
    first = text.index(word)
    return first, first + len(word)


def test_unspoken_page_words_get_an_instant_and_times_never_go_back():
    spoken = "See the site."
    timings = (_timing(0, 5, spoken, "See"), _timing(6, 9, spoken, "the"), _timing(10, 20, spoken, "site"))
    page = "See the site www.example.org today."
    result = map_to_page(page_words(page), spoken, timings)
    assert [page[i:j] for _, _, i, j in result] == ["See", "the", "site", "www.example.org", "today"]
    assert result[3][:2] == (20, 20) and result[4][:2] == (20, 20)
    starts = [a for a, *_ in result]
    assert starts == sorted(starts) and all(a <= b for a, b, *_ in result)
    assert map_to_page((), spoken, timings) == []


def test_fewer_spoken_words_than_page_words_share_the_time_by_length():
    spoken = "hello"
    timings = (WordTiming(0, 100, 0, 5),)
    result = map_to_page(page_words("ab abcdef"), spoken, timings)
    assert result[0][0] == 0 and result[-1][1] == 100 and result[0][1] == result[1][0]
    assert result[0][1] - result[0][0] < result[1][1] - result[1][0]


def test_reported_starts_become_timings_that_end_where_the_sound_stops():
    samples = array("h", [0] * 100 + [5000] * 300 + [0] * 200 + [5000] * 400 + [0] * 100)
    spans = [(0, 5), (6, 11), (12, 30)]
    timings = timings_from_starts(spans, [90, None, 600], samples)
    assert timings[0].start == 100 and timings[2].start == 600  # where the sound begins
    assert 90 < timings[1].start < 600  # not reported: shares the time before the next start
    assert timings[2].end == loud_end(samples, 600, len(samples)) and 1000 <= timings[2].end < 1100
    assert all(t.start <= t.end for t in timings)
    assert all(a.end <= b.start for a, b in zip(timings, timings[1:], strict=False))


def test_a_word_reported_before_its_stop_closure_starts_at_the_burst():
    # espeak reports "people" while the last 2 ms of "most" still sound, then 46 ms of
    # closure (digital silence), then the burst of the p.
    most, tail, closure, burst = [4000] * 2000, [1200] * 44, [0] * 1014, [3000] * 1500
    samples = array("h", most + tail + closure + burst)
    timings = timings_from_starts([(0, 4), (5, 11)], [0, 2000], samples)
    assert timings[1].start == 2000 + 44 + 1014
    assert timings[0].end <= 2000 + 44 < timings[1].start  # the word before ends with its sound


def test_a_word_after_a_pause_starts_after_the_pause():
    samples = array("h", [3000] * 2000 + [40, -40] * 2000 + [3000] * 2000)  # a quiet 4000-sample pause
    timings = timings_from_starts([(0, 6), (8, 13)], [0, 2000], samples)
    assert timings[1].start == 6000 and timings[0].end <= 2000


def test_a_word_that_is_loud_from_its_start_keeps_its_start():
    # a vowel, then 20 ms into the word a stop's closure: not a lead-in to skip
    samples = array("h", [2000] * 1000 + [2500] * 441 + [0] * 700 + [3000] * 1000)
    timings = timings_from_starts([(0, 3), (4, 6)], [0, 1000], samples)
    assert timings[1].start == 1000
    assert loud_start(samples, 1000, len(samples)) == 1000


def test_a_word_that_never_gets_loud_keeps_its_reported_start():
    samples = array("h", [3000] * 1000 + [100] * 2000)
    assert loud_start(samples, 1000, len(samples)) == 1000


def test_piper_words_after_a_pause_start_after_it():
    own = ["ˈæftɚ", "ɐ", "ɹᵻlˈæps"]  # "after a relapse,", the pause of the comma before "after"
    heard = [("^", 100), ("ɛ", 10), ("m", 10), ("ɛ", 10), ("s", 10), (",", 400), (" ", 200), ("ˈ", 30), ("æ", 20),
             ("f", 10), ("t", 10), ("ɚ", 10), (" ", 5), ("ɐ", 10), (" ", 5), ("ɹ", 10), ("ᵻ", 10), ("l", 10),
             ("ˈ", 10), ("æ", 10), ("p", 10), ("s", 10), (",", 100), ("$", 20)]
    spans = word_samples(["ˈɛmˈɛs", *own], heard)
    assert spans[1][0] == 100 + 40 + 400 + 200  # after the comma's pause and the space
    assert spans == [(100, 140), (740, 820), (825, 835), (840, 910)]


def test_piper_phonemes_are_summed_into_words_even_where_espeak_joins_words():
    own = ["ʌv", "ðə", "dˈeɪ"]  # "of the day", each word said alone
    heard = [("^", 100), ("ʌ", 10), ("v", 10), ("ð", 10), ("ə", 10), (" ", 5), ("d", 10), ("ˈ", 7), ("e", 10),
             ("ɪ", 10), (".", 50), ("$", 20)]
    assert word_samples(own, heard) == [(100, 120), (120, 140), (145, 182)]


def test_piper_words_said_differently_in_context_still_find_their_phonemes():
    own = ["ðˈə", "ˈeɪ", "kˈæt"]  # "the a cat": alone, "a" is the letter A
    heard = [("ð", 10), ("ɪ", 10), (" ", 5), ("ɐ", 10), (" ", 5), ("k", 10), ("ˈ", 5), ("æ", 10), ("t", 10)]
    spans = word_samples(own, heard)
    assert spans == [(0, 20), (25, 35), (40, 75)]
