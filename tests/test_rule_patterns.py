"""The cue patterns of the coding rules, case by case: each row is a sentence a pattern must read, and each pattern
has a row that changes when it stops matching (``python scripts/mutate_patterns.py`` checks that, in CI).

Rows are grouped by the step that reads them: the second reading's count reader and its search for earlier
exchanges (``rules/sweep.py``), the checks on the model's records (``rules/checks.py``), the reader of who said a
sentence, and the breakdown reader (``rules/parts.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pow_extract.reading.resolver import ground
from pow_extract.records.schema import PUBLISHED, ArticleExtraction, PrisonerExchange
from pow_extract.rules.checks import _speakers, apply_checks
from pow_extract.rules.parts import _numbers
from pow_extract.rules.registry import rules_off
from pow_extract.rules.sweep import _find_secondary, _read_counts, sweep

PUBLISHED_ON = dt.date(2024, 1, 31)
PARTIES = ["Ukraine", "Russia"]


def _records(exchanges: list[dict[str, Any]]) -> list[PrisonerExchange]:
    token = PUBLISHED.set(PUBLISHED_ON)
    try:
        return [PrisonerExchange.model_validate(x) for x in exchanges]
    finally:
        PUBLISHED.reset(token)


# ------------------------------------------------------------------------------------------ the count reader

# (sentence, the counts read from it: (number, receivers))
COUNTS: list[tuple[str, list[tuple[int, tuple[str, ...]]]]] = [
    ("Russia released 150 Ukrainians on Friday.", [(150, ("Ukraine",))]),  # nationality
    ("Ukraine received 150 soldiers on Friday.", [(150, ("Ukraine",))]),  # "<side> received N"
    ("Ukraine brought home, after 2 years as prisoners, 90 soldiers.", [(90, ("Ukraine",))]),  # a length of time
    ("On September 14 Russian servicemen were returned.", []),  # a day of the month, not 14 people
    ("Ukraine's ombudsman Dmytro Lubinets said 90 of our soldiers came home.", [(90, ("Ukraine",))]),  # "our"
    ("Ukraine's ombudsman Dmytro Lubinets said 90 of our soldiers were freed.", [(90, ("Ukraine",))]),  # "our" only
    ("Ukraine's ombudsman Dmytro Lubinets said 90 soldiers came home.", [(90, ("Ukraine",))]),  # home, by his word
    ("A total of 478 captives were exchanged.", [(478, ("both",))]),  # both directions together
    ("103 servicemen from each side were released.", [(103, ("Ukraine", "Russia"))]),  # one count per side
    ("Officials said 90 soldiers were seen.", []),  # no receiver in the words: nothing read
    ("Another 120 captured soldiers have now been handed over to Ukraine.", [(120, ("Ukraine",))]),  # "handed over to"
    ("120 soldiers were released from Kyiv's custody.", [(120, ("Russia",))]),  # from one side
    ("90 soldiers were handed over to Turkey.", []),  # to a country that is not a side
    ("Ukraine received 757 bodies.", [(757, ("Ukraine",))]),  # remains are counted as people handed over
    ("22 wounded were handed over to Ukraine.", [(22, ("Ukraine",))]),
    ("Moscow sent back 31 badly injured Ukrainian captives.", [(31, ("Ukraine",))]),  # nationality 3 words on
    ("Moscow freed 22 prisoners, Russian officials said.", []),  # a nationality after the comma is not theirs
    ("Kyiv handed back one Russian soldier for one Ukrainian civilian.", [(1, ("Russia",)), (1, ("Ukraine",))]),
    ("One of the Russian soldiers was freed.", []),  # "one" is a count only before a nationality
    ("Kyiv has received the bodies of 615 soldiers.", [(615, ("Ukraine",))]),  # "<side> received the bodies of N"
    ("Ukraine had returned the bodies of 69 soldiers to Russia.", [(69, ("Russia",))]),  # "<verb> the bodies of N to"
    (
        "Kyiv managed to return 45 soldiers, and three pilots returned to Russia.",
        [(45, ("Ukraine",)), (3, ("Russia",))],
    ),  # a side that managed to return people got its own; the next clause's own
    ("Russia delivered 615 bodies to Ukraine.", [(615, ("Ukraine",))]),  # "<verb> N <people> to <side>"
    ("Russia returned 90 soldiers to their families.", []),  # "to" no side
    ("Kyiv freed 90 Russian soldiers in exchange for 80 from Moscow.", [(90, ("Russia",)), (80, ("Ukraine",))]),
    ("Russia and Ukraine each handed back 90 prisoners of war.", [(90, ("Ukraine", "Russia"))]),  # "each <verb> N"
    ("Then, each side returned 50 prisoners home.", [(50, ("Ukraine", "Russia"))]),  # "each side <verb> N"
    ("Three trains are ready, each with 1,200 bodies.", []),  # "each" of the trains, not of the sides
    ("The deal freed 480 Houthi prisoners.", []),  # a people that is not a side of this exchange: nothing read
]


@pytest.mark.parametrize(("sentence", "expected"), COUNTS, ids=[row[0][:40] for row in COUNTS])
def test_the_second_reading_reads_a_count_only_where_the_words_name_its_receiver(
    sentence: str, expected: list[tuple[int, tuple[str, ...]]]
) -> None:
    assert [(c.number, c.receivers) for c in _read_counts(sentence, PARTIES)] == expected


# ------------------------------------------------------------------------------------- earlier exchanges

PRIMARY = "Russia and Ukraine swapped prisoners on Wednesday."

# (a sentence after the primary exchange's, the records found in it: (date, status, counts))
EARLIER: list[tuple[str, list[tuple[str, str, list[int]]]]] = [
    ("The previous exchange, on January 6, saw 205 prisoners freed by each side.",
     [("2024-01-06", "completed", [205, 205])]),
    ("Most swaps since 2022 were brokered by the UAE, and one on 3 January freed 230 Ukrainians.",
     [("2024-01-03", "completed", [230])]),  # only the clause that names a day
    ("Another swap is scheduled for 5 March.", [("2024-03-05", "planned", [])]),  # planned: a future day
    ("Originally, a swap was planned for January 24.",
     [("2024-01-24", "postponed_or_cancelled", [])]),  # a plan gone by: this year's, and not done as planned
    ("A swap is planned for January 24.", [("2025-01-24", "planned", [])]),  # a plan ahead: the next January 24
    ("Several exchanges took place in June.", []),  # exchanges in general, not one exchange
    ("Since 2022, exchanges on 8 February freed 100.", []),
    ("The last swap took place on January 6. Then, 101 Russian servicemen were returned.",
     [("2024-01-06", "completed", [101])]),  # "Then," speaks of the day before it
    ("On January 15, Saraliev said that Ukraine had returned the bodies of 69 soldiers to Russia.",
     [("2024-01-15", "completed", [69])]),  # a handover verb names it as well as a swap noun
    ("On Monday, both sides exchanged 270 soldiers, followed by a 107-for-107 swap of military personnel on Tuesday.",
     [("2024-01-29", "completed", [270]), ("2024-01-30", "completed", [107, 107])]),  # other days than Wednesday's
    ("On Wednesday, both sides exchanged 270 soldiers.", []),  # the primary's own weekday
    ("The first swap took place Monday, when 270 soldiers were exchanged by each side.",
     [("2024-01-29", "completed", [270, 270])]),  # a weekday without "on", as agencies write it
    ("Monday's swap had freed 270 soldiers.", []),  # a possessive names no day of a handover
    ("On January 6, the bodies of 79 more dead soldiers were returned to Ukraine.",
     [("2024-01-06", "completed", [79])]),  # a death word describes bodies handed over
    ("On January 6, 79 soldiers were killed near Bakhmut.", []),  # people killed, not handed over
    ("On January 6, Ukraine returned the bodies of another 80 dead soldiers.",
     [("2024-01-06", "completed", [])]),  # people counted, their receiver not told: the record, without a count
    ("On January 6, the rebels released 290 prisoners.", [("2024-01-06", "completed", [])]),
    ("On January 6, Ukraine returned home.", []),  # no swap word and no people counted: too vague
    ("Between mid-March and November, Ukraine returned more than 1,130 prisoners of war.",
     []),  # a period, not the day of one exchange
    ("In the first step of the swap, the 10 agents pleaded guilty on Monday and were deported.",
     []),  # a step of the swap told is that swap, whatever its weekday
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), EARLIER, ids=[row[0][:40] for row in EARLIER])
def test_an_earlier_exchange_is_one_named_by_its_day_in_a_clause_about_one_swap(
    sentence: str, expected: list[tuple[str, str, list[int]]]
) -> None:
    text = f"{PRIMARY} {sentence}"
    [primary] = _records([{"quote": PRIMARY, "status": "completed", "date_text": "on Wednesday", "parties": PARTIES,
                           "mention": "primary"}])  # fmt: skip
    result = ground(ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=[primary]))
    found = _find_secondary(result, result.exchanges[0])
    assert [(str(x.date), x.status, [c.number for c in x.counts]) for x, _ in found] == expected


def test_an_earlier_exchange_found_by_the_second_reading_takes_the_mediators_its_sentence_names() -> None:
    text = f"{PRIMARY} The previous exchange, mediated by the UAE, took place on January 6."
    [primary] = _records([{"quote": PRIMARY, "status": "completed", "date_text": "on Wednesday", "parties": PARTIES,
                           "mention": "primary"}])  # fmt: skip
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=[primary])
    exchanges = sweep(apply_checks(ground(result))).exchanges
    assert [(str(x.date), x.mediators) for x in exchanges[1:]] == [("2024-01-06", ["United Arab Emirates"])]


# ------------------------------------------------------------------------------ checks on the model's records

CHECKS_TEXT = (
    "Ukraine and Russia swapped 95 for 95 on Friday. "
    "Kyiv and Moscow agreed to exchange prisoners, and 300 were freed on Friday. "
    "Among those freed on Friday were Azov Defenders and Ombudsman Dmytro Lubinets. "
    "Each side handed over 50 soldiers on Friday. "
    "Russia and Ukraine exchanged 144 POWs each on Friday. "
    "Moscow freed a further 31 badly injured Ukrainian captives, both sides confirmed. "
    "Moscow and Kyiv carried out a swap on Friday, exchanging a total of 312 captives. "
    "Ukraine brought home a total of 90 soldiers in the swap on Friday. "
    "On Friday, 300 prisoners were swapped in all. "
    "Russia and Ukraine said on Friday that they have exchanged the bodies of 132 soldiers. "
    "Ukraine exchanged 40 prisoners on Friday."
)
FRIDAY: dict[str, Any] = {"quote": "Ukraine and Russia swapped 95 for 95 on Friday.", "status": "completed",
                          "date_text": "on Friday", "parties": PARTIES}  # fmt: skip

# (what the case shows, the model's record, the record after the checks: (status, counts, released people))
CHECKS: list[tuple[str, dict[str, Any], tuple[str, list[tuple[int, str]], list[str]]]] = [
    ("'95 for 95' gives the other side's count",
     {**FRIDAY, "counts": [{"quote": "swapped 95 for 95", "number": 95, "returned_to": "Ukraine"}]},
     ("completed", [(95, "Russia"), (95, "Ukraine")], [])),
    ("'each side' gives the other side's count",
     {**FRIDAY, "quote": "Each side handed over 50 soldiers on Friday.",
      "counts": [{"quote": "handed over 50 soldiers", "number": 50, "returned_to": "Ukraine"}]},
     ("completed", [(50, "Russia"), (50, "Ukraine")], [])),
    ("'144 POWs each' gives both sides, whichever side the model named",
     {**FRIDAY, "quote": "Russia and Ukraine exchanged 144 POWs each on Friday.",
      "counts": [{"quote": "exchanged 144 POWs each", "number": 144, "returned_to": "Russia"}]},
     ("completed", [(144, "Russia"), (144, "Ukraine")], [])),
    ("'both sides confirmed' says who says it, not that each side received 31; the nationality gives the side",
     {**FRIDAY, "quote": "Moscow freed a further 31 badly injured Ukrainian captives",
      "counts": [{"quote": "31 badly injured Ukrainian captives", "number": 31, "returned_to": "Russia"}]},
     ("completed", [(31, "Ukraine")], [])),
    ("'exchanging a total of 312': both directions together, not one side's count",
     {**FRIDAY, "quote": "Moscow and Kyiv carried out a swap on Friday",
      "counts": [{"quote": "exchanging a total of 312 captives", "number": 312, "returned_to": "Ukraine"}]},
     ("completed", [(312, "both")], [])),
    ("'300 prisoners were swapped in all': both directions together",
     {**FRIDAY, "quote": "On Friday, 300 prisoners were swapped in all.",
      "counts": [{"quote": "300 prisoners were swapped in all", "number": 300, "returned_to": "Russia"}]},
     ("completed", [(300, "both")], [])),
    ("'brought home a total of 90': a total for the side that brought them home",
     {**FRIDAY, "quote": "Ukraine brought home a total of 90 soldiers in the swap on Friday.",
      "counts": [{"quote": "Ukraine brought home a total of 90 soldiers", "number": 90, "returned_to": "Ukraine"}]},
     ("completed", [(90, "Ukraine")], [])),
    ("'Russia and Ukraine ... have exchanged the bodies of 132': both sides the subject, both directions together",
     {**FRIDAY, "quote": "Russia and Ukraine said on Friday that they have exchanged the bodies of 132 soldiers.",
      "counts": [{"quote": "exchanged the bodies of 132 soldiers", "number": 132, "returned_to": "Russia"}]},
     ("completed", [(132, "both")], [])),
    ("'Ukraine exchanged 40 prisoners': one side the subject, its count stays",
     {**FRIDAY, "quote": "Ukraine exchanged 40 prisoners on Friday.",
      "counts": [{"quote": "Ukraine exchanged 40 prisoners", "number": 40, "returned_to": "Ukraine"}]},
     ("completed", [(40, "Ukraine")], [])),
    ("agreed, and done in the same sentence: still completed",
     {**FRIDAY, "quote": "Kyiv and Moscow agreed to exchange prisoners, and 300 were freed on Friday."},
     ("completed", [], [])),
    ("a group ('Azov Defenders') and an official are not released people",
     {**FRIDAY, "released_people": [{"quote": "Azov Defenders", "name": "Azov Defenders"},
                                    {"quote": "Ombudsman Dmytro Lubinets", "name": "Ombudsman Dmytro Lubinets"}]},
     ("completed", [], [])),
]  # fmt: skip


@pytest.mark.parametrize(("case", "record", "expected"), CHECKS, ids=[row[0] for row in CHECKS])
def test_the_checks_read_the_cue_words_of_the_records_sentence(
    case: str, record: dict[str, Any], expected: tuple[str, list[tuple[int, str]], list[str]]
) -> None:
    result = ArticleExtraction(article_id="t", text=CHECKS_TEXT, published=PUBLISHED_ON, exchanges=_records([record]))
    [exchange] = apply_checks(ground(result)).exchanges
    got = (exchange.status, sorted((c.number, c.returned_to) for c in exchange.counts),
           [p.name for p in exchange.released_people])  # fmt: skip
    assert got == expected


# ----------------------------------------------------------------------------------------- who said it

# (sentence, the sources it credits: (name, side))
SPEAKERS: list[tuple[str, list[tuple[str, str | None]]]] = [
    ("Later Ukraine's ombudsman Dmytro Lubinets said 90 soldiers came home.",
     [("Ukraine's ombudsman Dmytro Lubinets", "Ukraine")]),  # "Later" is not part of the name
    ("Meanwhile the Russian Defence Ministry said 195 servicemen were freed.",
     [("Russian Defence Ministry", "Russia")]),
    ("In Kyiv, officials said 90 soldiers came home.", []),  # a place, then a generic source
    ("According to the Coordination Headquarters, 90 soldiers came home.", [("Coordination Headquarters", "Ukraine")]),
    ("As reported by Petrenko, Russia's defence ministry handed back 480 bodies.",
     [("Petrenko", None)]),  # "reported by X": X, and "As" is not a name
    ("Russia and Ukraine announced a swap of 45 soldiers from each side.", []),  # both sides at once: nobody's own
    ("Russia and Ukraine have exchanged 175 prisoners each, both sides said.", []),
    ("Russia also said that eight citizens were returned.", [("Russia", "Russia")]),  # "also" is not in the name
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), SPEAKERS, ids=[row[0][:40] for row in SPEAKERS])
def test_a_sentence_credits_the_named_source_of_its_said_or_according_to(
    sentence: str, expected: list[tuple[str, str | None]]
) -> None:
    assert [(s.name, s.side) for s in _speakers(sentence)] == expected


def test_a_source_named_by_surname_speaks_for_the_side_it_was_introduced_with() -> None:
    intro = "The swap was confirmed by Ukrainian lawmaker Olena Marchuk in a radio interview."
    said = "As reported by Marchuk, Russia handed back 90 soldiers and received 40 in return."
    text = f"{intro} {said}"
    counts = [{"quote": said, "number": 90, "returned_to": "Ukraine"}]
    record = {"quote": said, "status": "completed", "date_text": None, "parties": PARTIES, "counts": counts}
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records([record]))
    [count] = apply_checks(ground(result)).exchanges[0].counts
    assert (count.claimant, count.claimant_side) == ("Marchuk", "Ukraine")


# ------------------------------------------------------------------------------------- the breakdown reader

# (sentence, the numbers read as possible parts of the returnees: (number, label))
PARTS: list[tuple[str, list[tuple[int, str]]]] = [
    ("Among them were 40 marines and 110 border guards, freed after 2 years in captivity on 24 January.",
     [(40, "marines and"), (110, "border guards")]),  # not a length of time ("2 years"), not a day ("24 January")
    ("Among them were 12 women freed on January 24.", [(12, "women freed on January")]),  # not a day ("January 24")
    ("Of them, 39 were held in Porbandar, 4 in Amritsar and 12 in captivity.",
     [(39, "were held in Porbandar"), (12, "in captivity")]),  # "4 in Amritsar": where they were held is no kind
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), PARTS, ids=[row[0][:40] for row in PARTS])
def test_the_breakdown_reader_skips_lengths_of_time_and_days_of_the_month(
    sentence: str, expected: list[tuple[int, str]]
) -> None:
    assert [(n.value, n.label) for n in _numbers(sentence)] == expected


def test_records_that_give_the_same_count_and_no_other_day_are_one_exchange() -> None:
    headline = {
        **FRIDAY,
        "date_text": None,
        "quote": "Russia and Ukraine exchanged 144 POWs each on Friday.",
        "counts": [{"quote": "exchanged 144 POWs each", "number": 144, "returned_to": "Ukraine"}],
    }
    earlier = {
        **FRIDAY,
        "date_text": None,
        "mention": "secondary",
        "quote": "Ukraine and Russia swapped 95 for 95 on Friday.",
        "counts": [{"quote": "swapped 95 for 95", "number": 95, "returned_to": "Ukraine"}],
    }
    told_twice = {**earlier, "counts": [{"quote": "exchanged 144 POWs each", "number": 144, "returned_to": "Ukraine"}]}
    for others, expected in (([told_twice], 1), ([earlier], 2)):
        result = ArticleExtraction(article_id="t", text=CHECKS_TEXT, published=PUBLISHED_ON,
                                   exchanges=_records([headline, *others]))  # fmt: skip
        assert len(apply_checks(ground(result)).exchanges) == expected


def test_the_second_reading_leaves_a_count_another_record_holds_to_that_record() -> None:
    swap = "Russia and Ukraine swapped 150 prisoners each on Sunday."
    extra = "Moscow also handed over 12 badly hurt Ukrainian soldiers on Sunday."
    again = "The 12 Ukrainian soldiers were returned for urgent treatment, the ministry said."
    counts = [{"quote": swap, "number": 150, "returned_to": side} for side in PARTIES]
    records = [
        {"quote": swap, "status": "completed", "date_text": "on Sunday", "parties": PARTIES, "counts": counts},
        {"quote": extra, "status": "completed", "parties": PARTIES, "mention": "secondary",
         "counts": [{"quote": extra, "number": 12, "returned_to": "Ukraine"}]},
    ]  # fmt: skip
    text = f"{swap} {extra} {again}"
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records(records))
    primary = sweep(apply_checks(ground(result))).exchanges[0]
    assert sorted((c.number, c.returned_to) for c in primary.counts) == [(150, "Russia"), (150, "Ukraine")]


def test_the_second_reading_takes_a_count_dated_by_the_exchanges_own_day() -> None:
    text = (
        'Russia and Ukraine swapped prisoners on Sunday. "On January 28, 146 Russian servicemen were returned", '
        "the ministry said on Sunday."
    )
    record = {"quote": "Russia and Ukraine swapped prisoners on Sunday.", "status": "completed",
              "date_text": "on Sunday", "parties": PARTIES}  # fmt: skip
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records([record]))
    [exchange] = sweep(apply_checks(ground(result))).exchanges
    assert [(c.number, c.returned_to) for c in exchange.counts] == [(146, "Russia")]


@pytest.mark.parametrize(
    ("sentence", "parties"),
    [
        ("The previous swap between Moscow and Washington took place on January 6.", ["Russia", "United States"]),
        ("The previous swap, brokered by the UAE, took place on January 6.", PARTIES),  # a mediator is no side
        (
            "Kyiv and Moscow thanked the UAE, which on January 6 arranged a swap between the United States and Russia.",
            ["United States", "Russia"],
        ),  # "between <side> and <side>" names them, whoever else is named
    ],
)
def test_an_earlier_exchange_takes_the_two_sides_its_clause_names_else_the_primarys(
    sentence: str, parties: list[str]
) -> None:
    text = f"{PRIMARY} {sentence}"
    [primary] = _records([{"quote": PRIMARY, "status": "completed", "date_text": "on Wednesday", "parties": PARTIES,
                           "mention": "primary"}])  # fmt: skip
    result = ground(ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=[primary]))
    assert [x.parties for x, _ in _find_secondary(result, result.exchanges[0])] == [parties]


# (a sentence after Sunday's swap, the counts the second reading adds from it to the swap)
NO_HANDOVER_WORDS: list[tuple[str, list[tuple[int, str]]]] = [
    ("The ministry said the 40 Russian soldiers had been captured in Kursk.", [(40, "Russia")]),  # "the N": the swap's
    ("The ministry said 40 Russian soldiers had been captured in Kursk.", []),  # any 40 captured: not the swap's
    ("The deal stipulates the release of 33 Russian soldiers.", []),  # a deal's terms: not what was done
]


@pytest.mark.parametrize(("sentence", "expected"), NO_HANDOVER_WORDS, ids=[r[0][:48] for r in NO_HANDOVER_WORDS])
def test_the_second_reading_adds_counts_of_people_handed_over_or_already_spoken_of(
    sentence: str, expected: list[tuple[int, str]]
) -> None:
    swap = "Russia and Ukraine swapped prisoners on Sunday."
    record = {"quote": swap, "status": "completed", "date_text": "on Sunday", "parties": PARTIES}
    result = ArticleExtraction(article_id="t", text=f"{swap} {sentence}", published=PUBLISHED_ON,
                               exchanges=_records([record]))  # fmt: skip
    [exchange] = sweep(apply_checks(ground(result))).exchanges
    assert [(c.number, c.returned_to) for c in exchange.counts] == expected


# (the sentence that dates a handover, the records after the second reading: (mention, date, precision))
OWN_DAY: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("A swap took place on 30 January 2024.", [("primary", "2024-01-30", "day")]),  # the day before the report
    ("A swap took place on 20 January 2024.",
     [("primary", "2024-01-31", "report"), ("secondary", "2024-01-20", "day")]),  # days before: an earlier one
    ("The exchange took place on 20 January 2024.",
     [("primary", "2024-01-20", "day")]),  # "the exchange": the one the page tells, whatever the day
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), OWN_DAY, ids=[row[0] for row in OWN_DAY])
def test_a_primary_dated_only_by_the_page_takes_the_day_of_the_handover_the_text_dates(
    sentence: str, expected: list[tuple[str, str, str]]
) -> None:
    text = (f"Swap\nDate: 2024-01-31\n\nRussia and Ukraine swapped prisoners, officials said. "
            f'"{sentence}" the agency said.')  # fmt: skip
    record = {"quote": "Russia and Ukraine swapped prisoners, officials said.", "status": "completed",
              "date_text": "2024-01-31", "parties": PARTIES, "mention": "primary"}  # fmt: skip
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records([record]))
    got = [(x.mention, str(x.date), x.date_precision) for x in sweep(apply_checks(ground(result))).exchanges]
    assert got == expected


def test_a_primary_dated_by_a_weekday_named_elsewhere_takes_the_day_of_the_handover_the_text_dates() -> None:
    # The model left the swap undated; "on Wednesday" (the report's day) is about another event, so `report-date`
    # gave the swap the report's day; the caption's "on 30 January" is the handover itself, not an earlier one.
    swap = "Russia and Ukraine swapped 50 prisoners each, officials said."
    text = (f"Swap\nDate: 2024-01-31\n\n{swap}\n\nSoldiers come home after a trade on 30 January.\n\n"
            "Ministers meet in Brussels on Wednesday.")  # fmt: skip
    counts = [{"quote": swap, "number": 50, "returned_to": side} for side in ("Ukraine", "Russia")]
    record = {"quote": swap, "status": "completed", "parties": PARTIES, "mention": "primary", "counts": counts}
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records([record]))
    got = [(x.mention, str(x.date), x.date_precision) for x in sweep(apply_checks(ground(result))).exchanges]
    assert got == [("primary", "2024-01-30", "day")]


def test_the_second_reading_takes_the_counts_of_a_clause_that_names_no_other_time() -> None:
    text = ("Russia and Ukraine swapped prisoners on Sunday. The first day freed 90 Ukrainian soldiers, "
            "while on Friday 50 Russian soldiers will be released.")  # fmt: skip
    record = {"quote": "Russia and Ukraine swapped prisoners on Sunday.", "status": "completed",
              "date_text": "on Sunday", "parties": PARTIES}  # fmt: skip
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records([record]))
    [exchange, *_] = sweep(apply_checks(ground(result))).exchanges
    assert [(c.number, c.returned_to) for c in exchange.counts] == [(90, "Ukraine")]


# (sentences about the primary exchange, which returned 150 to Ukraine; the ages read: (bound, age, side))
AGES: list[tuple[str, list[tuple[str, int, str]]]] = [
    ("The youngest Ukrainian captive freed was 21 and the oldest was 62.",
     [("youngest", 21, "Ukraine"), ("oldest", 62, "Ukraine")]),
    ("The oldest soldier is 58 years old, the youngest is 23. The youngest civilian is 22, the oldest is 64.",
     [("youngest", 22, "Ukraine"), ("oldest", 64, "Ukraine")]),  # everyone returned: lowest and highest
    ("The oldest of the released soldiers is 61, and the youngest will turn 21 soon.", [("oldest", 61, "Ukraine")]),
    ("The youngest Russian serviceman freed was 20.", [("youngest", 20, "Russia")]),  # the nationality names the side
    ("The youngest freed was two years old and the oldest was 85.",
     [("youngest", 2, "Ukraine"), ("oldest", 85, "Ukraine")]),  # in words, and a small child
    ("The oldest prisoners had spent 30 percent of their lives in captivity.", []),  # a share, not an age
    ("The freed were aged 19 to 62.", [("youngest", 19, "Ukraine"), ("oldest", 62, "Ukraine")]),  # a range
    ("Their age is from 10 to 17 years old.", [("youngest", 10, "Ukraine"), ("oldest", 17, "Ukraine")]),
    ("The Russian soldiers were between the ages of 20 and 45.",
     [("youngest", 20, "Russia"), ("oldest", 45, "Russia")]),
    ("The handover took 10 to 12 hours.", []),  # a range of something else
    ("The Qatari envoy shook hands with the children, ages six to 17.",
     [("youngest", 6, "Ukraine"), ("oldest", 17, "Ukraine")]),  # in words; the envoy's nationality is not theirs
]  # fmt: skip


@pytest.mark.parametrize(("sentences", "expected"), AGES, ids=[row[0][:40] for row in AGES])
def test_the_youngest_and_oldest_returnee_are_read_from_the_words(
    sentences: str, expected: list[tuple[str, int, str]]
) -> None:
    text = f"Russia released 150 Ukrainians on Friday. {sentences}"
    record = {"quote": "Russia released 150 Ukrainians on Friday.", "status": "completed", "date_text": "on Friday",
              "parties": PARTIES, "counts": [{"quote": "released 150 Ukrainians", "number": 150,
                                               "returned_to": "Ukraine"}]}  # fmt: skip
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records([record]))
    [exchange] = sweep(apply_checks(ground(result))).exchanges
    assert sorted((a.bound, a.age, a.returned_to) for a in exchange.ages) == sorted(expected)


def test_a_bound_the_model_left_out_is_added_beside_the_one_it_gave() -> None:
    ages = "The oldest of the released servicemen is 59 years old, the youngest is 21 years old."
    text = f"Russia released 150 Ukrainians on Friday. {ages}"
    record = {"quote": "Russia released 150 Ukrainians on Friday.", "status": "completed", "date_text": "on Friday",
              "parties": PARTIES, "counts": [{"quote": "released 150 Ukrainians", "number": 150,
                                               "returned_to": "Ukraine"}],
              "ages": [{"quote": "The oldest of the released servicemen is 59", "returned_to": "Ukraine",
                        "bound": "oldest", "age": 59}]}  # fmt: skip
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records([record]))
    [exchange] = sweep(apply_checks(ground(result))).exchanges
    assert sorted((a.bound, a.age) for a in exchange.ages) == [("oldest", 59), ("youngest", 21)]


# (a sentence about a swap that returned 150 to each side; the ages read: (bound, age, side))
AGES_BY_WHOSE_WORD: list[tuple[str, list[tuple[str, int, str]]]] = [
    ("Ukraine said the youngest soldier returning home was 20, while the oldest was 61.",
     [("youngest", 20, "Ukraine"), ("oldest", 61, "Ukraine")]),  # coming home, by the word of one side
    ("Officials said the youngest soldier returning home was 20, while the oldest was 61.", []),  # nobody's side
    ("Ukraine said the youngest soldier was 20, while the oldest was 61.", []),  # not said to come home
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), AGES_BY_WHOSE_WORD, ids=[r[0][:40] for r in AGES_BY_WHOSE_WORD])
def test_the_ages_of_people_coming_home_go_to_the_side_whose_source_tells_them(
    sentence: str, expected: list[tuple[str, int, str]]
) -> None:
    quote = "Russia and Ukraine swapped 150 prisoners each on Friday."
    record = {"quote": quote, "status": "completed", "date_text": "on Friday", "parties": PARTIES,
              "counts": [{"quote": "swapped 150 prisoners each", "number": 150, "returned_to": side}
                         for side in PARTIES]}  # fmt: skip
    result = ArticleExtraction(article_id="t", text=f"{quote} {sentence}", published=PUBLISHED_ON,
                               exchanges=_records([record]))  # fmt: skip
    [exchange] = sweep(apply_checks(ground(result))).exchanges
    assert sorted((a.bound, a.age, a.returned_to) for a in exchange.ages) == sorted(expected)


# (the paragraphs after "Russia freed 150 Ukrainians on Friday.", which a swap of 150 each way then goes on to tell;
# the ages read: (bound, age, side))
AGES_OF_THE_LAST_COUNTED: list[tuple[str, list[tuple[str, int, str]]]] = [
    ("\nThey were driven to the border. The youngest freed captive was two years old and the oldest was 85.",
     [("youngest", 2, "Ukraine"), ("oldest", 85, "Ukraine")]),  # the people counted last, a paragraph before
    ("They were driven to the border.\nIt was cold.\nThe youngest freed captive was two and the oldest was 85.",
     []),  # two paragraphs before: too far to say whose
    ("In return, 150 Russians were freed. The youngest freed captive was two years old and the oldest was 85.",
     [("youngest", 2, "Russia"), ("oldest", 85, "Russia")]),  # the other side's people, counted last
]  # fmt: skip


@pytest.mark.parametrize(
    ("after", "expected"), AGES_OF_THE_LAST_COUNTED, ids=["paragraph before", "too far", "the other side counted last"]
)
def test_the_ages_no_word_places_go_to_the_people_counted_last_before_them(
    after: str, expected: list[tuple[str, int, str]]
) -> None:
    quote = "Russia freed 150 Ukrainians on Friday."
    text = f"{quote}\n{after}\nIn return, Ukraine released 150 Russian soldiers."
    counts = [
        {"quote": "Russia freed 150 Ukrainians", "number": 150, "returned_to": "Ukraine"},
        {"quote": "Ukraine released 150 Russian soldiers", "number": 150, "returned_to": "Russia"},
    ]
    if "150 Russians" in after:
        counts[1]["quote"] = "150 Russians were freed"
    record = {"quote": quote, "status": "completed", "date_text": "on Friday", "parties": PARTIES, "counts": counts}
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records([record]))
    [exchange] = sweep(apply_checks(ground(result))).exchanges
    assert sorted((a.bound, a.age, a.returned_to) for a in exchange.ages) == sorted(expected)


# (the sentences, the claimant side of the count 146 after the checks)
CARRIED: list[tuple[str, str | None]] = [
    ("The Russian defence ministry said 146 soldiers came home. In exchange, 146 Ukrainians were freed, it added.",
     "Russia"),  # "it added": the source of the sentence before
    ('The Russian defence ministry said 146 soldiers came home. "In exchange, 146 Ukrainians were freed", it added.',
     "Russia"),  # the same inside a quotation
    ("Moscow said 146 soldiers came home, while Kyiv said 150 did. In exchange, 146 Ukrainians were freed, it added.",
     "Ukraine"),  # two sources before: the model's claimant stays
]  # fmt: skip


@pytest.mark.parametrize(("text", "side"), CARRIED, ids=["own words", "quotation", "two sources before"])
def test_a_pronoun_source_is_the_one_the_sentence_before_names(text: str, side: str | None) -> None:
    quote = "In exchange, 146 Ukrainians were freed"
    record = {"quote": quote, "status": "completed", "parties": PARTIES,
              "counts": [{"quote": quote, "number": 146, "returned_to": "Ukraine", "claimant": "Kyiv"}]}  # fmt: skip
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records([record]))
    [exchange] = apply_checks(ground(result)).exchanges
    assert [c.claimant_side for c in exchange.counts if c.returned_to == "Ukraine"] == [side]


def test_a_then_sentence_after_another_day_is_not_the_primary_exchanges() -> None:
    text = f"{PRIMARY} The last swap took place on January 6. Then, 101 Russian servicemen were returned."
    record = {"quote": PRIMARY, "status": "completed", "date_text": "on Wednesday", "parties": PARTIES}
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records([record]))
    with rules_off({"sweep-earlier-exchanges"}):
        exchanges = sweep(apply_checks(ground(result))).exchanges
    assert [[c.number for c in x.counts] for x in exchanges] == [[]]


# (the article's words about a released person, the person, where they went after the checks; the model said Poland)
PERSON: list[tuple[str, str, str | None]] = [
    ("The three flown to the United States were reporter Evan Gershkovich and former Marine Paul Whelan.",
     "Paul Whelan", "United States"),  # the one destination of the sentence's handover verb
    ("Also returned to Russia were Pavel Rubtsov, held in Poland, and Mikhail Mikushin.", "Pavel Rubtsov", "Russia"),
    ("Moscow got back Vadim Krasikov on Thursday.", "Vadim Krasikov", "Russia"),  # the side that got them back
    ("Among those freed was German citizen Rico Krieger.", "Rico Krieger", "Germany"),  # the nationality before
    ("Among those freed was US teacher Marc Fogel.", "Marc Fogel", "United States"),
    ("Among those freed was Colombian businessman Alex Saab.", "Alex Saab", "Poland"),  # a nationality of no party
    ("Vadim Krasikov, a 58-year-old Russian officer, landed in Moscow.", "Vadim Krasikov", "Russia"),  # apposition
    ("Vadim Krasikov, the man who met the Russian envoy, landed.", "Vadim Krasikov", "Poland"),  # not "a/an ..."
    ("Ksenia Karelina, with dual US and Russian citizenship, was freed.", "Ksenia Karelina", "Poland"),  # two: none
    ("Pavel Rubtsov was flown to Russia and Paul Whelan to the United States.", "Pavel Rubtsov", "Russia"),
    ("Pavel Rubtsov was flown to Russia, and Paul Whelan was flown to the United States.", "Pavel Rubtsov",
     "Poland"),  # two destinations in the sentence: no change
]  # fmt: skip


@pytest.mark.parametrize(("words", "name", "expected"), PERSON, ids=[row[1] + ": " + row[0][:30] for row in PERSON])
def test_a_released_person_goes_where_the_words_around_the_name_send_them(
    words: str, name: str, expected: str | None
) -> None:
    text = f"Russia and the United States swapped prisoners on Friday. {words}"
    record = {**FRIDAY, "quote": "Russia and the United States swapped prisoners on Friday.",
              "parties": ["Russia", "United States", "Germany", "Poland"],
              "released_people": [{"quote": name, "name": name, "returned_to": "Poland"}]}  # fmt: skip
    result = ArticleExtraction(article_id="t", text=text, published=PUBLISHED_ON, exchanges=_records([record]))
    [exchange] = apply_checks(ground(result)).exchanges
    assert [(p.name, p.returned_to) for p in exchange.released_people] == [(name, expected)]


# (the sentence naming the freed, the ages read for Israel: (bound, age))
NAMED_AGES: list[tuple[str, list[tuple[str, int]]]] = [
    ("Hamas freed Dana Levi, 41 years old; Omer Katz, 27; and Noa Ben-Ami, 33.",
     [("youngest", 27), ("oldest", 41)]),  # every person's age: the lowest and the highest
    ("Hamas freed Dana Levi, 46, Omer Katz and Noa Ben-Ami, 36.", []),  # one without an age: nothing
    ("Hamas freed Dana Levi, 46 hours after the deal, Omer Katz, 29, and Noa Ben-Ami, 36.", []),
    ("The oldest of the three, Dana Levi, is 46; the youngest, Omer Katz, is 29.",
     [("youngest", 29), ("oldest", 46)]),  # "of the three" is the group; the side is the named person's
    ("Hamas freed Dana Levi, a 41-year-old nurse, Omer Katz, 27, and Noa Ben-Ami, an 33-year-old teacher.",
     [("youngest", 27), ("oldest", 41)]),  # "a 41-year-old ..." after the name
    ("Hamas freed Dana Levi, a 41 percent stakeholder, Omer Katz, 27, and Noa Ben-Ami, 33.", []),  # not an age
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), NAMED_AGES, ids=[row[0][:50] for row in NAMED_AGES])
def test_the_youngest_and_oldest_are_read_from_the_ages_of_every_named_returnee(
    sentence: str, expected: list[tuple[str, int]]
) -> None:
    quote = "Israel and Hamas swapped hostages for prisoners on Friday."
    people = [{"quote": n, "name": n, "returned_to": "Israel"} for n in ("Dana Levi", "Omer Katz",
                                                                        "Noa Ben-Ami")]  # fmt: skip
    record = {**FRIDAY, "quote": quote, "parties": ["Israel", "Hamas"], "mention": "primary",
              "released_people": people}  # fmt: skip
    result = ArticleExtraction(article_id="t", text=f"{quote} {sentence}", published=PUBLISHED_ON,
                               exchanges=_records([record]))  # fmt: skip
    [exchange] = sweep(apply_checks(ground(result))).exchanges
    assert sorted((a.bound, a.age) for a in exchange.ages if a.returned_to == "Israel") == sorted(expected)


@pytest.mark.parametrize(("count", "expected"), [(3, [("oldest", 41), ("youngest", 27)]), (200, [])])
def test_the_ages_of_named_returnees_bound_their_side_only_when_no_count_says_more_came_home(
    count: int, expected: list[tuple[str, int]]
) -> None:
    quote = f"Hamas freed {count} Israelis on Friday."
    sentence = "Among them were Dana Levi, 41 years old; Omer Katz, 27; and Noa Ben-Ami, 33."
    people = [{"quote": n, "name": n, "returned_to": "Israel"} for n in ("Dana Levi", "Omer Katz",
                                                                        "Noa Ben-Ami")]  # fmt: skip
    record = {**FRIDAY, "quote": quote, "parties": ["Israel", "Hamas"], "mention": "primary",
              "released_people": people,
              "counts": [{"quote": quote, "number": count, "returned_to": "Israel"}]}  # fmt: skip
    result = ArticleExtraction(article_id="t", text=f"{quote} {sentence}", published=PUBLISHED_ON,
                               exchanges=_records([record]))  # fmt: skip
    [exchange] = sweep(apply_checks(ground(result))).exchanges
    assert [c.number for c in exchange.counts] == [count]
    assert sorted((a.bound, a.age) for a in exchange.ages if a.returned_to == "Israel") == sorted(expected)


# (a sentence after the primary exchange's, which returned 150 to Ukraine; the running totals read)
RUNNING: list[tuple[str, list[tuple[int, str, str]]]] = [
    ("Since the beginning of the invasion, Ukraine has returned home almost 2,800 soldiers.",
     [(2800, "Ukraine", "almost")]),
    ("So far, 3,035 Ukrainians have been returned from captivity.", [(3035, "Ukraine", "exact")]),
    ("It said 3,956 Ukrainians had now been freed from Russian captivity in total.", [(3956, "Ukraine", "exact")]),
    ("In total, 150 Ukrainians were returned in this swap.", []),  # not above the exchange's own count
    ("Some 3,000 Ukrainians are still held in Russia.", []),  # no handover
    ("Officials said 195 soldiers, 156 national guardsmen and 161 border guards have now been released in all.",
     []),  # groups listed side by side are parts, not running totals
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), RUNNING, ids=[row[0][:40] for row in RUNNING])
def test_a_running_total_is_a_count_the_words_mark_as_one(sentence: str, expected: list[tuple[int, str, str]]) -> None:
    quote = "Russia released 150 Ukrainians on Friday."
    record = {**FRIDAY, "quote": quote, "mention": "primary",
              "counts": [{"quote": quote, "number": 150, "returned_to": "Ukraine"}]}  # fmt: skip
    result = ArticleExtraction(article_id="t", text=f"{quote} {sentence}", published=PUBLISHED_ON,
                               exchanges=_records([record]))  # fmt: skip
    [exchange, *_] = sweep(apply_checks(ground(result))).exchanges
    assert [(t.number, t.returned_to, t.qualifier) for t in exchange.cumulative_totals] == expected
