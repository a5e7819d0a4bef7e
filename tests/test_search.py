"""Search against a real Whoosh index on disk: typos, aliases, everyday words, pages, swaps."""

from __future__ import annotations

import re
import sys
import threading

import pytest

from voiceref.release.service import ReleaseService
from voiceref.search import IndexSearch, UnavailableSearch, build_index, clean_query
from voiceref.search.index import POPULAR_FILE, VOCABULARY_JSON
from voiceref.search.spelling import ENGLISH_FILE


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
        ("twitchy", "Myoclonus"),  # everyday word (vocabulary)
        ("my stiff legs", "Spasticity"),  # everyday phrase (vocabulary)
        ("what is myoclonus", "Myoclonus"),  # a question: filler words are not required
        ("how do I stop my muscles being so stiff", "Spasticity"),
        ("magnetic resonance imaging", "MRI"),  # the whole query is an alias
        ("ms trust", "MS Trust"),  # the whole query is a title
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


def test_real_words_and_everyday_words_get_no_did_you_mean(search):
    assert search.search("ringing in my ears").suggestion is None  # English, not in the index
    assert search.search("twitchy").suggestion is None  # in the vocabulary


def test_a_query_about_something_else_gets_no_results_and_ways_on(search):
    for text in ("cheap flights to spain", "zebra crossing", "xyzzy"):
        page = search.search(text)
        assert (page.total, page.hits) == (0, []), text
        assert page.topics and all(topic["url"].startswith("/") for topic in page.topics)
    assert search.search("myoclonus").topics == []


def test_totals_and_pages_do_not_depend_on_the_page_asked_for(search):
    first = search.search("ms", page=1, page_size=2)
    assert first.total > 4 and first.pages == -(-first.total // 2)
    pages = [search.search("ms", page=n, page_size=2) for n in range(1, first.pages + 1)]
    assert {page.total for page in pages} == {first.total}
    urls = [hit.url for page in pages for hit in page.hits]
    assert len(urls) == len(set(urls)) == first.total  # every result once, none repeated
    beyond = search.search("ms", page=first.pages + 1, page_size=2)
    assert beyond.hits == [] and beyond.total == first.total


def test_results_are_cached_per_query_and_page(search):
    first = search.search("Muscle  stiffness?", page=1, page_size=2)
    again = search.search("muscle stiffness", page=1, page_size=2)
    assert again.hits is first.hits  # the same normalised query and page: served from the cache
    assert again.query == "muscle stiffness"  # but it says what this reader typed
    assert search.search("muscle stiffness", page=2, page_size=2).hits is not first.hits


def test_concurrent_searches_agree_with_one_at_a_time(search, site):
    words = sorted({w.casefold() for a in site.articles for w in re.findall(r"[A-Za-z]{4,}", a.text)})
    expected = {w: [h.url for h in search.search(w, page_size=50).hits] for w in words}
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to expose shared state
    try:
        for _ in range(4):
            fresh = IndexSearch(search.path)  # no cache yet: every search runs
            got: dict[str, list[str]] = {}

            def run(share: list[str], fresh=fresh, got=got) -> None:
                for word in share:
                    got[word] = [h.url for h in fresh.search(word, page_size=50).hits]

            threads = [threading.Thread(target=run, args=(words[n::8],)) for n in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert got == expected
    finally:
        sys.setswitchinterval(interval)


def test_the_index_folder_holds_everything_search_reads(search):
    folder = search.path
    assert {ENGLISH_FILE, VOCABULARY_JSON, POPULAR_FILE} <= {p.name for p in folder.iterdir()}
    words = (folder / ENGLISH_FILE).read_text(encoding="utf-8").split()
    assert len(words) > 50_000 and "ringing" in words  # Debian's wbritish and wamerican


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


def test_near_words_are_whooshs_terms_within(search):
    """The fast look-up finds exactly the words Whoosh's documented terms_within does (Damerau-Levenshtein)."""
    from whoosh.reading import IndexReader

    from voiceref.search.spelling import NearWords

    with search._ix.reader() as reader:
        field = search._ix.schema["words"]
        words = [field.from_bytes(term) for term in reader.lexicon("words")]
        near = NearWords(words)
        probes = [w for w in words if len(w) >= 4][:150]
        probes += [w[:2] + w[3:] for w in probes[:60]] + [w[:2] + w[3] + w[2] + w[4:] for w in probes[60:120]]
        probes += [w + "s" for w in probes[:30]] + ["zzzz", "myoclonis", "spastisity"]
        for probe in probes:
            for maxdist in (1, 2):
                # the base class's, as a reader of several segments runs it: one segment's own
                # automaton leaves out transpositions ("them" is 2 edits from "time", not 3)
                expected = set(IndexReader.terms_within(reader, "words", probe, maxdist, prefix=1))
                assert near.within(probe, maxdist) == expected, probe
    assert search.corrections("myoclonis")[0] == "myoclonus"


def test_segments_are_separate_files_read_without_mmap(site, tmp_path):
    """A compound segment is mmapped and copied whole into memory by Whoosh 2.7 on first read."""
    from voiceref.search.index import segment_files

    old = IndexSearch(build_index(site.articles, tmp_path / "old"))
    spasticity = site.get("glossary", "spasticity")
    spasticity.text += "\nA zanzibarian word now appears."
    new = IndexSearch(build_index(site.articles, tmp_path / "new", previous=old.path))  # incremental
    for search in (old, new):
        assert search.search("zanzibarian").total == (search is new)
        files = segment_files(search.path)
        assert files and not list(search.path.glob("*.seg"))
        with open("/proc/self/maps", encoding="utf-8") as maps:
            mapped = maps.read()
        assert not [f for f in files if str(f) in mapped], "a segment file is memory-mapped"
