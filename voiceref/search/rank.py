"""Rank documents by how much of the query they match, and where.

Every slot of a query plan weighs what its rarity says it is worth (BM25's idf): "ms" is on
nearly every page and weighs almost nothing, "ocrevus" weighs a lot. A document's *coverage*
is the share of that weight it matches at all; its *score* also counts where each slot
matched (title 1.0, aliases 0.9, summary 0.6, headings 0.5, body 0.2–0.35) and adds a little
when neighbouring query words stand together in a title, alias, summary or heading, and more
when the whole query is a title or alias. A document must cover half the query's weight and
score at least 0.15 (one mention of every word in a body scores 0.2): a query about something
the site does not cover gets "no results", not every page that shares one word with it.

Postings are read block by block straight from Whoosh's segment files (no word positions are
stored): for a word in 9,000 of 10,000 documents this took 2–4 ms, where Whoosh's own scored
search took 18 ms on the same index and 55–100 ms with positions stored.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from whoosh.codec.whoosh3 import W3LeafMatcher

from .query import FILLER, QueryPlan, Slot, words_of

FIELD_WEIGHTS = (("title", 1.0), ("aliases", 0.9), ("summary", 0.6), ("headings", 0.5))
BODY_WEIGHT = (0.2, 0.35)  # one mention, and the limit as mentions grow
TITLE_LENGTH_PENALTY = 0.25  # a title of n terms counts 1 - 0.25 * (1 - 1/sqrt(n))
LITERAL_FACTOR = 0.5  # an everyday phrase's own words count half as much as what it means
MIN_COVERAGE = 0.5  # below this share of the query's weight, a document is not an answer
MIN_SCORE = 0.15  # nor below this score: the words are only scattered through its body
UNKNOWN_WEIGHT = 0.75  # a real word no article uses, as a share of the weight of the rarest word
WEAK_SHARE = 0.5  # a judging word weighs at most this share of the other words' mean weight
EXACT_BONUS = 0.5  # the whole query is this document's title or alias
LABEL_BONUS = 0.25  # a title or alias stands whole in the query (times the share it covers)
PAIR_BONUS = 0.2  # two neighbouring query words stand together in a short field

Leaves = list[tuple[object, int]]  # (segment reader, first document number)
Postings = dict[int, float]  # document number -> how often the term occurs


@dataclass(frozen=True)
class Ranking:
    """The documents that answer a query, best first."""

    docnums: tuple[int, ...] = ()

    @property
    def total(self) -> int:
        """Return how many documents answer the query."""
        return len(self.docnums)


def idf(doc_frequency: int, doc_count: int) -> float:
    """Return BM25's inverse document frequency: near 0 for a word on every page."""
    return math.log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


def read_postings(leaves: Leaves, field: str, term: str) -> Postings:
    """Return every document holding `term` in `field`, with its frequency there."""
    found: Postings = {}
    for reader, offset in leaves:
        if (field, term) not in reader:
            continue
        matcher = reader.postings(field, term)
        if isinstance(matcher, W3LeafMatcher):
            _read_blocks(matcher, offset, found)
            continue
        while matcher.is_active():  # any other codec: one posting at a time
            found[matcher.id() + offset] = matcher.weight()
            matcher.next()
    return found


def _read_blocks(matcher: W3LeafMatcher, offset: int, found: Postings) -> None:
    """Read a whole block of ids and weights at a time (Whoosh 2.7's block layout)."""
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        found.update(zip([docnum + offset for docnum in matcher._ids], matcher._weights, strict=True))
        if matcher._lastblock:
            break
        matcher._next_block()


def slot_matches(leaves: Leaves, slot: Slot) -> dict[int, float]:
    """Return each document that satisfies `slot`, with the weight of the best field it did.

    A title counts a little less the longer it is, so "Treatments that change the course of
    MS" outranks a news title that mentions a treatment among eight other words.
    """
    best: dict[int, float] = {}
    low, high = BODY_WEIGHT
    groups = [(group, 1.0) for group in slot.alternatives]
    if slot.literal:
        groups.append((slot.literal, LITERAL_FACTOR))
    for group, factor in groups:
        for field, weight in (*FIELD_WEIGHTS, ("body", None)):
            found = _all_of(leaves, field, group)
            for docnum, freq in found.items():
                if weight is None:
                    score = low + (high - low) * (freq - 1) / (freq + 1)
                elif field == "title":
                    score = weight * (1 - TITLE_LENGTH_PENALTY * (1 - 1 / math.sqrt(_length(leaves, docnum, field))))
                else:
                    score = weight
                score *= factor
                if score > best.get(docnum, 0.0):
                    best[docnum] = score
    return best


def _length(leaves: Leaves, docnum: int, field: str) -> int:
    """Return how many terms `field` of a document holds (at least 1)."""
    for reader, offset in reversed(leaves):
        if docnum >= offset:
            return max(1, reader.doc_field_length(docnum - offset, field, 1))
    return 1


