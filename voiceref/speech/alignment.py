"""Piper's phoneme durations summed into words.

Piper reports how many samples each phoneme of a sentence lasts, but not which word a
phoneme belongs to, and in context espeak-ng joins and reduces words ("of the" becomes
one phoneme word, ʌvðə; "the" before a vowel is ðɪ). So the sentence's phoneme words are
aligned with each text word's phonemes said alone: first word by word (words that sound
the same anchor), then, between anchors, phoneme by phoneme with a small edit-distance
alignment in which word boundaries line up with word boundaries.
"""

from __future__ import annotations

from difflib import SequenceMatcher

STRESS = ("ˈ", "ˌ")
NOT_SOUNDS = set(" ^$_.,;:!?\"'()-") | set(STRESS)  # boundaries, punctuation and stress marks
BOUNDARY = "|"
MAX_CELLS = 40_000  # beyond this a run between anchors is shared out by length


def sounds(phonemes: str) -> str:
    """Return only the phonemes that are sounds: no stress marks, spaces or punctuation."""
    return "".join(p for p in phonemes if p not in NOT_SOUNDS)


def heard_words(heard: list[tuple[str, int]]) -> list[list[tuple[str, int, int]]]:
    """Group a sentence's (phoneme, samples) into words of (sound, start, end) samples.

    A stress mark's time belongs to the sound after it; spaces, pauses and punctuation
    end a word and belong to none.
    """
    words: list[list[tuple[str, int, int]]] = [[]]
    position, pending = 0, None
    for phoneme, count in heard:
        if phoneme in STRESS:
            pending = position if pending is None else pending
        elif phoneme in NOT_SOUNDS:
            pending = None
            if words[-1]:
                words.append([])
        else:
            words[-1].append((phoneme, position if pending is None else pending, position + count))
            pending = None
        position += count
    return [w for w in words if w]


def _edit_owners(said: str, own: str) -> list[int]:
    """Return, for each character of `said`, the index of the character of `own` it aligns
    with (or the nearest one before it), by a minimum edit-distance alignment."""
    rows, cols = len(said), len(own)

    def substitution(a: str, b: str) -> int:
        if a == b:
            return 0
        return 2 if BOUNDARY in (a, b) else 1

    cost = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        cost[i][0] = i
    for j in range(1, cols + 1):
        cost[0][j] = j
    for i in range(1, rows + 1):
        for j in range(1, cols + 1):
            cost[i][j] = min(
                cost[i - 1][j - 1] + substitution(said[i - 1], own[j - 1]),
                cost[i - 1][j] + 1,
                cost[i][j - 1] + 1,
            )
    owners = [0] * rows
    i, j = rows, cols
    while i > 0:
        if j > 0 and cost[i][j] == cost[i - 1][j - 1] + substitution(said[i - 1], own[j - 1]):
            owners[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif j > 0 and cost[i][j] == cost[i][j - 1] + 1:
            j -= 1
        else:
            owners[i - 1] = max(j - 1, 0)
            i -= 1
    return owners


def _share(said: list[list[tuple[str, int, int]]], own: list[str]) -> list[list[tuple[int, int]]]:
    """Return, for each of the `own` words, the (start, end) of the heard sounds it takes."""
    taken: list[list[tuple[int, int]]] = [[] for _ in own]
    flat = [(s, a, b) for word in said for s, a, b in word]
    said_text = BOUNDARY.join("".join(s for s, _, _ in word) for word in said)
    own_text = BOUNDARY.join(own)
    owner_of = [number for number, word in enumerate(own) for _ in word + BOUNDARY][: len(own_text)]
    if len(said_text) * len(own_text) <= MAX_CELLS:
        owners = _edit_owners(said_text, own_text)
        chars = [k for k, c in enumerate(said_text) if c != BOUNDARY]
        for (_, start, end), k in zip(flat, chars, strict=True):
            taken[owner_of[owners[k]]].append((start, end))
        return taken
    total = sum(len(w) for w in own) or 1
    for index, (_, start, end) in enumerate(flat):
        share, word = index / len(flat) * total, 0
        while word < len(own) - 1 and share >= len(own[word]):
            share -= len(own[word])
            word += 1
        taken[word].append((start, end))
    return taken


def word_samples(own: list[str], heard: list[tuple[str, int]]) -> list[tuple[int, int] | None]:
    """Return each word's (start, end) sample in a sentence from its phonemes' durations.

    `own` holds each text word's phonemes said alone; `heard` the sentence's phonemes as
    spoken, each with how many samples it lasted. A word with no sound of its own gets None.
    """
    own = [sounds(p) for p in own]
    said = heard_words(heard)
    taken: list[list[tuple[int, int]]] = [[] for _ in own]
    matcher = SequenceMatcher(None, ["".join(s for s, _, _ in w) for w in said], own, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                taken[j].extend((a, b) for _, a, b in said[i])
        elif j2 > j1 and i2 > i1:
            for j, spans in zip(range(j1, j2), _share(said[i1:i2], own[j1:j2]), strict=True):
                taken[j].extend(spans)
        elif i2 > i1 and own:  # sounds said in context only: they join the word before
            j = max(j1 - 1, 0)
            taken[j].extend((a, b) for word in said[i1:i2] for _, a, b in word)
    return [(min(a for a, _ in t), max(b for _, b in t)) if t else None for t in taken]
