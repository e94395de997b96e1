"""The second reading (pow_extract.rules.sweep): what the model left out, read in code and quoted."""

from __future__ import annotations

import datetime as dt

import pytest

from pow_extract.reading.resolver import ground, number_in_text
from pow_extract.records.schema import PUBLISHED, ArticleExtraction, PrisonerExchange
from pow_extract.rules.checks import apply_checks
from pow_extract.rules.registry import rules_off
from pow_extract.rules.sweep import _listed_names, sweep

TEXT = (
    "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. "
    "Ukraine received 207 soldiers in exchange for 195 Russian prisoners of war, Kyiv said. "
    "Russia's Defence Ministry said 195 Russian servicemen had been returned. "
    "The previous exchange, on 3 January, saw 230 Ukrainians and 248 Russians freed. "
    "An exchange planned for 24 January was called off after a plane crash. "
    "A swap of 100 for 100 took place on 8 February 2023, and most swaps since have been one-for-one. "
    "The remaining 50 prisoners are due to be exchanged next week. "
    "The first swap of the year took place on 5 January, when 90 Ukrainians were freed, most of them officers."
)
PRIMARY = {
    "quote": "Russia and Ukraine swapped prisoners on Wednesday.",
    "status": "completed",
    "mention": "primary",
    "date_text": "on Wednesday",
    "parties": ["Ukraine", "Russia"],
}


def _run(
    text: str, *exchanges: dict[str, object], published: dt.date | None = dt.date(2024, 1, 31)
) -> ArticleExtraction:
    token = PUBLISHED.set(published)
    try:
        records = [PrisonerExchange.model_validate(x) for x in exchanges]
    finally:
        PUBLISHED.reset(token)
    article = ArticleExtraction(article_id="t", text=text, published=published, exchanges=records)
    return sweep(apply_checks(ground(article)))


@pytest.mark.parametrize(
    ("sentence", "counts", "breakdown"),
    [
        (
            "Russia said eight Russian citizens, residents of the Kursk region, were also returned.",
            [(146, "Russia")],
            [(8, "Russia", "civilians")],
        ),  # civilians besides the side's count: a part
        (
            "Russia said eight Russian soldiers were also returned.",
            [(8, "Russia"), (146, "Russia")],
            [],
        ),  # soldiers: no category that makes them a part
        (
            "Russia said eight Russian citizens, residents of the Kursk region, were returned.",
            [(8, "Russia"), (146, "Russia")],
            [],
        ),  # no "also": not said to come besides the count
    ],
)
def test_civilians_also_returned_to_a_side_with_a_count_are_a_part_of_its_returnees(
    sentence: str, counts: list[tuple[int, str]], breakdown: list[tuple[int, str, str]]
) -> None:
    text = f"Russia and Ukraine swapped prisoners on Wednesday. Russia received 146 servicemen. {sentence}"
    count = {"quote": "Russia received 146 servicemen", "number": 146, "returned_to": "Russia"}
    primary = _run(text, {**PRIMARY, "counts": [count]}).exchanges[0]
    assert sorted((c.number, c.returned_to) for c in primary.counts) == counts
    assert [(b.number, b.returned_to, b.category) for b in primary.breakdown] == breakdown


def test_a_count_the_model_left_out_is_read_from_a_sentence_about_the_primary_exchange_only() -> None:
    primary = _run(TEXT, PRIMARY).exchanges[0]
    counts = {(c.number, c.returned_to, c.claimant) for c in primary.counts}
    assert (195, "Russia", "Russia's Defence Ministry") in counts  # its own sentence, credited to its source
    assert (207, "Ukraine", "Kyiv") in counts  # "Ukraine received 207"
    assert not {n for n, _, _ in counts} & {230, 248, 50, 100}  # another day, still to come, another swap


def test_every_added_count_quotes_the_sentence_it_was_read_from() -> None:
    counts = [count for exchange in _run(TEXT, PRIMARY).exchanges for count in exchange.counts]
    assert len(counts) >= 4
    for count in counts:
        assert count.span is not None and TEXT[count.span.start : count.span.end] == count.quote
        assert number_in_text(count.number, count.quote)


def test_earlier_exchanges_recalled_by_date_become_secondary_records_with_their_counts() -> None:
    result = _run(TEXT, PRIMARY)
    secondary = {(x.date, x.status): x for x in result.exchanges if x.mention == "secondary"}
    earlier = secondary[(dt.date(2024, 1, 3), "completed")]
    assert {(c.number, c.returned_to) for c in earlier.counts} == {(230, "Ukraine"), (248, "Russia")}
    assert (dt.date(2024, 1, 24), "postponed_or_cancelled") in secondary
    assert (dt.date(2023, 2, 8), "completed") in secondary
    first = secondary[(dt.date(2024, 1, 5), "completed")]  # "most of them officers" is not a general statement
    assert {(c.number, c.returned_to) for c in first.counts} == {(90, "Ukraine")}


def test_general_statements_and_future_handovers_are_not_records() -> None:
    result = _run(TEXT, PRIMARY)
    assert len(result.exchanges) == 5  # the primary, 3, 5 and 24 (called off) January, 8 February 2023
    assert all(x.status != "planned" for x in result.exchanges)


@pytest.mark.parametrize(
    "sentence",
    [
        "The swap of 300 for 300 was agreed at the talks on 16 January.",
        "On 17 January the security service announced preparations for an exchange of 300 detainees from each side.",
        "Negotiations in Geneva on 15 January led to an agreement on a prisoner exchange.",
    ],
)
def test_a_dated_clause_about_talks_agreements_or_announcements_is_not_an_earlier_exchange(sentence: str) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    assert [x.mention for x in _run(text, PRIMARY).exchanges] == ["primary"]


@pytest.mark.parametrize(
    "sentence",
    [
        "On 16 January, the two sides signed an agreement in Jordan to swap more than 1,400 detainees.",
        "On 16 January, Moscow and Kyiv agreed to exchange 300 prisoners each.",
    ],
)
def test_a_deal_struck_on_a_day_is_a_planned_exchange_of_that_day(sentence: str) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    records = _run(text, PRIMARY).exchanges
    assert [(x.mention, x.status, x.date) for x in records] == [
        ("primary", "completed", dt.date(2024, 1, 31)),
        ("secondary", "planned", dt.date(2024, 1, 16)),
    ]


def test_a_dated_clause_that_mentions_an_agreement_but_says_people_were_freed_is_an_earlier_exchange() -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. "
        "Under a deal agreed in Turkey, 90 Ukrainians were freed on 5 January."
    )
    earlier = [x for x in _run(text, PRIMARY).exchanges if x.mention == "secondary"]
    assert [(x.date, [c.number for c in x.counts]) for x in earlier] == [(dt.date(2024, 1, 5), [90])]


def test_nothing_is_added_to_an_article_where_the_model_found_no_exchange() -> None:
    assert _run(TEXT).exchanges == []


def test_counts_written_in_words_are_read_too_but_not_one_of_them() -> None:
    text = (
        "Moscow, 18 October 2024. Russia and Ukraine swapped prisoners on Friday. "
        "Ninety-five Russian servicemen returned home, the Russian Defence Ministry said. "
        "One of them, a sergeant, was taken to hospital."
    )
    primary = {**PRIMARY, "quote": "Russia and Ukraine swapped prisoners on Friday.", "date_text": "on Friday"}
    counts = _run(text, primary, published=dt.date(2024, 10, 18)).exchanges[0].counts
    assert [(c.number, c.returned_to, c.claimant) for c in counts] == [(95, "Russia", "Russian Defence Ministry")]


def test_a_plural_nationality_names_people_by_itself_for_every_side_the_lexicon_knows() -> None:
    text = (
        "Sanaa, 14 April 2023. The Houthis and the Yemeni government exchanged prisoners on Friday. "
        "The government freed 64 Houthis, the group said."
    )
    primary = {
        **PRIMARY,
        "quote": "The Houthis and the Yemeni government exchanged prisoners on Friday.",
        "date_text": "on Friday",
        "parties": ["Houthis", "Yemen government"],
    }
    counts = _run(text, primary, published=dt.date(2023, 4, 14)).exchanges[0].counts
    assert [(c.number, c.returned_to) for c in counts] == [(64, "Houthis")]


