"""Snippets: a short, escaped extract with the matched words marked."""

from __future__ import annotations

from voiceref.search.snippet import WIDTH, snippet

TEXT = (
    "Spasticity is <b>stiffness</b> in the muscles. It is common in MS and can make moving slow. "
    + "Other words fill this sentence so the text runs on for a while. " * 8
    + "Baclofen is one of the medicines that can help with spasms."
)


def test_marks_every_form_of_a_matched_stem_and_escapes_the_rest():
    extract = str(snippet(TEXT, frozenset({"stiff", "muscl"})))
    assert "&lt;b&gt;<mark>stiffness</mark>&lt;/b&gt;" in extract
    assert "<mark>muscles</mark>" in extract and "<b>" not in extract


def test_starts_near_the_first_match_and_stays_short():
    extract = str(snippet(TEXT, frozenset({"baclofen"})))
    assert extract.startswith("… ") and "<mark>Baclofen</mark>" in extract
    assert len(extract) < WIDTH + 40


def test_no_match_gives_none():
    assert snippet(TEXT, frozenset({"zebra"})) is None
