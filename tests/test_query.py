"""Query planning and ranking rules, with a fake index: filler, phrases, corrections, coverage."""

from __future__ import annotations

import pytest

from voiceref.search.query import Knowledge, Slot, clean_query, index_terms, phrase_key, plan_query, words_of
from voiceref.search.rank import MIN_SCORE, idf, label_words, rank

INDEX = {"steroid", "ms", "fatigu", "myoclonu", "spastic", "pain", "eye", "face", "stabb", "neuropath", "treatment"}
INDEX |= {"best", "cell"}
ENGLISH = {"ringing", "zebra", "blurry", "steroids", "best"}


def know(corrections=None, relatives=None) -> Knowledge:
    """A fake index that holds INDEX's stems, with ENGLISH as the real-word list."""
    return Knowledge(
        knows=lambda word, terms: any(term in INDEX for term in terms),
        is_word=ENGLISH.__contains__,
        corrections=lambda word: (corrections or {}).get(word, []),
        relatives=lambda word: (relatives or {}).get(word, []),
    )


PHRASES = {
    phrase_key("no energy"): ("fatigue",),
    phrase_key("energy"): ("power",),
    phrase_key("pain behind the eye"): ("optic neuritis",),
    phrase_key("stabbing pain"): ("neuropathic pain",),
    phrase_key("loo"): ("bladder problems", "bowel problems"),
}


def typed(plan) -> list[str]:
    return [slot.typed for slot in plan.slots]


def test_words_fold_case_apostrophes_and_possessives():
    assert words_of("Lhermitte's sign: can't, I’m!") == ["lhermitte", "sign", "cant", "im"]
    assert len(words_of("word " * 50)) == 12


def test_clean_query_strips_controls_and_caps_length():
    assert clean_query("  spas\x00ticity\n\t ", 200).text == "spas ticity"
    long = clean_query("x" * 500, 200)
    assert long.truncated and len(long.text) == 200
    assert clean_query(None, 200).text == ""


def test_question_and_filler_words_make_no_slot():
    assert typed(plan_query("What is MS?", PHRASES, know())) == ["ms"]
    assert plan_query("the and of what is", PHRASES, know()).slots == ()


def test_judging_words_stay_but_are_marked_weak():
    plan = plan_query("what is the best treatment", PHRASES, know())
    assert [(s.typed, s.weak) for s in plan.slots] == [("best", True), ("treatment", False)]
    # A judging word no page uses is dropped rather than counted as a missing topic.
    assert typed(plan_query("safe steroids", PHRASES, know())) == ["steroids"]


def test_longest_everyday_phrase_wins_and_says_what_it_means():
    (slot,) = plan_query("no energy", PHRASES, know()).slots
    assert slot.words == ("fatigue",) and slot.alternatives == (index_terms("fatigue"),)
    assert plan_query("energy", PHRASES, know()).slots[0].words == ("power",)


def test_determiners_do_not_break_a_phrase():
    (slot,) = plan_query("pain behind my eye", PHRASES, know()).slots
    assert slot.words == ("optic", "neuritis")


def test_a_phrase_with_two_meanings_matches_either():
    (slot,) = plan_query("loo", PHRASES, know()).slots
    assert slot.alternatives == (("bladder", "problem"), ("bowel", "problem"))


def test_a_phrase_keeps_its_own_words_as_a_weaker_alternative():
    (slot,) = plan_query("stabbing pain", PHRASES, know()).slots
    assert slot.alternatives == (("neuropath", "pain"),)
    assert slot.literal == index_terms("stabbing pain")


def test_a_misspelling_is_corrected_and_suggested():
    plan = plan_query("myoclonis", PHRASES, know(corrections={"myoclonis": ["myoclonus"]}))
    assert plan.suggestion == "myoclonus"
    assert plan.slots[0].words == ("myoclonus",)
    assert index_terms("myoclonus") in plan.slots[0].alternatives