def test_a_country_whose_people_a_swap_sentence_counts_becomes_a_party_the_model_left_out() -> None:
    text = (
        "Caracas, 4 March 2025. Germany handed over a group of Venezuelan detainees on Tuesday. "
        "Venezuela freed 7 imprisoned Americans in exchange for the detainees, officials said. "
        "Another 3 Americans were freed by Venezuela last year."
    )
    primary = {
        **PRIMARY,
        "quote": "Germany handed over a group of Venezuelan detainees on Tuesday.",
        "date_text": "on Tuesday",
        "parties": ["Germany", "Venezuela"],
    }
    exchange = _run(text, primary, published=dt.date(2025, 3, 4)).exchanges[0]
    assert exchange.parties == ["Germany", "Venezuela", "United States"]
    assert [(c.number, c.returned_to) for c in exchange.counts] == [(7, "United States")]  # not the 3: no swap word


def test_the_largest_swap_since_a_date_is_one_exchange_not_a_statement_about_swaps_in_general() -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. "
        "Earlier, on 3 January, the biggest swap since the start of the war took place, as Kyiv brought home "
        "30 Ukrainians – 26 men and four women – from captivity."
    )
    records = _run(text, PRIMARY).exchanges
    assert [(x.mention, x.date) for x in records] == [
        ("primary", dt.date(2024, 1, 31)),
        ("secondary", dt.date(2024, 1, 3)),
    ]
    assert [(c.number, c.returned_to) for c in records[1].counts] == [(30, "Ukraine")]  # a number after it: no date


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        # "since" in a part of the sentence that tells no swap and holds not its date: the freeze's, not the swap's
        ("Despite the freeze since August, on 3 January, the biggest swap of the war took place.", dt.date(2024, 1, 3)),
        # "since" where the date stands: a period, and what follows a running total
        ("Since the invasion began in February 2022, more than 2,000 prisoners have been exchanged.", None),
    ],
)
def test_since_makes_a_dated_sentence_a_statement_about_swaps_in_general_only_in_the_part_that_tells_the_swap(
    sentence: str, day: dt.date | None
) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    records = _run(text, PRIMARY).exchanges
    assert [x.date for x in records if x.mention == "secondary"] == ([day] if day else [])


ANALYSIS = (
    "Kyiv, 1 July 2024. Most exchanges this year went through the Gulf. "
    "Before that, 60 prisoners from each side went home on 30 May, and 120 for 120 were exchanged on 9 February."
)
LATE_MAY = {
    "quote": "Before that, 60 prisoners from each side went home on 30 May, and 120 for 120 were exchanged on "
    "9 February.",
    "status": "completed",
    "mention": "secondary",
    "date_text": "on 30 May",
    "parties": ["Ukraine", "Russia"],
}


def test_a_record_quoting_a_sentence_of_two_dated_swaps_leaves_the_other_swap_to_a_record_of_its_own() -> None:
    records = _run(ANALYSIS, LATE_MAY, published=dt.date(2024, 7, 1)).exchanges
    days = {x.date: sorted((c.number, c.returned_to) for c in x.counts) for x in records}
    assert days[dt.date(2024, 2, 9)] == [(120, "Russia"), (120, "Ukraine")]
    assert dt.date(2024, 5, 30) in days


def test_an_article_with_no_primary_exchange_still_gets_the_other_exchanges_it_names_by_date() -> None:
    text = (
        "Kyiv, 1 July 2024. Swaps this year went through the Gulf. "
        "On 25 June, 90 Ukrainians were freed in a swap with Russia. "
        "Earlier, on 30 May, 75 Ukrainians were freed."
    )
    june = {
        **LATE_MAY,
        "quote": "On 25 June, 90 Ukrainians were freed in a swap with Russia.",
        "date_text": "On 25 June",
    }
    with rules_off(["lone-record-primary"]):  # the model's only record would be the article's primary one
        records = _run(text, june, published=dt.date(2024, 7, 1)).exchanges
    assert [(x.mention, x.date) for x in records] == [
        ("secondary", dt.date(2024, 6, 25)),
        ("secondary", dt.date(2024, 5, 30)),
    ]


@pytest.mark.parametrize(
    ("clause", "counts"),
    [
        ("and 120 for 120 were exchanged on 9 February.", [(120, "Russia"), (120, "Ukraine")]),
        ("and 120 for 120 prisoners went home on 9 February.", [(120, "Russia"), (120, "Ukraine")]),
        ('and the "120 for 120" swap took place on 9 February.', []),  # the name of a deal, not a handover
        ("and 120 for 110 were exchanged on 9 February.", []),  # which side got which is not said
        ('and they were exchanged on 9 February by the "120 for 120" formula.', [(120, "Russia"), (120, "Ukraine")]),
        ("and they were exchanged on 9 February on a 'twelve-for-twelve' basis.", [(12, "Russia"), (12, "Ukraine")]),
        ("and they were exchanged on 9 February on a twelve-for-ten basis.", []),
    ],
)
def test_n_for_n_in_a_sentence_read_by_code_gives_both_sides_n_when_people_a_handover_or_its_formula_follow(
    clause: str, counts: list[tuple[int, str]]
) -> None:
    text = (
        f"Kyiv, 1 July 2024. Russia and Ukraine swapped prisoners on Wednesday. The previous swap was smaller, {clause}"
    )
    primary = {**PRIMARY, "date_text": "on Wednesday"}
    records = _run(text, primary, published=dt.date(2024, 7, 1)).exchanges
    february = [x for x in records if x.date == dt.date(2024, 2, 9)]
    assert sorted((c.number, c.returned_to) for x in february for c in x.counts) == counts


@pytest.mark.parametrize(
    "background",
    [
        "The previous exchange took place on 6 January.",  # another day
        "An earlier swap was arranged by the Gulf states.",  # an earlier swap, no day
    ],
)
def test_a_sentence_going_on_from_one_about_another_swap_is_not_read_for_the_primary(background: str) -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday.\n\n"
        f"{background} Russia's Defence Ministry said 30 Russian servicemen had been brought back.\n\n"
        "Ukraine brought back 40 soldiers, Kyiv said."
    )
    counts = {(c.number, c.returned_to) for c in _run(text, PRIMARY).exchanges[0].counts}
    assert (30, "Russia") not in counts  # goes on about the other swap, in its paragraph
    assert (40, "Ukraine") in counts  # a new paragraph is about the primary again; "brought back" is a handover


@pytest.mark.parametrize(
    ("after", "primarys"),
    [
        # "the swap" is the one the text last told of, here the previous one, whatever lies between ...
        (" Pushilin freed a politician in it. Talks had taken weeks.\n\n"
         "Kyiv said 30 Russian servicemen were brought back in the swap.", False),
        (" Talks had taken weeks.\n\nKyiv said 30 Russian servicemen were brought back in the swap.", False),
        # ... unless the sentence names the primary's day again, or does not speak of "the swap"
        (" Talks had taken weeks.\n\nKyiv said 30 Russian servicemen were brought back in the swap on Wednesday.",
         True),
        (" Talks had taken weeks.\n\nKyiv said 30 Russian servicemen were brought back.", True),
        # the primary told of again in between
        (" Wednesday's swap freed more.\n\nKyiv said 30 Russian servicemen were brought back in the swap.", True),
    ],
)  # fmt: skip
def test_the_swap_is_the_one_the_text_last_told_of(after: str, primarys: bool) -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday.\n\n"
        f"The previous exchange took place on 6 January.{after}"
    )
    primary = {**PRIMARY, "date_text": "on Wednesday"}
    counts = {(c.number, c.returned_to) for c in _run(text, primary).exchanges[0].counts}
    assert ((30, "Russia") in counts) is primarys


