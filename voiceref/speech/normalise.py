"""Text normalisation for the voice: a chain of small, pure steps (gTTS pre_processors style).

Each step takes text and returns text; `normalise` runs them in order. The order matters:
markup and URLs go first, abbreviations are expanded before numbers are spoken, and
pronunciations come last so that they also respell words that other steps produced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from num2words import num2words

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_MONTH = "|".join(MONTHS) + "|" + "|".join(m[:3] for m in MONTHS) + "|Sept"
_MONTH_NUMBER = {m.casefold(): i for i, m in enumerate(MONTHS, 1)} | {
    m[:3].casefold(): i for i, m in enumerate(MONTHS, 1)
} | {"sept": 9}

# Abbreviations every article may use; the lexicon can override any of them.
COMMON_ABBREVIATIONS = {
    "e.g.": "for example", "i.e.": "that is", "etc.": "et cetera", "vs.": "versus", "vs": "versus",
    "approx.": "approximately", "Dr": "Doctor", "Dr.": "Doctor", "Prof.": "Professor", "No.": "number",
}

# Units after a number: (singular, plural). Matched case-sensitively, so "mg" is not "Mg".
UNITS = {
    "mg": ("milligram", "milligrams"), "mcg": ("microgram", "micrograms"), "µg": ("microgram", "micrograms"),
    "g": ("gram", "grams"), "kg": ("kilogram", "kilograms"), "ml": ("millilitre", "millilitres"),
    "mL": ("millilitre", "millilitres"), "l": ("litre", "litres"), "L": ("litre", "litres"),
    "mm": ("millimetre", "millimetres"), "cm": ("centimetre", "centimetres"), "m": ("metre", "metres"),
    "km": ("kilometre", "kilometres"), "mmHg": ("millimetre of mercury", "millimetres of mercury"),
    "°C": ("degree Celsius", "degrees Celsius"), "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "h": ("hour", "hours"), "hr": ("hour", "hours"), "hrs": ("hours", "hours"), "min": ("minute", "minutes"),
    "mins": ("minutes", "minutes"), "sec": ("second", "seconds"), "ms": ("millisecond", "milliseconds"),
    "Hz": ("hertz", "hertz"), "T": ("tesla", "tesla"),
}
PER = {"day": "a day", "d": "a day", "week": "a week", "wk": "a week", "month": "a month", "year": "a year",
       "h": "an hour", "hr": "an hour", "kg": "per kilogram", "min": "a minute"}
CURRENCIES = {"$": ("dollar", "dollars"), "£": ("pound", "pounds"), "€": ("euro", "euros")}
SYMBOLS = {"&": " and ", "+": " plus ", "=": " equals ", "×": " times ", "~": " about ", "≈": " about ",
           "<": " less than ", ">": " more than ", "≤": " at most ", "≥": " at least "}

YEAR_CUES = (
    "in|since|from|by|until|till|before|after|during|of|year|around|early|late|mid|to|and|the"
    "|between"
)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DASH = r"\s?[-–—]\s?"


def _words(value: float | int, to: str = "cardinal") -> str:
    """Say a number in words, without the commas num2words puts after millions."""
    return num2words(value, to=to, lang="en").replace(",", "")


def _number(text: str) -> float | int:
    text = text.replace(",", "")
    return float(text) if "." in text else int(text)


def _say_number(text: str) -> str:
    """Say '2,800' as a cardinal, '1.50' digit by digit after the point, '007' as digits."""
    if re.fullmatch(r"0\d+", text):
        return " ".join(_words(int(d)) for d in text)
    if "." in text:
        whole, frac = text.replace(",", "").split(".")
        return f"{_words(int(whole))} point " + " ".join(_words(int(d)) for d in frac)
    return _words(_number(text))


def strip_urls(text: str) -> str:
    """Drop web and e-mail addresses, and what is left of '(see …)' around them."""
    text = re.sub(r"\b(?:https?://|www\.)[^\s)\]>]*[^\s)\]>.,;:!?]", " ", text)
    text = re.sub(r"\b[\w.+-]+@[\w-]+\.[\w.-]*\w", " ", text)
    return re.sub(r"\(\s*(?:see|at|visit|from)?\s*\)", " ", text, flags=re.IGNORECASE)


def strip_footnote_markers(text: str) -> str:
    """Drop footnote markers such as [1], [^2], ¹ and †."""
    text = re.sub(r"\[\^?\d+(?:[,–-]\s*\d+)*\]", "", text)
    return re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰†‡§¶]+", "", text)


def strip_markup(text: str) -> str:
    """Drop characters that are markup, not words: * _ # ` | [ ] { } < > ^ \\."""
    text = re.sub(r"<[^>\s][^>]*>", " ", text)  # stray tags
    text = re.sub(r"[*_#`|\[\]{}^\\]+", " ", text)
    return re.sub(r"(?<!\w)[<>](?!\s?\d)", " ", text)


