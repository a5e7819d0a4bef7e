"""Word timings: the words an engine spoke, mapped onto the words the page shows.

An engine reports when each word of the text it was given is heard (Piper from its
per-phoneme sample counts, espeak-ng from its word events). That text is the normalised
sentence ("nineteen ninety-three", "M S", a respelling), not the page's ("1993", "MS",
"ocrelizumab"), so the two word lists are aligned: words that read the same anchor the
alignment, and each run of page words between anchors shares the spoken run between the
same anchors: each page word takes the spoken words that best match it said on its own
("1993" → "nineteen ninety-three"). A page word
that is not spoken (a web address) gets a zero-length timing where it falls, so every
word the page shows has one, and the timings never go backwards.
"""

from __future__ import annotations

import re
from array import array
from difflib import SequenceMatcher

from .engines import WordTiming
from .normalise import normalise

_TOKEN = re.compile(r"\S+")
_EDGE_PUNCTUATION = re.compile(r"^[^\w\[]+|[^\w\]]+$")
PHONEMES = re.compile(r"\[\[[^\]]*\]\]")
QUIET = 300  # of 32767: a word's end is moved back over anything quieter
STEP = 64  # samples in one loudness probe
TAIL = 2 * STEP  # samples (5.8 ms) of the phoneme before that may follow espeak's word event
MAX_SEARCH = 20_000  # page words × spoken words² beyond which a run is split by length


def page_words(text: str, offset: int = 0) -> tuple[tuple[int, int, str], ...]:
    """Return the words of `text` as (from, to, word), offsets moved by `offset`.

    A word is a run of non-spaces with at least one letter or digit, trimmed of the
    punctuation around it ("(MS)," is the word MS), as the page would mark it.
    """
    words = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if not any(c.isalnum() for c in token):
            continue
        lead = len(token) - len(token.lstrip("([{\"'“‘«—–-…*_"))
        tail = len(token) - len(token.rstrip(")]}\"'”’».,;:!?—–-…*_"))
        start, end = match.start() + lead, match.end() - tail
        if start >= end:
            start, end = match.start(), match.end()
        words.append((offset + start, offset + end, text[start:end]))
    return tuple(words)


def spoken_words(text: str) -> list[tuple[int, int]]:
    """Return the (first, last) offsets of the words an engine is asked to say in `text`."""
    spans = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if PHONEMES.search(token) or any(c.isalnum() for c in token):
            spans.append((match.start(), match.end()))
    return spans


def _quiet(chunk: array) -> bool:
    return not chunk or (max(chunk) <= QUIET and -min(chunk) <= QUIET)


def loud_start(samples: array, start: int, end: int) -> int:
    """Return where a word reported at `start` is first heard, before `end`.

    espeak-ng reports a word where its wave generator queues the word's first phoneme,
    while the last 0–2 ms of the phoneme before are still to come out (measured on every
    word event of a test sentence); and many consonants begin in digital silence: a stop's
    closure (30 ms before b, d, g and 36–46 ms before p, t, k at 175 words a minute)
    or 6–10 ms before s, f, w, r, ð. A listener hears the word at the burst or the
    fricative, not in the silence, and the word before ends where its sound stops. So a
    loud stretch of at most TAIL samples followed by quiet is passed over as the tail of
    the phoneme before, then the quiet, and the start is the first sample above QUIET.
    A word that is loud from its start (a vowel) keeps it; so does one that never gets loud.
    """
    position = start
    while position < start + TAIL and position + STEP < end and not _quiet(samples[position : position + STEP]):
        position += STEP
    if position >= start + TAIL or position + STEP >= end:
        position = start  # loud from the start: no tail to pass over
    elif position > start:  # a tail: it ends in the last loud chunk, then the quiet begins
        position = next(k for k in range(position - STEP, position + 1) if _quiet(samples[k : k + STEP]))
    while position + STEP < end and _quiet(samples[position : position + STEP]):
        position += STEP
    if position + STEP >= end:
        return start
    return next(k for k in range(position, position + STEP) if abs(samples[k]) > QUIET)


def loud_end(samples: array, start: int, end: int) -> int:
    """Return where the sound between `start` and `end` stops (`end` without its quiet tail)."""
    position = end
    while position - STEP > start:
        if not _quiet(samples[position - STEP : position]):
            break
        position -= STEP
    return max(position, start)