@pytest.mark.parametrize(
    ("sentence", "counts", "totals"),
    [
        # words of a running total ("overall", "so far") and no day of the exchange: running totals, not its counts
        ("Lvova-Belova said that, overall, 17 children have been reunited in Russia, while 95 children have been "
         "returned to Ukraine.", [], [(95, "Ukraine")]),
        ("So far, 3,035 Ukrainians have been returned from captivity.", [], [(3035, "Ukraine")]),
        # the exchange's own day in the sentence: its count is read
        ("45 Ukrainians were returned on Wednesday, and 3,035 so far.", [(45, "Ukraine")], None),
    ],
)  # fmt: skip
def test_a_figure_told_as_a_running_total_is_no_count_of_the_exchange(
    sentence: str, counts: list[tuple[int, str]], totals: list[tuple[int, str]] | None
) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    [exchange] = _run(text, PRIMARY).exchanges
    assert [(c.number, c.returned_to) for c in exchange.counts] == counts
    if totals is not None:
        assert [(t.number, t.returned_to) for t in exchange.cumulative_totals] == totals


@pytest.mark.parametrize("between", [" ", "\n\n"])  # "That swap" goes on about it, in its paragraph or the next
def test_another_exchange_the_model_left_without_counts_takes_them_from_its_sentence_or_the_next_that_goes_on(
    between: str,
) -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. "
        f"Families had hoped for more after the exchange on 3 January.{between}"
        "That swap returned 30 Ukrainians and 40 Russians to their countries. "
        "A further 12 Ukrainians remain in hospital."
    )
    earlier = {
        **PRIMARY,
        "quote": "Families had hoped for more after the exchange on 3 January.",
        "mention": "secondary",
        "date_text": "on 3 January",
    }
    records = _run(text, PRIMARY, earlier).exchanges
    assert {(c.number, c.returned_to) for c in records[1].counts} == {(30, "Ukraine"), (40, "Russia")}
    assert all(c.quote.startswith("That swap") for c in records[1].counts)


def test_a_number_names_the_people_of_its_own_words_up_to_the_next_number() -> None:
    text = (
        "Kyiv, 30 December 2024. Russia and Ukraine swapped prisoners on Monday. "
        "The last exchange took place in mid-October when the two countries swapped 95 POWs each."
    )
    primary = {**PRIMARY, "quote": "Russia and Ukraine swapped prisoners on Monday.", "date_text": "on Monday"}
    records = _run(text, primary, published=dt.date(2024, 12, 30)).exchanges
    assert sorted((c.number, c.returned_to) for c in records[1].counts) == [(95, "Russia"), (95, "Ukraine")]


@pytest.mark.parametrize("day", ["On October 18, 95", "On 18 October, 95", "On the 18th of October, 95"])
def test_the_day_before_a_count_is_not_a_count(day: str) -> None:
    text = (
        f"Moscow, 18 October 2024. Russia and Ukraine swapped prisoners on Friday. {day} Russian servicemen returned."
    )
    primary = {**PRIMARY, "quote": "Russia and Ukraine swapped prisoners on Friday.", "date_text": "on Friday"}
    counts = _run(text, primary, published=dt.date(2024, 10, 18)).exchanges[0].counts
    assert [(c.number, c.returned_to) for c in counts] == [(95, "Russia")]


def test_people_a_source_says_came_home_are_counted_for_the_sources_side() -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. "
        "Ukraine's Coordination Headquarters said 230 people had returned home."
    )
    counts = _run(text, PRIMARY).exchanges[0].counts
    assert [(c.number, c.returned_to, c.claimant) for c in counts] == [
        (230, "Ukraine", "Ukraine's Coordination Headquarters")
    ]


def test_women_men_and_children_are_people_a_count_can_be_made_of() -> None:
    text = "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. Ukraine brought home 30 women."
    counts = _run(text, PRIMARY).exchanges[0].counts
    assert (30, "Ukraine") in {(c.number, c.returned_to) for c in counts}


@pytest.mark.parametrize(
    ("between", "dated"),
    [("", True), ("Talks on more swaps went on for weeks. ", False)],
    ids=["right after the primary's sentence", "a sentence between"],
)
def test_a_record_told_right_after_the_primarys_sentence_with_no_time_of_its_own_takes_its_day(
    between: str, dated: bool
) -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. "
        f"{between}Russia handed over an additional 22 wounded Ukrainians."
    )
    extra = {**PRIMARY, "quote": "Russia handed over an additional 22 wounded Ukrainians.", "mention": "secondary",
             "date_text": None,
             "counts": [{"quote": "an additional 22 wounded Ukrainians", "returned_to": "Ukraine",
                         "number": 22}]}  # fmt: skip
    records = _run(text, PRIMARY, extra).exchanges
    assert records[1].date == (dt.date(2024, 1, 31) if dated else None)


# (a sentence after the primary's, the ordinal read as the exchange's place in the war's series, its claimant)
ORDINALS: list[tuple[str, int | None, str | None]] = [
    ("According to ombudsman Dmytro Lubinets, the 50th exchange of prisoners took place today.", 50, "Dmytro Lubinets"),
    ("It was the 58th prisoner swap since the full-scale invasion.", 58, None),
    ("It was the 58th prisoner swap, officials said.", 58, None),  # a source, but nobody named
    ("The swap was the forty-ninth since the start of the war, Lubinets said.", 49, "Lubinets"),
    ("It was the sixth handover of hostages.", 6, None),
    ("On 24 January the two sides were to carry out the 50th exchange.", None, None),  # another day
    ("The 50th exchange, planned for last week, was called off.", None, None),  # called off
    ("This mediation, the seventh since the beginning of the year, was the UAE's.", None, None),  # narrower series
    ("It was the second exchange this winter.", None, None),  # below 3: "first", "second" describe, not count
    ("The 50th anniversary of the treaty fell on the same day.", None, None),  # no swap numbered
    # the same ordinal put in a narrower series by another sentence
    ("It was the fourth POW swap. It was the fourth such exchange in a week.", None, None),
]


@pytest.mark.parametrize(("sentence", "number", "claimant"), ORDINALS, ids=[row[0][:40] for row in ORDINALS])
def test_the_primary_exchanges_place_in_the_war_is_read_from_a_sentence_that_numbers_it(
    sentence: str, number: int | None, claimant: str | None
) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    primary = _run(text, PRIMARY).exchanges[0]  # another day's swap becomes a record of its own
    got = primary.ordinal
    assert (got.number if got else None, got.claimant if got else None) == (number, claimant)
    if got is not None:
        assert got.span is not None and text[got.span.start : got.span.end] == got.quote


# (a sentence after the primary's, the planned record it gives: (day, counts) or None)
NEXT_STAGES: list[tuple[str, tuple[dt.date, list[tuple[int, str]]] | None]] = [
    (
        "On Friday, 50 more Ukrainians will be released in exchange for 40 Russians.",
        (dt.date(2024, 2, 2), [(40, "Russia"), (50, "Ukraine")]),
    ),
    ("Officials said the next four prisoners would be freed on Saturday.", (dt.date(2024, 2, 3), [])),
    (
        "It included the release of 480 Ukrainians in exchange for 250 Russians, while on Friday, 200 Ukrainians will "
        "be released in exchange for 251 Russians.",
        (dt.date(2024, 2, 2), [(200, "Ukraine"), (251, "Russia")]),
    ),
    ("The remaining 20 Ukrainian soldiers are to be handed over on Monday.", (dt.date(2024, 2, 5), [(20, "Ukraine")])),
    ("Russia said on Friday that more prisoners would be released.", None),  # the day a source spoke
    ("The soldiers freed on Wednesday will be treated in a hospital on Friday.", None),  # no handover to come
    ("More swaps will be needed, Zelensky said on Friday.", None),
]


@pytest.mark.parametrize(("sentence", "planned"), NEXT_STAGES, ids=[row[0][:40] for row in NEXT_STAGES])
def test_a_handover_still_to_come_on_a_named_day_is_a_planned_record_with_its_counts(
    sentence: str, planned: tuple[dt.date, list[tuple[int, str]]] | None
) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    records = _run(text, PRIMARY).exchanges
    others = [(x.status, x.date, sorted((c.number, c.returned_to) for c in x.counts)) for x in records[1:]]
    assert others == ([("planned", *planned)] if planned else [])


