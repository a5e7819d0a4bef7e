"""Search against a real Whoosh index on disk: typos, aliases, hostile input, swaps."""

from __future__ import annotations

import pytest

from voiceref.release import ReleaseService
from voiceref.search import IndexSearch, UnavailableSearch, build_index, clean_query
from voiceref.search.query import plan_query


@pytest.fixture
def search(index_dir):
    return ReleaseService(index_dir).get().search


def titles(page) -> list[str]:
    return [hit.title for hit in page.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("myoclonus", "Myoclonus"),
        ("myoclonis", "Myoclonus"),  # typo
        ("spastisity", "Spasticity"),  # typo
        ("muscle stiffness", "Spasticity"),  # lay term (alias)
        ("Klonopin", "Clonazepam"),  # brand name (alias)
        ("RLS", "Restless legs syndrome"),  # abbreviation
        ("jerking", "Myoclonus"),  # stemming: jerk, jerks, jerking
    ],
)
def test_finds_entry_first(search, query, expected):
    page = search.search(query)
    assert page.total >= 1
    assert titles(page)[0] == expected


def test_typo_gets_a_did_you_mean_from_the_index_vocabulary(search):
    assert search.search("myoclonis").suggestion == "myoclonus"
    assert search.search("spastisity").suggestion == "spasticity"
    assert search.search("myoclonus").suggestion is None


def test_snippets_mark_matched_words_and_escape_text(search):
    page = search.search("jerks")
    snippet = str(page.hits[0].snippet)
    assert "<mark" in snippet and "</mark>" in snippet
    assert "<script" not in snippet


@pytest.mark.parametrize(
    "query",
    ["(((", "title:", "*", '"', "AND", "OR NOT", "a" * 10_000, "", "\x00\x1b[31m", "?~^", "title:(x OR"],
)
def test_hostile_queries_never_raise(search, query):
    page = search.search(clean_query(query, 200).text)
    assert page.total >= 0


def test_clean_query_strips_controls_and_caps_length():
    assert clean_query("  spas\x00ticity\n\t ", 200).text == "spas ticity"
    long = clean_query("x" * 500, 200)
    assert long.truncated and len(long.text) == 200
    assert clean_query(None, 200).text == ""


def test_stop_words_alone_make_no_query():
    plan = plan_query("the and of", lambda w, s: True, lambda w: [])
    assert plan.strict is None


def test_two_words_need_both_then_fall_back_to_either(search):
    assert titles(search.search("muscle stiff")) == ["Spasticity"]
    assert search.search("spasticity zebra").total >= 1  # 'zebra' unknown: OR fallback


def test_pages_of_results(search):
    first = search.search("ms", page=1, page_size=2)
    assert first.total > 2 and len(first.hits) == 2 and first.pages >= 2
    second = search.search("ms", page=2, page_size=2)
    assert titles(first) != titles(second)
    beyond = search.search("ms", page=99, page_size=2)
    assert beyond.hits == [] and beyond.total == first.total


def test_suggest_completes_titles_and_aliases(search):
    assert search.suggest("myo")[0]["title"] == "Myoclonus"
    assert search.suggest("Klon")[0]["title"] == "Clonazepam"
    assert search.suggest("legs")[0]["title"] == "Restless legs syndrome"  # a later word
    assert search.suggest("") == []
    assert search.suggest("zzzz") == []


def test_missing_release_is_a_null_service(tmp_path):
    backend = ReleaseService(tmp_path / "nothing").get().search
    assert isinstance(backend, UnavailableSearch) and not backend.available
    assert backend.search("x").available is False
    assert backend.suggest("x") == [] and backend.doc_count() == 0 and not backend.healthy()


def test_crash_mid_build_leaves_no_half_written_index(site, tmp_path, monkeypatch):
    def explode(article):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("voiceref.search.index.document", explode)
    with pytest.raises(RuntimeError):
        build_index(site.articles, tmp_path / "search")
    assert not (tmp_path / "search").exists()


def test_snippets_keep_headings_apart_from_the_text():
    from voiceref.search.index import run_on

    assert run_on("What it is\nMyoclonus is a jerk.\n\nHow it relates to MS") == (
        "What it is. Myoclonus is a jerk. How it relates to MS."
    )


def test_incremental_build_replaces_only_what_changed(site, tmp_path):
    from voiceref.search.index import DIGESTS_FILE

    old = IndexSearch(build_index(site.articles, tmp_path / "old"))
    spasticity = site.get("glossary", "spasticity")
    spasticity.text += "\nA zanzibarian word now appears."
    articles = [a for a in site.articles if a.slug != "mri"]
    new = IndexSearch(build_index(articles, tmp_path / "new", previous=old.path))
    assert [h.title for h in new.search("zanzibarian").hits] == ["Spasticity"]
    assert new.search("magnetic resonance").total == 0  # the removed article is gone
    assert new.doc_count() == len(site) - 1
    assert new.suggest("mri") == []
    # The previous index is untouched, for readers who still have it open.
    assert old.search("zanzibarian").total == 0 and old.doc_count() == len(site)
    assert (new.path / DIGESTS_FILE).exists()


def test_a_changed_schema_version_forces_a_full_build(site, tmp_path, monkeypatch):
    build_index(site.articles, tmp_path / "first")
    monkeypatch.setattr("voiceref.search.index.SCHEMA_VERSION", 99)
    calls = []
    real_create = __import__("whoosh.index", fromlist=["create_in"]).create_in
    monkeypatch.setattr("voiceref.search.index.whoosh_index.create_in", lambda *a: calls.append(a) or real_create(*a))
    build_index(site.articles, tmp_path / "second", previous=tmp_path / "first")
    assert len(calls) == 1
    build_index(site.articles, tmp_path / "third", previous=tmp_path / "second")  # same version: a copy, updated
    assert len(calls) == 1
