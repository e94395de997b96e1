"""The real-news gold in the project's format: conversion rules, prediction-side adjustments, and the set itself.

The fixtures are tiny hand-written gold dicts in the real-news format (not article text). The last tests read the
set from ``../shared/realnews`` and are skipped when that folder is not beside the repository.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from perfect import perfect_extraction

from evals.realnews import (
    CATEGORY_MAP,
    adjust_prediction,
    convert_gold,
    default_realnews_dir,
    load_realnews,
    parse_date,
    read_index,
    select,
)
from pow_extract import score
from pow_extract.records.gold import GoldArticle
from pow_extract.records.schema import ArticleExtraction, CountClaim, CumulativeTotal, PrisonerExchange


def _exchange(**overrides: Any) -> dict[str, Any]:
    exchange: dict[str, Any] = {
        "kind": "prisoners",
        "status": "completed",
        "date": "2024-03-05",
        "parties": ["Russia", "Ukraine"],
        "mediators": [],
        "ordinal": None,
        "counts": [],
        "composition": [],
        "ages": None,
        "named_released": [],
        "primary": True,
    }
    exchange.update(overrides)
    return exchange


def _gold(*exchanges: dict[str, Any], published: str | None = "2024-03-06", **extra: Any) -> dict[str, Any]:
    gold: dict[str, Any] = {
        "article": "R900_fixture.txt",
        "published": published,
        "exchanges": list(exchanges),
        "cumulative_totals": [],
        "notes": "hand-written fixture",
    }
    gold.update(extra)
    return gold


# ------------------------------------------------------------------------------------------------ conversion


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", (dt.date(2024, 3, 5), "day")),
        ("2024-03", (dt.date(2024, 3, 1), "month")),
        ("2024", (dt.date(2024, 1, 1), "year")),
    ],
)
def test_date_precision_comes_from_the_length_of_the_string(value: str, expected: tuple[dt.date, str]) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["05/03/2024", "2024-3-5", "2024-02-30", ""])
def test_malformed_dates_are_rejected(value: str) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize(
    ("realnews", "project"),
    [
        ({"status": "completed", "primary": True}, {"status": "completed", "mention": "primary"}),
        ({"status": "planned", "primary": False}, {"status": "planned", "mention": "secondary"}),
        ({"status": "cancelled", "primary": True}, {"status": "postponed_or_cancelled", "mention": "primary"}),
        ({"kind": "bodies"}, {"kind": "bodies"}),
        ({"kind": "mixed", "status": "planned"}, {"kind": "mixed", "status": "planned"}),
        ({"date": "2024-03"}, {"date": dt.date(2024, 3, 1), "date_precision": "month"}),
        ({"date": None}, {"date": None, "date_precision": None}),
        ({"parties": ["Houthis", "Yemen government"]}, {"parties": ["Houthis", "Yemen government"]}),
        ({"mediators": ["United Arab Emirates"]}, {"mediators": ["United Arab Emirates"]}),
    ],
)
def test_exchange_fields_map_to_project_values(realnews: dict[str, Any], project: dict[str, Any]) -> None:
    converted = convert_gold(_gold(_exchange(**realnews))).gold.exchanges[0]
    assert {name: getattr(converted, name) for name in project} == project


@pytest.mark.parametrize(
    ("claimed_by", "side"),
    [
        (None, None),
        ("Ukraine", "Ukraine"),
        ("Russia", "Russia"),
        ("International Committee of the Red Cross", "International Committee of the Red Cross"),
        ("United Arab Emirates", "United Arab Emirates"),
    ],
)
def test_a_claim_by_a_side_or_organisation_becomes_its_claimant_side_with_no_name(
    claimed_by: str | None, side: str | None
) -> None:
    count = {"returned_to": "Ukraine", "count": 49, "claimed_by": claimed_by}
    converted = convert_gold(_gold(_exchange(counts=[count]))).gold.exchanges[0].counts[0]
    assert (converted.returned_to, converted.number, converted.qualifier) == ("Ukraine", 49, "exact")
    assert (converted.claimant, converted.claimant_side) == (None, side)


@pytest.mark.parametrize(
    ("category", "project"),
    [
        ("military", "other"),
        ("men", "other"),
        ("women", "women"),
        ("civilians", "civilians"),
        ("minors", "minors"),
        ("wounded_or_ill", "wounded_or_ill"),
        ("officers", "rank"),
        ("privates_and_sergeants", "rank"),
        ("national_guard", "branch"),
        ("armed_forces", "branch"),
        ("border_guards", "branch"),
        ("territorial_defense", "branch"),
        ("police", "branch"),
        ("navy", "branch"),
        ("foreigners", "other"),
        ("other", "other"),
    ],
)
def test_composition_categories_become_breakdown_categories(category: str, project: str) -> None:
    part = {"returned_to": "Ukraine", "category": category, "count": 7}
    item = convert_gold(_gold(_exchange(composition=[part]))).gold.exchanges[0].breakdown[0]
    assert (item.returned_to, item.category, item.number, item.label) == ("Ukraine", project, 7, category)


def test_every_realnews_category_has_a_breakdown_category() -> None:
    schema_categories = {
        "military", "civilians", "women", "men", "minors", "wounded_or_ill", "officers", "privates_and_sergeants",
        "national_guard", "armed_forces", "border_guards", "territorial_defense", "police", "navy", "foreigners",
        "other",
    }  # fmt: skip
    assert set(CATEGORY_MAP) == schema_categories


@pytest.mark.parametrize(
    ("ages", "expected"),
    [
        ({"returned_to": "Ukraine", "min": 19, "max": 65}, [("youngest", 19), ("oldest", 65)]),
        ({"returned_to": "Iran", "min": 63, "max": 63}, [("youngest", 63), ("oldest", 63)]),  # one person
        (None, []),
    ],
)
def test_an_age_range_becomes_a_youngest_and_an_oldest_bound(
    ages: dict[str, Any] | None, expected: list[tuple[str, int]]
) -> None:
    converted = convert_gold(_gold(_exchange(parties=["Iran", "Ukraine"], ages=ages))).gold.exchanges[0]
    assert [(a.bound, a.age) for a in converted.ages] == expected


def test_named_people_ordinal_and_event_ids() -> None:
    gold = _gold(
        _exchange(named_released=["Ana Example"], ordinal={"value": 58, "claimed_by": "Ukraine"}),
        _exchange(primary=False, date="2024"),
    )
    exchanges = convert_gold(gold).gold.exchanges
    assert [p.name for p in exchanges[0].released_people] == ["Ana Example"]
    assert exchanges[0].released_people[0].returned_to is None
    assert exchanges[0].ordinal is not None
    assert (exchanges[0].ordinal.number, exchanges[0].ordinal.claimant_side) == (58, "Ukraine")
    assert [e.event_id for e in exchanges] == ["realnews-R900-0", "realnews-R900-1"]


def test_cumulative_totals_go_on_the_primary_completed_exchange() -> None:
    totals = [
        {"side": "Ukraine", "count": 3600, "claimed_by": "Ukraine", "as_of": "2024-03", "approximate": False},
        {"side": "Ukraine", "count": 3500, "claimed_by": None, "as_of": None, "approximate": True},
    ]
    gold = _gold(
        _exchange(primary=False, date="2023"),
        _exchange(status="planned", date=None),
        _exchange(),
        cumulative_totals=totals,
    )
    exchanges = convert_gold(gold).gold.exchanges
    assert [len(e.cumulative_totals) for e in exchanges] == [0, 0, 2]
    assert [(t.number, t.qualifier, t.claimant_side) for t in exchanges[2].cumulative_totals] == [
        (3600, "exact", "Ukraine"),
        (3500, "about", None),
    ]


def test_a_cumulative_total_without_any_exchange_is_listed_as_unscored() -> None:
    total = {"side": "Ukraine", "count": 2600, "claimed_by": "Ukraine", "as_of": "2023-08", "approximate": True}
    converted = convert_gold(_gold(cumulative_totals=[total]))
    assert converted.gold.exchanges == []
    assert converted.unscored == ["cumulative total 2600 to Ukraine: no exchange to hold it"]
    assert not converted.has_completed


@pytest.mark.parametrize(
    ("published", "expected", "unscored"),
    [("2024-03-06", dt.date(2024, 3, 6), 0), ("2024-03", None, 1), (None, None, 0)],
)
def test_published_day_is_passed_on_and_a_month_is_not(
    published: str | None, expected: dt.date | None, unscored: int
) -> None:
    converted = convert_gold(_gold(published=published))
    assert converted.gold.published == expected
    assert len(converted.unscored) == unscored


def test_split_follows_the_article_number_without_an_index() -> None:
    assert [convert_gold(_gold(article=f"R{n}_x.txt")).split for n in (101, 114, 115, 120, 121)] == [
        "ru-ua",
        "ru-ua",
        "other-exchange",
        "other-exchange",
        "negative",
    ]


# ------------------------------------------------------------------------------------------------ predictions


def _prediction(counts: list[CountClaim], totals: list[CumulativeTotal]) -> ArticleExtraction:
    exchange = PrisonerExchange(quote="q", status="completed", parties=["Ukraine", "Russia"], counts=counts)
    exchange.cumulative_totals = totals
    return ArticleExtraction(article_id="R900_fixture", exchanges=[exchange])


def test_two_way_and_hedged_counts_are_left_out_and_total_qualifiers_folded() -> None:
    pred = _prediction(
        counts=[
            CountClaim(quote="q", returned_to="Ukraine", number=95),
            CountClaim(quote="q", returned_to="both", number=190),
            CountClaim(quote="q", returned_to="Russia", number=250, qualifier="over"),
        ],
        totals=[
            CumulativeTotal(quote="q", returned_to="Ukraine", number=3767),
            CumulativeTotal(quote="q", returned_to="Ukraine", number=7000, qualifier="over"),
            CumulativeTotal(quote="q", returned_to="both", number=5000, qualifier="about"),
        ],
    )
    adjusted, adjustment = adjust_prediction(pred)
    exchange = adjusted.exchanges[0]
    assert [(c.returned_to, c.number) for c in exchange.counts] == [("Ukraine", 95)]
    assert [(t.number, t.qualifier) for t in exchange.cumulative_totals] == [(3767, "exact"), (7000, "about")]
    assert (adjustment.two_way_counts, adjustment.hedged_counts, adjustment.two_way_totals) == (1, 1, 1)
    assert pred.exchanges[0].counts[1].returned_to == "both"  # the prediction itself is left untouched


def test_a_left_out_count_is_neither_a_true_nor_a_false_positive() -> None:
    gold = convert_gold(_gold(_exchange(counts=[{"returned_to": "Ukraine", "count": 95, "claimed_by": None}])))
    pred = _prediction(
        counts=[
            CountClaim(quote="q", returned_to="Ukraine", number=95),
            CountClaim(quote="q", returned_to="both", number=190),
        ],
        totals=[],
    )
    pred = pred.model_copy(update={"article_id": gold.article_id})
    raw = score([pred], [gold.gold]).fields["counts"]
    adjusted = score([adjust_prediction(pred)[0]], [gold.gold]).fields["counts"]
    assert (raw.tp, raw.fp, raw.fn) == (1, 1, 0)
    assert (adjusted.tp, adjusted.fp, adjusted.fn) == (1, 0, 0)


def test_a_perfect_prediction_of_a_fixture_scores_one() -> None:
    gold = convert_gold(
        _gold(
            _exchange(
                counts=[{"returned_to": "Ukraine", "count": 95, "claimed_by": "Ukraine"}],
                composition=[{"returned_to": "Ukraine", "category": "officers", "count": 26}],
                ages={"returned_to": "Ukraine", "min": 21, "max": 60},
                ordinal={"value": 58, "claimed_by": "Ukraine"},
                named_released=["Ana Example"],
                mediators=["United Arab Emirates"],
            ),
            _exchange(status="cancelled", kind="bodies", date="2024-03", primary=False),
            cumulative_totals=[
                {"side": "Ukraine", "count": 3767, "claimed_by": "Ukraine", "as_of": None, "approximate": True}
            ],
        )
    )
    report = score([adjust_prediction(perfect_extraction(gold.gold))[0]], [gold.gold])
    assert report.overall.f1 == 1.0
    assert report.overall.tp > 10
    assert (report.claimant_right, report.claimant_checked) == (1, 1)


# ------------------------------------------------------------------------------------------------ the set

REALNEWS = default_realnews_dir()
needs_set = pytest.mark.skipif(
    not (REALNEWS / "gold").is_dir(),
    reason=f"the real-news set is not at {REALNEWS} (../shared/realnews beside the repository, or POW_REALNEWS_DIR)",
)


@needs_set
def test_every_gold_file_of_the_set_converts_and_validates() -> None:
    articles = load_realnews(REALNEWS)
    assert len(articles) == len(list((REALNEWS / "gold").glob("*.json"))) >= 24
    for article in articles:
        assert GoldArticle.model_validate_json(article.gold.model_dump_json()) == article.gold
        assert article.row is not None and article.row.article_id == article.article_id
    assert {a.split for a in articles} == {"ru-ua", "other-exchange", "negative"}
    assert sum(len(a.gold.exchanges) for a in articles) == 39  # README: 39 exchanges, 55 count claims
    assert sum(len(e.counts) for a in articles for e in a.gold.exchanges) == 55
    assert not any(p.exists() for p in Path(REALNEWS).rglob("__pycache__"))  # nothing written into the set


@needs_set
def test_a_perfect_prediction_of_the_whole_set_scores_one() -> None:
    articles = load_realnews(REALNEWS)
    predictions = [adjust_prediction(perfect_extraction(a.gold))[0] for a in articles]
    report = score(predictions, [a.gold for a in articles])
    assert report.overall.f1 == 1.0
    assert report.claimant_right == report.claimant_checked == 55


@needs_set
def test_index_gives_every_article_its_query_and_hash() -> None:
    rows = read_index(REALNEWS)
    assert len(rows) >= 24
    for row in rows.values():
        assert row.query and "(rank" not in row.query
        assert len(row.sha256) == 64 and row.url.startswith("http")
    assert [a.article_id[:4] for a in select(load_realnews(REALNEWS), ["R105", "R101"])] == ["R101", "R105"]