BODIES_DAY = (
    "Kyiv, 31 January 2024. Russia and Ukraine exchanged the bodies of 132 soldiers on Wednesday. "
    "Moscow received the remains of 55 soldiers, a lawmaker said. "
    "Meanwhile, Kyiv repatriated 77 bodies to Ukraine, its headquarters said."
)


@pytest.mark.parametrize(
    ("kind", "records"),
    [("bodies", [[(55, "Russia"), (77, "Ukraine"), (132, "both")]]),
     ("prisoners", [[(132, "both")], [(55, "Russia")], [(77, "Ukraine")]])],
    ids=["the primary's kind, sides it counts nobody for: merged", "another kind: separate, and so the next"],
)  # fmt: skip
def test_records_told_right_after_the_primary_that_give_its_other_sides_counts_are_the_primary(
    kind: str, records: list[list[tuple[int, str]]]
) -> None:
    quotes = {132: "the bodies of 132 soldiers", 55: "the remains of 55 soldiers", 77: "repatriated 77 bodies"}
    primary = {
        **PRIMARY,
        "kind": kind,
        "quote": "Russia and Ukraine exchanged the bodies of 132 soldiers on Wednesday.",
        "counts": [{"quote": quotes[132], "returned_to": "both", "number": 132}],
    }
    later = [{**PRIMARY, "kind": "bodies", "mention": "secondary", "date_text": None, "quote": sentence,
              "counts": [{"quote": quotes[n], "returned_to": side, "number": n}]}
             for sentence, n, side in [("Moscow received the remains of 55 soldiers, a lawmaker said.", 55, "Russia"),
                                       ("Meanwhile, Kyiv repatriated 77 bodies to Ukraine, its headquarters said.", 77,
                                        "Ukraine")]]  # fmt: skip
    result = _run(BODIES_DAY, primary, *later)
    assert [sorted((c.number, c.returned_to) for c in x.counts) for x in result.exchanges] == records


@pytest.mark.parametrize(
    ("sentence", "month"),
    [
        ("The previous prisoner exchange took place on Nov. 26, during which 12 Ukrainian citizens were released.", 11),
        ("The previous prisoner exchange took place on Sept. 26, during which 12 Ukrainian citizens were released.", 9),
        ("The previous prisoner exchange took place on 26 Nov., during which 12 Ukrainian citizens were released.", 11),
        ("A prisoner exchange on Nov 26 freed 12 Ukrainian citizens.", 11),
        ("A prisoner exchange on Nov. 26 freed 12 Ukrainian citizens.", 11),
        ("A prisoner exchange on November 26 freed 12 Ukrainian citizens.", 11),
    ],
)
def test_an_earlier_swap_dated_with_an_abbreviated_month_is_its_own_record_not_the_primarys(
    sentence: str, month: int
) -> None:
    text = f"Kyiv, 1 December 2022. Russia and Ukraine swapped prisoners on Thursday. {sentence}"
    primary = {**PRIMARY, "quote": "Russia and Ukraine swapped prisoners on Thursday.", "date_text": "on Thursday"}
    records = _run(text, primary, published=dt.date(2022, 12, 1)).exchanges
    assert not records[0].counts  # the 12 are the earlier swap's
    earlier = [x for x in records if x.mention == "secondary"]
    assert [x.date.month for x in earlier if x.date] == [month]
    assert [(c.number, c.returned_to) for c in earlier[0].counts] == [(12, "Ukraine")]


def test_the_weekday_of_a_records_own_sentence_is_its_time_when_there_is_no_publication_date() -> None:
    text = "Iran on Saturday freed four Americans in exchange for the U.S. release of seven people of Iranian descent."
    four = {"quote": text, "number": 4, "returned_to": "United States"}
    primary = {**PRIMARY, "quote": text, "date_text": None, "parties": ["Iran", "United States"], "counts": [four]}
    result = _run(text, primary, published=None)
    counts = {(c.number, c.returned_to) for c in result.exchanges[0].counts}
    assert (7, "Iran") in counts  # "on Saturday" is this swap's day, not another time


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("Russia's Defence Ministry said that it also received 50 people back in the swap.", (50, "Russia")),
        ("The Ministry of Defence of Russia reported that Ukraine handed over 40 captured occupiers.", (40, "Russia")),
        ("Russia's Defence Ministry said Ukraine freed 40 soldiers from Russian captivity.", (40, "Ukraine")),
        ("Russia's Defence Ministry said Ukraine freed 40 soldiers.", None),  # "freed": whose people is not said
        ("Russia's defence ministry said 248 soldiers had been handed over by Ukraine.", (248, "Russia")),  # passive
        ("Russia's defence ministry said 12 agents released by Ukraine were home.", (12, "Russia")),  # no "were"
        ("Russia's defence ministry said 30 men were swapped for 12 agents released by Ukraine.", (12, "Russia")),
        ("Ukraine said it had brought home 230 people, the largest swap so far.", (230, "Ukraine")),  # ranks, no time
        # a superlative's "since" measures the swap against the others; ", when" goes on about that other time
        (
            "It was the largest swap since the war began on Feb. 24, in which 215 Ukrainians were released by Russia.",
            (215, "Ukraine"),
        ),
        ("It was the first swap since August, when 22 Ukrainians were released by Russia.", None),
        # a truce that halted the fighting calls off no swap
        (
            "Russia's Defence Ministry said 40 Ukrainian soldiers were freed under the truce that halted the fighting.",
            (40, "Ukraine"),
        ),
        ("Russia's Defence Ministry said the release of 40 Ukrainian soldiers was halted.", None),
        ("Activists said 23 Ukrainians remain in Russian captivity after the swap.", None),  # still held
        ("Kyiv said it is working for the release of the 23 remaining Ukrainians.", None),  # efforts, no handover
        ("In return, 150 Russian prisoners are slated for release.", None),  # still to come
    ],
)
def test_the_other_sides_count_is_read_where_its_source_or_the_giver_says_who_got_them(
    sentence: str, count: tuple[int, str] | None
) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    counts = {(c.number, c.returned_to) for c in _run(text, PRIMARY).exchanges[0].counts}
    assert counts == ({count} if count else set())


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        (
            "Russia's Defence Ministry said 303 Russian servicemen had returned, while an equivalent number of "
            "Ukrainian prisoners were also freed.",
            {(303, "Russia"), (303, "Ukraine")},
        ),
        (
            "Russia's Defence Ministry said 303 Russian servicemen had returned and the same number of Ukrainians "
            "were handed over in return.",
            {(303, "Russia"), (303, "Ukraine")},
        ),
        # two numbers before it (parts of a total the text does not state): which number is "the same" is not said
        (
            "Russia's Defence Ministry said 270 Russian servicemen and 120 Russian civilians had returned and the same "
            "number of Ukrainians were handed over.",
            set(),
        ),
    ],
)
def test_the_same_number_of_the_other_sides_people_is_the_other_sides_count(
    sentence: str, counts: set[tuple[int, str]]
) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    assert {(c.number, c.returned_to) for c in _run(text, PRIMARY).exchanges[0].counts} == counts


@pytest.mark.parametrize(
    ("quotation", "count"),
    [
        ("“Two hundred and seven of our people have returned to their native soil!” Dmytro Lubinets wrote.", 207),
        ("“207 of our soldiers are back home!” Ukraine's ombudsman Dmytro Lubinets wrote on Telegram.", 207),
        ("“Two hundred and seven of our people have returned!” The war goes on.", None),  # nobody named after it
    ],
)
def test_a_whole_quotation_is_read_with_the_source_named_right_after_it(quotation: str, count: int | None) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday.\n\n{quotation}"
    counts = {(c.number, c.returned_to, c.claimant_side) for c in _run(text, PRIMARY).exchanges[0].counts}
    assert counts == ({(count, "Ukraine", "Ukraine")} if count else set())


