"""Sentence splitting, script detection and cue words shared by the coding rules (``checks``, ``parts``).

:func:`split_sentences` is the splitter of the reading: pysbd's rule-based segmenter (it keeps abbreviations such as
"U.S." and a quotation with its "..., the ministry said" together), run line by line, so a headline or a caption
without a full stop is a sentence of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

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


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text`` is ``article[start:end]`` (stripped of surrounding whitespace)."""

    start: int
    end: int
    text: str


@cache
def _segmenter() -> Any:
    import pysbd  # a pure-Python rule-based segmenter; imported on first use

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


@lru_cache(maxsize=8)
def split_sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of ``text`` in order, with their offsets; every line break ends a sentence."""
    found: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        if not line.group().strip():
            continue
        for piece in _segmenter().segment(line.group()):
            start, end = line.start() + piece.start, line.start() + piece.end
            raw = text[start:end]
            if raw.strip():
                lead = len(raw) - len(raw.lstrip())
                found.append(Sentence(start + lead, start + lead + len(raw.strip()), raw.strip()))
    return tuple(found)


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
