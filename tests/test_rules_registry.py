"""The rules registry: every rule has a name, a switch, and a table row showing what it changes (rule on) and
that switching it off leaves the record as the model gave it (rule off)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pow_extract import ExtractionSettings
from pow_extract.reading.resolver import ground
from pow_extract.records.schema import PUBLISHED, ArticleExtraction, PrisonerExchange
from pow_extract.rules.checks import apply_checks
from pow_extract.rules.registry import RULE_NAMES, RULES, enabled, note, rule_of, rules_off
from pow_extract.rules.sweep import sweep

RULES_DIR = Path(__file__).resolve().parent.parent / "pow_extract" / "rules"
PUBLISHED_ON = dt.date(2024, 1, 31)

TEXT = (
    "Russia and Ukraine swapped prisoners on Wednesday, mediated by the United Arab Emirates. "
    "Ukraine returned home more than 200 captives, President Volodymyr Zelensky said. "
    "The Russian Defence Ministry said 195 Russian servicemen were freed in exchange for 207 Ukrainians. "
    "Each side handed over 90 people in the second part of the deal. "
    "More than 3,000 Ukrainians have come home since 2022. "
    "Moscow says 65 Ukrainian POWs were flown to Belgorod and died in the crash. "
    "Some 1,000 Ukrainians have been held for 12 years. "
    "Among those freed was President Volodymyr Zelensky's adviser. "
    "The two sides swapped a total of 400 detainees. "
    "German citizen Rico Krieger was flown to Germany. "
    "Kyiv then postponed the swap."
)
MAIN: dict[str, Any] = {
    "quote": "Russia and Ukraine swapped prisoners on Wednesday, mediated by the United Arab Emirates.",
    "status": "completed", "date_text": "on Wednesday", "parties": ["Ukraine", "Russia"],
}  # fmt: skip


def _run(
    exchanges: list[dict[str, Any]], off: set[str] | None = None, second_reading: bool = False, text: str = TEXT
) -> Any:
    token = PUBLISHED.set(PUBLISHED_ON)
    try:
        records = [PrisonerExchange.model_validate(x) for x in exchanges]
    finally:
        PUBLISHED.reset(token)
    result = ground(ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=records))
    with rules_off(off or set()):
        apply_checks(result)
        if second_reading:
            sweep(result)
    return result


def _counts(result: ArticleExtraction) -> list[tuple[int, str]]:
    return sorted((c.number, c.returned_to) for e in result.exchanges for c in e.counts)


def _tags(result: ArticleExtraction) -> set[str | None]:
    """The rules named by the result's warnings."""
    return {rule_of(w) for w in result.warnings}


def _count(quote: str, number: int, returned_to: str = "Ukraine", **extra: Any) -> dict[str, Any]:
    return {"quote": quote, "number": number, "returned_to": returned_to, **extra}


