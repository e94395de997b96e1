"""The questions the model is asked about one article, and the answers it may give.

The article goes to the model once, as a fixed prefix: the instructions (``prompts/<version>/system.txt``, the same
for every article) and the article with its sentences numbered (``article.txt``). llama.cpp and hosted APIs keep
that prefix in their cache, so every question after the first costs only its own few dozen tokens. Two rounds of
questions follow, each answered with a few tokens of JSON whose shape is fixed by a pydantic model built for that
very question (choices are enums, so a constrained decoder cannot answer outside them):

1. ``exchanges.txt``: which exchanges does the article report? One item per exchange: the sentence that reports it,
   status, kind, main or not, the two sides, the date words (chosen from the date phrases code found in the text)
   and the mediators.
2. ``number.txt``, once per number code found in the text (:func:`pow_extract.text.numbers.find_numbers`), with the
   number marked in its sentence: what is it (a count, a part of the returnees, an age, a running total, the
   exchange's place in the war-wide series, or something else), which exchange of round 1 it belongs to, which side
   received those people and who says so.

Everything else - offsets, dates, qualifiers ("more than"), the sides of "N for N", the category of a part, which
side a source speaks for - is done in code (:mod:`pow_extract.reading.assemble`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from string import Template
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from pow_extract.model.prompting import prompts_dir
from pow_extract.text.dates import find_date_phrases
from pow_extract.text.numbers import NumberMention, find_numbers
from pow_extract.text.sentences import Sentence, split_sentences

__all__ = [
    "EACH_SIDE",
    "NUMBER_KINDS",
    "ORDINAL_KINDS",
    "TOGETHER",
    "ArticleLayout",
    "ExchangeItem",
    "QuestionPrompts",
    "date_model",
    "exchange_labels",
    "exchanges_model",
    "is_question_design",
    "main_model",
    "number_model",
    "people_model",
]

EACH_SIDE = "each side"
TOGETHER = "both together"
#: What a number can be, as the model says it -> as the records say it.
NUMBER_KINDS: dict[str, str] = {
    "handed over": "count",
    "part of them": "part",
    "age": "age",
    "total so far": "total",
    "not handed over": "other",
}
ORDINAL_KINDS: dict[str, str] = {"series number": "series", "not series": "other"}
STATUSES = ("completed", "planned", "cancelled")
KINDS = ("prisoners", "bodies", "mixed")

#: Numbers that are never a figure of an exchange, whatever the sentence says: years (1900-2100 written without a
#: separator), ordinals below 2 ("first" is never a war-wide series number worth a question), percentages and money
#: (the reader already skips "%"; here currency signs and "million"/"percent" after the number).
_NOT_PEOPLE_AFTER = re.compile(r"(?i)^\s*(?:percent|per cent|million|billion|trillion|km|kilomet|miles?|kg|hours?|"
                               r"minutes?|a\.m\.|p\.m\.|am\b|pm\b|gmt|utc)")  # fmt: skip
_MONEY_BEFORE = re.compile(r"[$€£₴₽]\s?$")
_PRONOUN_ONE = re.compile(r"(?i)^\s+(?:of|another|by|more|day|time|such|side|after)\b")


#: Free-text names carry no length bound: llama.cpp compiles ``maxLength`` into a chain of optional characters that
#: slows constrained decoding down by orders of magnitude; a question's ``max_tokens`` bounds a runaway answer.
_Name = str


class ExchangeItem(BaseModel):
    """One exchange as the model lists it in round 1 (narrowed per article by :func:`exchanges_model`)."""

    model_config = ConfigDict(extra="ignore")

    sentence: int
    status: Literal["completed", "planned", "cancelled"]
    kind: Literal["prisoners", "bodies", "mixed"]
    main: bool
    sides: list[_Name] = Field(max_length=3)
    date: str | None
    mediators: list[_Name] = Field(max_length=3)


@dataclass(frozen=True)
class ArticleLayout:
    """What code reads off the text before the model sees it: numbered sentences, candidate numbers, date phrases."""

    text: str
    sentences: tuple[Sentence, ...]
    numbers: tuple[NumberMention, ...]
    dates: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> ArticleLayout:
        dates = tuple(find_date_phrases(text))
        sentences = tuple(split_sentences(text))
        numbers = tuple(n for n in find_numbers(text) if _is_candidate(text, n, dates))
        return cls(text=text, sentences=sentences, numbers=numbers, dates=dates)

    def sentence_index(self, position: int) -> int:
        """1-based number of the sentence holding character ``position`` (the nearest one before it otherwise)."""
        best = 1
        for index, sentence in enumerate(self.sentences, start=1):
            if sentence.start <= position:
                best = index
            if position < sentence.end:
                break
        return best

    def sentence(self, number: int) -> Sentence:
        """The sentence numbered ``number`` (1-based)."""
        return self.sentences[number - 1]

    def date_phrases(self) -> dict[str, int]:
        """Each distinct date phrase of the text (as written) -> the number of the first sentence that has it."""
        phrases: dict[str, int] = {}
        for start, end in self.dates:
            phrases.setdefault(_squash(self.text[start:end]), self.sentence_index(start))
        return phrases

    def numbered(self) -> str:
        """The article as the model reads it: one sentence per line, ``[n] text``."""
        return "\n".join(f"[{i}] {_squash(s.text)}" for i, s in enumerate(self.sentences, start=1))

    def marked(self, mention: NumberMention) -> tuple[int, str]:
        """(sentence number, the sentence with ``<<number>>`` marked) for one candidate number."""
        index = self.sentence_index(mention.start)
        sentence = self.sentence(index)
        before = self.text[sentence.start : mention.start]
        after = self.text[mention.end : sentence.end]
        return index, _squash(f"{before}<<{mention.text}>>{after}")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _is_candidate(text: str, number: NumberMention, dates: tuple[tuple[int, int], ...]) -> bool:
    """Whether a number is worth a question (see the module constants for what is left out and why)."""
    if any(start <= number.start < end for start, end in dates):
        return False  # part of a date ("January 31", "in 2022")
    if not number.ordinal and 1900 <= number.value <= 2100 and number.text.isdigit():
        return False  # a year
    if number.ordinal and number.value < 2:
        return False
    if number.value == 0:
        return False
    after = text[number.end : number.end + 12]
    if _NOT_PEOPLE_AFTER.match(after) or _MONEY_BEFORE.search(text[max(0, number.start - 2) : number.start]):
        return False
    return not (number.text.lower() == "one" and _PRONOUN_ONE.match(after))


@dataclass(frozen=True)
class QuestionPrompts:
    """The templates of one prompt version of the question design (``prompts/<version>/``).

    ``main`` and ``date`` exist in the date design (v4): round 1 asks about the main exchange and each date phrase;
    without them round 1 is the single ``exchanges`` question (v3). In the date design ``exchanges`` is the line
    that tells round 2 which exchanges round 1 found.
    """

    version: str
    system: str
    article: Template
    exchanges: Template
    number: Template
    people: Template
    main: Template | None = None
    date: Template | None = None

    def with_system(self, system: str) -> QuestionPrompts:
        return replace(self, system=system)

    def prefix(self, layout: ArticleLayout, published: dt.date | None) -> list[dict[str, Any]]:
        """The messages every question of one article starts with (kept in the server's prefix cache)."""
        article = self.article.substitute(
            published=published.isoformat() if published else "unknown", sentences=layout.numbered()
        )
        return [{"role": "system", "content": self.system}, {"role": "user", "content": article.strip()}]

    def exchanges_question(self, layout: ArticleLayout) -> str:
        phrases = layout.date_phrases()
        listed = "; ".join(f'"{phrase}" [{index}]' for phrase, index in phrases.items()) or "none"
        return self.exchanges.substitute(dates=listed).strip()

    def exchanges_context(self, described: str) -> str:
        return self.exchanges.substitute(exchanges=described).strip()

    def main_question(self) -> str:
        assert self.main is not None
        return self.main.substitute().strip()

    def date_question(self, layout: ArticleLayout, phrase: str) -> str:
        assert self.date is not None
        index = layout.date_phrases()[phrase]
        sentence = _squash(layout.sentence(index).text)
        marked = sentence.replace(phrase, f"<<{phrase}>>", 1) if phrase in sentence else sentence
        return self.date.substitute(sentence=index, marked=marked, phrase=phrase).strip()

    def people_question(self) -> str:
        return self.people.substitute().strip()

    def number_question(self, layout: ArticleLayout, mention: NumberMention) -> str:
        index, marked = layout.marked(mention)
        return self.number.substitute(sentence=index, marked=marked, number=mention.text).strip()


def is_question_design(version: str) -> bool:
    """Whether prompt ``version`` is a question design (it has a worked example and question templates)."""
    return (prompts_dir() / version / "example.json").is_file()


def _one_of(values: tuple[Any, ...]) -> Any:
    """``Literal[values]`` built at run time (the choices of one question)."""
    return Literal.__getitem__(values)


@lru_cache(maxsize=256)
def exchanges_model(sentences: int, dates: tuple[str, ...]) -> type[BaseModel]:
    """The round-1 answer of one article: its sentence numbers and date phrases are the only choices."""
    sentence_type: Any = _one_of(tuple(range(1, sentences + 1)))
    date_type: Any = _one_of(dates) | None if dates else None
    item = create_model(
        "Exchange",
        __base__=ExchangeItem,
        sentence=(sentence_type, ...),
        date=(date_type, ...),
    )
    return create_model("Exchanges", exchanges=(list[item], Field(max_length=6)))


def exchange_labels(exchanges: list[dict[str, Any]]) -> list[str]:
    """How the number questions name the exchanges of round 1: number, status and date words ("2 completed on 6
    May"), so the model can match a number's sentence to its exchange by its date."""
    return [f"{i} {item.get('status')} {item.get('date') or 'no date'}" for i, item in enumerate(exchanges, start=1)]


@cache
def main_model() -> type[BaseModel]:
    """The answer about the article's main exchange (date design)."""
    return create_model(
        "Main",
        status=(_one_of((*STATUSES, "none")), ...),
        kind=(_one_of(KINDS), ...),
        sides=(list[str], Field(max_length=3)),
        mediators=(list[str], Field(max_length=3)),
    )


@lru_cache(maxsize=8)
def date_model(events: tuple[str, ...]) -> type[BaseModel]:
    """The answer about one date phrase (date design): what happened then, and whether people or bodies."""
    return create_model("Date", event=(_one_of(events), ...), kind=(_one_of(KINDS), ...))


@lru_cache(maxsize=256)
def people_model(exchanges: tuple[str, ...], sides: tuple[str, ...]) -> type[BaseModel]:
    """The people named as freed: each name as written, its exchange and the side that received the person."""
    person = create_model(
        "Person",
        name=(str, ...),
        exchange=(_one_of(exchanges), ...),
        to=(_one_of(sides) if sides else str, ...),
    )
    return create_model("People", people=(list[person], Field(max_length=8)))


@lru_cache(maxsize=1024)
def number_model(ordinal: bool, exchanges: tuple[str, ...], sides: tuple[str, ...]) -> type[BaseModel]:
    """The answer about one number: what it is, its exchange, who received those people and who says so."""
    kinds = tuple(ORDINAL_KINDS if ordinal else NUMBER_KINDS)
    fields: dict[str, Any] = {
        "what": (_one_of(kinds), ...),
        "exchange": (_one_of(exchanges), ...),
    }
    if not ordinal:
        fields["to"] = (_one_of((*sides, EACH_SIDE, TOGETHER)), ...)
    fields["source"] = (str | None, ...)
    return create_model("Ordinal" if ordinal else "Number", **fields)