@pytest.mark.parametrize(
    ("quotation", "count"),
    [
        # a quotation of several sentences: the count stands in one that neither opens nor closes it
        (
            "Separately, President Volodymyr Zelenskyy confirmed the exchange. “Today is a good day. We are bringing "
            "home 207 of our defenders from captivity. They fought for Ukraine,” he said.",
            207,
        ),
        # the pronoun stands for nobody the sentence before names
        ("The war goes on. “Today is a good day. We are bringing home 207 of our defenders,” he said.", None),
    ],
)
def test_a_count_inside_a_quotation_is_credited_to_its_speaker_named_after_it_or_before_it(
    quotation: str, count: int | None
) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday.\n\n{quotation}"
    counts = {(c.number, c.returned_to, c.claimant_side) for c in _run(text, PRIMARY).exchanges[0].counts}
    assert counts == ({(count, "Ukraine", "Ukraine")} if count else set())


def test_hostages_their_holder_released_are_counted_for_the_other_side() -> None:
    text = (
        "Jerusalem, 28 November 2023. Israel and Hamas swapped hostages for prisoners on Tuesday. "
        "The prime minister's office confirmed that Hamas released 12 more hostages."
    )
    primary = {**PRIMARY, "quote": "Israel and Hamas swapped hostages for prisoners on Tuesday.",
               "parties": ["Israel", "Hamas"], "date_text": "on Tuesday"}  # fmt: skip
    counts = _run(text, primary, published=dt.date(2023, 11, 28)).exchanges[0].counts
    assert [(c.number, c.returned_to) for c in counts] == [(12, "Israel")]


def test_government_prisoners_an_armed_group_released_are_counted_for_the_states_side() -> None:
    text = "Aden, 26 May 2024. The Houthi militia released 112 Yemeni government prisoners on Sunday."
    primary = {**PRIMARY, "quote": "The Houthi militia released 112 Yemeni government prisoners on Sunday.",
               "parties": ["Yemen government", "Houthis"], "date_text": "on Sunday"}  # fmt: skip
    counts = _run(text, primary, published=dt.date(2024, 5, 26)).exchanges[0].counts
    assert [(c.number, c.returned_to) for c in counts] == [(112, "Yemen government")]


@pytest.mark.parametrize("part_of", ["of the", "of those", "of"])
def test_the_whole_a_released_part_is_drawn_from_is_no_count(part_of: str) -> None:
    text = (
        "Aden, 26 May 2024. The Houthis and the government swapped prisoners on Sunday. "
        f"The Houthi militia released 112 {part_of} 3,000 Yemeni government prisoners it holds."
    )
    count = {"quote": f"The Houthi militia released 112 {part_of} 3,000", "number": 112, "returned_to": "Houthis"}
    primary = {**PRIMARY, "quote": "The Houthis and the government swapped prisoners on Sunday.",
               "parties": ["Yemen government", "Houthis"], "date_text": "on Sunday", "counts": [count]}  # fmt: skip
    counts = _run(text, primary, published=dt.date(2024, 5, 26)).exchanges[0].counts
    assert [c.number for c in counts] == [112]  # whichever side the model gave it


@pytest.mark.parametrize(
    ("after", "counts"),
    [
        # the next sentence that says it goes on about that time, in its paragraph or the next
        (
            " At the time, Russia's Defence Ministry said three pilots had been brought back from Ukrainian captivity.",
            {(3, "Russia")},
        ),
        ("\n\nAt the time, Kyiv said Ukraine had got back 45 defenders.", {(45, "Ukraine")}),
        (
            " Russia's Defence Ministry said three pilots had been brought back from Ukrainian captivity.",
            {(3, "Russia")},
        ),  # the next sentence of its paragraph, naming no other time (continuation-counts)
        ("\n\nRussia's Defence Ministry said three pilots had been brought back.", set()),  # a new paragraph
        (
            " Russia's Defence Ministry said three pilots had been brought back from Ukrainian captivity.\n\n"
            "At the time, Kyiv said Ukraine had got back 45 defenders.",
            {(3, "Russia"), (45, "Ukraine")},
        ),  # all of them, not only the first (continuation-counts)
        (" On 2 May, three pilots had been brought back from Ukrainian captivity.", set()),  # another time
    ],
)
def test_an_earlier_exchange_takes_the_counts_of_the_sentences_that_go_on_about_it(
    after: str, counts: set[tuple[int, str]]
) -> None:
    text = (
        "Kyiv, 25 May 2023. Russia and Ukraine swapped prisoners on Thursday.\n\n"
        f"The previous exchange took place on 6 May.{after}"
    )
    primary = {**PRIMARY, "quote": "Russia and Ukraine swapped prisoners on Thursday.", "date_text": "on Thursday"}
    records = _run(text, primary, published=dt.date(2023, 5, 25)).exchanges
    may_6 = [x for x in records if x.date == dt.date(2023, 5, 6)]
    assert {(c.number, c.returned_to) for x in may_6 for c in x.counts} == counts
    assert not records[0].counts  # none of them is the primary's


@pytest.mark.parametrize(
    ("quote", "earlier"),
    [
        # the article tells of Ukraine's dead coming home: home is Ukraine
        ("The bodies of 84 fallen Ukrainian defenders were returned on Thursday.", {(44, "Ukraine")}),
        # both sides got their dead back: whose home, the words do not say
        ("The bodies of 84 fallen Ukrainian defenders and of 80 Russian soldiers were handed over on Thursday.", set()),
    ],
)
def test_people_an_earlier_exchange_returned_home_go_to_the_side_the_article_tells_of_coming_home(
    quote: str, earlier: set[tuple[int, str]]
) -> None:
    earlier_words = "In the previous transfer, 44 bodies of fallen soldiers were returned home on 6 May."
    text = f"Kyiv, 25 May 2023. {quote}\n\n{earlier_words}"
    primary = {**PRIMARY, "quote": quote, "date_text": "on Thursday", "kind": "bodies",
               "counts": [{"quote": quote, "number": 84, "returned_to": "Ukraine"}]}  # fmt: skip
    records = _run(text, primary, published=dt.date(2023, 5, 25)).exchanges
    may_6 = [x for x in records if x.date == dt.date(2023, 5, 6)]
    assert len(may_6) == 1
    assert {(c.number, c.returned_to) for c in may_6[0].counts} == earlier


@pytest.mark.parametrize(
    ("sentence", "dates"),
    [
        ("Earlier, the two countries exchanged 100 women in the first such swap since the war began in February.",
         []),  # not a swap in February
        ("A total of 1,183 prisoners were freed from February 24.", []),  # the count runs from then
        ("The previous swap freed 100 Ukrainians from captivity on 3 October.", [dt.date(2022, 10, 3)]),
    ],
)  # fmt: skip
def test_the_start_of_a_period_is_not_the_date_of_a_swap(sentence: str, dates: list[dt.date]) -> None:
    text = f"Kyiv, 31 October 2022. Russia and Ukraine swapped prisoners on Saturday. {sentence}"
    primary = {**PRIMARY, "quote": "Russia and Ukraine swapped prisoners on Saturday.", "date_text": "on Saturday"}
    records = _run(text, primary, published=dt.date(2022, 10, 31)).exchanges
    assert [x.date for x in records if x.mention == "secondary"] == dates


@pytest.mark.parametrize(
    ("after", "counted"),
    [
        ("and would be taken to a hospital to be examined", True),  # the modal is the second verb's
        ("and will be examined by doctors", True),
        ("would be freed next week", False),  # the modal is the handover's own
    ],
)
def test_a_modal_of_a_second_verb_does_not_put_the_handover_still_to_come(after: str, counted: bool) -> None:
    sentence = f"Russia's Defence Ministry said 94 Russian servicemen had been released {after}."
    if not counted:
        sentence = f"Russia's Defence Ministry said 94 Russian servicemen {after}."
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    counts = {(c.number, c.returned_to) for c in _run(text, PRIMARY).exchanges[0].counts}
    assert ((94, "Russia") in counts) is counted