def timings_from_starts(
    spans: list[tuple[int, int]], starts: list[int | None], samples: array
) -> tuple[WordTiming, ...]:
    """Return word timings from the sample where each word starts (None: not reported).

    Words without a start of their own share the time between the reported starts
    around them in proportion to their length; each word ends where the sound stops
    before the next word begins.
    """
    filled: list[float] = [0.0] * len(spans)

    def spread(indices: list[int], low: float, high: float) -> None:
        lengths = [spans[k][1] - spans[k][0] for k in indices]
        position = low
        for k, length in zip(indices, lengths, strict=True):
            filled[k] = position
            position += (high - low) * length / (sum(lengths) or 1)

    known = [i for i, s in enumerate(starts) if s is not None]
    bounds = [0] + known + [len(spans)]
    times = [0.0] + [float(starts[i]) for i in known] + [float(len(samples))]  # type: ignore[arg-type]
    for number in range(len(bounds) - 1):
        indices = list(range(bounds[number], bounds[number + 1]))
        if indices:
            spread(indices, times[number], times[number + 1])
    timings = []
    for k, (first, last) in enumerate(spans):
        start = int(min(max(filled[k], 0), len(samples)))
        following = int(filled[k + 1]) if k + 1 < len(spans) else len(samples)
        following = min(max(following, start), len(samples))
        start = loud_start(samples, start, following)  # heard after its pause or its stop's closure
        timings.append(WordTiming(start, loud_end(samples, start, following), first, last))
    return tuple(timings)


def _key(word: str) -> str:
    return "".join(c for c in word.casefold() if c.isalnum())


def _weight(word: str) -> int:
    """Return roughly how long a page word takes to say ("20" is "twenty")."""
    return max(1, len(_key(normalise(word))))


def _score(form: str, said: str) -> float:
    """Return how well a page word's spoken form matches what was said: shared letters, less a
    little for each letter of difference in length."""
    matched = sum(block.size for block in SequenceMatcher(None, form, said, autojunk=False).get_matching_blocks())
    return matched - 0.25 * abs(len(form) - len(said))


def _split(span_words: list[tuple[int, int, str]], spoken: list[WordTiming], text: str) -> list[tuple[int, int]]:
    """Share the time of `spoken` words among `span_words`.

    With at least as many spoken words as page words, each page word takes a run of
    spoken words, chosen so that the runs best match the page words said on their own
    ("1993" → "nineteen ninety-three", "mg/day" → "milligrams a day"); otherwise, or
    when the run is too long to search, time is shared in proportion to length.
    """
    count, total = len(span_words), len(spoken)
    if count <= total and count * total * total <= MAX_SEARCH:
        forms = [normalise(w[2]).casefold() for w in span_words]
        said = [text[s.first : s.last].casefold().strip(".,;:!?") for s in spoken]
        best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, 0)}
        for i in range(1, count + 1):
            for j in range(i, total - (count - i) + 1):
                best[i, j] = max(
                    (best[i - 1, k][0] + _score(forms[i - 1], " ".join(said[k:j])), k)
                    for k in range(i - 1, j)
                    if (i - 1, k) in best
                )
        pieces, j = [], total
        for i in range(count, 0, -1):
            k = best[i, j][1]
            pieces.append((spoken[k].start, spoken[j - 1].end))
            j = k
        return pieces[::-1]
    weights = [_weight(w[2]) for w in span_words]
    start, end = spoken[0].start, spoken[-1].end
    pieces, position = [], float(start)
    for weight in weights:
        following = position + (end - start) * weight / sum(weights)
        pieces.append((round(position), round(following)))
        position = following
    return pieces


def map_to_page(
    words: tuple[tuple[int, int, str], ...], text: str, spoken: tuple[WordTiming, ...]
) -> list[tuple[int, int, int, int]]:
    """Return (start sample, end sample, from, to) for every page word of a sentence.

    `words` are the page's words (from `page_words`), `text` is what the engine said and
    `spoken` its word timings in that text.
    """
    if not words:
        return []
    page_keys = [_key(w[2]) for w in words]
    spoken_keys = [_key(text[s.first : s.last]) or "\0" for s in spoken]
    matcher = SequenceMatcher(None, page_keys, spoken_keys, autojunk=False)
    times: list[tuple[int, int] | None] = [None] * len(words)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                times[i] = (spoken[j].start, spoken[j].end)
        elif i2 > i1 and j2 > j1:
            for i, piece in zip(range(i1, i2), _split(list(words[i1:i2]), list(spoken[j1:j2]), text), strict=True):
                times[i] = piece
    result, previous = [], 0
    for i, (first, last, _) in enumerate(words):
        span = times[i]
        if span is None:  # not spoken: an instant where it falls
            following = next((t[0] for t in times[i + 1 :] if t is not None), None)
            at = previous if following is None else min(max(previous, 0), following)
            span = (at, at)
        start = max(span[0], previous)
        end = max(span[1], start)
        result.append((start, end, first, last))
        previous = end
    return result
