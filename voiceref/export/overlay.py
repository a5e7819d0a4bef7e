"""Media Overlays: one SMIL document per article, one `<par>` per sentence.

Times are whole milliseconds from start to finish, so nothing is lost to rounding: clip i
runs from sentence i's start to sentence i+1's start (the pause belongs to the sentence
before it), the first clip begins at 0 and the last ends with the MP3. The clips of an
overlay therefore add up to its `media:duration` exactly, and the overlays to the book's.
Sentences inside a list are wrapped in `<seq epub:type="list">`, so a reading system can
skip the rest of a list (EPUB Media Overlays 3.3, §"Skippability and escapability").
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .model import ExportError

SMIL_NS = "http://www.w3.org/ns/SMIL"
OPS_NS = "http://www.idpf.org/2007/ops"


def milliseconds(seconds: float) -> int:
    """Return `seconds` as whole milliseconds, rounded to the nearest."""
    return round(seconds * 1000)


def clock(ms: int) -> str:
    """Return a SMIL full clock value, H:MM:SS.mmm (hours may exceed 23)."""
    if ms < 0:
        raise ValueError(f"a clock value cannot be negative: {ms} ms")
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def contiguous_clips(starts: list[int], duration: int, name: str = "") -> list[tuple[int, int]]:
    """Return (begin, end) in ms for each sentence: no gaps, from 0 to `duration`.

    Raises ExportError if the starts do not rise strictly within the audio, which means the
    timings do not belong to this MP3.
    """
    where = f" of {name}" if name else ""
    if not starts:
        raise ExportError(f"The audio{where} has no sentences.")
    bounds = [0, *starts[1:], duration]
    for (begin, end), start in zip(zip(bounds, bounds[1:], strict=False), starts, strict=True):
        if not (begin <= start < end):
            raise ExportError(
                f"The timings{where} do not fit its audio ({clock(duration)} long): a sentence starts at "
                f"{clock(start)}, outside {clock(begin)}–{clock(end)}. Rebuild the audio (voiceref build)."
            )
    return list(zip(bounds, bounds[1:], strict=False))


@dataclass(frozen=True)
class Par:
    """One sentence of an overlay: the element it highlights and its clip, in ms."""

    target: str  # id in the content document
    begin: int
    end: int
    lists: tuple[str, ...] = ()  # ids of the lists it is inside, outermost first

    @property
    def length(self) -> int:
        return self.end - self.begin


def smil_document(text_href: str, audio_href: str, pars: list[Par]) -> bytes:
    """Return the SMIL document that reads `text_href` aloud from `audio_href`."""
    root = ET.Element("smil", {"xmlns": SMIL_NS, "xmlns:epub": OPS_NS, "version": "3.0"})
    body = ET.SubElement(root, "body")
    ET.SubElement(body, "seq", {"id": "article", "epub:textref": text_href})
    stack: list[tuple[str, ET.Element]] = [("", body[0])]
    for number, par in enumerate(pars):
        while len(stack) > 1 and stack[-1][0] not in par.lists:
            stack.pop()  # left that list
        open_lists = [name for name, _ in stack[1:]]
        if open_lists != list(par.lists[: len(open_lists)]):
            raise ExportError(f"{text_href}: sentence {number} leaves a list it never entered")
        for name in par.lists[len(open_lists) :]:
            attrs = {"id": f"seq-{name}-{number}", "epub:type": "list", "epub:textref": f"{text_href}#{name}"}
            stack.append((name, ET.SubElement(stack[-1][1], "seq", attrs)))
        element = ET.SubElement(stack[-1][1], "par", {"id": f"par-{number}"})
        ET.SubElement(element, "text", {"src": f"{text_href}#{par.target}"})
        ET.SubElement(
            element,
            "audio",
            {"src": audio_href, "clipBegin": clock(par.begin), "clipEnd": clock(par.end)},
        )
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
