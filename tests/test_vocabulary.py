"""The everyday vocabulary file: loading with line numbers, and the checks `voiceref check` runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from voiceref.cli import main
from voiceref.content import load_site
from voiceref.errors import ContentError
from voiceref.release.service import ReleaseService
from voiceref.search.query import phrase_key
from voiceref.search.vocabulary import VOCABULARY_FILE, check_vocabulary, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / VOCABULARY_FILE
    path.write_text(text, encoding="utf-8")
    return path


def reasons(problems) -> list[tuple[int, str]]:
    return [(p.line, p.reason) for p in problems]


def test_entries_keep_their_lines(tmp_path):
    path = write(tmp_path, "# comment\nspasticity: [stiff legs, rigid]\nmyoclonus:\n  - twitchy\n  - twitches\n")
    vocabulary = load_vocabulary(path)
    assert [(e.phrase, e.term, e.line) for e in vocabulary.entries] == [
        ("stiff legs", "spasticity", 2),
        ("rigid", "spasticity", 2),
        ("twitchy", "myoclonus", 4),
        ("twitches", "myoclonus", 5),
    ]


def test_a_missing_file_is_an_empty_vocabulary(tmp_path):
    assert load_vocabulary(tmp_path / "nothing.yaml").entries == ()


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("spasticity: [stiff\n", 2, "YAML error"),
        ("- just a list\n", 1, "expected 'term: [everyday words]' lines"),
        ("spasticity: stiff\n", 1, "'spasticity' needs a list of everyday words"),
        ("spasticity: []\n", 1, "'spasticity' needs a list of everyday words"),
        ("spasticity: [stiff]\nmyoclonus: [jerky]\nSpasticity: [rigid]\n", 3, "duplicate term 'Spasticity'"),
    ],
)
def test_malformed_files_say_where(tmp_path, text, line, reason):
    path = write(tmp_path, text)
    with pytest.raises(ContentError) as caught:
        load_vocabulary(path)
    problem = caught.value.problems[0]
    assert problem.path == path and problem.line == line and reason in problem.reason
    assert str(problem).startswith(f"{path}:{line}: ")


def test_checks_against_the_articles(tmp_path, site):
    path = write(
        tmp_path,
        "spasticity: [stiff legs, rigid]\n"  # fine: a title
        "benzodiazepine: [benzo]\n"  # fine: a word an article uses
        "unknown thing: [whatever]\n"
        "myoclonus: [the, twitchy, twitchy, muscle jerks, myoclonus]\n",
    )
    problems = check_vocabulary(load_vocabulary(path), site.articles)
    assert reasons(problems) == [
        (3, "unknown term 'unknown thing': not a title or alias, and no article uses it"),
        (4, "'the' has only stop words, so it can never match"),
        (4, "duplicate phrase 'twitchy' (also on line 4)"),
        (4, "'muscle jerks' is already a title or alias of /glossary/myoclonus: search finds it without this line"),
        (4, "'myoclonus' is already a title or alias of /glossary/myoclonus: search finds it without this line"),
        (4, "'myoclonus' means itself"),
    ]


def test_a_phrase_may_mean_two_terms(tmp_path):
    path = write(tmp_path, "bladder problems: [loo]\nbowel problems: [loo]\n")
    vocabulary = load_vocabulary(path)
    assert vocabulary.phrases() == {phrase_key("loo"): ("bladder problems", "bowel problems")}


def test_the_bundled_vocabulary_is_clean():
    content = ROOT / "content"
    vocabulary = load_vocabulary(content / VOCABULARY_FILE)
    assert len(vocabulary.entries) > 300
    assert check_vocabulary(vocabulary, load_site(content).articles) == []


def test_voiceref_check_reports_vocabulary_problems(content_dir):
    (content_dir / VOCABULARY_FILE).write_text("spasticity: [stiff legs]\nnot a term here: [x y]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert result.exit_code == 1
    assert f"{content_dir / VOCABULARY_FILE}:2: unknown term 'not a term here'" in result.output


def test_voiceref_build_refuses_a_malformed_vocabulary(content_dir, tmp_path):
    (content_dir / VOCABULARY_FILE).write_text("spasticity: [stiff legs\n", encoding="utf-8")
    index = tmp_path / "built"
    result = CliRunner().invoke(main, ["build", "--content", str(content_dir), "--index", str(index), "--no-audio"])
    assert result.exit_code == 1
    assert f"{content_dir / VOCABULARY_FILE}:2: YAML error" in result.output
    assert not (index / "current").exists()


def test_voiceref_build_puts_the_vocabulary_in_the_release(content_dir, tmp_path):
    (content_dir / VOCABULARY_FILE).write_text("spasticity: [bendy bits]\n", encoding="utf-8")
    index = tmp_path / "built"
    result = CliRunner().invoke(main, ["build", "--content", str(content_dir), "--index", str(index), "--no-audio"])
    assert result.exit_code == 0, result.output
    search = ReleaseService(index).get().search
    assert [hit.title for hit in search.search("bendy bits").hits][:1] == ["Spasticity"]
