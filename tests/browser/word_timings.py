"""Plausible word timings for the browser tests, for as long as the build publishes none.

The build's timings file (`audio.json`) is to give each sentence
`"words": [{"start", "end", "from", "to"}, ...]`: seconds into the MP3, and character offsets
into the page element's own text, like the sentence's own `from`/`to`. Until a build writes
them, `add_word_timings` fills them in: each sentence's time spread over its words in
proportion to their length, the offsets measured on the served page's own text exactly as
the build measures sentences (voiceref.speech.script.own_text). Files that already have word
timings are left alone, so the browser tests use the real ones as soon as builds make them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from voiceref.speech.script import own_text


def spread(start: float, end: float, spans: list[tuple[int, int]]) -> list[dict]:
    """Share [start, end] between the word spans in proportion to their length."""
    total = sum(to - frm for frm, to in spans) or 1
    words, at = [], start
    for frm, to in spans:
        length = (end - start) * (to - frm) / total
        words.append({"start": round(at, 3), "end": round(at + length, 3), "from": frm, "to": to})
        at += length
    return words


def words_of(sentence: dict, page: BeautifulSoup) -> list[dict]:
    """Return plausible word timings for one sentence of a timings file."""
    element = page.find(id=sentence.get("block")) if sentence.get("block") else None
    if element is None:
        return []
    text, _ = own_text(element)
    first = sentence["from"] if sentence["from"] is not None else 0
    last = sentence["to"] if sentence["to"] is not None else len(text)
    spans = [(first + m.start(), first + m.end()) for m in re.finditer(r"\S+", text[first:last])]
    return spread(sentence["start"], sentence["end"], spans)


def add_word_timings(audio_dir: Path, page_html: Callable[[str], str]) -> int:
    """Give every timings file under `audio_dir` word timings if it has none; count files changed."""
    changed = 0
    for path in sorted(audio_dir.glob("*/*/*.json")):
        timings = json.loads(path.read_text(encoding="utf-8"))
        sentences = timings.get("sentences", [])
        if not sentences or any("words" in s for s in sentences):
            continue
        page = BeautifulSoup(page_html(f"/{timings['section']}/{timings['slug']}"), "html.parser")
        for sentence in sentences:
            sentence["words"] = words_of(sentence, page)
        path.write_text(json.dumps(timings, ensure_ascii=False), encoding="utf-8")
        changed += 1
    return changed