@pytest.mark.parametrize(
    ("kind", "sentence", "counted"),
    [
        # in an exchange of bodies, a death word describes what was handed over
        (
            "bodies",
            "Russian media said the bodies of 1,000 killed Ukrainian soldiers were handed over in exchange "
            "for the remains of 30 Russian soldiers.",
            {(1000, "Ukraine"), (30, "Russia")},
        ),
        ("bodies", "Kyiv said 1,000 dead Ukrainian soldiers were handed over.", set()),  # no bodies named
        # of living prisoners, it says who was not handed over
        (
            "prisoners",
            "Russian media said 1,000 Ukrainian soldiers were killed and 30 Russian soldiers handed over.",
            set(),
        ),
    ],
)
def test_death_words_in_an_exchange_of_bodies_describe_the_bodies(
    kind: str, sentence: str, counted: set[tuple[int, str]]
) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine exchanged {kind} on Wednesday. {sentence}"
    primary = {**PRIMARY, "quote": f"Russia and Ukraine exchanged {kind} on Wednesday.", "kind": kind}
    counts = {(c.number, c.returned_to) for c in _run(text, primary).exchanges[0].counts}
    assert counts == counted


def test_two_swaps_joined_by_and_on_another_day_are_two_earlier_exchanges() -> None:
    sentence = (
        "On 14 January, there was a 30-for-30 prisoner exchange and on January 1, Ukraine held a 50-for-50 "
        "exchange of prisoners."
    )
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    found = {(x.date, tuple(sorted(c.number for c in x.counts))) for x in _run(text, PRIMARY).exchanges[1:]}
    assert found == {(dt.date(2024, 1, 14), (30, 30)), (dt.date(2024, 1, 1), (50, 50))}


@pytest.mark.parametrize(
    ("total", "kept"),
    [
        ("706 Houthi prisoners are now out of prison", False),  # the count's own sentence: the count told again
        ("So far, 706 prisoners have come home", True),  # another sentence: a running total of its own
    ],
)
def test_a_running_total_that_is_a_count_in_its_own_sentence_is_that_count(total: str, kept: bool) -> None:
    text = (
        "Aden, 16 April 2023. The Houthis and the government completed a swap on Sunday. "
        "With the completion of the exchanges, 706 Houthi prisoners are now out of prison, in exchange for 186 "
        "government prisoners. So far, 706 prisoners have come home."
    )
    primary = {**PRIMARY, "quote": "The Houthis and the government completed a swap on Sunday.",
               "date_text": "on Sunday", "parties": ["Houthis", "Yemen government"],
               "counts": [{"quote": "706 Houthi prisoners are now out of prison", "returned_to": "Houthis",
                           "number": 706}],
               "cumulative_totals": [{"quote": total, "returned_to": "Houthis", "number": 706}]}  # fmt: skip
    record = _run(text, primary, published=dt.date(2023, 4, 16)).exchanges[0]
    assert [t.number for t in record.cumulative_totals if t.number == 706] == ([706] if kept else [])


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [
        # the verb and the people of the clause before are left out of "and 44 to Armenia"
        (
            "Russia's Defence Ministry said 12 captives were handed over to Azerbaijan and 44 to Armenia.",
            {(12, "Azerbaijan"), (44, "Armenia")},
        ),
        (
            "Russia's Defence Ministry said 12 captives were handed over to Azerbaijan and 44 to Moscow.",
            {(12, "Azerbaijan")},
        ),  # not a side of the exchange
        ("Russia's Defence Ministry said the score went from 12 to 44 to Armenia.", set()),  # no people counted before
        # ... and of "and 44 freed by Baku": the side that let them go is named, the other one received them
        ("The exchange of 12 captives released by Yerevan and 44 freed by Baku was completed.",
         {(12, "Azerbaijan"), (44, "Armenia")}),
        ("The exchange of 12 captives released by Yerevan and 44 freed by Moscow was completed.",
         {(12, "Azerbaijan")}),  # not a side of the exchange
    ],
)  # fmt: skip
def test_a_number_standing_for_the_people_of_the_clause_before_is_a_count(
    sentence: str, counted: set[tuple[int, str]]
) -> None:
    text = f"Moscow, 14 December 2020. Azerbaijan and Armenia exchanged prisoners on Monday. {sentence}"
    primary = {**PRIMARY, "quote": "Azerbaijan and Armenia exchanged prisoners on Monday.", "date_text": "on Monday",
               "parties": ["Armenia", "Azerbaijan"]}  # fmt: skip
    counts = _run(text, primary, published=dt.date(2020, 12, 14)).exchanges[0].counts
    assert {(c.number, c.returned_to) for c in counts} == counted


def test_a_phrasal_verb_split_by_its_people_tells_of_an_earlier_exchange() -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. "
        "Background: On 10 January, Ukraine brought 100 of its soldiers back from Russian captivity."
    )
    earlier = [x for x in _run(text, PRIMARY).exchanges if x.date == dt.date(2024, 1, 10)]
    assert [[(c.number, c.returned_to) for c in x.counts] for x in earlier] == [[(100, "Ukraine")]]


@pytest.mark.parametrize(
    ("sentence", "dates"),
    [
        ("In mid-January, Ukraine brought home 130 soldiers in an exchange.", [(dt.date(2024, 1, 1), "month")]),
        ("In early January, 130 soldiers were freed in a swap.", [(dt.date(2024, 1, 1), "month")]),
        # the date of a capture is not a swap's
        ("The exchange also freed 19 sailors who were captured in late January.", []),
        ("The swap freed 19 sailors, who were taken prisoner on 3 January.", []),
        # unless the sentence opens on another time: then it is the only day the earlier swap has
        (
            "Earlier, Ukraine had exchanged nine soldiers for the mayor, who was abducted on 11 January.",
            [(dt.date(2024, 1, 11), "day")],
        ),
    ],
)
def test_a_part_of_a_month_dates_an_earlier_swap_and_a_capture_date_does_not(
    sentence: str, dates: list[tuple[dt.date, str]]
) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    records = _run(text, PRIMARY).exchanges[1:]
    assert [(x.date, x.date_precision) for x in records] == dates


@pytest.mark.parametrize(
    "sentence",
    [
        "The truce's extensions involve the release of 10 Israeli hostages per day in exchange for 30 Palestinians.",
        "Each extension frees 30 Palestinian prisoners in exchange for 10 Israeli hostages a day.",
    ],
)
def test_a_rate_per_day_is_not_a_count_of_the_exchange(sentence: str) -> None:
    text = f"Israel and Hamas swapped prisoners on Wednesday. Israel freed 30 Palestinian prisoners. {sentence}"
    primary = {**PRIMARY, "quote": "Israel and Hamas swapped prisoners on Wednesday.", "parties": ["Israel", "Hamas"]}
    counts = {(c.number, c.returned_to) for c in _run(text, primary).exchanges[0].counts}
    assert (30, "Hamas") in counts
    assert (10, "Israel") not in counts  # a rate of the arrangement, not the people of Wednesday's swap


@pytest.mark.parametrize(("both", "counts", "totals"), [(3771, [90, 90], [3771]), (180, [90, 90, 180], [])])
def test_people_from_both_sides_beyond_what_the_exchange_handed_over_both_ways_are_a_running_total(
    both: int, counts: list[int], totals: list[int]
) -> None:
    text = ("Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. 90 Russian soldiers and 90 "
            f"Ukrainians came home. The UAE said {both:,} captives from both sides had been freed.")  # fmt: skip
    primary = _run(text, PRIMARY).exchanges[0]
    assert sorted(c.number for c in primary.counts) == counts
    assert [t.number for t in primary.cumulative_totals] == totals


def test_that_same_month_dates_a_swap_by_the_month_of_the_one_told_before_it() -> None:
    text = (
        "Moscow, 7 March 2023. Russia and Ukraine swapped prisoners on Tuesday. "
        "The last swap took place on February 16. Then, Moscow received 101 servicemen. "
        "That same month, Russia also secured the release of 63 prisoners of war and Kiev reported the return "
        "of 116 people."
    )
    primary = {**PRIMARY, "quote": "Russia and Ukraine swapped prisoners on Tuesday.", "date_text": "on Tuesday"}
    records = _run(text, primary, published=dt.date(2023, 3, 7)).exchanges
    month = [x for x in records if (x.date, x.date_precision) == (dt.date(2023, 2, 1), "month")]
    assert [x.date_text for x in month] == ["That same month"]
    assert {(c.number, c.returned_to, c.claimant_side) for c in month[0].counts} >= {(116, "Ukraine", "Ukraine")}
    assert (63, "Russia") in {(c.number, c.returned_to) for c in month[0].counts}
    assert not {c.number for c in records[0].counts} & {63, 116}  # not the primary's