def test_a_real_english_word_is_never_corrected():
    corrections = {"ringing": ["running"], "zebra": ["zebras"]}
    plan = plan_query("ringing zebra", PHRASES, know(corrections=corrections))
    assert plan.suggestion is None
    assert [(s.typed, s.unknown) for s in plan.slots] == [("ringing", True), ("zebra", True)]


def test_a_real_word_finds_other_forms_of_itself():
    plan = plan_query("blurry", PHRASES, know(relatives={"blurry": ["blurred"]}))
    assert plan.suggestion is None
    assert plan.slots[0].alternatives == (index_terms("blurred"),) and not plan.slots[0].unknown


def test_a_known_word_is_not_corrected_and_a_hopeless_typo_is_dropped():
    plan = plan_query("steroids qxzvvb", PHRASES, know(corrections={"steroids": ["asteroids"]}))
    assert typed(plan) == ["steroids"] and plan.suggestion is None


def test_only_the_first_few_typos_are_looked_up():
    asked = []

    def corrections(word):
        asked.append(word)
        return ["steroids"]

    fake = Knowledge(lambda w, t: False, lambda w: False, corrections)
    plan_query("aaaa bbbb cccc dddd eeee ffff gggg", PHRASES, fake)
    assert asked == ["aaaa", "bbbb", "cccc", "dddd"]


def test_idf_is_near_zero_for_a_word_on_every_page():
    assert idf(100, 100) < 0.01 < idf(1, 100)


def slot(name: str, **flags) -> Slot:
    return Slot(name, (name,), ((name,),), **flags)


def ranked(plan_slots, matches, labels=None):
    """Rank with fake matches: {slot name: {docnum: where}}."""
    from voiceref.search.query import QueryPlan

    plan = QueryPlan(tuple(plan_slots))
    return rank(
        [], 1000, plan, lambda s: matches.get(s.typed, {}), lambda words: (labels or {}).get(words, ())
    ).docnums


def test_documents_rank_by_weight_matched_and_where():
    matches = {"ocrevus": {1: 0.9, 2: 0.25}, "effects": {2: 0.25, 3: 0.5, 4: 0.25}}
    # 1 has the rare word in an alias; 2 has both words but only in its body.
    assert ranked([slot("effects"), slot("ocrevus")], matches)[:2] == (1, 2)


def test_a_query_no_document_covers_gets_no_results_not_a_flood():
    # Half the query is a word no page uses; the rest is scattered through bodies.
    matches = {"wrist": {n: 0.2 for n in range(40)}}
    assert ranked([slot("broken", unknown=True), slot("wrist")], matches) == ()


def test_a_body_mention_of_every_word_is_enough():
    matches = {"vitamin": {5: 0.2}, "sunlight": {5: 0.2}}
    assert ranked([slot("vitamin"), slot("sunlight")], matches) == (5,)
    assert 0.2 > MIN_SCORE


def test_a_judging_word_is_never_needed():
    matches = {"best": {7: 0.6}, "diet": {8: 1.0}}
    assert ranked([slot("best", weak=True), slot("diet")], matches)[0] == 8


def test_the_whole_query_as_a_title_or_alias_comes_first():
    matches = {"ms": {1: 1.0, 2: 1.0, 3: 0.9}}
    assert ranked([slot("ms")], matches, labels={("ms",): (3,)})[0] == 3


def test_a_word_too_short_to_index_still_counts_for_a_title():
    plan = plan_query("what are B cells", PHRASES, know())
    assert typed(plan) == ["cells"] and plan.words == (("b", None), ("cells", 0))
    matches = {"cells": {1: 1.0, 2: 1.0}}
    labels = {("b", "cells"): (2,)}
    assert rank([], 1000, plan, lambda s: matches[s.typed], lambda w: labels.get(w, ())).docnums[0] == 2


def test_label_words_skip_filler():
    assert label_words("What is multiple sclerosis?") == ("multiple", "sclerosis")


@pytest.mark.parametrize("text", ["", "the", "?!"])
def test_nothing_to_search_for(text):
    assert plan_query(text, PHRASES, know()).slots == ()
