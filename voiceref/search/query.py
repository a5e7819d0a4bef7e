"""Turn what people type into a search plan: the things asked about, never query syntax.

People ask in sentences ("how long do steroids take to work"), in everyday words ("knackered",
"wee"), in short forms ("vit d") and with typos. The plan keeps one *slot* per thing asked
about; question and filler words make no slot, so they can never knock out an answer. A slot
lists the index terms that would satisfy it: the word's stem, the terms an everyday phrase
means (from the vocabulary), or the index words a misspelling is close to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from whoosh.analysis import StemmingAnalyzer
from whoosh.lang.porter import stem as porter_stem

MAX_WORDS = 12
MAX_PHRASE_WORDS = 6
MAX_CORRECTIONS = 4  # a look-up for close words costs milliseconds: a query of typos pays for few
WORD = re.compile(r"\w+", re.UNICODE)
_POSSESSIVE = re.compile(r"(\w)['’]s\b")
_CONTRACTION = re.compile(r"(\w)['’](\w)")
_index_terms = StemmingAnalyzer()

# Words that say how something is asked, not what about. A word that can name a topic
# ("work", "help", "long", "ill") is not here: it stays a slot and weighs what it is worth.
FILLER = frozenset(
    """
    a about absolutely also am an and any anyone anything are arent as at awfully be been being
    but by can cannot cant completely could couldnt did didnt do does doesnt doing done dont e
    each else even ever every everyone everything extremely for from g get gets getting go going
    got had has hasnt have havent having he her hers herself him himself his how hows i id ie if
    im in into is isnt it its itself ive just keep keeps keeping kept kind know let lot lots many
    me mean means might mine more most much must my myself need needs no not nothing of off on
    one or other our ours ourselves out over please pretty quite really right said say says shall
    she should shouldnt so some someone something sort still such super tell terribly than thank
    thanks that thats the their theirs them themselves then there theres these they theyre thing
    things think this those to too totally up us very want wants was wasnt way we were werent
    what whats when where which while who whom whose why will with wont would wouldnt yes yet you
    youre your yours yourself
    """.split()
)


# Words that change nothing in an everyday phrase: "pain behind my eye", "the eye", "an eye".
DETERMINERS = frozenset("a an the my your his her their our its this that these those".split())

# Words that judge or say how often rather than name ("best treatment", "is exercise good",
# "constant worry"): kept, so they can still help, but they weigh little and are never needed.
WEAK = frozenset(
    """
    always bad best better cause caused causes common constant constantly different difference
    feel feeling feels felt frequent frequently good happen happens help helps long look looks
    normal occasional often possible safe seem seems sometimes start started starts stop sudden
    suddenly take takes usual usually work works worst
    """.split()
)


@dataclass(frozen=True)
class CleanQuery:
    """User text made safe to show and search: printable, trimmed, bounded."""

    text: str
    truncated: bool = False


def clean_query(raw: str | None, max_length: int) -> CleanQuery:
    """Drop control and unprintable characters, fold spaces, and cap the length."""
    raw = raw or ""
    kept = "".join(
        " " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in raw
    )
    text = " ".join(kept.split())
    if len(text) > max_length:
        return CleanQuery(text[:max_length].rstrip(), truncated=True)
    return CleanQuery(text)


def words_of(text: str) -> list[str]:
    """Return the lower-case words of `text`, at most MAX_WORDS of them.

    "Lhermitte's" is "lhermitte", as the index has it; "can't" and "I'm" are "cant" and "im".
    """
    text = _CONTRACTION.sub(r"\1\2", _POSSESSIVE.sub(r"\1", text.casefold()))
    return WORD.findall(text)[:MAX_WORDS]


def stem(word: str) -> str:
    """Return the stem used to match everyday phrases (stop words are stemmed too)."""
    return porter_stem(word)


def index_terms(text: str) -> tuple[str, ...]:
    """Return the index terms `text` becomes (none for a stop word such as 'and')."""
    return tuple(token.text for token in _index_terms(text))


@dataclass(frozen=True)
class Slot:
    """One thing the query asks about, and the index terms that would satisfy it.

    Each alternative is a group of terms that must all occur in the same field of a document
    ("bladder problems" needs both words); any one alternative satisfies the slot.
    """

    typed: str
    words: tuple[str, ...]  # the words it stands for, for matching titles and aliases
    alternatives: tuple[tuple[str, ...], ...]
    unknown: bool = False  # a real word the site never uses: the query asks about something else
    weak: bool = False  # a word that judges rather than names (WEAK)
    literal: tuple[str, ...] = ()  # an everyday phrase's own words, which count for less

    @property
    def terms(self) -> frozenset[str]:
        """Return every index term that can satisfy the slot, for marking snippets."""
        return frozenset(term for group in (*self.alternatives, self.literal) for term in group)


@dataclass(frozen=True)
class QueryPlan:
    """The slots to match, the words as understood, and a spelling suggestion if any."""

    slots: tuple[Slot, ...]
    suggestion: str | None = None
    # The query as understood, each word with the number of its slot, or None for a word that
    # makes no slot but belongs to a title ("b" of "B cells") or one the site never uses.
    understood: tuple[tuple[str, int | None], ...] | None = None

    @property
    def words(self) -> tuple[tuple[str, int | None], ...]:
        """Return the query as understood: everyday phrases replaced by what they mean."""
        if self.understood is not None:
            return self.understood
        return tuple((word, n) for n, slot in enumerate(self.slots) if not slot.unknown for word in slot.words)


@dataclass(frozen=True)
class Knowledge:
    """What the planner may ask about the index: each a function, so tests can fake it."""

    knows: Callable[[str, tuple[str, ...]], bool]  # (word, its index terms) -> in the index?
    is_word: Callable[[str], bool]  # a real English word?
    corrections: Callable[[str], list[str]]  # index words close to a misspelt one, best first
    relatives: Callable[[str], list[str]] = lambda word: []  # index words of the same root


def plan_query(text: str, phrases: Mapping[tuple[str, ...], tuple[str, ...]], know: Knowledge) -> QueryPlan:
    """Plan a search for `text`.

    `phrases` maps the stems of an everyday phrase ("no", "energi") to the terms it means
    ("fatigue",); the longest phrase wins, and "a", "the", "my" and the like are skipped on
    both sides, so "pain behind my eye" is "pain behind the eye". A word the index lacks is
    corrected only when it is not a real English word: "ringing" is never turned into "running".
    """
    words = [word for word in words_of(text) if word not in DETERMINERS]
    stems = [stem(word) for word in words]
    slots: list[Slot] = []
    understood: list[tuple[str, int | None]] = []
    shown: list[str] = []
    changed = False
    corrected = 0
    i = 0
    while i < len(words):
        found = _longest_phrase(stems, i, phrases)
        if found:
            length, meanings = found
            typed = " ".join(words[i : i + length])
            slots.append(_phrase_slot(typed, meanings, know))
            understood.extend((word, len(slots) - 1) for word in slots[-1].words)
            shown.append(typed)
            i += length
            continue
        word = words[i]
        i += 1
        shown.append(word)
        terms = index_terms(word)
        if word in FILLER:
            continue
        if not terms:
            understood.append((word, None))  # "b" of "B cells": too short to index
            continue
        if know.knows(word, terms):
            slots.append(Slot(word, (word,), (terms,), weak=word in WEAK))
        elif word in WEAK:
            continue  # a judging word no page uses cannot help
        elif know.is_word(word):
            # "blurry" for "blurred", "pregnant" for "pregnancy": forms the stemmer keeps apart.
            groups = tuple(dict.fromkeys(index_terms(relative) for relative in know.relatives(word)))
            slots.append(Slot(word, (word,), groups, unknown=not groups))
            if not groups:
                understood.append((word, None))
                continue
        elif corrected < MAX_CORRECTIONS and (fixes := know.corrections(word)):
            corrected += 1
            changed = True
            shown[-1] = fixes[0]
            groups = {terms} | {index_terms(fix) for fix in fixes}
            slots.append(Slot(word, (fixes[0],), tuple(sorted(g for g in groups if g))))
        else:
            continue  # a typo too far from any word the site uses: it cannot help
        understood.append((slots[-1].words[0], len(slots) - 1))
    return QueryPlan(tuple(slots), " ".join(shown) if changed else None, tuple(understood))


def phrase_key(phrase: str) -> tuple[str, ...]:
    """Return the stems an everyday phrase is matched by, without "a", "the", "my" and so on."""
    return tuple(stem(word) for word in words_of(phrase) if word not in DETERMINERS)


def _longest_phrase(stems: list[str], start: int, phrases: Mapping[tuple[str, ...], tuple[str, ...]]):
    """Return (length, meanings) of the longest everyday phrase starting at `start`."""
    for length in range(min(MAX_PHRASE_WORDS, len(stems) - start), 0, -1):
        meanings = phrases.get(tuple(stems[start : start + length]))
        if meanings:
            return length, meanings
    return None


def _phrase_slot(typed: str, meanings: tuple[str, ...], know: Knowledge) -> Slot:
    """Make the slot for an everyday phrase: any of its meanings, or its own words if used."""
    groups = tuple(dict.fromkeys(group for group in map(index_terms, meanings) if group))
    # A page that says "stabbing pain" is found as well as one that says "neuropathic pain".
    own = [word for word in words_of(typed) if word not in FILLER and index_terms(word)]
    literal = index_terms(" ".join(own))
    if not literal or not all(know.knows(word, index_terms(word)) for word in own) or literal in groups:
        literal = ()
    words = tuple(words_of(meanings[0])) if len(meanings) == 1 else tuple(words_of(typed))
    return Slot(typed, words, groups, literal=literal)
