"""Dates are resolved in code from the article's words, against its publication date, with a precision."""

from __future__ import annotations

import datetime as dt

import pytest

from pow_extract.reading.article import guess_published
from pow_extract.text.dates import DAY_MENTION, find_date_phrases, resolve_date

WED = dt.date(2024, 1, 31)  # a Wednesday


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("on Wednesday", (dt.date(2024, 1, 31), "day")),
        ("on Monday", (dt.date(2024, 1, 29), "day")),
        ("yesterday", (dt.date(2024, 1, 30), "day")),
        ("today", (dt.date(2024, 1, 31), "day")),
        ("January 31", (dt.date(2024, 1, 31), "day")),
        ("on 3 January", (dt.date(2024, 1, 3), "day")),
        ("June 25", (dt.date(2023, 6, 25), "day")),  # no year: the most recent past June 25
        ("31 January 2024", (dt.date(2024, 1, 31), "day")),
        ("in June", (dt.date(2023, 6, 1), "month")),
        ("February 2022", (dt.date(2022, 2, 1), "month")),
        ("in 2023", (dt.date(2023, 1, 1), "year")),
        ("2024-01-03", (dt.date(2024, 1, 3), "day")),
    ],
)
def test_date_words_resolve_with_precision(words: str, expected: tuple[dt.date, str]) -> None:
    assert resolve_date(words, WED) == expected


def test_vague_phrase_gets_month_precision_not_an_invented_day() -> None:
    assert resolve_date("last week", WED) == (dt.date(2024, 1, 1), "month")


@pytest.mark.parametrize("words", ["soon", "", "in the coming days"])
def test_words_without_a_date_resolve_to_none(words: str) -> None:
    assert resolve_date(words, WED) is None


def test_day_without_year_and_without_publication_date_stays_unresolved() -> None:
    assert resolve_date("January 31", None) is None


def test_publication_date_is_guessed_from_a_byline_skipping_update_stamps() -> None:
    text = "Last update: March 17, 2025 14:57\n\nSwap done\n\nBy A. Writer July 20, 2024\n\nBody text."
    assert guess_published(text) == dt.date(2024, 7, 20)


def test_no_dateline_means_no_guess() -> None:
    assert guess_published("Headline\n\nToday, on January 31, an exchange took place.") is None


def test_planned_exchange_reads_a_bare_weekday_forward() -> None:
    thursday = dt.date(2025, 1, 23)
    assert resolve_date("on Saturday", thursday, prefer="future") == (dt.date(2025, 1, 25), "day")
    assert resolve_date("on Saturday", thursday) == (dt.date(2025, 1, 18), "day")


@pytest.mark.parametrize(
    ("words", "day"),
    [("on Nov. 26,", True), ("Sept 21", True), ("3rd of May", True), ("31 January", True), ("in November", False)],
)
def test_a_day_of_a_month_is_read_with_the_month_written_out_or_abbreviated(words: str, day: bool) -> None:
    assert (DAY_MENTION.search(words) is not None) is day


NEW_YEARS_EVE = dt.date(2022, 12, 31)


@pytest.mark.parametrize(
    ("sentence", "phrase", "expected"),
    [
        ("A swap took place on the eve of the New Year, Kyiv said.", "on the eve of the New Year", NEW_YEARS_EVE),
        ("On New Year's Eve, we return our people.", "On New Year's Eve", NEW_YEARS_EVE),
        ("They came home on New Year’s Day.", "on New Year’s Day", dt.date(2022, 1, 1)),  # the past one
        ("The swap was on Christmas Day.", "on Christmas Day", dt.date(2022, 12, 25)),
        ("On Christmas Eve 12 were freed.", "On Christmas Eve", dt.date(2022, 12, 24)),
    ],
)
def test_a_fixed_date_holiday_is_a_day(sentence: str, phrase: str, expected: dt.date) -> None:
    assert [sentence[a:b] for a, b in find_date_phrases(sentence)] == [phrase]
    assert resolve_date(phrase, NEW_YEARS_EVE) == (expected, "day")


def test_a_planned_exchange_reads_a_holiday_forward_and_the_new_year_alone_is_no_date() -> None:
    assert resolve_date("on New Year's Day", NEW_YEARS_EVE, prefer="future") == (dt.date(2023, 1, 1), "day")
    assert find_date_phrases("Both sides hope for a swap in the new year.") == []