def test_time_words_after_a_done_handovers_count_speak_of_its_people_not_of_another_handover() -> None:
    text = (
        "Gaza, 15 February 2025. Israel and Hamas swapped hostages for prisoners on Saturday. "
        "Hamas has released on Saturday morning the three Israeli hostages that it announced yesterday it would "
        "release."
    )
    primary = {**PRIMARY, "quote": "Israel and Hamas swapped hostages for prisoners on Saturday.",
               "date_text": "on Saturday", "parties": ["Israel", "Hamas"]}  # fmt: skip
    records = _run(text, primary, published=dt.date(2025, 2, 15)).exchanges
    assert [(c.number, c.returned_to) for c in records[0].counts] == [(3, "Israel")]


# (a sentence, the people it lists as handed over)
LISTED: list[tuple[str, list[str]]] = [
    ("Among them were Eyvin Hernandez, a Los Angeles public defender, Jerrel Kenemore and Savoi Wright, as well as "
     "Luke Denman, two former Green Berets.", ["Eyvin Hernandez", "Jerrel Kenemore", "Savoi Wright", "Luke Denman"]),
    ("Leniye Umerova, a young Crimean Tatar detained in 2022, is among the released.", ["Leniye Umerova"]),
    ("Military medic and Hero of Ukraine Viktor Ivchuk was also among those released.", ["Viktor Ivchuk"]),
    ("Among those freed was President Volodymyr Zelensky's adviser.", []),  # an official, and no name of one
    ("Oleh Petrenko, the ombudsman, said the swap went well.", []),  # not a list of the freed
    # a list of two or more names in a sentence about the people handed over
    ("The four soldiers - Karina Ariev, Daniella Gilboa, Naama Levy and Liri Albag - appeared well.",
     ["Karina Ariev", "Daniella Gilboa", "Naama Levy", "Liri Albag"]),
    ("The soldiers are Lyudmila Gerasimenko and Ivan Zemlyanoy.", ["Lyudmila Gerasimenko", "Ivan Zemlyanoy"]),
    ("One soldier was freed first, followed by 29-year-old Erbel Yehud and 80-year-old Gadi Moses.",
     ["Erbel Yehud", "Gadi Moses"]),
    ("The four soldiers- Karina Ariev and Liri Albag-appeared well.", ["Karina Ariev", "Liri Albag"]),  # a dash ends it
    ("Tbilisi freed Kazbeg Dzugkoev, Spartak Driaev, and Murman Kasaev.",
     ["Kazbeg Dzugkoev", "Spartak Driaev", "Murman Kasaev"]),
    # no "and": a title and its holder ("the head of the Local Council, Abdurrahman Shikshak") are no list
    ("The prisoners were handed over to the head of the Tawergha Local Council, Abdurrahman Shikshak.", []),
    ("Oleh Petrenko and Ivan Marchenko met in Geneva to talk about the weather.", []),  # no word of returnees
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "names"), LISTED, ids=[row[0][:40] for row in LISTED])
def test_the_people_a_sentence_lists_among_the_freed_are_read_by_name(sentence: str, names: list[str]) -> None:
    assert [name for _, name in _listed_names(sentence)] == names


def test_a_planned_primary_exchange_takes_the_counts_its_own_sentences_give() -> None:
    text = "Kyiv, 31 January 2024. Russia and Ukraine will swap prisoners on Friday. 150 Ukrainians are to come home."
    planned = {**PRIMARY, "quote": "Russia and Ukraine will swap prisoners on Friday.", "status": "planned",
               "date_text": "on Friday"}  # fmt: skip
    [record] = _run(text, planned).exchanges
    assert (record.status, [(c.number, c.returned_to) for c in record.counts]) == ("planned", [(150, "Ukraine")])


def test_an_other_handover_of_last_week_or_last_month_becomes_a_secondary_record_of_that_month() -> None:
    text = (
        "Gaza, 30 January 2025. Hamas freed eight hostages on Thursday. "
        "Last week, Hamas freed four Israeli soldiers in exchange for 200 Palestinian prisoners. "
        "Hamas also freed two women captured last month."
    )
    swap = {**PRIMARY, "quote": "Hamas freed eight hostages on Thursday.", "date_text": "on Thursday",
            "parties": ["Israel", "Hamas"]}  # fmt: skip
    records = _run(text, swap, published=dt.date(2025, 1, 30)).exchanges
    assert [(x.mention, x.date, x.date_precision) for x in records] == [
        ("primary", dt.date(2025, 1, 30), "day"),
        ("secondary", dt.date(2025, 1, 1), "month"),  # "captured last month" dates a capture, not a handover
    ]


def test_people_listed_among_the_freed_join_the_primary_with_the_side_its_counts_return_people_to() -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday, and 49 Ukrainians came home. "
        "Among them were Oleh Marchenko, a marine, and Ivan Tkachenko."
    )
    primary = {**PRIMARY, "counts": [{"quote": "49 Ukrainians came home", "number": 49, "returned_to": "Ukraine"}]}
    people = _run(text, primary).exchanges[0].released_people
    assert [(p.name, p.returned_to) for p in people] == [("Oleh Marchenko", "Ukraine"), ("Ivan Tkachenko", "Ukraine")]
    assert all(p.span is not None and text[p.span.start : p.span.end] == p.name for p in people)


@pytest.mark.parametrize(
    ("sentence", "primary_date", "others"),
    [
        # the primary's own figures on a day just before the report: its day
        ("On 23 November, Russia and Ukraine exchanged 50 prisoners each.", (dt.date(2022, 11, 23), "day"), []),
        # other figures on that day: another handover, the primary keeps the report's date
        (
            "On 23 November, Russia and Ukraine exchanged 35 prisoners each.",
            (dt.date(2022, 11, 24), "report"),
            [(dt.date(2022, 11, 23), [35, 35])],
        ),
        # other people counted, whoever received them: another handover too
        (
            "On 23 November, Russia and Ukraine swapped 35 POWs.",
            (dt.date(2022, 11, 24), "report"),
            [(dt.date(2022, 11, 23), [])],
        ),
    ],
)
def test_a_handover_dated_just_before_the_report_is_the_primarys_day_only_with_its_figures(
    sentence: str, primary_date: tuple[dt.date, str], others: list[tuple[dt.date, list[int]]]
) -> None:
    swap = "Russia and Ukraine swapped 50 prisoners for 50, Yermak said."
    counts = [{"quote": swap, "number": 50, "returned_to": side} for side in ("Ukraine", "Russia")]
    text = f"Kyiv, 24 November 2022. {swap} {sentence}"
    records = _run(text, {**PRIMARY, "quote": swap, "date_text": None, "counts": counts},
                   published=dt.date(2022, 11, 24)).exchanges  # fmt: skip
    assert (records[0].date, records[0].date_precision) == primary_date
    assert [(x.date, sorted(c.number for c in x.counts)) for x in records[1:]] == others


def test_bodies_read_beside_a_swap_of_living_people_become_a_record_of_their_own() -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. "
        "Ukraine received 207 soldiers, Kyiv said. "
        "As a part of the swap, the bodies of 212 Ukrainian defenders were handed over by Russia."
    )
    count = {"quote": "Ukraine received 207 soldiers", "number": 207, "returned_to": "Ukraine"}
    counted = {**PRIMARY, "counts": [count]}
    result = _run(text, counted)  # the model's answer: the swap and its 207; the 212 is read by the sweep
    records = sorted(
        (x.kind, x.mention, x.date, [(c.number, c.returned_to) for c in x.counts]) for x in result.exchanges
    )
    assert records == [
        ("bodies", "primary", dt.date(2024, 1, 31), [(212, "Ukraine")]),
        ("prisoners", "primary", dt.date(2024, 1, 31), [(207, "Ukraine")]),
    ]
    assert any(w.startswith("[bodies-own-record] exchange 1: the bodies of 212") for w in result.warnings)


FIGURES = "Russia and Ukraine swapped prisoners on Wednesday. The lists held 207, 300 and 248 names."