def _all_of(leaves: Leaves, field: str, terms: tuple[str, ...]) -> Postings:
    """Return the documents holding every one of `terms` in `field` (the rarest frequency)."""
    found = read_postings(leaves, field, terms[0])
    for term in terms[1:]:
        if not found:
            break
        other = read_postings(leaves, field, term)
        found = {docnum: min(freq, other[docnum]) for docnum, freq in found.items() if docnum in other}
    return found


def rank(
    leaves: Leaves,
    doc_count: int,
    plan: QueryPlan,
    matches_of: Callable[[Slot], dict[int, float]],
    labelled: Callable[[tuple[str, ...]], tuple[int, ...]],
) -> Ranking:
    """Rank the documents for `plan`; `labelled` returns the documents a title or alias names."""
    matches = [matches_of(slot) if not slot.unknown else {} for slot in plan.slots]
    weights = _weights(plan.slots, matches, doc_count)
    total = sum(weights)
    if not any(matches) or total <= 0:
        return Ranking()
    coverage: dict[int, float] = {}
    score: dict[int, float] = {}
    # A judging word ("best", "good") adds to the score but is never needed for coverage.
    required = [not slot.weak for slot in plan.slots] if not all(s.weak for s in plan.slots) else None
    for n, (found, weight) in enumerate(zip(matches, weights, strict=True)):
        counts = required is None or required[n]
        for docnum, where in found.items():
            if counts:
                coverage[docnum] = coverage.get(docnum, 0.0) + weight
            score[docnum] = score.get(docnum, 0.0) + weight * where
    needed = total if required is None else sum(w for w, r in zip(weights, required, strict=True) if r)
    floor = (MIN_COVERAGE - 1e-9) * needed
    covered = [docnum for docnum, weight in coverage.items() if weight >= floor]
    if not covered:
        return Ranking()
    good = MIN_SCORE * total
    kept = {docnum: score[docnum] / total for docnum in covered if score[docnum] >= good}
    if not kept:
        return Ranking()
    for docnum, bonus in _bonuses(leaves, plan, weights, total, labelled).items():
        if docnum in kept:
            kept[docnum] += bonus
    return Ranking(tuple(sorted(kept, key=lambda docnum: (-kept[docnum], docnum))))


def _weights(slots: tuple[Slot, ...], matches: list[dict[int, float]], doc_count: int) -> list[float]:
    """Return what each slot is worth: its rarity; a set share of the rarest if no page uses it;
    and for a judging word at most half what the words it judges weigh on average."""
    weights = [
        idf(1, doc_count) * UNKNOWN_WEIGHT if slot.unknown else idf(len(found), doc_count)
        for slot, found in zip(slots, matches, strict=True)
    ]
    named = [weight for slot, weight in zip(slots, weights, strict=True) if not slot.weak]
    if named:
        cap = WEAK_SHARE * sum(named) / len(named)
        weights = [min(w, cap) if slot.weak else w for slot, w in zip(slots, weights, strict=True)]
    return weights


def _bonuses(
    leaves: Leaves,
    plan: QueryPlan,
    weights: list[float],
    total: float,
    labelled: Callable[[tuple[str, ...]], tuple[int, ...]],
) -> dict[int, float]:
    """Return extra score for nearness: neighbouring words, and whole titles or aliases."""
    bonus: dict[int, float] = {}
    slots = plan.slots
    for i in range(len(slots) - 1):
        first, second = slots[i], slots[i + 1]
        if first.unknown or second.unknown:
            continue
        tokens = {f"{a}_{b}" for a in _single_terms(first) for b in _single_terms(second)}
        share = PAIR_BONUS * (weights[i] + weights[i + 1]) / total
        together: set[int] = set()
        for token in tokens:
            together.update(read_postings(leaves, "pairs", token))
        for docnum in together:
            bonus[docnum] = bonus.get(docnum, 0.0) + share
    # The query's words, each with the slot it came from, to weigh a title found whole in it.
    words = plan.words
    for docnum in labelled(tuple(word for word, _ in words)):
        bonus[docnum] = bonus.get(docnum, 0.0) + EXACT_BONUS
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            part = words[start : start + size]
            share = LABEL_BONUS * sum(weights[i] for i in {i for _, i in part if i is not None}) / total
            if share <= 0:
                continue
            for docnum in labelled(tuple(word for word, _ in part)):
                bonus[docnum] = bonus.get(docnum, 0.0) + share
    return bonus


def _single_terms(slot: Slot) -> list[str]:
    """Return the one-word alternatives of a slot (the only ones that can stand in a pair)."""
    return [group[0] for group in slot.alternatives if len(group) == 1][:3]


def label_words(label: str) -> tuple[str, ...]:
    """Return the words of a title or alias that a query must contain to match it whole."""
    return tuple(word for word in words_of(label) if word not in FILLER)
