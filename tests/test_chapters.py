"""ID3 chapter frames and Podcasting 2.0 chapters, read back with mutagen."""

from __future__ import annotations

import io

from mutagen.id3 import ID3

from voiceref.speech.audio import encode_mp3, mp3_duration, silence
from voiceref.speech.catalog import KINDS
from voiceref.speech.chapters import podcast_chapters, with_chapters

CHAPTERS = [
    {"title": "Introduction", "block": "article-title", "start": 0.0, "end": 1.25},
    {"title": "What helps — and what doesn’t", "block": "what-helps", "start": 1.25, "end": 3.0},
]


def test_the_mp3_carries_its_chapters_in_id3_frames_that_players_read():
    plain = encode_mp3(silence(3.0))
    tagged = with_chapters(plain, "Myoclonus", CHAPTERS)
    assert tagged.endswith(plain) and tagged.startswith(b"ID3\x03")  # ID3v2.3 in front, audio untouched
    tag = ID3(io.BytesIO(tagged))
    assert tag.version == (2, 3, 0) and str(tag["TIT2"]) == "Myoclonus"
    (toc,) = tag.getall("CTOC")
    assert toc.child_element_ids == ["chp0", "chp1"] and toc.flags == 3  # top level, ordered
    chapters = sorted(tag.getall("CHAP"), key=lambda c: c.start_time)
    assert [(c.element_id, c.start_time, c.end_time) for c in chapters] == [("chp0", 0, 1250), ("chp1", 1250, 3000)]
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [c["title"] for c in CHAPTERS]


def test_the_frame_walker_accepts_the_tag_and_times_the_audio_alone():
    plain = encode_mp3(silence(2.0))
    tagged = with_chapters(plain, "MRI", CHAPTERS)
    assert mp3_duration(tagged) == mp3_duration(plain)


def test_podcasting_chapters_json():
    document = podcast_chapters("Myoclonus", CHAPTERS)
    assert KINDS["podcast_chapters"].media_type == "application/json+chapters"
    assert document == {
        "version": "1.2.0",
        "title": "Myoclonus",
        "chapters": [
            {"startTime": 0.0, "endTime": 1.25, "title": "Introduction"},
            {"startTime": 1.25, "endTime": 3.0, "title": "What helps — and what doesn’t"},
        ],
    }
