"""Answers of the question design -> grounded :class:`~pow_extract.records.schema.PrisonerExchange` records.

Everything the model is not asked is done here, from the text, the same way for every article:

* every figure's ``quote`` is the sentence that holds its number and its ``span`` that sentence's offsets; the
  number is the one code read there (:mod:`pow_extract.text.numbers`), never a number the model wrote;
* an exchange's date comes from the date words the model chose (resolved by :func:`~pow_extract.text.dates.
  resolve_date` against the publication date); an exchange whose words give no date gets the publication date with
  precision ``"report"`` (it was reported that day);
* ``each side`` gives one count per side of the exchange, ``both together`` a two-way total (``returned_to`` "both");
* the qualifier ("more than", "about", "nearly") is read from the words just before the number;
* a source the model names must be written in the article, else the figure keeps no claimant; the side it speaks
  for is the side its own words name ("Russia's defence ministry", "the FSB"), else the side named just before it
  in the text ("Ukraine's ombudsman Dmytro Lubinets");
* a part's category comes from the words after its number ("three women" -> women);
* ages become the youngest and oldest of each side.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pow_extract.reading.questions import EACH_SIDE, TOGETHER, ArticleLayout
from pow_extract.records.schema import (
    AgeBound,
    BreakdownCategory,
    BreakdownItem,
    CountClaim,
    CumulativeTotal,
    ExchangeOrdinal,
    PrisonerExchange,
    Qualifier,
    ReleasedPerson,
    Span,
)
from pow_extract.text.dates import resolve_date
from pow_extract.text.lexicon import hedge_before
from pow_extract.text.normalize import normalize_parties, normalize_party, sides_named_in
from pow_extract.text.numbers import NumberMention

__all__ = ["NumberAnswer", "assemble"]

_CATEGORY_WORDS: tuple[tuple[str, BreakdownCategory], ...] = (
    (r"\b(?:wom[ae]n|female|servicewom[ae]n|girls?|mothers?)\b", "women"),
    (r"\b(?:children|child|minors?|teenagers?|teen|boys|juveniles?)\b", "minors"),
    (r"\b(?:civilians?|residents?|journalists?)\b", "civilians"),
    (r"\b(?:wounded|injured|ill|sick|disabled)\b", "wounded_or_ill"),
    (r"\b(?:officers?|sergeants?|privates?|rank[- ]and[- ]file)\b", "rank"),
    (
        r"\b(?:national guard\w*|border guards?|navy|naval|marines?|territorial defen[cs]e|armed forces|police\w*|"
        r"air force|paratroopers?|sailors|army)\b",
        "branch",
    ),
)
_CATEGORIES = tuple((re.compile(pattern, re.IGNORECASE), category) for pattern, category in _CATEGORY_WORDS)


@dataclass(frozen=True)
class NumberAnswer:
    """The model's answer about one number, with the number as code read it."""

    mention: NumberMention
    what: str
    exchange: int
    to: str | None
    source: str | None


def assemble(
    layout: ArticleLayout,
    published: dt.date | None,
    exchanges: Sequence[Mapping[str, Any]],
    numbers: Sequence[NumberAnswer],
    *,
    people: Sequence[Mapping[str, Any]] = (),
    offset: int = 0,
) -> tuple[list[PrisonerExchange], list[str]]:
    """Build the records of one article (or one chunk starting at ``offset``) from the answers of both rounds.

    Returns the exchanges and warnings (what was left out and why).
    """
    warnings: list[str] = []
    records = [_exchange(layout, published, item, offset) for item in exchanges]
    ages: dict[tuple[int, str], list[tuple[int, NumberAnswer]]] = {}
    for answer in numbers:
        if answer.what == "other":
            continue
        if not 1 <= answer.exchange <= len(records):
            warnings.append(f"number {answer.mention.text!r}: the model named exchange {answer.exchange}, which it "
                            "did not list")  # fmt: skip
            continue
        record = records[answer.exchange - 1]
        quote, span = _sentence_evidence(layout, answer.mention, offset)
        claimant = _grounded_source(layout.text, answer.source)
        side = _side_of(layout.text, claimant)
        qualifier = _qualifier(layout, answer.mention)
        value = answer.mention.value
        receivers = _receivers(record, answer.to)
        if answer.what == "series":
            if record.ordinal is None:
                record.ordinal = ExchangeOrdinal(
                    quote=quote, span=span, number=value, claimant=claimant, claimant_side=side
                )
        elif answer.what == "count":
            for receiver in receivers:
                claim = CountClaim(
                    quote=quote, span=span, returned_to=receiver, number=value, qualifier=qualifier,
                    claimant=claimant, claimant_side=side,
                )  # fmt: skip
                if not any(_same_claim(claim, other) for other in record.counts):
                    record.counts.append(claim)
        elif answer.what in ("part", "age", "total"):
            if len(receivers) != 1 or receivers[0] == "both":
                warnings.append(f"{answer.what} {answer.mention.text!r}: no single receiving side")
                continue
            receiver = receivers[0]
            if answer.what == "part":
                category, label = _category(layout, answer.mention)
                part = BreakdownItem(
                    quote=quote, span=span, returned_to=receiver, category=category, label=label, number=value
                )
                if not any(
                    (p.returned_to, p.category, p.number) == (receiver, category, value) for p in record.breakdown
                ):
                    record.breakdown.append(part)
            elif answer.what == "age":
                ages.setdefault((answer.exchange - 1, receiver), []).append((value, answer))
            else:
                total = CumulativeTotal(
                    quote=quote, span=span, returned_to=receiver, number=value, qualifier=qualifier,
                    claimant=claimant, claimant_side=side, as_of=published,
                )  # fmt: skip
                if not any((t.returned_to, t.number) == (receiver, value) for t in record.cumulative_totals):
                    record.cumulative_totals.append(total)
    for (index, receiver), values in ages.items():
        youngest, oldest = min(values, key=lambda v: v[0]), max(values, key=lambda v: v[0])
        bounds: tuple[tuple[Literal["youngest", "oldest"], tuple[int, NumberAnswer]], ...] = (
            ("youngest", youngest),
            ("oldest", oldest),
        )
        for bound, (age, answer) in bounds:
            quote, span = _sentence_evidence(layout, answer.mention, offset)
            if 0 <= age <= 120:
                records[index].ages.append(AgeBound(quote=quote, span=span, returned_to=receiver, bound=bound, age=age))
    for person in people:
        name = _grounded_source(layout.text, person.get("name"))
        index = int(person.get("exchange", 0)) - 1
        if name is None or not 0 <= index < len(records):
            warnings.append(f"named person {person.get('name')!r} left out: not written in the article")
            continue
        at = " ".join(layout.text.split()).lower().find(name.lower())
        sentence = layout.sentence(layout.sentence_index(_offset_in(layout.text, at)))
        span = Span(start=offset + sentence.start, end=offset + sentence.end, match="exact", score=1.0)
        to = person.get("to")
        taken_by = normalize_party(str(to)) if to and to not in (EACH_SIDE, TOGETHER) else None
        if all(p.name != name for p in records[index].released_people):
            records[index].released_people.append(
                ReleasedPerson(quote=sentence.text, span=span, name=name, returned_to=taken_by)
            )
    return records, warnings