# (rule, the model's exchanges, what to read off the result, with the rule on, with it off)
TABLE: list[tuple[str, list[dict[str, Any]], Callable[[ArticleExtraction], Any], Any, Any]] = [
    ("qualifier-from-words",
     [{**MAIN, "counts": [_count("Ukraine returned home more than 200 captives", 200)]}],
     lambda r: r.exchanges[0].counts[0].qualifier, "over", "exact"),
    ("receiver-from-nationality",
     [{**MAIN, "counts": [_count("195 Russian servicemen were freed", 195, "Ukraine")]}],
     lambda r: r.exchanges[0].counts[0].returned_to, "Russia", "Ukraine"),
    ("receiver-is-party",
     [{**MAIN, "parties": ["Ukraine", "Germany"],
       "counts": [_count("195 Russian servicemen were freed", 195, "Russia")]}],
     lambda r: sorted(r.exchanges[0].parties), ["Germany", "Russia", "Ukraine"], ["Germany", "Ukraine"]),
    ("lone-record-primary",
     [{**MAIN, "mention": "secondary", "counts": [_count("Ukraine returned home more than 200 captives", 200)]}],
     lambda r: r.exchanges[0].mention, "primary", "secondary"),
    ("called-off-later",
     [{**MAIN, "quote": "Each side handed over 90 people in the second part of the deal.", "status": "planned",
       "mention": "primary", "date_text": None, "counts": [_count("Each side handed over 90 people", 90)]}],
     lambda r: r.exchanges[0].status, "postponed_or_cancelled", "planned"),
    ("claimant-from-sentence",
     [{**MAIN, "counts": [_count("Ukraine returned home more than 200 captives", 200)]}],
     lambda r: r.exchanges[0].counts[0].claimant, "President Volodymyr Zelensky", None),
    ("two-way-total",
     [{**MAIN, "counts": [_count("The two sides swapped a total of 400 detainees", 400, "Ukraine")]}],
     _counts, [(400, "both")], [(400, "Ukraine")]),
    ("each-side-split",
     [{**MAIN, "counts": [_count("Each side handed over 90 people", 90, "both")]}],
     _counts, [(90, "Russia"), (90, "Ukraine")], [(90, "both")]),
    ("both-sides-n-for-m",
     [{**MAIN, "counts": [_count("195 Russian servicemen were freed", 195, "Russia")]}],
     _counts, [(195, "Russia"), (207, "Ukraine")], [(195, "Russia")]),
    ("mediators-from-words",
     [{**MAIN}],
     lambda r: r.exchanges[0].mediators, ["United Arab Emirates"], []),
    ("people-not-parties",
     [{**MAIN, "parties": ["Krieger", "Russia"]}],
     lambda r: (r.exchanges[0].parties, [p.name for p in r.exchanges[0].released_people]),
     (["Russia", "Germany"], []), (["Krieger", "Russia"], [])),  # "was flown to": no handover word, no one freed
    ("named-individual-only",
     [{**MAIN, "released_people": [{"quote": "Ukrainians", "name": "Ukrainians"}]}],
     lambda r: len(r.exchanges[0].released_people), 0, 1),
    ("names-one-by-one",
     [{**MAIN, "released_people": [{"quote": "Rico Krieger", "name": "Rico Krieger (German citizen)"}]}],
     lambda r: [p.name for p in r.exchanges[0].released_people], ["Rico Krieger"], []),
    ("officials-not-released",
     [{**MAIN, "released_people": [{"quote": "President Volodymyr Zelensky", "name": "Volodymyr Zelensky"}],
       "counts": [_count("Ukraine returned home more than 200 captives", 200, claimant="Volodymyr Zelensky")]}],
     lambda r: len(r.exchanges[0].released_people), 0, 1),
    ("person-receiver",
     [{**MAIN, "released_people": [{"quote": "Rico Krieger", "name": "Rico Krieger", "returned_to": "Russia"}]}],
     lambda r: r.exchanges[0].released_people[0].returned_to, "Germany", "Russia"),
    ("no-handover-words",
     [{**MAIN, "quote": "Moscow says 65 Ukrainian POWs were flown to Belgorod and died in the crash.",
       "date_text": "for 12 years"}],  # its date words stand in no sentence of a handover either
     lambda r: len(r.exchanges), 0, 1),
    ("no-date-no-figure",
     [{**MAIN, "date_text": None, "quote": "Among those freed was President Volodymyr Zelensky's adviser."}],
     lambda r: len(r.exchanges), 0, 1),
]  # fmt: skip


