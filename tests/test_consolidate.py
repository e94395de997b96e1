"""Consolidation of per-article exchange records into one event per real exchange, its exports and its scoring."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from pow_extract.cli.merge import merge_command
from pow_extract.dataset.consolidate import (
    ExchangeEvent,
    MergeRules,
    consolidate,
    events_to_csv,
    events_to_jsonl,
    events_to_parquet,
    to_dataframe,
)
from pow_extract.evaluation.consolidation import score_consolidation
from pow_extract.records.gold import GoldArticle, GoldCount, GoldExchange
from pow_extract.records.schema import ArticleExtraction, CountClaim, CumulativeTotal, ExchangeOrdinal, PrisonerExchange

JAN_3 = dt.date(2024, 1, 3)
JAN_24 = dt.date(2024, 1, 24)
JAN_31 = dt.date(2024, 1, 31)
JUL_17 = dt.date(2024, 7, 17)


# ---------------------------------------------------------------------------------------------------- fixtures


def claim(
    to: str, number: int, quote: str, claimant: str | None = None, side: str | None = None, qualifier: str = "exact"
) -> CountClaim:
    return CountClaim.model_validate(
        {
            "returned_to": to,
            "number": number,
            "quote": quote,
            "claimant": claimant,
            "claimant_side": side,
            "qualifier": qualifier,
        }
    )


def ordinal(number: int, side: str | None = "Ukraine", claimant: str | None = None) -> ExchangeOrdinal:
    return ExchangeOrdinal(number=number, quote=f"the {number}th exchange", claimant=claimant, claimant_side=side)


def exchange(
    *,
    status: str = "completed",
    date: dt.date | None = None,
    precision: str | None = "day",
    mention: str = "primary",
    counts: Sequence[CountClaim] = (),
    nth: ExchangeOrdinal | None = None,
    parties: Sequence[str] = ("Ukraine", "Russia"),
    kind: str = "prisoners",
    mediators: Sequence[str] = (),
    quote: str = "an exchange of prisoners took place",
) -> PrisonerExchange:
    return PrisonerExchange.model_validate(
        {
            "status": status,
            "date": date,
            "date_precision": precision if date else None,
            "mention": mention,
            "counts": list(counts),
            "ordinal": nth,
            "parties": list(parties),
            "kind": kind,
            "mediators": list(mediators),
            "quote": quote,
        }
    )


def article(
    article_id: str, published: dt.date, *exchanges: PrisonerExchange, source: str = "outlet"
) -> ArticleExtraction:
    return ArticleExtraction(article_id=article_id, source=source, published=published, exchanges=list(exchanges))


def halted_jan_24() -> PrisonerExchange:
    return exchange(
        status="postponed_or_cancelled",
        date=JAN_24,
        mention="secondary",
        quote="On 24 January, Russia halted an exchange",
    )


def jan_3_secondary() -> PrisonerExchange:
    return exchange(
        date=JAN_3,
        mention="secondary",
        counts=[
            claim("Ukraine", 230, "Kyiv returned home 230 Ukrainians"),
            claim("Russia", 248, "exchanging them for 248 Russians"),
        ],
        quote="on 3 January, the largest POW swap",
    )


def seed_articles() -> list[ArticleExtraction]:
    """The four reports of the 31 Jan 2024 swap (with their secondary mentions) and the 17 Jul 2024 one."""
    a000 = article(
        "000",
        JAN_31,
        exchange(
            date=JAN_31,
            counts=[
                claim("Ukraine", 207, "Ukraine managed to return home 207 captives", "Volodymyr Zelenskyy", "Ukraine"),
                claim("Russia", 195, "exchanged them for 195 Russian prisoners of war"),
            ],
            nth=ordinal(50, claimant="Coordination Headquarters"),
            quote="Ukraine returns home 207 POWs",
        ),
        halted_jan_24(),
        jan_3_secondary(),
        source="Euromaidan Press",
    )
    a001 = article(
        "001",
        JAN_31,
        exchange(
            date=JAN_31,
            counts=[claim("Ukraine", 207, "207 Ukrainians returned home", "Volodymyr Zelenskyy", "Ukraine")],
            nth=ordinal(50, claimant="Dmytro Lubinets"),
            quote="an exchange of prisoners took place",
        ),
        source="NV",
    )
    a002 = article(
        "002",
        dt.date(2024, 2, 1),
        exchange(
            date=JAN_31,
            counts=[
                claim("Russia", 195, "195 Russian servicemen ... were returned", "Russian Defence Ministry", "Russia"),
                claim(
                    "Ukraine",
                    195,
                    "exactly 195 prisoners from the armed forces of Ukraine were handed over",
                    "Russian Defence Ministry",
                    "Russia",
                ),
                claim("Ukraine", 207, "Ukraine received 207 prisoners", "Volodymyr Zelenskyy", "Ukraine"),
            ],
            nth=ordinal(50, claimant="Ukrainian officials"),
            quote="Russia and Ukraine have conducted a swap",
        ),
        exchange(
            date=JAN_3,
            mention="secondary",
            mediators=["UAE"],
            counts=[claim("both", 478, "a total of 478 captives were exchanged")],
            quote="mediated by the UAE on January 3, 2024",
        ),
        source="Global Village Space",
    )
    a003 = article(
        "003",
        JAN_31,
        exchange(
            date=JAN_31,
            mediators=["United Arab Emirates"],
            counts=[
                claim("both", 400, "free more than 400 people", qualifier="over"),
                claim(
                    "Russia",
                    195,
                    "Russia's Defense Ministry said 195 of its soldiers were freed",
                    "Russia's Defense Ministry",
                    "Russia",
                ),
                claim(
                    "Ukraine",
                    207,
                    "207 people — both soldiers and civilians — had returned to Ukraine",
                    "Volodymyr Zelensky",
                    "Ukraine",
                ),
            ],
            quote="Russia and Ukraine traded hundreds of prisoners of war on Wednesday",
        ),
        halted_jan_24(),
        source="AFP",
    )
    a004 = article(
        "004",
        dt.date(2024, 7, 20),
        exchange(
            date=JUL_17,
            mediators=["UAE"],
            nth=ordinal(54, side=None),
            counts=[
                claim("Russia", 95, "95 Russian soldiers ... were returned", "Russian Defence Ministry", "Russia"),
                claim("Ukraine", 95, "95 Ukrainian prisoners were handed back", "Russian Defence Ministry", "Russia"),
            ],
            quote="Russia and Ukraine have successfully exchanged 95 prisoners of war",
        ),
        source="Caspian News",
    )
    return [a000, a001, a002, a003, a004]


def gold_for(articles: Sequence[ArticleExtraction], event_of: dict[dt.date | None, str]) -> list[GoldArticle]:
    """Gold labels mirroring the records, with event ids given per date."""
    return [
        GoldArticle(
            article_id=a.article_id,
            published=a.published,
            exchanges=[
                GoldExchange(
                    event_id=event_of[x.date],
                    status=x.status,
                    mention=x.mention,
                    date=x.date,
                    date_precision=x.date_precision,
                    parties=x.parties,
                    counts=[
                        GoldCount(returned_to=c.returned_to, number=c.number, qualifier=c.qualifier) for c in x.counts
                    ],
                )
                for x in a.exchanges
            ],
        )
        for a in articles
    ]


def event_on(events: Sequence[ExchangeEvent], date: dt.date, status: str = "completed") -> ExchangeEvent:
    matches = [e for e in events if e.date == date and e.status == status]
    assert len(matches) == 1, [e.event_id for e in events]
    return matches[0]


# ---------------------------------------------------------------------------------------------------- grouping


def test_four_reports_of_one_swap_become_one_event_with_attributed_conflicting_claims() -> None:
    events = consolidate(seed_articles())

    jan31 = event_on(events, JAN_31)
    assert jan31.event_id == "russia-ukraine-2024-01-31-prisoners"
    assert jan31.sources == ["000", "001", "002", "003"]
    assert [m.mention for m in jan31.mentions] == ["primary"] * 4
    assert jan31.ordinal == 50
    assert jan31.mediators == ["United Arab Emirates"]

    ukraine = [c for c in jan31.claims if c.returned_to == "Ukraine"]
    assert sorted(c.article_id for c in ukraine if c.number == 207) == ["000", "001", "002", "003"]
    assert {c.claimant_side for c in ukraine if c.number == 207} == {"Ukraine"}
    moscow = [c for c in jan31.claims if c.number == 195 and c.claimant == "Russian Defence Ministry"]
    assert {(c.returned_to, c.article_id, c.source) for c in moscow} == {
        ("Ukraine", "002", "Global Village Space"),
        ("Russia", "002", "Global Village Space"),
    }

    assert jan31.consensus == {"Russia": 195, "Ukraine": None, "both": None}  # "over 400" is no exact figure
    [conflict] = jan31.conflicts
    assert (conflict.field, conflict.returned_to) == ("count", "Ukraine")
    assert [(v.value, v.article_ids) for v in conflict.values] == [(207, ["000", "001", "002", "003"]), (195, ["002"])]
    assert conflict.values[1].claimants == ["Russian Defence Ministry"]
    assert conflict.message.startswith("returned_to=Ukraine: 207 (Volodymyr Zelenskyy")


def test_approximate_figure_consistent_with_exact_one_is_not_a_conflict() -> None:
    events = consolidate(
        [
            article("a", JAN_31, exchange(date=JAN_31, counts=[claim("both", 400, "more than 400", qualifier="over")])),
            article("b", JAN_31, exchange(date=JAN_31, counts=[claim("both", 402, "402 people were freed")])),
        ]
    )
    [event] = events
    assert event.conflicts == []
    assert event.consensus == {"both": 402}


def test_secondary_mention_joins_primary_report_of_that_swap() -> None:
    primary_jan3 = article(
        "jan3",
        JAN_3,
        exchange(
            date=JAN_3,
            mediators=["UAE"],
            counts=[
                claim("Ukraine", 230, "230 Ukrainians came home", "Volodymyr Zelenskyy", "Ukraine"),
                claim("Russia", 248, "248 Russian servicemen returned", "Russian Defence Ministry", "Russia"),
            ],
            quote="the largest swap of the war",
        ),
    )
    events = consolidate([*seed_articles(), primary_jan3])

    jan3 = event_on(events, JAN_3)
    assert jan3.sources == ["000", "002", "jan3"]
    assert {(m.article_id, m.mention) for m in jan3.mentions} == {
        ("000", "secondary"),
        ("002", "secondary"),
        ("jan3", "primary"),
    }
    assert {c.mention for c in jan3.claims if c.article_id == "000"} == {"secondary"}
    assert jan3.consensus == {"Russia": 248, "Ukraine": 230, "both": 478}
    assert jan3.conflicts == []
    assert len(events) == 4  # 3 Jan, 24 Jan (halted), 31 Jan, 17 Jul


def test_secondary_mentions_of_one_swap_in_two_articles_join_without_a_primary_report() -> None:
    jan3 = event_on(consolidate(seed_articles()), JAN_3)
    assert jan3.sources == ["000", "002"]
    assert {m.mention for m in jan3.mentions} == {"secondary"}


def test_swaps_a_week_apart_between_same_parties_stay_apart() -> None:
    events = consolidate(
        [
            article("a", JAN_24, exchange(date=dt.date(2024, 1, 24), counts=[claim("Ukraine", 100, "100 came home")])),
            article("b", JAN_31, exchange(date=JAN_31, counts=[claim("Ukraine", 100, "100 came home")])),
        ]
    )
    assert [e.date for e in events] == [dt.date(2024, 1, 24), JAN_31]


def test_completed_and_cancelled_swaps_on_nearby_dates_stay_apart() -> None:
    events = consolidate(
        [
            article("halted", dt.date(2024, 1, 25), exchange(status="postponed_or_cancelled", date=JAN_24)),
            article("done-same-day", JAN_24, exchange(date=JAN_24, counts=[claim("Ukraine", 50, "50 returned")])),
            article("done-next-day", dt.date(2024, 1, 25), exchange(date=dt.date(2024, 1, 25))),
        ]
    )
    halted = event_on(events, JAN_24, "postponed_or_cancelled")
    assert halted.sources == ["halted"]
    assert halted.event_id == "russia-ukraine-2024-01-24-prisoners-2"  # id collides with the completed one
    assert event_on(events, JAN_24).sources == ["done-next-day", "done-same-day"]


def test_dates_within_the_day_tolerance_merge_and_the_tolerance_is_configurable() -> None:
    articles = [
        article("a", JAN_31, exchange(date=JAN_31)),
        article("b", dt.date(2024, 2, 1), exchange(date=dt.date(2024, 2, 1))),
    ]
    assert len(consolidate(articles)) == 1
    assert len(consolidate(articles, rules=MergeRules(day_tolerance=0))) == 2


def test_month_precision_record_joins_day_precision_event_in_that_month() -> None:
    events = consolidate(
        [
            *seed_articles()[4:],
            article(
                "july",
                dt.date(2024, 8, 2),
                exchange(
                    date=dt.date(2024, 7, 1),
                    precision="month",
                    mention="secondary",
                    quote="in July, 95 soldiers were swapped",
                ),
            ),
        ]
    )
    [jul] = events
    assert (jul.date, jul.date_precision) == (JUL_17, "day")
    assert {m.article_id: m.date_precision for m in jul.mentions} == {"004": "day", "july": "month"}


def test_month_record_joins_the_swap_whose_figures_it_shares() -> None:
    january = article(
        "jan",
        dt.date(2024, 2, 5),
        exchange(
            date=dt.date(2024, 1, 1),
            precision="month",
            mention="secondary",
            counts=[claim("Ukraine", 230, "in January 230 came home")],
        ),
    )
    events = consolidate([*seed_articles(), january])
    assert "jan" in event_on(events, JAN_3).sources
    assert "jan" not in event_on(events, JAN_31).sources


def test_vague_record_compatible_with_two_swaps_stays_alone_instead_of_chaining_them() -> None:
    january = article(
        "jan",
        dt.date(2024, 2, 5),
        exchange(date=dt.date(2024, 1, 1), precision="month", quote="prisoners were swapped in January"),
    )
    events = consolidate([*seed_articles(), january])
    assert event_on(events, JAN_3).sources == ["000", "002"]
    assert event_on(events, JAN_31).sources == ["000", "001", "002", "003"]
    [alone] = [e for e in events if e.sources == ["jan"]]
    assert (alone.date_precision, alone.event_id) == ("month", "russia-ukraine-2024-01-prisoners")


def test_undated_record_joins_only_on_strong_evidence_near_its_publication() -> None:
    same_ordinal = article("ord", dt.date(2024, 2, 2), exchange(nth=ordinal(50), quote="the 50th exchange"))
    same_figure = article("fig", dt.date(2024, 2, 3), exchange(counts=[claim("Ukraine", 207, "207 came home")]))
    vague = article("vague", dt.date(2024, 2, 3), exchange(counts=[claim("Ukraine", 210, "about 210 came home")]))
    too_late = article("late", dt.date(2024, 9, 1), exchange(counts=[claim("Ukraine", 207, "207 came home")]))
    events = consolidate([*seed_articles(), same_ordinal, same_figure, vague, too_late])

    jan31 = event_on(events, JAN_31)
    assert {"ord", "fig"} <= set(jan31.sources)
    assert not {"vague", "late"} & set(jan31.sources)
    assert {e.event_id for e in events if e.sources in (["vague"], ["late"])} == {
        "russia-ukraine-undated-prisoners",
        "russia-ukraine-undated-prisoners-2",
    }


def test_record_with_no_date_no_ordinal_and_no_counts_stays_alone() -> None:
    bare = article("bare", JAN_31, exchange(quote="the sides swapped prisoners"))
    events = consolidate([*seed_articles(), bare, bare.model_copy(update={"article_id": "bare2"})])
    assert [e.sources for e in events if e.date is None] == [["bare"], ["bare2"]]


def test_undated_record_with_wildly_different_figures_does_not_join() -> None:
    events = consolidate(
        [
            *seed_articles(),
            article("odd", JAN_31, exchange(nth=ordinal(50), counts=[claim("Ukraine", 12, "12 came home")])),
        ]
    )
    assert "odd" not in event_on(events, JAN_31).sources


def test_different_parties_kinds_or_ordinals_stay_apart() -> None:
    events = consolidate(
        [
            article("ru-ua", JAN_31, exchange(date=JAN_31, nth=ordinal(50))),
            article("il-hamas", JAN_31, exchange(date=JAN_31, parties=["Israel", "Hamas"])),
            article("bodies", JAN_31, exchange(date=JAN_31, kind="bodies")),
            article("51st", JAN_31, exchange(date=JAN_31, nth=ordinal(51))),
        ]
    )
    assert sorted(e.sources[0] for e in events) == ["51st", "bodies", "il-hamas", "ru-ua"]
    assert "hamas-israel-2024-01-31-prisoners" in {e.event_id for e in events}


def test_record_naming_one_party_joins_only_on_a_shared_figure() -> None:
    one_side_same = article(
        "kyiv-only", JAN_31, exchange(date=JAN_31, parties=["Kyiv"], counts=[claim("Ukraine", 207, "207 came home")])
    )
    one_side_other = article("kyiv-bare", JAN_31, exchange(date=JAN_31, parties=["Ukraine"]))
    events = {e.event_id: e for e in consolidate([*seed_articles(), one_side_same, one_side_other])}
    jan31 = events["russia-ukraine-2024-01-31-prisoners"]
    assert "kyiv-only" in jan31.sources
    assert jan31.parties == ["Russia", "Ukraine"]
    assert events["ukraine-2024-01-31-prisoners"].sources == ["kyiv-bare"]


def test_planned_announcement_joins_the_swap_it_announced() -> None:
    def announcement_and_outcome() -> list[ArticleExtraction]:
        return [
            article("plan", dt.date(2024, 1, 30), exchange(status="planned", date=JAN_31, quote="set for Wednesday")),
            article("done", JAN_31, exchange(date=JAN_31, counts=[claim("Ukraine", 207, "207 came home")])),
        ]

    [event] = consolidate(announcement_and_outcome())
    assert (event.status, event.sources) == ("completed", ["done", "plan"])
    assert len(consolidate(announcement_and_outcome(), rules=MergeRules(planned_matches_outcome=False))) == 2


def test_planned_announcement_dated_by_its_report_still_joins_the_swap_it_announced() -> None:
    # the report's date is the day the swap was announced, not the day it happened: it does not keep them apart
    planned = exchange(
        status="planned",
        date=dt.date(2024, 1, 25),
        precision="report",
        counts=[claim("Ukraine", 207, "207 to come home")],
    )
    done = exchange(date=JAN_31, counts=[claim("Ukraine", 207, "207 came home")])
    [event] = consolidate([article("plan", dt.date(2024, 1, 25), planned), article("done", JAN_31, done)])
    assert (event.status, event.sources) == ("completed", ["done", "plan"])


def test_ordinals_counted_by_different_sides_may_differ_and_are_flagged() -> None:
    events = consolidate(
        [
            article("kyiv", JAN_31, exchange(date=JAN_31, nth=ordinal(50, side="Ukraine"))),
            article("moscow", JAN_31, exchange(date=JAN_31, nth=ordinal(48, side="Russia"))),
        ]
    )
    [event] = events
    assert event.ordinal is None
    assert [c.field for c in event.conflicts] == ["ordinal"]


def test_grouping_and_ids_do_not_depend_on_input_order() -> None:
    articles = seed_articles()
    forward = consolidate(articles)
    backward = consolidate(list(reversed(articles)))
    assert [e.model_dump() for e in forward] == [e.model_dump() for e in backward]
    assert [e.event_id for e in forward] == [
        "russia-ukraine-2024-01-03-prisoners",
        "russia-ukraine-2024-01-24-prisoners",
        "russia-ukraine-2024-01-31-prisoners",
        "russia-ukraine-2024-07-17-prisoners",
    ]


def test_cumulative_totals_are_kept_with_their_sources() -> None:
    record = exchange(date=JAN_31)
    record.cumulative_totals = [
        CumulativeTotal(
            returned_to="Ukraine", number=3000, qualifier="over", quote="over 3,000 Ukrainian POWs", claimant="Zelensky"
        )
    ]
    [event] = consolidate([article("t", JAN_31, record)])
    [total] = event.cumulative_totals
    assert (total.number, total.article_id, total.as_of) == (3000, "t", JAN_31)


def test_duplicate_article_ids_are_rejected() -> None:
    with pytest.raises(ValueError, match="appears more than once"):
        consolidate([article("x", JAN_31), article("x", JAN_31)])


# ---------------------------------------------------------------------------------------------------- exports


def test_csv_export_writes_one_row_per_event_or_per_claim(tmp_path: Path) -> None:
    events = consolidate(seed_articles())
    n_claims = sum(len(x.counts) for a in seed_articles() for x in a.exchanges)

    assert events_to_csv(events, tmp_path / "events.csv") == 4
    with (tmp_path / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4
    jan31 = next(r for r in rows if r["event_id"] == "russia-ukraine-2024-01-31-prisoners")
    assert (jan31["consensus_Russia"], jan31["consensus_Ukraine"], jan31["has_conflict"]) == ("195", "", "True")
    assert jan31["sources"] == "000; 001; 002; 003"

    assert events_to_csv(events, tmp_path / "claims.csv", level="claim") == n_claims
    with (tmp_path / "claims.csv").open(encoding="utf-8", newline="") as handle:
        claims = list(csv.DictReader(handle))
    assert len(claims) == n_claims
    assert {r["in_conflict"] for r in claims if r["returned_to"] == "Ukraine" and r["event_date"] == "2024-01-31"} == {
        "True"
    }


def test_jsonl_export_round_trips(tmp_path: Path) -> None:
    events = consolidate(seed_articles())
    assert events_to_jsonl(events, tmp_path / "events.jsonl") == len(events)
    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert [ExchangeEvent.model_validate_json(line) for line in lines] == events
    assert json.loads(lines[0])["event_id"] == events[0].event_id


def test_parquet_export_and_dataframe_have_expected_rows(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    events = consolidate(seed_articles())

    frame = to_dataframe(events)
    assert len(frame) == 4
    assert str(frame["consensus_Ukraine"].dtype) == "Int64"

    assert events_to_parquet(events, tmp_path / "events.parquet") == 4
    back = pd.read_parquet(tmp_path / "events.parquet")
    assert list(back["event_id"]) == [e.event_id for e in events]
    n_claims = sum(len(e.claims) for e in events)
    assert events_to_parquet(events, tmp_path / "claims.parquet", level="claim") == n_claims
    assert len(pd.read_parquet(tmp_path / "claims.parquet")) == n_claims


def test_unknown_level_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="level"):
        events_to_csv([], tmp_path / "x.csv", level="article")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------- scoring

GOLD_EVENTS: dict[dt.date | None, str] = {
    JAN_3: "ru-ua-2024-01-03",
    JAN_24: "ru-ua-2024-01-24",
    JAN_31: "ru-ua-2024-01-31",
    JUL_17: "ru-ua-2024-07-17",
}


def test_score_is_perfect_for_a_correct_grouping() -> None:
    articles = seed_articles()
    score = score_consolidation(articles, gold_for(articles, GOLD_EVENTS))
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score.true_positive_pairs == 6 + 1 + 1  # 31 Jan: 4 records; 24 Jan: 2; 3 Jan: 2
    assert (score.mapped_records, score.unmapped_records, score.predicted_events, score.gold_events) == (9, 0, 4, 4)


def test_score_drops_on_a_wrong_merge() -> None:
    articles = [
        article("a", JAN_24, exchange(date=JAN_24, counts=[claim("Ukraine", 100, "100 came home")])),
        article("b", JAN_31, exchange(date=JAN_31, counts=[claim("Ukraine", 100, "100 came home")])),
        article("c", JAN_31, exchange(date=JAN_31)),
    ]
    gold = gold_for(articles, GOLD_EVENTS)
    assert score_consolidation(articles, gold).f1 == 1.0
    merged = score_consolidation(articles, gold, rules=MergeRules(day_tolerance=10))
    assert merged.precision < 1.0
    assert merged.false_positive_pairs == 2
    assert merged.recall == 1.0


def test_score_ignores_but_reports_unmappable_records() -> None:
    articles = seed_articles()
    gold = gold_for(articles, GOLD_EVENTS)
    extra = articles[1].model_copy(update={"exchanges": [*articles[1].exchanges, exchange(quote="some swap")]})
    score = score_consolidation([*articles[:1], extra, *articles[2:]], gold)
    assert score.f1 == 1.0
    assert (score.unmapped_records, score.unmapped) == (1, ["001#1"])


# ---------------------------------------------------------------------------------------------------- CLI body


def write_jsonl(path: Path, articles: Sequence[ArticleExtraction]) -> Path:
    path.write_text("".join(a.model_dump_json() + "\n" for a in articles), encoding="utf-8")
    return path


def test_merge_command_writes_by_suffix_and_prints_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = seed_articles()
    first = write_jsonl(tmp_path / "a.jsonl", articles[:2])
    second = write_jsonl(tmp_path / "b.jsonl", articles[2:])

    assert merge_command([first, second], tmp_path / "exchanges.csv") == 0
    summary = capsys.readouterr().out.strip()
    assert summary.startswith("9 exchange records from 5 articles -> 4 exchanges (1 with conflicting claims)")
    with (tmp_path / "exchanges.csv").open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 4

    assert merge_command([first, second], tmp_path / "exchanges.jsonl") == 0
    assert len((tmp_path / "exchanges.jsonl").read_text(encoding="utf-8").splitlines()) == 4


def test_merge_command_rejects_unknown_suffix_and_bad_input(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "a.jsonl", seed_articles())
    with pytest.raises(ValueError, match=r"unknown output format '\.xlsx'"):
        merge_command([source], tmp_path / "out.xlsx")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article_id": "x"}\nnot json\n{"article_id": "y"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        merge_command([bad], tmp_path / "out.csv")