@lru_cache(maxsize=16)
def abbreviation_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Return the regex that finds any of `words` whole and case-sensitively (plurals too)."""
    alternation = "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])({alternation})(s?)(?![\w])")


def expand_abbreviations(text: str, abbreviations: Mapping[str, str]) -> str:
    """Replace whole-word abbreviations (case-sensitive) with their spoken form.

    A plural such as MRIs becomes "M R I's" when the expansion ends in a spelt letter,
    so espeak says "eyes" and not "is".
    """
    if not abbreviations:
        return text

    def replace(match: re.Match[str]) -> str:
        spoken = abbreviations[match.group(1)]
        if match.group(2):
            return spoken + ("'s" if re.search(r"(?:^|\s)[A-Z]$", spoken) else "s")
        return spoken

    return abbreviation_pattern(tuple(abbreviations)).sub(replace, text)


def speak_dates(text: str) -> str:
    """Say dates: 24 November 2026, November 24, 2026 and 2026-11-24."""

    def iso(match: re.Match[str]) -> str:
        year, month, day = (int(g) for g in match.groups())
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return match.group(0)
        return f"the {_words(day, 'ordinal')} of {MONTHS[month - 1]} {_words(year, 'year')}"

    def day_month(match: re.Match[str]) -> str:
        day, month, year = match.group(1), match.group(2), match.group(3)
        name = MONTHS[_MONTH_NUMBER[month.rstrip(".").casefold()] - 1]
        spoken = f"the {_words(int(day), 'ordinal')} of {name}"
        return spoken + (f" {_words(int(year), 'year')}" if year else "")

    def month_day(match: re.Match[str]) -> str:
        month, day, year = match.group(1), match.group(2), match.group(3)
        name = MONTHS[_MONTH_NUMBER[month.rstrip(".").casefold()] - 1]
        spoken = f"{name} {_words(int(day), 'ordinal')}"
        return spoken + (f" {_words(int(year), 'year')}" if year else "")

    def month_year(match: re.Match[str]) -> str:
        return f"{match.group(1)} {_words(int(match.group(2)), 'year')}"

    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", iso, text)
    text = re.sub(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH})\.?(?:,? (\d{{4}}))?\b", day_month, text
    )
    text = re.sub(
        rf"\b({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?(?:, (\d{{4}}))?\b(?!\d)", month_day, text
    )
    text = re.sub(rf"\b({'|'.join(MONTHS)}) (\d{{4}})\b", month_year, text)
    return text


def speak_years(text: str) -> str:
    """Say years as years ('in 1993' → 'in nineteen ninety-three') and decades ('1990s')."""

    def decade(match: re.Match[str]) -> str:
        number = int(match.group(1))
        spoken = _words(number, "year") if number >= 1000 else _words(number)
        return spoken[:-1] + "ies" if spoken.endswith("y") else spoken + "s"

    text = re.sub(r"\b(1[5-9]\d0|20\d0|[2-9]0)'?s\b", decade, text)
    return re.sub(
        rf"\b({YEAR_CUES}) (1[5-9]\d\d|20\d\d)\b(?![.,]\d|\s?%)",
        lambda m: f"{m.group(1)} {_words(int(m.group(2)), 'year')}",
        text,
        flags=re.IGNORECASE,
    )


def speak_ranges(text: str) -> str:
    """Say ranges with 'to': 10–20 → 10 to 20, and 1990–1995 as two years."""

    def replace(match: re.Match[str]) -> str:
        low, high = match.group(1), match.group(2)
        if all(re.fullmatch(r"1[5-9]\d\d|20\d\d", n) for n in (low, high)):
            return f"{_words(int(low), 'year')} to {_words(int(high), 'year')}"
        return f"{low} to {high}"

    return re.sub(rf"(?<![\w.-])({_NUMBER}){_DASH}({_NUMBER})(?![\d])", replace, text)


def speak_percentages(text: str) -> str:
    """Say 50% as 'fifty percent'."""
    return re.sub(rf"({_NUMBER})\s?%", lambda m: f"{_say_number(m.group(1))} percent", text)


def speak_currency(text: str) -> str:
    """Say $100 as 'one hundred dollars' and £2.5 million as 'two point five million pounds'."""

    def replace(match: re.Match[str]) -> str:
        singular, plural = CURRENCIES[match.group(1)]
        amount, scale = match.group(2), match.group(3) or ""
        unit = singular if _number(amount) == 1 and not scale else plural
        return f"{_say_number(amount)} {scale + ' ' if scale else ''}{unit}"

    return re.sub(rf"([$£€])\s?({_NUMBER})(?: (million|billion|thousand))?", replace, text)


_UNIT_PATTERN = re.compile(
    rf"({_NUMBER})\s?({'|'.join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))})"
    rf"(?:/({'|'.join(re.escape(p) for p in sorted(PER, key=len, reverse=True))}))?(?![\w°])"
)


def speak_units(text: str) -> str:
    """Say units after numbers: 5 mg → 5 milligrams, 20 mg/day → 20 milligrams a day."""

    def replace(match: re.Match[str]) -> str:
        amount, unit, rate = match.group(1), match.group(2), match.group(3)
        singular, plural = UNITS[unit]
        spoken = f"{amount} {singular if amount == '1' else plural}"
        return spoken + (f" {PER[rate]}" if rate else "")

    return _UNIT_PATTERN.sub(replace, text)


def speak_ordinals(text: str) -> str:
    """Say 1st, 22nd, 103rd as words."""
    return re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: _words(int(m.group(1)), "ordinal"), text)


def speak_numbers(text: str) -> str:
    """Say the remaining numbers as words: 2,800 → two thousand eight hundred."""
    text = re.sub(r"(?<=\d)/(?=\d)", " out of ", text)
    return re.sub(rf"(?<![\w.])({_NUMBER})(?![\d])", lambda m: _say_number(m.group(1)), text)


def speak_symbols(text: str) -> str:
    """Say the symbols that carry meaning (&, +, ≥); dashes and slashes become pauses and 'or'."""
    text = re.sub(r"\s[–—]\s|—", ", ", text)
    text = text.replace("and/or", "and or")
    text = re.sub(r"(?<=[a-z])/(day|week|month|year)\b", r" a \1", text)
    for symbol, spoken in SYMBOLS.items():
        text = text.replace(symbol, spoken)
    return re.sub(r"(?<=\w)/(?=\w)", " or ", text)


def respell(spoken: str) -> str:
    """Return a respelling in the form espeak-ng says as one word: 'my-oh-cloh-nuss'.

    pyttsx3's espeak driver calls espeak_Synth without the espeakPHONEMES flag, so
    [[phoneme]] input is read out letter by letter; a hyphen-joined respelling is the
    form it honours. Capitals (the stressed syllable in the lexicon) are lowered so
    that espeak never spells a syllable out as an abbreviation. Phonemes in [[ ]], for
    an engine that takes them (Piper), are kept as they are.
    """
    if spoken.startswith("[["):
        return spoken
    return "-".join(part.lower() for part in re.split(r"[\s-]+", spoken.strip()) if part)


def plural(spoken: str, ending: str = "s") -> str:
    """Return a respelling with its plural or possessive `ending`; for [[phonemes]], inside them."""
    if not spoken.startswith("[["):
        return spoken + ending
    phonemes = spoken[2:-2].rstrip("ˈˌː")
    if phonemes.endswith(("s", "z", "ʃ", "ʒ")):
        ending = "ɪz"
    elif phonemes.endswith(("p", "t", "k", "f", "θ")):
        ending = "s"
    else:
        ending = "z"
    return f"[[{spoken[2:-2]}{ending}]]"


@lru_cache(maxsize=16)
def pronunciation_rule(entries: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """Return the regex that finds the lexicon's words (any case, plurals too), and their respellings."""
    lookup = {word.casefold(): respell(spoken) for word, spoken in entries}
    alternation = "|".join(re.escape(w) for w in sorted((w for w, _ in entries), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternation})('s|s)?(?![\w-])", re.IGNORECASE), lookup


def apply_pronunciations(text: str, pronunciations: Mapping[str, str]) -> str:
    """Replace whole words (any case, also plurals in -s) with their respelling."""
    if not pronunciations:
        return text
    pattern, lookup = pronunciation_rule(tuple(pronunciations.items()))

    def replace(match: re.Match[str]) -> str:
        spoken = lookup[match.group(1).casefold()]
        return plural(spoken, match.group(2)) if match.group(2) else spoken

    return pattern.sub(replace, text)


def tidy(text: str) -> str:
    """Collapse spaces, drop spaces before punctuation and repeated punctuation."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"\.(?:\s*\.)+", ".", text)
    text = re.sub(r"\(\s*\)", "", text)
    return text.strip(" ,;:")


def normalise(
    text: str,
    abbreviations: Mapping[str, str] | None = None,
    pronunciations: Mapping[str, str] | None = None,
) -> str:
    """Run every step over one sentence and return what the voice should say."""
    text = strip_urls(text)
    text = strip_footnote_markers(text)
    text = strip_markup(text)
    text = expand_abbreviations(text, {**COMMON_ABBREVIATIONS, **(abbreviations or {})})
    text = speak_dates(text)
    text = speak_ranges(text)
    text = speak_years(text)
    text = speak_percentages(text)
    text = speak_currency(text)
    text = speak_units(text)
    text = speak_ordinals(text)
    text = speak_numbers(text)
    text = speak_symbols(text)
    text = apply_pronunciations(text, pronunciations or {})
    return tidy(text)