OTHER = (
    "The swap, to be carried out on Monday, was called off after the crash. "
    "Kyiv and Moscow agreed to exchange 300 prisoners next week. "
    "The bodies of 500 soldiers were returned on Tuesday. "
    "On Sunday, Kyiv freed 40 wounded Russian soldiers. "
    "Ukraine and Russia exchanged prisoners on Friday, the ministry said on Saturday. "
    "Qatar proposed that wounded soldiers be exchanged. "
    "Zelensky thanked the army as well as Oman for their assistance in the exchange. "
    "It was the UAE's seventh mediation between the two countries. "
    "Ukraine received 150 soldiers, and 100 for 100 were exchanged on 8 January. "
    "Russia released 150 Ukrainians on Friday. Among them, 40 were National Guardsmen and 110 were marines. "
    "The previous exchange, on January 6, saw 205 prisoners freed by each side. "
    "Qatar received 12 detainees. "
    "It was the 56th swap of the war. "
    "Kyiv freed prisoners in a swap with Moscow. "
    "The youngest Ukrainian freed was 19 and the oldest was 65. "
    "So far, 3,035 Ukrainians have been returned from captivity. "
    "The Russian Defence Ministry reported the return of 80 servicemen. "
    "Kyiv accused Moscow of halting prisoner exchanges. "
    "The next 30 soldiers will be freed on Monday. "
    "Under the deal, Russia will hand over 250 soldiers. "
    "An exchange took place on 2 January. Russia's Defence Ministry said 60 Russian servicemen had been brought back. "
    "Among the freed was Ivan Melnyk, a Ukrainian marine. "
    "Zelensky said 150 Ukrainians had come home. "
    "The two countries also exchanged lists of 249 prisoners and 98 fishermen."
)
MELNYK = [{"quote": "Ivan Melnyk", "name": "Ivan Melnyk", "returned_to": "Ukraine"}]
JANUARY_2 = dt.date(2024, 1, 2)
FRIDAY: dict[str, Any] = {
    "quote": "Ukraine and Russia exchanged prisoners on Friday, the ministry said on Saturday.",
    "status": "completed", "date_text": "on Saturday", "parties": ["Ukraine", "Russia"],
}  # fmt: skip

