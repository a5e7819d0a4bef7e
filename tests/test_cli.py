"""The voiceref command: check, build, and their error messages."""

from __future__ import annotations

from click.testing import CliRunner

from voiceref.cli import main
from voiceref.release.service import ReleaseService


def test_check_passes_on_the_fixture_corpus(content_dir):
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert result.exit_code == 0, result.output
    assert "OK: 10 articles" in result.output
    assert "glossary" in result.output and "total" in result.output


def test_check_reports_every_bad_file_and_exits_non_zero(content_dir):
    (content_dir / "glossary" / "spasticity.md").write_text("---\ntitle: a: b\n---\n")
    myo = content_dir / "glossary" / "myoclonus.md"
    myo.write_text(myo.read_text().replace("title: Myoclonus\n", ""))
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert result.exit_code == 1
    assert f"{content_dir}/glossary/spasticity.md:2: YAML error" in result.output
    assert f"{content_dir}/glossary/myoclonus.md:1: missing title" in result.output


def test_check_runs_editorial_rules(content_dir):
    myo = content_dir / "glossary" / "myoclonus.md"
    myo.write_text(myo.read_text().replace("[myoclonic jerks, muscle jerks]", "[myoclonic jerks, Rivotril, EEG]"))
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert result.exit_code == 1
    assert "'rivotril' is also used by clonazepam" in result.output
    assert "no spoken expansion in content/lexicon.yaml: EEG" in result.output


def test_build_makes_a_searchable_index(content_dir, tmp_path):
    index = tmp_path / "built"
    result = CliRunner().invoke(main, ["build", "--content", str(content_dir), "--index", str(index), "--no-audio"])
    assert result.exit_code == 0, result.output
    assert ReleaseService(index).get().search.doc_count() == 10


def test_build_refuses_bad_content_and_keeps_no_index(content_dir, tmp_path):
    (content_dir / "glossary" / "broken.md").write_text("---\nsummary: no title\n---\n")
    index = tmp_path / "built"
    result = CliRunner().invoke(main, ["build", "--content", str(content_dir), "--index", str(index), "--no-audio"])
    assert result.exit_code == 1
    assert "broken.md:1: missing title" in result.output
    assert not ReleaseService(index).get().search.available
