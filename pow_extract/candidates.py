"""What a human coder does before coding: split the article into sentences and mark every number to code.

``find_candidates`` returns the sentences of an article (exact offsets) and the numbers in them that could be
figures of an exchange: digits ("207", "3,035"), number words ("five", "a dozen", "twenty-one") and ordinals
("50th", "third"). Numbers that cannot be people are left out by general rules: years, days of a month next to
a month name, clock times, money, percentages, and numbers inside URLs. The qualifier of each number ("more
than", "almost", "about") is read from the words before it, in code.

Only sentences that talk about captivity, exchanges or returns (and the list items that follow such a sentence)
contribute candidates, so a battlefield paragraph's numbers never reach the model as candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pow_extract.resolver import _WORDS

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_TOPIC = re.compile(
    r"exchang|swap|prisoner|\bPOWs?\b|captiv|hostage|detain|releas|freed|\bfree\b|return|came home|come home|"
    r"coming home|brought home|back home|bring home|handed (?:over|back)|hand over|handover|repatriat|bodies|"
    r"remains|\bdead\b|soldiers|servicem[ae]n|civilians|defenders|guardsm[ae]n|officers|privates|wounded|"
    r"oldest|youngest|trade|traded",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?<![\w.,/:$€£-])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)(st|nd|rd|th)?(?![\w/:%])(?!\.\d|,\d)"
    r"|\b(" + "|".join(sorted((re.escape(w) for w in _WORDS if w not in ("zero", "hundred")), key=len, reverse=True))
    + r")(?:[- ](one|two|three|four|five|six|seven|eight|nine))?\b",
    re.IGNORECASE,
)
_MONEY_AFTER = re.compile(r"^\s*(?:million|billion|bn|m\b|thousand dollars|dollars|euros?|hryvnias?|rubles?|"
                          r"roubles?|%|percent|per cent|km|kilomet|miles|hours?|minutes?|days?|weeks?|months?|"
                          r"years? (?:old|ago|later)|years\b|am\b|pm\b|a\.m|p\.m|drones?|missiles?|houses?|"
                          r"tanks?|regions?)", re.IGNORECASE)  # fmt: skip
_MONEY_BEFORE = re.compile(r"(?:\$|€|£|USD|EUR|UAH)\s*$", re.IGNORECASE)
_MONTH_BEFORE = re.compile(_MONTH + r"\s*$", re.IGNORECASE)
_MONTH_AFTER = re.compile(r"^\s*(?:of\s+)?" + _MONTH, re.IGNORECASE)
_QUALIFIERS = (
    ("over", re.compile(r"(?:more than|over|at least|upwards of|in excess of|above|beyond)\s+$", re.IGNORECASE)),
    ("almost", re.compile(r"(?:almost|nearly|close to|just under|fewer than|less than|up to)\s+$", re.IGNORECASE)),
    ("about", re.compile(r"(?:about|around|some|approximately|roughly|an estimated|estimated|~)\s+$", re.IGNORECASE)),
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]?\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+\.(?:com|org|net|ua|ru)\S*", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """A sentence or list line of the article: ``text == article[start:end]``."""

    index: int
    start: int
    end: int
    text: str
    on_topic: bool


@dataclass(frozen=True)
class Candidate:
    """A number the model must label, with where it stands and how it is qualified."""

    id: int
    value: int
    start: int
    end: int
    surface: str
    sentence: int
    ordinal: bool
    qualifier: str


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences and lines with exact offsets (empty pieces dropped)."""
    pieces: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append((start, match.start()))
        start = match.end()
    pieces.append((start, len(text)))
    sentences: list[Sentence] = []
    for begin, finish in pieces:
        chunk = text[begin:finish]
        stripped = chunk.strip()
        if not stripped or not re.search(r"\w", stripped):
            continue
        lead = len(chunk) - len(chunk.lstrip())
        s = begin + lead
        e = s + len(stripped)
        sentences.append(Sentence(len(sentences), s, e, text[s:e], bool(_TOPIC.search(stripped))))
    return _extend_topic_to_lists(sentences, text)


