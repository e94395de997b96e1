"""Resolve the words an article uses for a date ("on Wednesday", "January 31", "last week") to an ISO date.

Resolution is done in code, not by the model: ``dateparser`` reads the phrase relative to the article's
publication date, preferring the past for completed events, and we record how precise the phrase was.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

import dateparser

from pow_extract.text.lexicon import ANY_MONTH, WEEKDAY_NAMES, WEEKDAYS
from pow_extract.text.numbers import NumberMention, find_numbers

DatePrecision = Literal["day", "month", "year"]

#: A day of a month, as news writes it: "31 January", "3rd of May", "January 31st", "Nov. 26", "Sept 21".
DAY_MENTION = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{ANY_MONTH})\b|\b(?:{ANY_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b",
    re.IGNORECASE,
)
_HAS_MONTH = re.compile(rf"\b({ANY_MONTH})\b", re.I)
_HAS_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_WEEKDAY = re.compile(rf"\b({WEEKDAYS}|today|yesterday|tonight)\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_VAGUE = re.compile(
    r"\b(last|this|next|past|earlier|previous)\s+(week|month|year)\b|\bweeks?\s+ago\b|\bmonths?\s+ago\b", re.I
)


#: Fixed-date holidays news dates things by: "on New Year's Eve", "on the eve of the New Year", "Christmas Day".
_HOLIDAYS = r"(?:the\s+)?eve\s+of\s+(?:the\s+)?new\s+year|new\s+year[’']?s\s+(?:eve|day)|christmas\s+(?:eve|day)"
_HOLIDAY = re.compile(rf"\b(?:{_HOLIDAYS})\b", re.IGNORECASE)


def _holiday_date(phrase: str, published: dt.date | None, future: bool) -> dt.date | None:
    """The day of a fixed-date holiday ("New Year's Eve" -> 31 December), the nearest one on or before the
    publication (on or after it for ``future``)."""
    match = _HOLIDAY.search(phrase)
    if match is None or published is None:
        return None
    words = match.group(0).lower()
    if "christmas" in words:
        month, day = 12, 24 if words.endswith("eve") else 25
    else:
        month, day = (1, 1) if words.endswith("day") else (12, 31)
    found = dt.date(published.year, month, day)
    if future and found < published:
        return found.replace(year=found.year + 1)
    if not future and found > published:
        return found.replace(year=found.year - 1)
    return found


_DAYS = WEEKDAY_NAMES
_WEEKDAY_ONLY = re.compile(rf"\b(?:(last|next|this|past)\s+)?({WEEKDAYS})\b", re.I)


def _weekday_date(phrase: str, published: dt.date | None, future: bool = False) -> dt.date | None:
    """A bare weekday ("on Wednesday", "last Friday", "next Monday") relative to the publication date.

    News usage: a bare weekday is the most recent such day on or before publication (the same day when the
    article appeared on it); "next" points forward, "last" to the one before the current week's.
    """
    match = _WEEKDAY_ONLY.search(phrase)
    if match is None or published is None or DAY_MENTION.search(phrase) or _HAS_YEAR.search(phrase):
        return None
    modifier = (match.group(1) or "").lower()
    target = _DAYS.index(match.group(2).lower())
    back = (published.weekday() - target) % 7
    if modifier == "next" or (future and modifier not in ("last", "past")):
        ahead = (target - published.weekday()) % 7
        return published + dt.timedelta(days=ahead if future and modifier != "next" else (ahead or 7))
    if modifier == "last" and back == 0:
        back = 7
    return published - dt.timedelta(days=back)


def resolve_date(
    text: str, published: dt.date | None, *, prefer: Literal["past", "future"] = "past"
) -> tuple[dt.date, DatePrecision] | None:
    """Resolve ``text`` against ``published``; return ``(date, precision)`` or None when it names no date.

    Precision is "day" when the phrase names a day (a weekday, "today", "31 January"), "month" when it names
    only a month, "year" when only a year. Vague phrases ("last week", "earlier this month") resolve to the
    month or year they fall in, never to an invented day. ``prefer="future"`` (planned exchanges) reads a bare
    weekday or a day without a year as the next one on or after publication.
    """
    phrase = text.strip()
    if not phrase:
        return None
    iso = _ISO.search(phrase)
    if iso:
        try:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3))), "day"
        except ValueError:
            return None
    future = prefer == "future"
    weekday = _weekday_date(phrase, published, future) or _holiday_date(phrase, published, future)
    if weekday is not None:
        return weekday, "day"
    base = dt.datetime.combine(published, dt.time(12)) if published else None
    settings: dict[str, Any] = {"PREFER_DATES_FROM": prefer, "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    if _VAGUE.search(phrase):
        vague = _VAGUE.search(phrase)
        parsed = dateparser.parse(vague.group(0) if vague else phrase, languages=["en"], settings=settings)
        if parsed is None:
            return None
        return (
            (parsed.date().replace(day=1), "month")
            if "year" not in phrase.lower()
            else (parsed.date().replace(month=1, day=1), "year")
        )
    has_year = bool(_HAS_YEAR.search(phrase))
    precision: DatePrecision
    if DAY_MENTION.search(phrase) or _WEEKDAY.search(phrase):
        precision = "day"
    elif _HAS_MONTH.search(phrase):
        precision = "month"
    elif has_year:
        precision = "year"
    else:
        return None
    if not has_year and base is None and precision != "day":
        return None
    if not has_year and base is None and not _WEEKDAY.search(phrase):
        return None  # "31 January" with no publication date: the year is unknown
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    if parsed is None:
        match = DAY_MENTION.search(phrase) or _WEEKDAY.search(phrase) or _HAS_MONTH.search(phrase)
        if match is None:
            return None
        parsed = dateparser.parse(match.group(0), languages=["en"], settings=settings)
        if parsed is None:
            return None
    day = parsed.date()
    if published is not None and not has_year and future and day < published and precision == "day":
        day = day.replace(year=day.year + 1) if (day.month, day.day) != (2, 29) else day
    elif published is not None and not has_year and not future and day > published and precision == "day":
        # "January 31" read in an article of 2 Feb means this year's; dateparser may pick next year's
        try:
            day = day.replace(year=day.year - 1)
        except ValueError:
            return None
    if precision == "month":
        day = day.replace(day=1)
    elif precision == "year":
        day = day.replace(month=1, day=1)
    return day, precision


_MONTH = rf"(?:{ANY_MONTH})\.?"
_DAY_OF_MONTH = r"\d{1,2}(?:st|nd|rd|th)?"
_PHRASE = re.compile(
    rf"""\b(?:(?:on|by|since|until|till|in|from|at|during|as\ of|early|late|mid|before|after)[\s-]+)?
    (?:
      (?:(?:last|next|this|past)\s+)?(?:{WEEKDAYS})
        (?:\s+(?:morning|afternoon|evening|night))?
        (?:,?\s+(?:{_DAY_OF_MONTH}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+{_DAY_OF_MONTH})(?:,?\s+\d{{4}})?)?
    | {_DAY_OF_MONTH}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?
    | {_MONTH}\s+{_DAY_OF_MONTH}(?!\d)(?:,?\s+\d{{4}})?
    | {_MONTH}(?:\s+(?:of\s+)?\d{{4}})?
    | today|yesterday|tonight|overnight
    | {_HOLIDAYS}
    | (?:earlier|later)\s+(?:this|that)\s+(?:week|month|year)
    | (?:last|this|next|past)\s+(?:week|month|year|weekend)
    | \d{{4}}-\d{{2}}-\d{{2}}
    | (?<=\bin\s)\d{{4}}
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
_MAY_VERB = re.compile(r"(?i)^(?:(?:on|in|by|since|until|from|at|early|late|mid)\s+)?may$")


def find_date_phrases(text: str) -> list[tuple[int, int]]:
    """(start, end) of every phrase in ``text`` that names a date or a time around one: "on Thursday",
    "31 January 2024", "January 3", "in June", "last week", "earlier this month", "2024-01-31", "in 2022".

    The leading preposition is part of the phrase ("on 6 May"), so the phrase reads as the text says it. A bare "may"
    (the verb) is not a date.
    """
    found = []
    for match in _PHRASE.finditer(text):
        if _MAY_VERB.match(match.group(0).strip()):
            continue
        found.append((match.start(), match.end()))
    return found


def dated_phrases(text: str, published: dt.date) -> list[tuple[int, int, dt.date, DatePrecision]]:
    """(start, end, date, precision) of every date phrase in ``text`` (:func:`find_date_phrases`) that names a
    date, resolved against ``published`` as past ("on Tuesday": the Tuesday on or before it)."""
    found = []
    for start, end in find_date_phrases(text):
        resolved = resolve_date(text[start:end], published, prefer="past")
        if resolved is not None:
            found.append((start, end, *resolved))
    return found


def cardinals(text: str) -> list[NumberMention]:
    """The cardinal numbers of ``text`` (the one number reader's, no ordinals) that are no part of a date phrase:
    in "On 3 April 2023, 95 soldiers came home" only the 95."""
    dates = find_date_phrases(text)
    return [n for n in find_numbers(text) if not n.ordinal and not any(a <= n.start < b for a, b in dates)]