# (rule, the model's exchanges, second reading on, what to read off the result, with the rule on, with it off)
OTHER_TABLE: list[tuple[str, list[dict[str, Any]], bool, Callable[[ArticleExtraction], Any], Any, Any]] = [
    ("named-released",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday", "mention": "primary",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)]}],
     True, lambda r: [(p.name, p.returned_to) for p in r.exchanges[0].released_people],
     [("Ivan Melnyk", "Ukraine")], []),
    ("continuation-counts",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday", "mention": "primary",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)]}],
     True, lambda r: [(c.number, c.returned_to) for e in r.exchanges if e.date == JANUARY_2 for c in e.counts],
     [(60, "Russia")], []),
    ("echo-claims",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday", "mention": "primary",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)]}],
     True, lambda r: sorted(str(c.claimant) for c in r.exchanges[0].counts if c.number == 150),
     ["None", "Zelensky"], ["Zelensky"]),  # off: the own-voice figure moves to the source that gives it
    ("lists-not-people",
     [{**FRIDAY, "quote": "The two countries also exchanged lists of 249 prisoners and 98 fishermen.",
       "counts": [_count("exchanged lists of 249 prisoners and 98 fishermen", 98)]}],
     False, lambda r: [c.number for e in r.exchanges for c in e.counts], [], [98]),
    ("mediators-by-help",
     [{**FRIDAY, "mention": "primary"}],
     False, lambda r: r.exchanges[0].mediators, ["Oman"], []),
    ("age-not-count",
     [{**FRIDAY, "counts": [_count("The youngest Ukrainian freed was 19", 19)]}],
     False, _counts, [], [(19, "Ukraine")]),
    ("own-return",
     [{**FRIDAY, "counts": [_count("the return of 80 servicemen", 80, "Ukraine",
                                   claimant="Russian Defence Ministry")]}],
     False, _counts, [(80, "Russia")], [(80, "Ukraine")]),
    ("cancelled-not-completed",
     [{**MAIN, "quote": "The swap, to be carried out on Monday, was called off after the crash.",
       "date_text": "on Monday"}],
     False, lambda r: r.exchanges[0].status, "postponed_or_cancelled", "completed"),
    ("agreed-not-done",
     [{**MAIN, "quote": "Kyiv and Moscow agreed to exchange 300 prisoners next week.", "date_text": None,
       "counts": [_count("agreed to exchange 300 prisoners", 300, "both")]}],
     False, lambda r: r.exchanges[0].status, "planned", "completed"),
    ("released-only-when-done",
     [{**MAIN, "quote": "Kyiv and Moscow agreed to exchange 300 prisoners next week.", "date_text": None,
       "counts": [_count("agreed to exchange 300 prisoners", 300, "both")], "released_people": MELNYK}],
     False, lambda r: [p.name for p in r.exchanges[0].released_people], [], ["Ivan Melnyk"]),
    ("total-of-one-day",
     [{**FRIDAY, "cumulative_totals": [_count("The previous exchange, on January 6, saw 205 prisoners freed", 205)]}],
     False, lambda r: [t.number for t in r.exchanges[0].cumulative_totals], [], [205]),
    ("bodies-own-record",  # the bodies of 500 handed over with 150 living people: a record of their own
     [{**FRIDAY, "quote": "Kyiv freed prisoners in a swap with Moscow.", "date_text": None,
       "counts": [_count("Ukraine received 150 soldiers", 150), _count("The bodies of 500 soldiers", 500)]}],
     False, lambda r: sorted((x.kind, sorted(c.number for c in x.counts)) for x in r.exchanges),
     [("bodies", [500]), ("prisoners", [150])], [("prisoners", [150, 500])]),
    ("bodies-only-when-said",
     [{**FRIDAY, "kind": "bodies"}],
     False, lambda r: r.exchanges[0].kind, "prisoners", "bodies"),
    ("date-of-own-sentence",
     [{**FRIDAY}],
     False, lambda r: r.exchanges[0].date, dt.date(2024, 1, 26), dt.date(2024, 1, 27)),
    ("one-record-per-exchange",
     [{**FRIDAY, "date_text": "on Friday"}, {**FRIDAY, "date_text": "on Friday", "mention": "secondary"}],
     False, lambda r: len(r.exchanges), 1, 2),
    ("proposal-not-exchange",
     [{**FRIDAY, "quote": "Qatar proposed that wounded soldiers be exchanged.", "date_text": "on Friday"}],
     False, lambda r: len(r.exchanges), 0, 1),
    ("completed-needs-a-done-verb",
     [{**FRIDAY, "quote": "It was the 56th swap of the war.", "date_text": "on Friday"}],
     False, lambda r: len(r.exchanges), 0, 1),
    ("ordinal-narrower-series",
     [{**FRIDAY, "date_text": "on Friday", "ordinal": {"quote": "the UAE's seventh mediation", "number": 7}}],
     False, lambda r: r.exchanges[0].ordinal is None, True, False),
    ("one-exchange-per-ordinal",
     [{**FRIDAY, "date_text": "on Friday", "mention": "primary",
       "ordinal": {"quote": "the 56th swap of the war", "number": 56}},
      {**FRIDAY, "quote": "The previous exchange, on January 6, saw 205 prisoners freed by each side.",
       "date_text": "on January 6", "mention": "secondary",
       "ordinal": {"quote": "the 56th swap of the war", "number": 56}}],
     False, lambda r: [e.ordinal is not None for e in r.exchanges], [True, False], [True, True]),
    ("state-side-in-civil-war",
     [{**FRIDAY, "date_text": "on Friday", "parties": ["Sudan", "Rapid Support Forces"],
       "counts": [_count("Qatar received 12 detainees", 12, "Sudan")]}],
     False, lambda r: (r.exchanges[0].parties, _counts(r)),
     (["Sudanese Armed Forces", "Rapid Support Forces"], [(12, "Sudanese Armed Forces")]),
     (["Sudan", "Rapid Support Forces"], [(12, "Sudan")])),
    ("not-the-mediator",
     [{**FRIDAY, "date_text": "on Friday", "mediators": ["Qatar"],
       "counts": [_count("Qatar received 12 detainees", 12, "Qatar")]}],
     False, _counts, [], [(12, "Qatar")]),
    ("count-of-another-clause",
     [{**FRIDAY, "date_text": "on Friday", "counts": [_count("100 for 100 were exchanged on 8 January", 100, "both")]}],
     False, _counts, [], [(100, "both")]),
    ("category-from-words",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)],
       "breakdown": [{"quote": "110 were marines", "number": 110, "returned_to": "Ukraine", "category": "rank",
                      "label": "marines"}]}],
     True, lambda r: [b.category for b in r.exchanges[0].breakdown if b.number == 110][:1], ["branch"], ["rank"]),
    ("part-within-whole",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)],
       "breakdown": [{"quote": "The bodies of 500 soldiers were returned", "number": 500, "returned_to": "Ukraine",
                      "category": "other", "label": "soldiers"}]}],
     True, lambda r: [b.number for b in r.exchanges[0].breakdown if b.number == 500], [], [500]),
    ("part-once",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)],
       "breakdown": [{"quote": "40 were National Guardsmen", "number": 40, "returned_to": "Ukraine",
                      "category": "branch", "label": "National Guardsmen"}] * 2}],
     True, lambda r: [b.number for b in r.exchanges[0].breakdown if b.number == 40], [40], [40, 40]),
    ("parts-by-arithmetic",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)]}],
     True, lambda r: sorted(b.number for b in r.exchanges[0].breakdown), [40, 110], []),
    ("sweep-earlier-exchanges",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday", "mention": "primary",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)]}],
     True, lambda r: dt.date(2024, 1, 6) in {e.date for e in r.exchanges}, True, False),
    ("report-date",
     [{"quote": "Kyiv freed prisoners in a swap with Moscow.", "status": "completed", "mention": "primary",
       "date_text": None, "parties": ["Ukraine", "Russia"], "ordinal": {"quote": "the 56th swap", "number": 56}}],
     False, lambda r: (r.exchanges[0].date, r.exchanges[0].date_precision), (PUBLISHED_ON, "report"), (None, None)),
    ("youngest-and-oldest",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday", "mention": "primary",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)]}],
     True, lambda r: [(a.bound, a.age, a.returned_to) for a in r.exchanges[0].ages],
     [("youngest", 19, "Ukraine"), ("oldest", 65, "Ukraine")], []),
    ("running-totals",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday", "mention": "primary",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)]}],
     True, lambda r: [(t.number, t.returned_to) for t in r.exchanges[0].cumulative_totals], [(3035, "Ukraine")], []),
    ("total-not-a-count",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday", "mention": "primary",
       "counts": [_count("3,035 Ukrainians have been returned", 3035)],
       "cumulative_totals": [_count("So far, 3,035 Ukrainians have been returned", 3035)]}],
     True, lambda r: [t.number for t in r.exchanges[0].cumulative_totals if t.number == 3035], [], [3035]),
    ("next-stage",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday", "mention": "primary",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)]}],
     True, lambda r: [(e.status, e.date) for e in r.exchanges if e.status == "planned"],
     [("planned", dt.date(2024, 2, 5))], []),
    ("weekday-handovers",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday", "mention": "primary",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)]}],
     True, lambda r: [(e.date, _counts(ArticleExtraction(article_id="p", exchanges=[e]))) for e in r.exchanges
                      if e.date_text == "On Sunday"],
     [(dt.date(2024, 1, 28), [(40, "Russia")])], []),
    ("sweep-ordinal",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday", "mention": "primary",
       "counts": [_count("Russia released 150 Ukrainians on Friday", 150)]}],
     True, lambda r: r.exchanges[0].ordinal.number if r.exchanges[0].ordinal else None, 56, None),
    ("whole-group",
     [{**FRIDAY, "quote": "On Sunday, Kyiv freed 40 wounded Russian soldiers.", "date_text": "On Sunday",
       "counts": [_count("Kyiv freed 40 wounded Russian soldiers", 40, "Russia")]}],
     True, lambda r: [(b.number, b.returned_to) for e in r.exchanges for b in e.breakdown
                      if b.category == "wounded_or_ill"], [(40, "Russia")], []),
    ("sweep-primary-counts",
     [{**FRIDAY, "quote": "Russia released 150 Ukrainians on Friday.", "date_text": "on Friday", "mention": "primary"}],
     True, lambda r: sorted(set(_counts(ArticleExtraction(article_id="p", exchanges=r.exchanges[:1])))),
     [(80, "Russia"), (150, "Ukraine")], []),  # the 80 by "the return of", told by a Russian source
]  # fmt: skip