def _offset_in(text: str, squashed_at: int) -> int:
    """The offset in ``text`` of the character at ``squashed_at`` in its whitespace-squashed form."""
    if squashed_at <= 0:
        return 0
    seen = 0
    previous_space = False
    for position, char in enumerate(text.lstrip()):
        space = char.isspace()
        if not (space and previous_space):
            if seen == squashed_at:
                return position + (len(text) - len(text.lstrip()))
            seen += 1
        previous_space = space
    return len(text) - 1


def _exchange(
    layout: ArticleLayout, published: dt.date | None, item: Mapping[str, Any], offset: int
) -> PrisonerExchange:
    sentence = layout.sentence(int(item["sentence"]))
    status = "postponed_or_cancelled" if item["status"] == "cancelled" else item["status"]
    parties = [p for p in normalize_parties(list(item.get("sides") or [])) if p != "both"]
    mediators = [
        m
        for m in normalize_parties([m for m in item.get("mediators") or [] if _written(layout.text, m)])
        if m not in parties
    ]
    record = PrisonerExchange(
        quote=sentence.text,
        date_text=item.get("date"),
        kind=item["kind"],
        status=status,
        mention="primary" if item.get("main") else "secondary",
        parties=parties,
        mediators=mediators,
    )
    record.span = Span(start=offset + sentence.start, end=offset + sentence.end, match="exact", score=1.0)
    if record.date_text:
        resolved = resolve_date(record.date_text, published, prefer="future" if status == "planned" else "past")
        if resolved is not None:
            record.date, record.date_precision = resolved
    if record.date is None and published is not None:
        record.date, record.date_precision = published, "report"
    return record


def _sentence_evidence(layout: ArticleLayout, mention: NumberMention, offset: int) -> tuple[str, Span]:
    sentence = layout.sentence(layout.sentence_index(mention.start))
    return sentence.text, Span(start=offset + sentence.start, end=offset + sentence.end, match="exact", score=1.0)


def _receivers(record: PrisonerExchange, to: str | None) -> list[str]:
    if to == EACH_SIDE:
        return list(record.parties) if len(record.parties) >= 2 else []
    if to == TOGETHER:
        return ["both"]
    return [normalize_party(to)] if to else []


def _same_claim(a: CountClaim, b: CountClaim) -> bool:
    return (a.returned_to, a.number, a.qualifier, a.claimant_side) == (
        b.returned_to,
        b.number,
        b.qualifier,
        b.claimant_side,
    )


def _written(text: str, name: str | None) -> bool:
    return bool(name) and " ".join(str(name).split()).lower() in " ".join(text.split()).lower()


def _grounded_source(text: str, source: str | None) -> str | None:
    """The source as the model copied it, if the article writes it; else None (an invented source is no claim)."""
    if not source or not _written(text, source):
        return None
    return " ".join(source.split())


def _side_of(text: str, source: str | None) -> str | None:
    """The side a source speaks for: named in its own words, else just before its first mention in the text."""
    if source is None:
        return None
    named = sides_named_in(source)
    if named:
        return named[0]
    flat = " ".join(text.split())
    at = flat.lower().find(source.lower())
    if at < 0:
        return None
    before = re.split(r"[.!?;:\n]", flat[max(0, at - 80) : at])[-1]
    named = sides_named_in(before)
    return named[-1] if named else None


def _qualifier(layout: ArticleLayout, mention: NumberMention) -> Qualifier:
    return hedge_before(layout.text[max(0, mention.start - 20) : mention.start]) or "exact"


def _category(layout: ArticleLayout, mention: NumberMention) -> tuple[BreakdownCategory, str]:
    after = layout.text[mention.end : mention.end + 60]
    clause = re.split(r"[,;.()]|\band\b|\bwho\b|\bwere\b|\bwas\b", after, maxsplit=1)[0].strip()
    for pattern, category in _CATEGORIES:
        if pattern.search(clause):
            return category, clause or mention.text
    return "other", clause or mention.text
