"""Media Overlay timing: clock values, contiguous clips, durations and list sequences."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from voiceref.export.model import ExportError
from voiceref.export.overlay import Par, clock, contiguous_clips, milliseconds, smil_document

SMIL = "{http://www.w3.org/ns/SMIL}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.mark.parametrize(
    "ms, value",
    [
        (0, "0:00:00.000"),
        (7, "0:00:00.007"),
        (1_234, "0:00:01.234"),
        (61_001, "0:01:01.001"),
        (3_599_999, "0:59:59.999"),
        (3_600_000, "1:00:00.000"),
        (25 * 3_600_000 + 62_050, "25:01:02.050"),  # a whole book can last more than a day
    ],
)
def test_clock_values_are_full_clock_values_in_whole_milliseconds(ms, value):
    assert clock(ms) == value


def test_a_negative_clock_value_is_refused():
    with pytest.raises(ValueError):
        clock(-1)


@pytest.mark.parametrize("seconds, ms", [(0.0, 0), (1.2344, 1234), (2.0006, 2001), (0.05011, 50), (431.9999, 432000)])
def test_seconds_round_to_the_nearest_millisecond(seconds, ms):
    assert milliseconds(seconds) == ms


def test_clips_are_contiguous_and_add_up_to_the_audio():
    starts, duration = [50, 1_797, 3_095, 7_616], 9_870
    clips = contiguous_clips(starts, duration)
    assert clips == [(0, 1_797), (1_797, 3_095), (3_095, 7_616), (7_616, 9_870)]
    assert sum(end - begin for begin, end in clips) == duration
    assert all(a[1] == b[0] for a, b in zip(clips, clips[1:], strict=False))


def test_one_sentence_takes_the_whole_file():
    assert contiguous_clips([120], 2_000) == [(0, 2_000)]


@pytest.mark.parametrize(
    "starts, duration",
    [([0, 500, 500], 900), ([0, 800, 400], 900), ([0, 500], 500), ([0, 950], 900), ([], 900)],
)
def test_timings_that_do_not_fit_the_audio_are_refused(starts, duration):
    with pytest.raises(ExportError, match="voiceref build|no sentences"):
        contiguous_clips(starts, duration, "/glossary/mri")


def test_smil_has_one_par_per_sentence_and_lists_wrapped_in_skippable_seqs():
    pars = [
        Par("article-title", 0, 1_000),
        Par("list", 1_000, 2_000, ("list",)),
        Par("s2", 2_000, 3_000, ("list",)),
        Par("s3", 3_000, 4_000, ("list", "list-2")),
        Par("s4", 4_000, 5_000, ("list",)),
        Par("s5", 5_000, 6_500),
    ]
    root = ET.fromstring(smil_document("../text/a.xhtml", "../audio/a.mp3", pars))
    assert root.tag == f"{SMIL}smil" and root.get("version") == "3.0"
    seqs = root.findall(f".//{SMIL}seq[@{EPUB_TYPE}='list']")
    textrefs = [s.get("{http://www.idpf.org/2007/ops}textref") for s in seqs]
    assert textrefs == ["../text/a.xhtml#list", "../text/a.xhtml#list-2"]
    outer, inner = seqs
    assert [p.find(f"{SMIL}text").get("src").split("#")[1] for p in outer.findall(f"{SMIL}par")] == ["list", "s2", "s4"]
    assert [p.find(f"{SMIL}text").get("src").split("#")[1] for p in inner.findall(f"{SMIL}par")] == ["s3"]
    all_pars = root.findall(f".//{SMIL}par")
    assert [p.find(f"{SMIL}text").get("src").split("#")[1] for p in all_pars] == [p.target for p in pars]
    audio = [p.find(f"{SMIL}audio") for p in all_pars]
    assert {a.get("src") for a in audio} == {"../audio/a.mp3"}
    assert [(a.get("clipBegin"), a.get("clipEnd")) for a in audio][-1] == ("0:00:05.000", "0:00:06.500")
    assert len({p.get("id") for p in all_pars} | {s.get("id") for s in root.iter(f"{SMIL}seq")}) == len(all_pars) + 3