@pytest.mark.parametrize(("rule", "exchanges", "second", "read", "on", "off"), OTHER_TABLE,
                         ids=[row[0] for row in OTHER_TABLE])  # fmt: skip
def test_each_rule_changes_its_case_and_its_switch_turns_it_off_more(
    rule: str,
    exchanges: list[dict[str, Any]],
    second: bool,
    read: Callable[[ArticleExtraction], Any],
    on: Any,
    off: Any,
) -> None:
    with_rule = _run(exchanges, second_reading=second, text=OTHER)
    without = _run(exchanges, off={rule}, second_reading=second, text=OTHER)
    assert read(with_rule) == on
    assert read(without) == off
    assert rule in _tags(with_rule) and rule not in _tags(without)  # its change is a warning tagged with its name


def test_every_registered_rule_has_a_row_in_a_table() -> None:
    assert {row[0] for row in TABLE} | {row[0] for row in OTHER_TABLE} == RULE_NAMES


@pytest.mark.parametrize(("rule", "exchanges", "read", "on", "off"), TABLE, ids=[row[0] for row in TABLE])
def test_each_rule_changes_its_case_and_its_switch_turns_it_off(
    rule: str, exchanges: list[dict[str, Any]], read: Callable[[ArticleExtraction], Any], on: Any, off: Any
) -> None:
    with_rule, without = _run(exchanges), _run(exchanges, off={rule})
    assert read(with_rule) == on
    assert read(without) == off
    assert rule in _tags(with_rule) and rule not in _tags(without)  # its change is a warning tagged with its name


