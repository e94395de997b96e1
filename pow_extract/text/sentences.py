"""Sentence splitting, script detection and cue words shared by the coding rules (``checks``, ``parts``)."""

from __future__ import annotations

import re
from functools import lru_cache

# People who died, are missing or are still held: not people handed over.
NOT_RETURNED = re.compile(
    r"\b(?:killed|died|dead|deaths?|crash(?:ed)?|on board|missing|still (?:held|in captivity)|remain(?:s|ed|ing)? in "
    r"captivity|being held|are held|were held|in custody|detained in|shot down)\b",
    re.IGNORECASE,
)
#: Word stems that name a side (a country, its capital or leader, a group): "Russia's Defence Ministry" -> Russia.
SIDE_STEMS = {
    "ukrain": "Ukraine", "kyiv": "Ukraine", "zelensk": "Ukraine", "russia": "Russia", "moscow": "Russia",
    "kremlin": "Russia", "putin": "Russia", "israel": "Israel", "hamas": "Hamas", "palestin": "Hamas",
    "emirat": "United Arab Emirates", "uae": "United Arab Emirates", "white house": "United States",
    "u.s.": "United States", "american": "United States", "armenia": "Armenia", "azerbaijan": "Azerbaijan",
    "venezuela": "Venezuela",
}  # fmt: skip
#: Month and weekday names as regex alternatives, for the date cues of the rules.
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_STOP = re.compile(r"[.!?][”\"]?\s+(?=[A-Z“\"])")


@lru_cache(maxsize=4)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence of ``text``; a line without a full stop (a headline) is one sentence.

    Cached: every rule asks for the sentences of the same article, figure after figure.
    """
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for stop in _STOP.finditer(line.group()):
            spans.append((start, line.start() + stop.end()))
            start = line.start() + stop.end()
        spans.append((start, line.end()))
    return tuple((a, b) for a, b in spans if text[a:b].strip())


def sentence_at(text: str, position: int) -> tuple[int, int] | None:
    """(start, end) of the sentence containing character ``position``."""
    return next(((a, b) for a, b in sentence_spans(text) if a <= position < b), None)


def is_latin(text: str) -> bool:
    """True for text mostly in Latin letters: the vocabulary rules are English and must not touch other languages."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) / len(letters) > 0.8