@pytest.mark.parametrize(
    ("counts", "part", "kept"),
    [
        ([(207, "Ukraine")], (248, "Ukraine"), False),  # bigger than the side's only count: no part of it
        ([(207, "Ukraine"), (300, "Ukraine")], (248, "Ukraine"), True),  # within one of the side's counts
        ([(207, "Russia")], (248, "Ukraine"), True),  # a side without a count: no whole to measure it by
        ([(300, "both")], (248, "Ukraine"), True),  # within the count of both sides together
        ([(248, "Ukraine")], (248, "Ukraine"), True),  # the whole side, as one group
    ],
)
def test_a_part_bigger_than_every_count_of_its_side_is_dropped(
    counts: list[tuple[int, str]], part: tuple[int, str], kept: bool
) -> None:
    record = {
        **PRIMARY,
        "counts": [
            {"quote": "The lists held 207, 300 and 248 names", "number": n, "returned_to": side} for n, side in counts
        ],
        "breakdown": [
            {
                "quote": "The lists held 207, 300 and 248 names",
                "number": part[0],
                "returned_to": part[1],
                "category": "other",
                "label": "names",
            }
        ],
    }
    result = _run(FIGURES, record)
    assert [(b.number, b.returned_to) for b in result.exchanges[0].breakdown] == ([part] if kept else [])


def _primary_told_in(lead: str, count: tuple[int, str], parties: list[str], date_text: str) -> dict[str, object]:
    """The model's primary record of one sentence, ``lead``, with one count (number, receiver) quoting it."""
    number, returned_to = count
    return {"quote": lead, "status": "completed", "mention": "primary", "parties": parties, "date_text": date_text,
            "counts": [{"quote": lead, "number": number, "returned_to": returned_to}]}  # fmt: skip


@pytest.mark.parametrize(
    ("later", "dates"),
    [
        # the day the words give the exchange the page tells, a week before the report: the primary's own day
        ("Kyiv had announced their return last Tuesday, the same day the exchange took place.", ["2025-12-16"]),
        # a handover of another day, told without "the exchange": an earlier one
        ("Kyiv said 20 more soldiers had returned home last Tuesday.", ["2025-12", "2025-12-16"]),
        # the report's own day, written out: its year is a date's, not a number of prisoners of another handover
        ("On 22 December 2025, another prisoner exchange took place.", ["2025-12-22"]),
    ],
)
def test_a_day_the_text_gives_the_exchange_it_tells_dates_the_primary_not_another_record(
    later: str, dates: list[str]
) -> None:
    lead = "Russia returned 60 Ukrainians to their home country, Moskalkova said on Monday."
    text = f"Title\nDate: 2025-12-22\n\n{lead} {later}"
    record = _primary_told_in(lead, (60, "Ukraine"), ["Russia", "Ukraine"], "2025-12-22")
    exchanges = _run(text, record, published=dt.date(2025, 12, 22)).exchanges
    shown = [str(x.date)[:7] if x.date_precision == "report" else str(x.date) for x in exchanges]
    assert shown == dates


@pytest.mark.parametrize(
    ("later", "read"),
    [
        # the day after a reporting verb dates the report: the sentence still tells of the exchange
        ("Iranian state media confirmed on Monday that five Iranian citizens had also been released.",
         [(5, "Iran", "Iranian state media")]),
        # a day of its own: another time, not read for the exchange
        ("On Monday, five Iranian citizens had also been released.", []),
    ],
)  # fmt: skip
def test_a_day_right_after_a_reporting_verb_dates_the_report_not_another_handover(
    later: str, read: list[tuple[int, str, str]]
) -> None:
    lead = "Five Americans were freed by Iran on Tuesday."
    text = f"Title\nDate: 2023-09-19\n\n{lead} {later}"
    record = _primary_told_in(lead, (5, "United States"), ["United States", "Iran"], "on Tuesday")
    counts = _run(text, record, published=dt.date(2023, 9, 19)).exchanges[0].counts
    assert [(c.number, c.returned_to, c.claimant) for c in counts if c.returned_to == "Iran"] == read


def test_a_count_read_by_code_goes_to_the_side_its_words_send_the_people_to_not_their_nationality() -> None:
    sentence = "Israel returned five Lebanese prisoners to Hezbollah on Wednesday."
    record = {**PRIMARY, "quote": sentence, "parties": ["Israel", "Hezbollah"]}
    [exchange] = _run(f"Tel Aviv, 31 January 2024. {sentence}", record).exchanges
    assert [(c.number, c.returned_to) for c in exchange.counts] == [(5, "Hezbollah")]
    assert exchange.parties == ["Israel", "Hezbollah"]


ECHO_TITLE = "207 Ukrainian defenders return home\n\n"
ECHO_LEDE = "Ukraine and Russia exchanged prisoners on Wednesday, and 207 Ukrainians returned home. "
ECHO_OWN = ("Ukraine and Russia exchanged prisoners on Wednesday, and 207 Ukrainians returned home", None)


@pytest.mark.parametrize(
    ("text", "told", "claimants"),
    [
        (
            ECHO_TITLE + ECHO_LEDE + "Zelensky said 207 Ukrainians were back in a swap with Russia.",
            ECHO_OWN,
            [None, "Zelensky"],
        ),  # the outlet's lede and the president's statement: two claims of 207
        (
            ECHO_TITLE + "Zelensky said 207 Ukrainians returned home on Wednesday in a swap with Russia.",
            ("Zelensky said 207 Ukrainians returned home on Wednesday in a swap with Russia", "Zelensky"),
            ["Zelensky"],
        ),  # a title line repeats the figure: no claim of its own
        (
            ECHO_TITLE + ECHO_LEDE + "Moscow said 207 Russian soldiers were handed over as well.",
            ECHO_OWN,
            [None],
        ),  # the same number for the other side's people is another count, not a second voice
        (
            ECHO_TITLE + ECHO_LEDE + "Zelensky said more than 207 Ukrainians came home.",
            ECHO_OWN,
            [None],
        ),  # a hedged figure is another claim, not the same one told again
        (
            ECHO_TITLE
            + "Ukraine and Russia each freed 207 people on Wednesday. Zelensky said 207 Ukrainians came home.",
            ("Zelensky said 207 Ukrainians came home", "Zelensky"),
            [None, "Zelensky"],
        ),  # "each freed 207": the article's own figure for either side
        (
            ECHO_TITLE + "Ukraine and Russia swapped 207 prisoners each on Wednesday. "
            "Zelensky said 207 Ukrainians came home.",
            ("Zelensky said 207 Ukrainians came home", "Zelensky"),
            [None, "Zelensky"],
        ),  # "207 prisoners each": so too
    ],
)
def test_the_outlets_figure_and_a_sources_identical_figure_are_two_claims(
    text: str, told: tuple[str, str | None], claimants: list[str | None]
) -> None:
    quote, claimant = told
    model = {**PRIMARY, "quote": quote + ".", "date_text": "on Wednesday",
             "counts": [{"quote": quote, "number": 207, "returned_to": "Ukraine", "claimant": claimant}]}  # fmt: skip

    def claims(result: ArticleExtraction) -> list[str | None]:
        return sorted((c.claimant for c in result.exchanges[0].counts if (c.number, c.returned_to) == (207, "Ukraine")
                       and c.qualifier == "exact"), key=str)  # fmt: skip

    assert claims(_run(text, model)) == sorted(claimants, key=str)
    with rules_off({"echo-claims"}):
        assert len(claims(_run(text, model))) == 1


def test_a_figure_in_words_told_again_by_a_source_is_a_claim_of_its_own() -> None:
    lede = "Hamas handed over the bodies of four Israeli hostages on Wednesday"
    source = "Netanyahu's office said Israel had received the remains of four hostages."
    text = f"Bodies of hostages returned\n\n{lede}. {source}"
    model = {**PRIMARY, "quote": lede + ".", "kind": "bodies",
             "counts": [{"quote": lede, "number": 4, "returned_to": "Israel"}]}  # fmt: skip
    result = _run(text, {**model, "parties": ["Israel", "Hamas"]})
    assert sorted(str(c.claimant) for c in result.exchanges[0].counts if c.number == 4) == [
        "Netanyahu's office",
        "None",
    ]
