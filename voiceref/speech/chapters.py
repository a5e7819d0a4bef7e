"""Chapters that every player can use: ID3v2 CHAP/CTOC frames and Podcasting 2.0 JSON.

The MP3 carries its chapters itself (the ID3v2 Chapter Frame Addendum, read by podcast
apps and most players), written as ID3v2.3 for the widest support; the same chapters go
into a `application/json+chapters` file (Podcasting 2.0 `podcast:chapters`, version
1.2.0) that the feeds link to. Times are those of the MP3, encoder delay included.
"""

from __future__ import annotations

import io

from mutagen.id3 import CHAP, CTOC, ID3, TALB, TIT2, TPE1, CTOCFlags

TOC_ID = "toc"
NO_OFFSET = 0xFFFFFFFF  # "use the times": the frames give no byte offsets
CHAPTERS_VERSION = "1.2.0"


def chapter_id(number: int) -> str:
    return f"chp{number}"


def id3_tag(title: str, chapters: list[dict], album: str = "voiceref") -> ID3:
    """Return an ID3 tag with the title and one CHAP frame per chapter under a CTOC."""
    tag = ID3()
    tag.add(TIT2(encoding=3, text=[title]))
    tag.add(TPE1(encoding=3, text=[album]))
    tag.add(TALB(encoding=3, text=[album]))
    tag.add(
        CTOC(
            element_id=TOC_ID,
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=[chapter_id(n) for n in range(len(chapters))],
            sub_frames=[TIT2(encoding=3, text=[title])],
        )
    )
    for number, chapter in enumerate(chapters):
        tag.add(
            CHAP(
                element_id=chapter_id(number),
                start_time=round(chapter["start"] * 1000),
                end_time=round(chapter["end"] * 1000),
                start_offset=NO_OFFSET,
                end_offset=NO_OFFSET,
                sub_frames=[TIT2(encoding=3, text=[chapter["title"]])],
            )
        )
    return tag


def with_chapters(mp3: bytes, title: str, chapters: list[dict], album: str = "voiceref") -> bytes:
    """Return `mp3` with an ID3v2.3 tag in front holding its title and chapters."""
    stream = io.BytesIO(mp3)
    id3_tag(title, chapters, album).save(stream, v2_version=3, padding=lambda info: 0)
    return stream.getvalue()


def podcast_chapters(title: str, chapters: list[dict]) -> dict:
    """Return the Podcasting 2.0 chapters document for one article."""
    items = [
        {"startTime": round(c["start"], 3), "endTime": round(c["end"], 3), "title": c["title"]}
        for c in chapters
    ]
    return {"version": CHAPTERS_VERSION, "title": title, "chapters": items}
