"""The record schema: validators that reject impossible records, and the schema the model is shown."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import ValidationError

from pow_extract.reading.extraction import _Answer
from pow_extract.records.schema import PUBLISHED, CountClaim, ExchangeList, PrisonerExchange


def _exchange(**overrides: object) -> dict[str, object]:
    record: dict[str, object] = {
        "quote": "Ukraine brought home 45 soldiers on Thursday.",
        "status": "completed",
        "parties": ["Kyiv", "Moscow"],
        "counts": [{"quote": "45 soldiers", "returned_to": "Ukrainians", "number": 45}],
    }
    record.update(overrides)
    return record


def test_party_and_mediator_aliases_are_normalised() -> None:
    exchange = PrisonerExchange.model_validate(_exchange(mediators=["the UAE", "Emirates"]))
    assert exchange.parties == ["Ukraine", "Russia"]
    assert exchange.mediators == ["United Arab Emirates"]
    assert exchange.counts[0].returned_to == "Ukraine"


def test_negative_count_is_rejected() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        CountClaim.model_validate({"quote": "-5 soldiers", "returned_to": "Ukraine", "number": -5})


def test_breakdown_larger_than_total_is_rejected_with_a_message_for_the_model() -> None:
    record = _exchange(breakdown=[
        {"quote": "30 marines", "returned_to": "Ukraine", "category": "branch", "label": "marines", "number": 30},
        {"quote": "20 border guards", "returned_to": "Ukraine", "category": "branch", "label": "border", "number": 20},
    ])  # fmt: skip
    with pytest.raises(ValidationError, match=r"breakdown by branch for Ukraine adds up to 50, more than .* \(45\)"):
        PrisonerExchange.model_validate(record)


def test_breakdown_within_total_is_accepted() -> None:
    record = _exchange(breakdown=[
        {"quote": "40 privates", "returned_to": "Ukraine", "category": "rank", "label": "privates", "number": 40},
        {"quote": "5 officers", "returned_to": "Ukraine", "category": "rank", "label": "officers", "number": 5},
    ])  # fmt: skip
    assert len(PrisonerExchange.model_validate(record).breakdown) == 2


def test_completed_exchange_dated_after_publication_is_rejected() -> None:
    token = PUBLISHED.set(dt.date(2024, 1, 20))
    try:
        with pytest.raises(ValidationError, match="after the article's publication date 2024-01-20"):
            PrisonerExchange.model_validate(_exchange(date_text="31 January 2024"))
        planned = PrisonerExchange.model_validate(_exchange(date_text="31 January 2024", status="planned"))
    finally:
        PUBLISHED.reset(token)
    assert planned.date == dt.date(2024, 1, 31)


def test_relative_date_is_resolved_against_publication_date() -> None:
    token = PUBLISHED.set(dt.date(2024, 1, 31))  # a Wednesday
    try:
        exchange = PrisonerExchange.model_validate(_exchange(date_text="on Wednesday"))
    finally:
        PUBLISHED.reset(token)
    assert (exchange.date, exchange.date_precision) == (dt.date(2024, 1, 31), "day")


def test_model_never_sees_library_fields_and_must_decide_every_other_field() -> None:
    schema = _Answer.model_json_schema()
    text = json.dumps(schema)
    for hidden in ('"span"', '"date_precision"', '"as_of"', '"title"', '"description"'):
        assert hidden not in text
    exchange = schema["$defs"]["PrisonerExchange"]
    assert exchange["required"] == list(exchange["properties"])
    assert exchange["required"][0] == "quote"  # the sentence first, then values read off it


def test_public_schema_keeps_descriptions_for_documentation() -> None:
    assert "description" in json.dumps(ExchangeList.model_json_schema())