def test_every_registered_rule_is_switched_in_the_rules_code_and_every_switch_is_registered() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in RULES_DIR.glob("*.py"))
    used = set(re.findall(r'enabled\("([a-z0-9-]+)"\)', source))
    assert used == RULE_NAMES
    assert len(RULES) == len(RULE_NAMES)  # names are unique


def test_an_unknown_rule_name_is_a_clear_error_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown rule\(s\) no-such-rule; known: qualifier-from-words"):
        ExtractionSettings(rules_off=frozenset({"no-such-rule"}))
    with pytest.raises(KeyError, match="no rule named"):
        enabled("qualifer-from-words")


def test_rules_are_on_by_default_and_off_only_inside_the_block() -> None:
    assert enabled("not-the-mediator")
    with rules_off({"not-the-mediator"}):
        assert not enabled("not-the-mediator") and enabled("each-side-split")
    assert enabled("not-the-mediator")


def test_a_rules_warning_carries_its_name_and_other_warnings_carry_none() -> None:
    notes: list[str] = []
    note(notes, "each-side-split", "exchange 0: 90 each: one count per side")
    assert notes == ["[each-side-split] exchange 0: 90 each: one count per side"]
    assert rule_of(notes[0]) == "each-side-split"
    assert rule_of("number '12' left out: no usable answer (timeout)") is None
    assert rule_of("[no-such-rule] something") is None
    with pytest.raises(KeyError, match="no rule named"):
        note(notes, "each-side", "x")


def test_every_warning_the_rules_leave_is_tagged_with_a_registered_rule() -> None:
    rows = [(x, False, TEXT) for _, x, *_ in TABLE] + [(x, second, OTHER) for _, x, second, *_ in OTHER_TABLE]
    warnings = [w for x, second, text in rows for w in _run(x, second_reading=second, text=text).warnings]
    assert len(warnings) >= len(RULES)
    assert [w for w in warnings if rule_of(w) is None] == []