def _extend_topic_to_lists(sentences: list[Sentence], text: str) -> list[Sentence]:
    """List lines after an on-topic line ending in ':' ("among those freed are:") are on topic too."""
    out: list[Sentence] = []
    carry = False
    for sentence in sentences:
        is_item = bool(re.match(r"^[•\-*–·]|^\d+[.)]\s", sentence.text)) or len(sentence.text) < 90
        on_topic = sentence.on_topic or (carry and is_item)
        out.append(Sentence(sentence.index, sentence.start, sentence.end, sentence.text, on_topic))
        if sentence.text.rstrip().endswith(":") and on_topic:
            carry = True
        elif not is_item:
            carry = False
    return out


def _value(match: re.Match[str]) -> tuple[int, bool] | None:
    digits, suffix, word, unit = match.group(1), match.group(2), match.group(3), match.group(4)
    if digits:
        return int(re.sub(r"\D", "", digits)), bool(suffix)
    base = _WORDS.get(word.lower())
    if base is None:
        return None
    ordinal = word.lower().endswith(("th", "first", "second", "third", "fifth", "eighth", "ninth", "twelfth"))
    if unit:
        base += _WORDS[unit.lower()]
    return base, ordinal and not unit


def _is_excluded(text: str, start: int, end: int, value: int, ordinal: bool, is_word: bool) -> bool:
    before, after = text[max(0, start - 12) : start], text[end : end + 24]
    if _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after):
        return True
    if not is_word and (_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after)) and value <= 31:
        return True  # a day of a month
    if not ordinal and 1900 <= value <= 2100 and not re.match(r"^\s*(?:people|prisoners|soldiers|POWs|captives|"
                                                             r"Ukrainians|Russians|bodies)", after, re.IGNORECASE):
        return True  # a year
    return bool(re.match(r"^:\d", text[end : end + 3]))


_IDIOM_AFTER = re.compile(r"^(?:-\w|\s+(?:sides?|countries|states|warring|nations|parties|of (?:the|its|them)\b|"
                         r"times?\b|more\b|other\b|leaders?|presidents?))", re.IGNORECASE)


def _is_idiom(text: str, word: str, end: int) -> bool:
    """Number words that are not head counts: "two-year war", "the two sides", "one of the largest"."""
    if word in ("one", "a dozen", "dozen") and not re.match(r"^\s+(?:\w+\s+){0,2}(?:soldiers?|prisoners?|POWs?|"
                                                           r"civilians?|people|hostages?|bodies)", text[end:end + 40],
                                                           re.IGNORECASE):
        return word == "one"
    return bool(_IDIOM_AFTER.match(text[end : end + 20]))


def _qualifier(text: str, start: int) -> str:
    before = text[max(0, start - 30) : start]
    for name, pattern in _QUALIFIERS:
        if pattern.search(before):
            return name
    return "exact"


def find_candidates(text: str, *, limit: int = 40) -> tuple[list[Sentence], list[Candidate]]:
    """Sentences of ``text`` and the numbers in on-topic sentences that may be exchange figures (at most
    ``limit``, in reading order)."""
    sentences = split_sentences(text)
    masked = _URL.sub(lambda m: " " * len(m.group(0)), text)
    candidates: list[Candidate] = []
    seen_texts: set[str] = set()
    for sentence in sentences:
        if not sentence.on_topic or sentence.text in seen_texts:
            continue  # a headline repeated as a caption adds nothing to code
        seen_texts.add(sentence.text)
        for match in _NUMBER.finditer(masked, sentence.start, sentence.end):
            parsed = _value(match)
            if parsed is None:
                continue
            value, ordinal = parsed
            if value == 0 or _is_excluded(masked, match.start(), match.end(), value, ordinal, bool(match.group(3))):
                continue
            if match.group(3) and _is_idiom(masked, match.group(3).lower(), match.end()):
                continue
            candidates.append(
                Candidate(
                    id=len(candidates) + 1, value=value, start=match.start(), end=match.end(),
                    surface=text[match.start() : match.end()], sentence=sentence.index, ordinal=ordinal,
                    qualifier=_qualifier(text, match.start()),
                )
            )  # fmt: skip
            if len(candidates) >= limit:
                return sentences, candidates
    return sentences, candidates
