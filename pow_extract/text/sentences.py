"""The one sentence splitter (of the readings and of the coding rules), and script detection.

A sentence ends at ``.``, ``!`` or ``?`` (a closing quotation mark may follow) before whitespace and a capital letter
or an opening quotation mark, and at every line break, so a headline or a caption without a full stop is a sentence
of its own. A full stop after an abbreviation ("Mr.", "Gen.", "Sept."), an initial ("J.") or a dotted acronym
("U.S.", "U.N.") does not end a sentence. Each sentence of a multi-sentence quotation is a sentence of its own: the
rules read a figure in the words around it, and pysbd, measured as the rules' splitter, kept a seven-sentence
quotation with its attribution as one sentence and so let a rule read a count out of the quotation (eval article 000).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from pow_extract.text.lexicon import ABBREVIATIONS

_STOP = re.compile(r"[.!?][”\"’']?\s+(?=[A-Z“\"‘'])")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?][”\"’']?\s*$")
_ABBREVIATION = re.compile(rf"^(?:{ABBREVIATIONS})$", re.IGNORECASE)
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)*[A-Za-z]$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text`` is ``article[start:end]`` (stripped of surrounding whitespace)."""

    start: int
    end: int
    text: str


def abbreviates(text: str, at: int) -> bool:
    """Whether the full stop at ``text[at]`` closes an abbreviation ("Mr.", "Sept."), an initial ("J.") or a dotted
    acronym ("U.S."), and so ends neither a sentence nor a clause."""
    before = _WORD_BEFORE.search(text[: at + 1])
    word = before.group(1) if before else ""
    return bool(_ABBREVIATION.match(word) or _INITIALS.match(word))


def _ends_sentence(line: str, stop: re.Match[str]) -> bool:
    """Whether the punctuation at ``stop`` ends a sentence (not "Mr.", "J.", "U.S.")."""
    return line[stop.start()] != "." or not abbreviates(line, stop.start())


@lru_cache(maxsize=8)
def split_sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of ``text`` in order, with their offsets; every line break ends a sentence.

    Cached: every rule asks for the sentences of the same article, figure after figure.
    """
    found: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        ends = [line.start() + s.end() for s in _STOP.finditer(line.group()) if _ends_sentence(line.group(), s)]
        for end in [*ends, line.end()]:
            raw = text[start:end]
            if raw.strip():
                lead = len(raw) - len(raw.lstrip())
                found.append(Sentence(start + lead, start + lead + len(raw.strip()), raw.strip()))
            start = end
    return tuple(found)


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence of ``text`` (:func:`split_sentences`)."""
    return tuple((s.start, s.end) for s in split_sentences(text))


def sentence_index(text: str, position: int) -> int | None:
    """Which sentence of ``text`` (in :func:`sentence_spans`) contains character ``position``."""
    return next((i for i, (a, b) in enumerate(sentence_spans(text)) if a <= position < b), None)


def sentence_at(text: str, position: int) -> tuple[int, int] | None:
    """(start, end) of the sentence containing character ``position``."""
    index = sentence_index(text, position)
    return sentence_spans(text)[index] if index is not None else None


def sentences_naming(text: str, words: str, *, ignore_case: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) of the sentence around each occurrence of ``words`` as whole words, in the order of the text
    (the bounds hold no surrounding whitespace, so ``text[start:end]`` is the sentence as a quote)."""
    flags = re.IGNORECASE if ignore_case else 0
    for found in re.finditer(rf"(?<!\w){re.escape(words)}(?!\w)", text, flags):
        bounds = sentence_at(text, found.start())
        if bounds is not None:
            yield bounds


def headline_span(text: str) -> tuple[int, int]:
    """(start, end) of the text's first line that holds anything, without surrounding whitespace: its headline
    (``(n, n)`` for a blank text)."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_before(text: str, position: int) -> int:
    """Where the paragraph before the one holding ``position`` starts (a paragraph is a line of the text; blank
    lines are no paragraphs): how far back "them" or "the youngest freed hostage" reach for the people they speak
    of. The first paragraph's start when there is none before."""
    lines = [line.start() for line in re.finditer(r"[^\n]*\S[^\n]*", text)]
    here = max((i for i, begin in enumerate(lines) if begin <= position), default=0)
    return lines[max(here - 1, 0)] if lines else 0


def is_latin(text: str) -> bool:
    """True for text mostly in Latin letters: the vocabulary rules are English and must not touch other languages."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) / len(letters) > 0.8
