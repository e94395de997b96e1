"""Every primary exchange gets a date: its own words when they give one, else the report's (precision ``report``),
kept at the day only when the running text names that day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pow_extract.reading.resolver import ground
from pow_extract.records.schema import PUBLISHED, ArticleExtraction, PrisonerExchange
from pow_extract.rules.checks import apply_checks
from pow_extract.rules.registry import rules_off

SATURDAY = dt.date(2024, 10, 19)
SWAP = "Ukraine brought home 95 soldiers in a swap with Russia"
PLANNED = "Ukraine will bring home 95 soldiers in a swap with Russia"


def _date(text: str, record: dict[str, Any]) -> tuple[dt.date | None, str | None]:
    token = PUBLISHED.set(SATURDAY)
    try:
        count = {"quote": SWAP, "number": 95, "returned_to": "Ukraine"}
        base = {"status": "completed", "mention": "primary", "parties": ["Ukraine", "Russia"], "counts": [count]}
        exchange = PrisonerExchange.model_validate({**base, **record})
    finally:
        PUBLISHED.reset(token)
    result = ground(ArticleExtraction(article_id="t", text=text, published=SATURDAY, exchanges=[exchange]))
    apply_checks(result)
    assert len(result.exchanges) == 1
    return result.exchanges[0].date, result.exchanges[0].date_precision


# (case, article text, the model's record, date and precision after the rules)
CASES = [
    ("the page's date line copied by the model is the report's date",
     f"Title\nDate: 2024-10-19\n\n{SWAP}, the ministry said.", {"quote": f"{SWAP}.", "date_text": "2024-10-19"},
     (SATURDAY, "report")),
    ("a dateline with its year is the report's date too",
     f"KYIV, October 19, 2024. {SWAP}, the ministry said.", {"quote": f"{SWAP}.", "date_text": "October 19, 2024"},
     (SATURDAY, "report")),
    ("the running text naming the day keeps it a day",
     f"Title\nDate: 2024-10-19\n\n{SWAP}. The soldiers crossed the border on Saturday.",
     {"quote": f"{SWAP}.", "date_text": "2024-10-19"}, (SATURDAY, "day")),
    ("the day a source spoke is not the day of the handover: the report's date",
     f"Title\nDate: 2024-10-19\n\n{SWAP}. The ministry announced it on Saturday.",
     {"quote": f"{SWAP}.", "date_text": "2024-10-19"}, (SATURDAY, "report")),
    ("the day a source spoke is the day of a record the model left undated",
     f"{SWAP}. The ministry announced it on Saturday.", {"quote": f"{SWAP}.", "date_text": None}, (SATURDAY, "day")),
    ("an undated record gets the report's date",
     f"{SWAP}, the ministry said.", {"quote": f"{SWAP}.", "date_text": None}, (SATURDAY, "report")),
    ("an undated record whose day the text names gets that day",
     f"{SWAP}, the ministry said today.", {"quote": f"{SWAP}, the ministry said today.", "date_text": None},
     (SATURDAY, "day")),
    ("an undated record whose sentence's source spoke on a named day gets that day",
     f"{SWAP}, both sides said on Thursday (October 17).",
     {"quote": f"{SWAP}, both sides said on Thursday (October 17).", "date_text": None},
     (dt.date(2024, 10, 17), "day")),
    ("two statement days: neither is the exchange's, the report dates it",
     f"{SWAP}, Kyiv said on Thursday and Moscow said on Friday.",
     {"quote": f"{SWAP}, Kyiv said on Thursday and Moscow said on Friday.", "date_text": None}, (SATURDAY, "report")),
    ("a planned exchange dated by the page's date line is dated by the report",
     f"Title\nDate: 2024-10-19\n\n{SWAP}, the ministry said.",
     {"quote": f"{SWAP}.", "date_text": "2024-10-19", "status": "planned"}, (SATURDAY, "report")),
    ("an ordinal dropped later (1: a made-up one) does not tie the record to the date line it quoted",
     f"First swap agreed\nDate: 2024-10-19\n\n{SWAP}, the ministry said.",
     {"quote": f"{SWAP}.", "date_text": "2024-10-19", "status": "planned",
      "ordinal": {"quote": "First swap agreed\nDate: 2024-10-19", "number": 1}}, (SATURDAY, "report")),
    ("a planned exchange the model left undated is dated by the report: the day it was announced",
     f"{PLANNED}, the ministry said.", {"quote": f"{PLANNED}.", "date_text": None, "status": "planned",
                                         "counts": [{"quote": PLANNED, "number": 95, "returned_to": "Ukraine"}]},
     (SATURDAY, "report")),
    ("the page's date line copied by the model gives way to the day its own sentence names: yesterday",
     f"Title\nDate: 2024-10-19\n\n{SWAP} yesterday.", {"quote": f"{SWAP} yesterday.", "date_text": "2024-10-19"},
     (dt.date(2024, 10, 18), "day")),
    ("the report's day that the model took from a source's words in its own sentence is the report's date",
     f"{SWAP}, the ministry said on Saturday.",
     {"quote": f"{SWAP}, the ministry said on Saturday.", "date_text": "on Saturday"}, (SATURDAY, "report")),
    ("a date from its own sentence is left alone",
     f"{SWAP} on Friday.", {"quote": f"{SWAP} on Friday.", "date_text": "on Friday"}, (dt.date(2024, 10, 18), "day")),
]  # fmt: skip


@pytest.mark.parametrize(("text", "record", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_primary_exchange_is_dated_by_its_words_or_by_the_report(
    text: str, record: dict[str, Any], expected: tuple[dt.date | None, str | None]
) -> None:
    assert _date(text, record) == expected


def test_an_earlier_exchange_mentioned_in_passing_is_not_dated_by_the_report() -> None:
    text = f"{SWAP}, the ministry said."
    with rules_off(["lone-record-primary"]):  # the article's only record would be its primary one
        assert _date(text, {"quote": f"{SWAP}.", "date_text": None, "mention": "secondary"}) == (None, None)
