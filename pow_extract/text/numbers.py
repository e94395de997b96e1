"""The number reader: every number an English news text writes, with its offsets.

One reader for the whole package. It finds

* digits, grouped or not: ``195``, ``1,212``, ``1 212`` (a space, no-break space or thin space between groups),
  ``3.035`` is *not* read as 3035 (a decimal point is ambiguous), and a number glued to letters or a hyphen after a
  letter (``Il-76``, ``F-16``, ``COVID-19``) is not a number of anything;
* ordinals in digits: ``50th``, ``2nd``;
* numbers in words, hyphenated or not: ``three``, ``Ninety-five``, ``one hundred and twenty``, ``a thousand``;
* ordinals in words: ``sixth``, ``fifty-sixth``, ``twenty first``;

and not the "one" of "one of the largest swaps" (a rank, not a number of anything).

Each :class:`NumberMention` keeps its exact character span, so a figure can always be traced to its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["NumberMention", "find_numbers", "read_number"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ORDINAL_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
}  # fmt: skip
_ORDINAL_TENS = {
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_ORDINAL_SCALES = {"hundredth": 100, "thousandth": 1_000}
_WORDS = {**_UNITS, **_TENS, **_ORDINAL_UNITS, **_ORDINAL_TENS, **_SCALES, **_ORDINAL_SCALES}
_WORD = "|".join(sorted([*_WORDS, "a", "and"], key=len, reverse=True))
_WORD_RUN = re.compile(rf"\b(?:{_WORD})(?:[ \t-]+(?:{_WORD}))*\b", re.IGNORECASE)
#: "one of the largest exchanges": a superlative after "one of the" ranks, it counts nothing
_ONE_OF_THE_MOST = re.compile(r"\s+of\s+the\s+(?:[a-z]+est|most|least|best|worst)\b")
#: "every one of them", "no one", "each one": a determiner makes "one" a pronoun, it counts nobody
_ONE_AS_PRONOUN = re.compile(r"\b(?:every|each|no|any)\s+$", re.IGNORECASE)
_SEPARATOR = "[,\u00a0\u202f\u2009 ]"
_DIGITS = re.compile(
    rf"(?<![\w.,:/\u00a0\u202f\u2009-])(\d{{1,3}}(?:{_SEPARATOR}\d{{3}})+(?!\d)|\d+)(st|nd|rd|th)?(?![\w%]|[.,:/]\d)"
)


@dataclass(frozen=True)
class NumberMention:
    """One number written in a text.

    Attributes:
        start: Offset of its first character.
        end: Offset after its last character (``text[start:end] == self.text``).
        value: Its value (``1,212`` -> 1212, ``Ninety-five`` -> 95, ``56th`` -> 56).
        ordinal: True for ordinals (``56th``, ``sixth``).
        words: True when written in words.
        text: The characters as written.
    """

    start: int
    end: int
    value: int
    ordinal: bool
    words: bool
    text: str


def _words_value(tokens: list[str]) -> tuple[int, bool] | None:
    """Value of a run of number words (``["one", "hundred", "and", "twenty"]`` -> 120); None if it is not one."""
    total = current = 0
    ordinal = seen = False
    for token in tokens:
        word = token.lower()
        if word == "and":
            continue
        if word == "a":
            current = max(current, 1)
            continue
        if ordinal:
            return None  # nothing follows an ordinal word
        value = _WORDS[word]
        if word in _SCALES or word in _ORDINAL_SCALES:
            current = max(current, 1) * value
            if value >= 1_000:
                total, current = total + current, 0
        elif value < 20 and (current % 100 == 0 or (current % 100 >= 20 and current % 10 == 0 and value < 10)):
            current += value  # "five", "hundred and five", "twenty-one"
        elif value >= 20 and current % 100 == 0:
            current += value  # "ninety", "one hundred ninety"
        else:
            return None  # "five six", "twenty thirty": two numbers, not one
        ordinal = word in _ORDINAL_UNITS or word in _ORDINAL_TENS or word in _ORDINAL_SCALES
        seen = True
    return (total + current, ordinal) if seen else None


def read_number(token: str) -> int | None:
    """The value of one written number (``"1,212"``, ``"1 212"``, ``"ninety-five"``, ``"56th"``), else None."""
    found = find_numbers(token.strip())
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(token.strip()):
        return found[0].value
    return None


@lru_cache(maxsize=8)
def find_numbers(text: str) -> tuple[NumberMention, ...]:
    """Every number written in ``text``, in order of position (cached: rules ask for the same text repeatedly)."""
    found: list[NumberMention] = []
    for match in _DIGITS.finditer(text):
        value = int(re.sub(r"\D", "", match.group(1)))
        found.append(NumberMention(match.start(), match.end(), value, bool(match.group(2)), False, match.group(0)))
    for match in _WORD_RUN.finditer(text):
        found.extend(
            n
            for n in _word_numbers(text, match.start(), match.group(0))
            if not (
                n.text.lower() == "one"
                and (_ONE_OF_THE_MOST.match(text, n.end) or _ONE_AS_PRONOUN.search(text, 0, n.start))
            )
        )
    return tuple(sorted(found, key=lambda n: n.start))


def _word_numbers(text: str, offset: int, run: str) -> list[NumberMention]:
    """The numbers in one run of number words; a run the reader cannot read as one number is split at its gaps."""
    pieces = [(m.start(), m.group(0)) for m in re.finditer(r"[A-Za-z]+", run)]
    # "a" and "and" only join numbers ("a hundred", "one hundred and five"); at either end they are plain words
    while pieces and pieces[0][1].lower() in ("a", "and"):
        if pieces[0][1].lower() == "a" and len(pieces) > 1 and pieces[1][1].lower() in _SCALES:
            break
        pieces.pop(0)
    while pieces and pieces[-1][1].lower() in ("a", "and"):
        pieces.pop()
    if not pieces or (len(pieces) == 1 and pieces[0][1].lower() in {*_SCALES, *_ORDINAL_SCALES}):
        return []  # "million", "thousands" alone count nothing
    got = _words_value([word for _, word in pieces])
    if got is None:
        if len(pieces) == 1:
            return []
        middle = len(pieces) // 2
        left = run[: pieces[middle][0]]
        right_start = pieces[middle][0]
        return _word_numbers(text, offset, left) + _word_numbers(text, offset + right_start, run[right_start:])
    start = offset + pieces[0][0]
    end = offset + pieces[-1][0] + len(pieces[-1][1])
    return [NumberMention(start, end, got[0], got[1], True, text[start:end])]
