"""The deterministic coding rules applied after grounding (pow_extract.rules.checks)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pow_extract.reading.resolver import ground
from pow_extract.records.schema import PUBLISHED, ArticleExtraction, CountClaim, PrisonerExchange
from pow_extract.rules.checks import (
    _before_general,
    _counterpart,
    _dedupe,
    _full_name,
    _in_office,
    _is_age,
    _mediators_by_help,
    _mediators_in,
    _negotiator,
    _speakers,
    absorb,
    apply_checks,
    narrower_series,
)
from pow_extract.rules.registry import rules_off
from pow_extract.text.numbers import find_numbers

TEXT = (
    "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. "
    "Ukraine returned home 207 captives, President Volodymyr Zelensky said. "
    "The Russian Defence Ministry said 195 Russian servicemen were freed. "
    "More than 3,000 Ukrainians have come home since 2022. "
    "Moscow says the plane carried 65 Ukrainian POWs, all of whom died. "
    "On 24 January, a planned swap was halted after the crash."
)


def _run(*exchanges: dict[str, object]) -> ArticleExtraction:
    token = PUBLISHED.set(dt.date(2024, 1, 31))
    try:
        records = [PrisonerExchange.model_validate(x) for x in exchanges]
    finally:
        PUBLISHED.reset(token)
    return apply_checks(ground(ArticleExtraction(article_id="t", text=TEXT, exchanges=records)))


MAIN = {
    "quote": "Russia and Ukraine swapped prisoners on Wednesday.",
    "status": "completed",
    "date_text": "on Wednesday",
    "parties": ["Ukraine", "Russia"],
}


def test_receiver_follows_the_nationality_or_the_side_bringing_people_home() -> None:
    result = _run({**MAIN, "counts": [
        {"quote": "Ukraine returned home 207 captives", "returned_to": "Russia", "number": 207},
        {"quote": "195 Russian servicemen were freed", "returned_to": "Ukraine", "number": 195},
    ]})  # fmt: skip
    assert {(c.number, c.returned_to) for c in result.exchanges[0].counts} == {(207, "Ukraine"), (195, "Russia")}


@pytest.mark.parametrize(
    ("sentence", "receiver"),
    [
        ("Ukraine returned 84 people – military and civilians – from Russian captivity.", "Ukraine"),
        ("Moscow got 84 servicemen out of Ukrainian prisons.", "Ukraine"),  # "out of", not "from": the model's
    ],
)
def test_people_freed_from_one_sides_captivity_are_the_other_sides_whatever_the_model_said(
    sentence: str, receiver: str
) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    count = {"quote": sentence, "returned_to": "Russia" if "Ukraine returned" in sentence else "Ukraine", "number": 84}
    result = _run_on(text, {**MAIN, "counts": [count]})
    assert [c.returned_to for c in result.exchanges[0].counts] == [receiver]


@pytest.mark.parametrize(
    ("sentence", "receiver"),
    [
        # "three months" is a span of time, no second figure of three people: the nationality decides
        ("Three Indonesian hostages were released after being held for more than three months.", "Indonesia"),
        # two figures of three people: which one the model meant, the words do not say; its receiver stays
        ("Three Indonesian sailors went home and three Filipino sailors were freed.", "Philippines"),
    ],
)
def test_a_number_of_people_is_not_read_twice_when_the_same_number_counts_time(sentence: str, receiver: str) -> None:
    text = f"Jakarta, 2 October 2016. Abu Sayyaf freed hostages on Saturday. {sentence}"
    record = {**MAIN, "quote": "Abu Sayyaf freed hostages on Saturday.", "date_text": "on Saturday",
              "parties": ["Indonesia", "Philippines"], "counts": [
        {"quote": sentence, "returned_to": "Philippines", "number": 3},
    ]}  # fmt: skip
    result = _run_on(text, record, published=dt.date(2016, 10, 2))
    assert [c.returned_to for c in result.exchanges[0].counts] == [receiver]


@pytest.mark.parametrize(
    ("text", "parties", "count", "receiver"),
    [
        # "pro-government" people go to the state's side, not to the armed group they were swapped with
        ("Sanaa, 28 February 2020. Government forces and the Houthis swapped prisoners on Thursday. "
         "Two pro-government soldiers were set free in exchange for three Houthi rebels.",
         ["Yemen government", "Houthis"], ("Two pro-government soldiers were set free", 2, "Houthis"),
         "Yemen government"),
        # an armed group's members go to the group, and it becomes a side
        ("Abuja, 28 February 2020. Nigeria and Boko Haram swapped prisoners on Thursday. "
         "Five Boko Haram commanders were released in exchange for the schoolgirls.",
         ["Nigeria", "Switzerland"], ("Five Boko Haram commanders were released", 5, "Nigeria"), "Boko Haram"),
    ],
)  # fmt: skip
def test_people_named_by_the_side_they_fight_for_go_to_that_side(
    text: str, parties: list[str], count: tuple[str, int, str], receiver: str
) -> None:
    quote, number, model = count
    record = {**MAIN, "parties": parties, "counts": [{"quote": quote, "returned_to": model, "number": number}]}
    result = _run_on(text, record, published=dt.date(2020, 2, 28))
    assert [(c.number, c.returned_to) for c in result.exchanges[0].counts] == [(number, receiver)]
    assert receiver in result.exchanges[0].parties


# (a sentence, its number, the receiver the model gave, the receiver kept)
RECEIVERS: list[tuple[str, int, str, str]] = [
    ("That day, 84 bodies, which Moscow says are soldiers, were returned to Ukraine.", 84, "Russia", "Ukraine"),
    ("Meanwhile, Ukraine repatriated 77 bodies, its headquarters said.", 77, "Russia", "Ukraine"),  # its own
    ("That day, Russia released four Ukrainian female soldiers to the Red Cross.", 4, "Russia", "Ukraine"),  # words
    ("That day, 205 Russian soldiers came back and 205 prisoners of war were handed to Ukraine.", 205, "Ukraine",
     "Ukraine"),  # the 205 handed to Ukraine, not the first 205 the sentence names: the words do not say which
    ("That day, the Russian side received 58 bodies.", 58, "Ukraine", "Russia"),  # who received them, by the verb
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "number", "model", "kept"), RECEIVERS, ids=[r[0][10:40] for r in RECEIVERS])
def test_the_receiver_the_words_give_wins_over_the_models(sentence: str, number: int, model: str, kept: str) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    count = {"quote": sentence, "returned_to": model, "number": number}
    assert _run_on(text, {**MAIN, "counts": [count]}).exchanges[0].counts[0].returned_to == kept


def test_qualifier_is_read_from_the_words_before_the_number() -> None:
    result = _run({**MAIN, "cumulative_totals": [
        {"quote": "More than 3,000 Ukrainians have come home since 2022", "returned_to": "Ukraine", "number": 3000},
    ]})  # fmt: skip
    assert result.exchanges[0].cumulative_totals[0].qualifier == "over"


def test_claimant_side_is_filled_from_the_claimant_name() -> None:
    result = _run({**MAIN, "counts": [
        {"quote": "The Russian Defence Ministry said 195 Russian servicemen were freed", "returned_to": "Russia",
         "number": 195, "claimant": "Russian Defence Ministry"},
    ]})  # fmt: skip
    assert result.exchanges[0].counts[0].claimant_side == "Russia"


def test_exchange_whose_sentence_says_it_was_halted_is_not_completed() -> None:
    result = _run(
        MAIN,
        {
            "quote": "On 24 January, a planned swap was halted after the crash.",
            "status": "completed",
            "mention": "secondary",
            "date_text": "On 24 January",
        },
    )
    halted = next(x for x in result.exchanges if x.date == dt.date(2024, 1, 24))
    assert halted.status == "postponed_or_cancelled"


def test_two_records_of_the_same_day_merge_and_repeated_figures_keep_the_named_claimant() -> None:
    result = _run(
        {**MAIN, "counts": [{"quote": "Ukraine returned home 207 captives", "returned_to": "Ukraine", "number": 207}]},
        {**MAIN, "quote": "Ukraine returned home 207 captives, President Volodymyr Zelensky said.", "counts": [
            {"quote": "Ukraine returned home 207 captives", "returned_to": "Ukraine", "number": 207,
             "claimant": "Volodymyr Zelensky", "claimant_side": "Ukraine"}]},
    )  # fmt: skip
    assert len(result.exchanges) == 1
    [count] = [c for c in result.exchanges[0].counts if c.number == 207]
    assert count.claimant and count.claimant.endswith("Volodymyr Zelensky")


def test_a_record_told_as_earlier_is_not_the_same_days_twin_whatever_day_the_model_gave_it() -> None:
    text = (
        "Baku, 19 December 2021. Azerbaijan released 10 Armenian prisoners of war on Sunday. "
        "Earlier this month, Azerbaijan handed over 15 Armenian soldiers in exchange for maps of minefields."
    )
    sunday = {**MAIN, "quote": "Azerbaijan released 10 Armenian prisoners of war on Sunday.", "date_text": "on Sunday",
              "parties": ["Azerbaijan", "Armenia"]}  # fmt: skip
    counts = [{"quote": "Azerbaijan released 10 Armenian prisoners of war", "returned_to": "Armenia", "number": 10}]
    earlier = {**sunday, "quote": "Earlier this month, Azerbaijan handed over 15 Armenian soldiers", "counts": [
        {"quote": "Azerbaijan handed over 15 Armenian soldiers", "returned_to": "Armenia", "number": 15}]}  # fmt: skip
    token = PUBLISHED.set(dt.date(2021, 12, 19))
    try:
        records = [PrisonerExchange.model_validate(x) for x in ({**sunday, "counts": counts}, earlier)]
    finally:
        PUBLISHED.reset(token)
    article = ArticleExtraction(article_id="t", text=text, published=dt.date(2021, 12, 19), exchanges=records)
    result = apply_checks(ground(article))
    assert sorted(c.number for x in result.exchanges for c in x.counts) == [10, 15]
    assert [(x.date, x.date_precision) for x in result.exchanges] == [
        (dt.date(2021, 12, 19), "day"),
        (dt.date(2021, 12, 1), "month"),  # "Earlier this month": the month, not the model's copy of the report's day
    ]


def test_an_earlier_statement_about_the_same_days_handover_is_its_twin() -> None:
    # "Earlier" dates the saying, not the handover: a verb of saying comes before the number
    text = (
        "Kyiv, 3 November 2022. Ukraine released 107 Russian soldiers on Thursday. "
        "Earlier, a Russian-installed official said Russia would also free 107 Ukrainian soldiers."
    )
    thursday = {
        **MAIN,
        "quote": "Ukraine released 107 Russian soldiers on Thursday.",
        "date_text": "on Thursday",
        "counts": [{"quote": "Ukraine released 107 Russian soldiers", "returned_to": "Russia", "number": 107}],
    }
    earlier = {**thursday, "mention": "secondary",  # the model gave it the report's day
               "quote": "Earlier, a Russian-installed official said Russia would also free 107 Ukrainian soldiers.",
               "counts": [{"quote": "Russia would also free 107 Ukrainian soldiers", "returned_to": "Ukraine",
                           "number": 107}]}  # fmt: skip
    token = PUBLISHED.set(dt.date(2022, 11, 3))
    try:
        records = [PrisonerExchange.model_validate(x) for x in (thursday, earlier)]
    finally:
        PUBLISHED.reset(token)
    article = ArticleExtraction(article_id="t", text=text, published=dt.date(2022, 11, 3), exchanges=records)
    result = apply_checks(ground(article))
    assert [sorted((c.number, c.returned_to) for c in x.counts) for x in result.exchanges] == [
        [(107, "Russia"), (107, "Ukraine")]
    ]


def test_both_sides_confirming_a_figure_stay_two_claims() -> None:
    text = TEXT + " Ukraine's ombudsman Dmytro Lubinets said 195 Russians were handed over."
    result = _run_on(text, {**MAIN, "counts": [
        {"quote": "195 Russian servicemen were freed", "returned_to": "Russia", "number": 195,
         "claimant": "Russian Defence Ministry", "claimant_side": "Russia"},
        {"quote": "195 Russians were handed over", "returned_to": "Russia", "number": 195,
         "claimant": "Dmytro Lubinets", "claimant_side": "Ukraine"},
    ]})  # fmt: skip
    assert {(c.claimant, c.claimant_side) for c in result.exchanges[0].counts if c.number == 195} == {
        ("Russian Defence Ministry", "Russia"),
        ("Dmytro Lubinets", "Ukraine"),
    }


def test_record_without_date_or_figures_is_dropped_as_too_vague() -> None:
    result = _run(MAIN, {"quote": "Russia and Ukraine swapped prisoners on Wednesday.", "status": "planned"})
    assert len(result.exchanges) == 1


def test_an_article_may_have_several_primary_exchanges() -> None:
    # the real-news labels code every main exchange of a page as primary (prisoners and bodies handed over the same
    # day, a swap and the halted one it replaced): the model's marks stay, the first one is not made the only one
    later = {
        "quote": "On 24 January, a planned swap was halted after the crash.",
        "status": "postponed_or_cancelled",
        "date_text": "On 24 January",
        "mention": "primary",
    }
    result = _run(later, {**MAIN, "mention": "primary"})
    assert [x.mention for x in result.exchanges] == ["primary", "primary"]


def test_an_official_or_a_claimant_is_not_a_released_person() -> None:
    result = _run({**MAIN, "released_people": [
        {"quote": "President Volodymyr Zelensky said", "name": "President Volodymyr Zelensky"},
        {"quote": "Ukraine returned home 207 captives", "name": "Zelenskyy"},
    ], "counts": [{"quote": "Ukraine returned home 207 captives, President Volodymyr Zelensky said", "number": 207,
                   "returned_to": "Ukraine", "claimant": "Volodymyr Zelensky"}]})  # fmt: skip
    assert result.exchanges[0].released_people == []


@pytest.mark.parametrize(
    ("sentence", "name", "kept"),
    [
        # the source of a figure in any sentence tells the news, whatever the model counted it for
        (
            "A member of the negotiating team, Ali Hassan, told reporters that 20 Sudanese will be released.",
            "Ali Hassan",
            False,
        ),
        ("Negotiator Ali Hassan confirmed the deal, saying 1,700 prisoners would be freed.", "Ali Hassan", False),
        # a freed man who speaks of no figure, or of a year only, stays
        ("“I am home,” Ali Hassan said after he landed.", "Ali Hassan", True),
        ("Ali Hassan said he had been held since 2019.", "Ali Hassan", True),
        # an official by title is no released person, unless the text hands him over by name
        ("Mayor Ali Hassan welcomed the news.", "Mayor Ali Hassan", False),
        ("It included the swap of nine Russian servicemen for Mayor Ali Hassan.", "Mayor Ali Hassan", True),
        # the object of a verb of release is freed, whatever else the text says of him
        ("The rebels freed their last hostage, former Mayor Ali Hassan.", "Mayor Ali Hassan", True),
        ("The rebels freed their last hostage, Ali Hassan, who said 20 more were held.", "Ali Hassan", True),
        ("Russia released 20 prisoners, said Ali Hassan.", "Ali Hassan", False),  # a number and a verb of saying
        ("The rebels freed their hostages, said Mayor Ali Hassan.", "Mayor Ali Hassan", False),  # a verb of saying
        ("Among those freed was Mayor Ali Hassan's adviser.", "Mayor Ali Hassan", False),  # his adviser was freed
        ("Among those freed were soldiers and Mayor Ali Hassan.", "Mayor Ali Hassan", False),  # the verb is "were"
        ("The rebels freed Mayor Ali Hassan's adviser.", "Mayor Ali Hassan", False),  # a possessor
        # a person the text says holds an office is an official, whoever the model counted him for
        ("Ali Hassan is the head of the Coordination Headquarters.", "Ali Hassan", False),
        ("Ali Hassan is a teacher from Kherson.", "Ali Hassan", True),
    ],
)
def test_the_source_of_a_figure_is_not_a_released_person(sentence: str, name: str, kept: bool) -> None:
    text = f"Kyiv, 31 January 2024. Ukraine and Russia swapped prisoners on Wednesday. {sentence}"
    result = _run_on(text, {**PRIMARY, "quote": "Ukraine and Russia swapped prisoners on Wednesday.",
                            "released_people": [{"quote": name, "name": name}]})  # fmt: skip
    assert [p.name for p in result.exchanges[0].released_people] == ([name] if kept else [])


def test_record_whose_sentences_never_speak_of_a_handover_is_not_an_exchange() -> None:
    text = "Kyiv, 17 February 2024. The army chief ordered troops to withdraw from Avdiivka on Saturday."
    token = PUBLISHED.set(dt.date(2024, 2, 17))
    try:
        record = PrisonerExchange.model_validate(
            {
                "quote": "The army chief ordered troops to withdraw from Avdiivka on Saturday.",
                "status": "completed",
                "date_text": "on Saturday",
            }
        )
    finally:
        PUBLISHED.reset(token)
    result = apply_checks(ground(ArticleExtraction(article_id="t", text=text, exchanges=[record])))
    assert result.exchanges == []


def test_a_record_quoting_no_handover_moves_to_the_handover_sentence_of_its_date_words() -> None:
    text = (
        "Lviv, 15 September 2024. 'She baked a cake first': a sailor's homecoming. "
        "On Saturday, the sailor was among the Ukrainian soldiers freed from captivity."
    )
    record = {"quote": "She baked a cake first", "status": "completed", "date_text": "On Saturday"}
    [kept] = _run_on(text, record, published=dt.date(2024, 9, 15)).exchanges
    sentence = "On Saturday, the sailor was among the Ukrainian soldiers freed from captivity."
    assert kept.quote == sentence and kept.span is not None
    assert text[kept.span.start : kept.span.end] == sentence
    assert kept.date == dt.date(2024, 9, 14)


def test_a_count_goes_to_the_side_that_the_words_before_it_say_received_it() -> None:
    text = (
        "Moscow, 26 January 2024. Russia and Ukraine exchanged the bodies of fallen soldiers on Friday. "
        "Moscow received the remains of 55 soldiers, a Russian lawmaker said."
    )
    record = {
        "quote": "Russia and Ukraine exchanged the bodies of fallen soldiers on Friday.",
        "status": "completed",
        "kind": "bodies",
        "date_text": "on Friday",
        "parties": ["Russia", "Ukraine"],
        "counts": [{"quote": "Moscow received the remains of 55 soldiers", "number": 55, "returned_to": "Ukraine"}],
    }
    result = _run_on(text, record, published=dt.date(2024, 1, 26))
    assert [(c.number, c.returned_to) for c in result.exchanges[0].counts] == [(55, "Russia")]


@pytest.mark.parametrize(
    ("text", "people"),
    [
        (
            "Ukraine has again proposed swapping all the prisoners held by both sides, the ombudsman said on Tuesday.",
            [],
        ),
        (
            "The United States is seeking the release of Paul Whelan, held in a Russian prison.",
            ["Paul Whelan"],
        ),  # a wish, with a name
    ],
)
def test_a_proposal_of_a_swap_is_not_a_completed_exchange(text: str, people: list[str]) -> None:
    token = PUBLISHED.set(dt.date(2024, 12, 3))
    try:
        record = PrisonerExchange.model_validate({
            "quote": text, "status": "completed", "date_text": "on Tuesday" if "Tuesday" in text else None,
            "mention": "secondary" if people else "primary", "parties": ["United States", "Russia"] if people else [],
            "released_people": [{"quote": p, "name": p, "returned_to": "United States"} for p in people],
        })  # fmt: skip
    finally:
        PUBLISHED.reset(token)
    result = apply_checks(ground(ArticleExtraction(article_id="t", text=text, exchanges=[record])))
    assert result.exchanges == []


def test_an_undated_aside_that_only_offers_a_handover_is_not_a_completed_exchange_even_with_numbers() -> None:
    main = "Russia and Ukraine swapped prisoners on Wednesday."
    offer = "Zakharova said Russia had offered to hand over 935 Ukrainian prisoners but Ukraine had taken only 279."
    text = f"Kyiv, 31 January 2024. {main} {offer}"
    aside = {"quote": offer, "status": "completed", "mention": "secondary", "date_text": None,
             "parties": ["Russia", "Ukraine"], "counts": [
        {"quote": offer, "number": 935, "returned_to": "Ukraine"},
        {"quote": offer, "number": 279, "returned_to": "Russia"},
    ]}  # fmt: skip
    result = _run_on(text, {**MAIN, "mention": "primary", "quote": main}, aside)
    assert [x.mention for x in result.exchanges] == ["primary"]


def test_n_each_is_one_count_per_side() -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday; each side released 95 soldiers. "
        "Some of them came home after 2 years in captivity."
    )
    token = PUBLISHED.set(dt.date(2024, 1, 31))
    try:
        record = PrisonerExchange.model_validate({**MAIN, "quote": "Russia and Ukraine swapped prisoners on Wednesday",
                                                  "counts": [
            {"quote": "each side released 95 soldiers", "returned_to": "both", "number": 95},
        ]})  # fmt: skip
    finally:
        PUBLISHED.reset(token)
    result = apply_checks(ground(ArticleExtraction(article_id="t", text=text, exchanges=[record])))
    assert sorted((c.returned_to, c.number) for c in result.exchanges[0].counts) == [("Russia", 95), ("Ukraine", 95)]


def test_an_ordinal_of_a_narrower_series_is_not_the_exchanges_place_in_the_war() -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday, the third release under the truce."
    )
    token = PUBLISHED.set(dt.date(2024, 1, 31))
    try:
        record = PrisonerExchange.model_validate({
            **MAIN, "ordinal": {"quote": "the third release under the truce", "number": 3},
            "counts": [{"quote": "Russia and Ukraine swapped prisoners on Wednesday", "returned_to": "Ukraine",
                        "number": 1}],
        })  # fmt: skip
    finally:
        PUBLISHED.reset(token)
    result = apply_checks(ground(ArticleExtraction(article_id="t", text=text, exchanges=[record])))
    assert len(result.exchanges) == 1 and result.exchanges[0].ordinal is None


ORDINAL_SERIES = [
    # (a sentence with an ordinal, whether it numbers a series narrower than the war's exchanges)
    ("It was the 50th exchange of prisoners since the start of the war.", False),
    ("It was the third release under the truce.", True),
    ("It was the eighth one under the framework of the June agreements reached in Istanbul.", True),
    ("It was the 58th exchange, Ukraine said.", False),
]


@pytest.mark.parametrize(("sentence", "narrower"), ORDINAL_SERIES, ids=[row[0][:40] for row in ORDINAL_SERIES])
def test_an_ordinal_whose_words_name_a_deal_or_its_stages_numbers_a_narrower_series(
    sentence: str, narrower: bool
) -> None:
    number = next(n.value for n in find_numbers(sentence) if n.ordinal)
    assert narrower_series(sentence, number) is narrower


OFFICIALS = [
    # (a text, a name the model gave as released, whether the text quotes that person as an official)
    ("Abdulkader Al-Murtada, head of the Houthi prisoners' committee, said the release was an order.",
     "Abdulkader Al-Murtada", True),
    ("\u201cWarmly welcome the release,\u201d tweeted Charles Michel, president of the European Council.",
     "Charles Michel", True),
    ("The lone civilian was Ivan Samoydyuk, the deputy mayor of Enerhodar, the headquarters said.", "Ivan Samoydyuk",
     False),  # an official, but the one freed: no source of the news
]  # fmt: skip


@pytest.mark.parametrize(("text", "name", "official"), OFFICIALS, ids=[row[1] for row in OFFICIALS])
def test_a_person_the_text_quotes_in_an_office_is_an_official(text: str, name: str, official: bool) -> None:
    assert _in_office(text, name) is official


ATTRIBUTED = (
    "Kyiv, 31 January 2024. Ukraine brought home 207 soldiers on Wednesday. "
    "Hours later, the Russian Defence Ministry said 195 Russian servicemen had been freed. "
    "The head of the delegation, presidential aide Vladimir Medinsky, told reporters that 40 more would follow. "
    "Ukrainian President Volodymyr Zelensky wrote that 207 Ukrainians had returned. "
    '"All 12 are home," he said.'
)


def _run_on(text: str, *exchanges: dict[str, object], published: dt.date = dt.date(2024, 1, 31)) -> ArticleExtraction:
    token = PUBLISHED.set(published)
    try:
        records = [PrisonerExchange.model_validate(x) for x in exchanges]
    finally:
        PUBLISHED.reset(token)
    return apply_checks(ground(ArticleExtraction(article_id="t", text=text, exchanges=records)))


def test_claimant_is_the_source_its_sentence_names_not_the_one_the_model_guessed() -> None:
    result = _run_on(ATTRIBUTED, {**MAIN, "quote": "Ukraine brought home 207 soldiers on Wednesday.", "counts": [
        {"quote": "195 Russian servicemen had been freed", "returned_to": "Russia", "number": 195,
         "claimant": "Russia", "claimant_side": "Russia"},
        {"quote": "40 more would follow", "returned_to": "Russia", "number": 40, "claimant": None},
    ]})  # fmt: skip
    claims = {c.number: (c.claimant, c.claimant_side) for c in result.exchanges[0].counts}
    assert claims[195] == ("Russian Defence Ministry", "Russia")
    assert claims[40][0] == "Vladimir Medinsky"  # an apposition: the name, not "The head of the delegation"


def test_a_fuller_name_from_the_model_is_kept_when_the_sentence_names_the_same_source() -> None:
    result = _run_on(ATTRIBUTED, {**MAIN, "quote": "Ukraine brought home 207 soldiers on Wednesday.", "counts": [
        {"quote": "the Russian Defence Ministry said 195 Russian servicemen had been freed", "returned_to": "Russia",
         "number": 195, "claimant": "Russian Defence Ministry of the Russian Federation"},
    ]})  # fmt: skip
    assert result.exchanges[0].counts[0].claimant == "Russian Defence Ministry of the Russian Federation"


def test_a_figure_in_the_articles_own_voice_takes_the_source_that_credits_it_elsewhere() -> None:
    result = _run_on(ATTRIBUTED, {**MAIN, "quote": "Ukraine brought home 207 soldiers on Wednesday.", "counts": [
        {"quote": "Ukraine brought home 207 soldiers", "returned_to": "Ukraine", "number": 207, "claimant": "Kyiv"},
    ]})  # fmt: skip
    count = result.exchanges[0].counts[0]
    assert (count.claimant, count.claimant_side) == ("Ukrainian President Volodymyr Zelensky", "Ukraine")
    assert count.span is not None and ATTRIBUTED[count.span.start : count.span.end].startswith("Ukrainian President")


@pytest.mark.parametrize(
    "text",
    [
        "Kyiv, 31 January 2024. Ukraine brought home 207 soldiers on Wednesday. Families waited at the border.",
        # "States" in "the United States" credits no one
        "Kyiv, 31 January 2024. Ukraine brought home 207 soldiers on Wednesday, after talks with the United States.",
        "Kyiv, 31 January 2024. Ukraine brought home 207 soldiers on Wednesday, officials said.",  # unnamed
        "Kyiv, 31 January 2024. Ukraine brought home 207 soldiers on Wednesday, a military official said.",
        "Kyiv, 31 January 2024. Ukraine brought home 207 soldiers on Wednesday, according to the military source.",
    ],
)
def test_a_figure_nobody_is_credited_with_has_no_claimant(text: str) -> None:
    result = _run_on(text, {**MAIN, "quote": "Ukraine brought home 207 soldiers on Wednesday.", "counts": [
        {"quote": "Ukraine brought home 207 soldiers", "returned_to": "Ukraine", "number": 207, "claimant": "Kyiv",
         "claimant_side": "Ukraine"},
    ]})  # fmt: skip
    count = result.exchanges[0].counts[0]
    assert (count.claimant, count.claimant_side) == (None, None)


def test_a_figure_inside_a_quotation_keeps_the_models_claimant() -> None:
    result = _run_on(ATTRIBUTED, {**MAIN, "quote": "Ukraine brought home 207 soldiers on Wednesday.", "counts": [
        {"quote": "All 12 are home", "returned_to": "Ukraine", "number": 12, "claimant": "Volodymyr Zelensky"},
    ]})  # fmt: skip
    assert result.exchanges[0].counts[0].claimant == "Volodymyr Zelensky"


SWAP_DAY = (
    "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday in a deal brokered by the United Arab "
    "Emirates. Ukraine received 207 soldiers in exchange for 195 Russian prisoners of war, Kyiv said. "
    "Russia's Defence Ministry said 195 Russian servicemen had been returned. "
    "Earlier, on 3 January, 230 Ukrainians came home. "
    "The remaining 50 prisoners are due to be exchanged next week, and 100 for 100 were swapped on 8 February. "
    "The UAE has brokered several previous swaps, and Turkey mediated others."
)
PRIMARY = {**MAIN, "mention": "primary"}


def test_people_handed_to_the_red_cross_are_no_count_of_the_red_cross() -> None:
    text = "Sudan's army will hand over 200 captured fighters to the Red Cross on Wednesday."
    result = _run_on(text, {**PRIMARY, "quote": text, "status": "planned", "parties": ["Sudan", "Rapid Support Forces"],
                            "counts": [{"quote": text, "returned_to": "Red Cross", "number": 200}]})  # fmt: skip
    assert [c.number for c in result.exchanges[0].counts] == []  # a go-between, not the side they return to


def test_the_other_side_of_an_n_for_m_sentence_becomes_its_own_count() -> None:
    result = _run_on(SWAP_DAY, {**PRIMARY, "counts": [
        {"quote": "Ukraine received 207 soldiers", "returned_to": "Ukraine", "number": 207},
    ]})  # fmt: skip
    counts = {(c.number, c.returned_to) for c in result.exchanges[0].counts}
    assert {(207, "Ukraine"), (195, "Russia")} <= counts
    assert any("was given for" in w for w in result.warnings)


@pytest.mark.parametrize(
    "sentence",
    [
        "Venezuela freed 7 Americans on Saturday in exchange for the release of two Venezuelans.",
        "Venezuela freed 7 Americans, jailed since 2017, on Saturday in return for two Venezuelans.",  # a year between
    ],
)
def test_the_other_side_of_an_exchange_sentence_is_read_when_its_number_is_a_word(sentence: str) -> None:
    text = f"Caracas, 1 October 2022. {sentence}"
    result = _run_on(text, {**PRIMARY, "quote": sentence, "date_text": "on Saturday",
                            "parties": ["Venezuela", "United States"], "counts": [
        {"quote": "Venezuela freed 7 Americans", "returned_to": "United States", "number": 7},
    ]})  # fmt: skip
    counts = {(c.number, c.returned_to) for c in result.exchanges[0].counts}
    assert counts == {(7, "United States"), (2, "Venezuela")}


def test_the_other_side_of_n_for_the_same_n_is_read_after_the_claims_own_number() -> None:
    text = "Kyiv, 31 January 2024. Kyiv freed 100 Russian prisoners in exchange for 100 war prisoners from its side."
    result = _run_on(text, {**PRIMARY, "quote": text[23:], "date_text": None, "counts": [
        {"quote": "100 Russian prisoners", "returned_to": "Russia", "number": 100},
    ]})  # fmt: skip
    assert {(c.number, c.returned_to) for c in result.exchanges[0].counts} == {(100, "Russia"), (100, "Ukraine")}


def test_a_count_whose_clause_names_another_day_or_a_future_handover_is_dropped() -> None:
    result = _run_on(SWAP_DAY, {**PRIMARY, "counts": [
        {"quote": "100 for 100 were swapped on 8 February", "returned_to": "Ukraine", "number": 100},
        {"quote": "The remaining 50 prisoners are due to be exchanged next week", "returned_to": "Ukraine",
         "number": 50},
    ]})  # fmt: skip
    assert not {c.number for c in result.exchanges[0].counts} & {50, 100}
    assert any("is dated '8 February'" in w for w in result.warnings)
    assert any("still to be handed over" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("As many as 1,358 Ukrainians were freed from Russian captivity in 2024.", False),  # a year's people
        ("The 1,358 freed this year alone include soldiers and civilians.", False),
        ("Since the beginning of the year 1,358 Ukrainians were freed.", False),
        ("On Wednesday 1,358 Ukrainians were freed in 2024's largest swap.", True),  # the day is named
        ("Kyiv said 1,358 Ukrainians were freed on 31 January 2024.", True),  # a date with its year
    ],
)
def test_a_count_of_a_whole_years_people_is_not_one_days_exchange(sentence: str, kept: bool) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    result = _run_on(text, {**PRIMARY, "quote": "Russia and Ukraine swapped prisoners on Wednesday.", "counts": [
        {"quote": sentence, "returned_to": "Ukraine", "number": 1358},
    ]})  # fmt: skip
    assert (1358 in {c.number for c in result.exchanges[0].counts}) is kept


def test_mediators_are_read_from_the_words_and_a_mediator_is_not_a_side() -> None:
    result = _run_on(SWAP_DAY, {**PRIMARY, "parties": ["Ukraine", "Russia", "UAE"], "counts": []})
    exchange = result.exchanges[0]
    assert exchange.mediators == ["United Arab Emirates"]  # not Turkey: that sentence is about other swaps
    assert exchange.parties == ["Ukraine", "Russia"]


# (claims of one figure as (receiver, claimant side, its sentence), the claims kept as (receiver, claimant side))
EACH = "45 soldiers from each side were freed."
SAID = "The ministry said 45 soldiers returned to Russia and 45 to Ukraine."
SAME_FIGURE: list[tuple[list[tuple[str, str | None, str]], list[tuple[str, str | None]]]] = [
    ([("Ukraine", None, EACH), ("Ukraine", "Ukraine", SAID)], [("Ukraine", "Ukraine")]),  # told twice: its source's
    ([("Russia", None, EACH), ("Ukraine", None, EACH), ("Russia", "Russia", SAID)],
     [("Russia", None), ("Ukraine", None), ("Russia", "Russia")]),  # "45 from each side" stays whole beside a source
    ([("Russia", None, SAID), ("Ukraine", None, SAID), ("Russia", "Russia", SAID)],
     [("Ukraine", None), ("Russia", "Russia")]),  # the source's own sentence: the pair is its claim told again
]  # fmt: skip


@pytest.mark.parametrize(("claims", "kept"), SAME_FIGURE, ids=["told twice", "each side and a source", "one sentence"])
def test_a_figure_told_twice_is_kept_once_under_its_source_but_an_own_voice_pair_stays_whole(
    claims: list[tuple[str, str | None, str]], kept: list[tuple[str, str | None]]
) -> None:
    made = [CountClaim(quote=quote, number=45, returned_to=to, claimant=side and f"{side} officials",
                       claimant_side=side) for to, side, quote in claims]  # fmt: skip
    assert [(c.returned_to, c.claimant_side) for c in _dedupe(made)] == kept


# (a text, a party the model gave, the person's full name when the party is a person)
PERSONS: list[tuple[str, str, str | None]] = [
    ("The U.S. released Russian arms dealer Viktor Bout.", "Bout", "Viktor Bout"),  # a given name before it
    ("Bout was flown to Moscow. Then Bout spoke.", "Bout", None),  # "Then" starts a sentence: no given name
    ("Fans cheered Brittney Griner.", "Brittney Griner", "Brittney Griner"),  # a whole name
    ("Both sides said the Russia Today team left.", "Russia", None),  # a side
    ("His deputy, Mohamed Daglo, fled.", "paramilitary commander Mohamed Daglo", "Mohamed Daglo"),  # past the title
    ("Andriy Kovalchuk called his mother.", "Halyna Kovalchuk", "Andriy Kovalchuk"),  # a whole name: its surname's
    # a headline in title case capitalises every word: "Accuses Kinshasa" is no name; a headline in sentence case is
    ("AFC/M23 Accuses Kinshasa of Faulting Prisoner Exchange Deal\n\nRebels said Kinshasa lied.", "Kinshasa", None),
    ("U.S. frees arms dealer Viktor Bout in swap for Brittney Griner\n\nBout flew home.", "Bout", "Viktor Bout"),
]


def test_people_given_as_sides_give_way_to_the_sides_their_sentences_name_and_are_released_people() -> None:
    swap = "Russia freed Brittney Griner on Wednesday as the U.S. released arms dealer Viktor Bout."
    text = f"Kyiv, 31 January 2024. {swap}"
    [exchange] = _run_on(text, {**MAIN, "quote": swap, "parties": ["Griner", "Bout"]}).exchanges
    assert exchange.parties == ["Russia", "United States"]
    assert sorted(p.name for p in exchange.released_people) == ["Brittney Griner", "Viktor Bout"]


def test_a_neutral_body_named_beside_a_person_given_as_a_side_never_becomes_a_side() -> None:
    swap = "Russia freed Brittney Griner on Wednesday, the Red Cross said, as the U.S. released Viktor Bout."
    text = f"Kyiv, 31 January 2024. {swap}"
    [exchange] = _run_on(text, {**MAIN, "quote": swap, "parties": ["Russia", "Griner"]}).exchanges
    assert exchange.parties == ["Russia", "United States"]  # not the Red Cross, named first after Russia


def test_people_given_as_sides_give_way_to_the_sides_the_text_names_most() -> None:
    text = ("Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. Andriy Kovalchuk called his "
            "mother Halyna. Ukraine thanked the UAE; Russia said nothing.")  # fmt: skip
    record = {**MAIN, "parties": ["Andriy Kovalchuk", "Halyna Kovalchuk"]}
    [exchange] = _run_on(text, record).exchanges
    assert (sorted(exchange.parties), exchange.released_people) == (["Russia", "Ukraine"], [])  # no handover: no one


@pytest.mark.parametrize(
    ("sentence", "mediators"),
    [
        ("The swap was agreed at talks in Istanbul.", []),  # named only as a place: a venue
        ("The swap was agreed at talks in Istanbul; Istanbul officials helped.", ["Istanbul"]),  # named otherwise too
    ],
)
def test_a_mediator_the_text_names_only_as_a_place_is_a_venue(sentence: str, mediators: list[str]) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. {sentence}"
    [exchange] = _run_on(text, {**MAIN, "mediators": ["Istanbul"]}).exchanges
    assert exchange.mediators == mediators


def test_a_leader_given_as_a_side_gives_way_to_the_forces_he_leads() -> None:
    text = ("Kyiv, 31 January 2024. The army and Daglo's Rapid Support Forces swapped prisoners on Wednesday. "
            "The deputy, commander Mohamed Daglo, spoke.")  # fmt: skip
    record = {**MAIN, "quote": "The army and Daglo's Rapid Support Forces swapped prisoners on Wednesday.",
              "parties": ["Sudanese Armed Forces", "commander Mohamed Daglo"]}  # fmt: skip
    [exchange] = _run_on(text, record).exchanges
    assert (exchange.parties, exchange.released_people) == (["Sudanese Armed Forces", "Rapid Support Forces"], [])


@pytest.mark.parametrize(("text", "party", "full"), PERSONS, ids=[row[1] + ": " + row[0][:30] for row in PERSONS])
def test_a_party_is_a_person_when_the_text_writes_it_as_a_persons_name(text: str, party: str, full: str | None) -> None:
    found = _full_name(text, party)
    assert (found[0] if found else None) == full


MEDIATION = [
    # (a sentence, the mediators it names)
    ("Russia's Defence Ministry noted the UAE's \u201chumanitarian mediation\u201d.", ["United Arab Emirates"]),
    ("The United Arab Emirates said it succeeded in mediating the release of 100 prisoners.", ["United Arab Emirates"]),
    ("The UN-brokered deal involved the release of more than 700 detainees.", ["United Nations"]),
    ("Reuters said it had seen the list of 100 prisoners.", []),  # a reporter, not a mediator
    ("After the intervention of Qatari and Egyptian mediators, Hamas freed 13 Israelis.", ["Qatar", "Egypt"]),
    ("Turkish mediators met the two delegations.", ["Turkey"]),
    ("Russian negotiators met the two delegations.", []),  # a side's negotiators mediate nothing
    (
        "The headquarters confirmed the exchange, thanking the Red Cross for its help.",
        ["International Committee of the Red Cross"],
    ),
    ("Kyiv thanked the United States for its support.", []),  # support in the war is no part in the swap
    ("Qatar's team said it would not comment on the release.", []),
    (
        "The Red Cross said Monday it had facilitated the release of 64 soldiers.",
        ["International Committee of the Red Cross"],
    ),
    (
        "The International Committee of the Red Cross facilitated the return of the bodies.",
        ["International Committee of the Red Cross"],
    ),
    ("The UAE has provided humanitarian mediation efforts.", ["United Arab Emirates"]),
    ("The UAE provided food and tents.", []),  # provided something else: no mediation
    ("Each side handed over 75 soldiers, with the UAE acting as an intermediary.", ["United Arab Emirates"]),
    ("Oman served as a go-between in the talks.", ["Oman"]),
    ("The United Arab Emirates helped in the exchange.", ["United Arab Emirates"]),
    ("The United Arab Emirates helped the families.", []),  # helped someone, not in the exchange
    # any form of assisting, and the operation named in other words
    ("Officials thanked the Red Cross for assisting in the operation.", ["International Committee of the Red Cross"]),
    ("They were assisted by the Red Cross.", ["International Committee of the Red Cross"]),
    ("The Red Cross assisted in the process of conveying the prisoners.", ["International Committee of the Red Cross"]),
    ("The Red Cross assisted in the search for the missing.", []),  # no handover
    ("Five were freed under a Russian-Turkish guarantee.", ["Russia", "Turkey"]),  # two names in one adjective
    ("They swapped detainees under Turkish-Russian auspices.", ["Turkey", "Russia"]),
    (
        "The release took place under supervision from the United Nations (UN) and the International Red Cross.",
        ["United Nations", "International Committee of the Red Cross"],  # an acronym in brackets ends no list
    ),
    ("The handover was supervised by the Red Cross.", ["International Committee of the Red Cross"]),
    ("They met under a Russian flag.", []),  # no word of guarantee
    ("It was mediated by Qatar, Turkey and the UAE.", ["Qatar", "Turkey", "United Arab Emirates"]),
    ("It was mediated by Qatar, Turkey, and Egypt, officials said.", ["Qatar", "Turkey", "Egypt"]),
    # a comma with no "and" after it ends the mediator's name: the next words are the sentence's subject
    ("Under a deal mediated by Swiss Foreign Minister Anna Berger, Kyiv handed over maps.", []),
    ("The war ended with a Russian-brokered ceasefire.", []),  # who brokered a truce did not broker the swap
    ("The swap comes days after they agreed to a ceasefire agreement brokered by the US government.", []),
    ("The swap comes days after they agreed to a swap agreement brokered by the US government.", ["United States"]),
    ("The UAE-brokered swap took place on Friday.", ["United Arab Emirates"]),
    ("Envoys met in Qatar, a key mediator with Hamas, on Tuesday.", ["Qatar"]),  # a name in apposition
    ("Envoys met in Qatar, a country of 3 million people.", []),  # an apposition that names no mediation
    # the people handed to a neutral body between the sides: it is the go-between
    (
        "Hamas released 20 hostages and handed them over to the International Committee of the Red Cross.",
        ["International Committee of the Red Cross"],
    ),
    (
        "Four men were handed over to representatives of the International Committee of the Red Cross (ICRC).",
        ["International Committee of the Red Cross"],
    ),
    ("Ten soldiers were handed over to officials from the Red Cross.", ["International Committee of the Red Cross"]),
    ("Ten soldiers were handed over to Ukraine.", []),  # handed to a side: it received them
]


@pytest.mark.parametrize(("sentence", "mediators"), MEDIATION, ids=[row[0][:40] for row in MEDIATION])
def test_a_mediator_is_read_from_the_grammar_of_mediation(sentence: str, mediators: list[str]) -> None:
    assert _mediators_in(sentence) == mediators


RU_UA = ["Ukraine", "Russia"]
HELP = [
    # (a sentence, the exchange's sides, the mediators a word of help beside a third party names)
    ("The operation was carried out by the Coordination HQ, with the support of the Red Cross.", RU_UA,
     ["International Committee of the Red Cross"]),
    ("He thanked the Coordination Headquarters, the GUR, as well as the UAE for their assistance in this exchange.",
     RU_UA, ["United Arab Emirates"]),
    ("Some will stay in Turkey, protected by President Recep Erdogan, who helped mediate the swap.", RU_UA,
     ["Turkey"]),  # a mediator's leader speaks for his country
    ("The bodies were repatriated in cooperation with the ICRC.", RU_UA, ["International Committee of the Red Cross"]),
    # no third party: a side is never its own exchange's mediator
    ("Russia helped organise the exchange with Ukraine.", RU_UA, []),
    # care for the people after the handover is no hand in it
    ("The returnees are in Belarus, where they are receiving medical and psychological support after the exchange.",
     RU_UA, []),
    # help with something else than a handover
    ("The UAE thanked Turkey for its support.", RU_UA, []),
    ("The swap came under a ceasefire brokered with the support of Qatar.", ["Israel", "Hamas"], []),  # a truce's
    # too far from the word of help, or across a semicolon
    ("Qatar hosted the talks; the exchange itself was supported by both governments.", ["Israel", "Hamas"], []),
    # listed beside a side: named as one of the sides are, not as a helper
    ("The UAE said its mediation had won the release of captives from Russia and Ukraine twice this year.",
     ["United States", "Russia"], ["United Arab Emirates"]),
    ("The UAE said its mediation had won the release of captives from Russia, Ukraine and Belarus.",
     ["United States", "Russia"], ["United Arab Emirates"]),
    ("The UAE said its mediation had won the release of captives from Ukraine or Russia.",
     ["United States", "Russia"], ["United Arab Emirates"]),
    ("The UAE said its mediation had won the release of captives from Russia. Ukraine helped with the release.",
     ["United States", "Russia"], ["United Arab Emirates", "Ukraine"]),  # not a list: a helper
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "parties", "mediators"), HELP, ids=[row[0][:40] for row in HELP])
def test_a_third_party_beside_a_word_of_help_with_the_handover_is_a_mediator(
    sentence: str, parties: list[str], mediators: list[str]
) -> None:
    assert _mediators_by_help(sentence, parties) == mediators


GENERAL = [
    # (a sentence, the part of it before it turns to other or earlier swaps in general)
    ("The UAE brokered it, as it has brokered several previous swaps.", "The UAE brokered it, as it has brokered "),
    ("Qatar mediated, as in previous exchanges.", "Qatar mediated, as in "),
    ("Since 2022, Turkey has mediated.", ""),
    # other things, and the same day told earlier, are no swaps in general
    ("It was carried out by the army and other bodies, with the support of the Red Cross.", None),
    ("Earlier on Monday, Hamas freed 20 hostages with the help of Qatar.", None),
]


@pytest.mark.parametrize(("sentence", "before"), GENERAL, ids=[row[0][:40] for row in GENERAL])
def test_a_sentence_is_read_for_mediators_only_up_to_where_it_turns_to_swaps_in_general(
    sentence: str, before: str | None
) -> None:
    assert _before_general(sentence) == (sentence if before is None else before)


def test_the_help_of_a_third_party_in_any_sentence_of_the_primary_exchange_makes_it_a_mediator() -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. Zelensky thanked the Coordination "
        "Headquarters as well as the UAE for their assistance in this exchange."
    )
    result = _run_on(text, {**PRIMARY, "counts": []})
    assert result.exchanges[0].mediators == ["United Arab Emirates"]
    with rules_off({"mediators-by-help"}):
        assert _run_on(text, {**PRIMARY, "counts": []}).exchanges[0].mediators == []


HEADLINES = [
    # (a headline that is the record's only sentence, what becomes of a completed record without figures in it)
    ("Hamas frees 13 Israeli hostages after 48 days in Gaza captivity", "completed"),  # a headline's present tense
    ("Venezuela frees seven jailed Americans", "completed"),
    ("Russia and Ukraine begin nine children repatriation", "completed"),  # the handover has begun
    ("Russia and Ukraine complete exchange of 95 prisoners", "completed"),
    ("Russia and Ukraine carry out exchange of 95 prisoners", "completed"),
    ("Kyiv to free 13 Israeli hostages", "planned"),  # still to come: a plan (agreed-not-done)
]


@pytest.mark.parametrize(("headline", "status"), HEADLINES, ids=[row[0][:40] for row in HEADLINES])
def test_a_headline_tells_a_done_handover_in_the_present_tense(headline: str, status: str | None) -> None:
    text = f"{headline}\nDate: 2024-01-31\n\nFamilies waited at the border."
    result = _run_on(text, {**PRIMARY, "quote": headline, "date_text": "2024-01-31", "counts": []})
    assert [e.status for e in result.exchanges] == ([status] if status else [])


@pytest.mark.parametrize(
    ("parties", "after"),
    [
        (["Russia", "Turkey"], ["Russia", "Ukraine"]),  # the mediator out, the other side in from the sentence
        (["Russia", "Ukraine", "Turkey"], ["Russia", "Ukraine"]),  # two sides left: nothing added
    ],
)
def test_a_mediator_taken_for_a_side_gives_way_to_the_side_its_sentence_names(
    parties: list[str], after: list[str]
) -> None:
    sentence = "Erdogan said Russia and Ukraine had exchanged prisoners on Wednesday under the mediation of Türkiye."
    result = _run_on(f"Ankara, 31 January 2024. {sentence}", {**PRIMARY, "quote": sentence, "parties": parties})
    assert result.exchanges[0].parties == after
    assert result.exchanges[0].mediators == ["Turkey"]


def test_a_news_agency_is_never_a_mediator() -> None:
    text = SWAP_DAY + " Reuters reported the swap."
    result = _run_on(text, {**PRIMARY, "mediators": ["Reuters", "United Arab Emirates"], "counts": []})
    assert result.exchanges[0].mediators == ["United Arab Emirates"]


@pytest.mark.parametrize("source", ["Military Official", "Loyalist Military Sources", "a spokesman"])
def test_a_source_named_by_its_role_is_never_a_mediator(source: str) -> None:
    text = SWAP_DAY + " A military official told reporters about the swap."
    result = _run_on(text, {**PRIMARY, "mediators": [source, "United Arab Emirates"], "counts": []})
    assert result.exchanges[0].mediators == ["United Arab Emirates"]


@pytest.mark.parametrize("generic", ["government", "the Government", "ministry"])
def test_a_generic_word_names_no_mediator(generic: str) -> None:
    text = SWAP_DAY + " The government thanked the mediators."
    result = _run_on(text, {**PRIMARY, "mediators": [generic, "United Arab Emirates"], "counts": []})
    assert result.exchanges[0].mediators == ["United Arab Emirates"]


@pytest.mark.parametrize("side", ["Russia", "Andriy Yermak"])  # a side, or an official who speaks for one
def test_a_side_of_the_exchange_is_not_also_its_mediator(side: str) -> None:
    text = f"{SWAP_DAY} Andriy Yermak thanked everyone involved."
    result = _run_on(text, {**PRIMARY, "mediators": [side, "United Arab Emirates"], "counts": []})
    assert (result.exchanges[0].parties, result.exchanges[0].mediators) == (
        ["Ukraine", "Russia"], ["United Arab Emirates"])  # fmt: skip


UNDONE = [
    # (the record's sentence, what becomes of a completed record without figures anchored in it)
    ("Kyiv called on Moscow on Wednesday to provide a list of prisoners ready for a swap.", None),  # dropped
    ("Trains with the bodies of soldiers are scheduled to head to the border on Wednesday.", "planned"),
    ("Russia and Ukraine swapped prisoners on Wednesday.", "completed"),  # a verb says it happened
    ("The swap took place on Wednesday at the border.", "completed"),
    ("Iran and Iraq began a 10-day exchange of wounded prisoners on Wednesday.", "completed"),  # it has begun
]


FUTURE = [
    # (the sentence of a completed record and of its count, the record's status)
    ("The releases would include 100 Palestinian prisoners serving life sentences.", "planned"),
    ("Under the plan, Hamas shall free 100 hostages.", "planned"),
    ("Israel freed 100 Palestinian prisoners, and more will follow.", "completed"),  # a verb says it happened
    ("Officials said 100 Palestinian prisoners were among those freed.", "completed"),  # no future
]


@pytest.mark.parametrize(("sentence", "status"), FUTURE, ids=[row[0][:40] for row in FUTURE])
def test_a_completed_record_whose_figures_are_told_only_in_the_future_is_planned(sentence: str, status: str) -> None:
    text = f"Gaza, 31 January 2024. {sentence}"
    count = {"quote": sentence.rstrip("."), "number": 100, "returned_to": "Hamas"}
    record = {**PRIMARY, "quote": sentence, "parties": ["Israel", "Hamas"], "date_text": None, "counts": [count]}
    assert [e.status for e in _run_on(text, record).exchanges] == [status]


@pytest.mark.parametrize(("sentence", "status"), UNDONE, ids=[row[0][:40] for row in UNDONE])
def test_a_completed_record_needs_a_verb_saying_the_handover_happened(sentence: str, status: str | None) -> None:
    text = f"Kyiv, 31 January 2024. {sentence}"
    result = _run_on(text, {**PRIMARY, "quote": sentence, "counts": []})
    assert [e.status for e in result.exchanges] == ([status] if status else [])


OFFICIAL_SIDES = [
    # (a claimant as the model names it, the side it speaks for)
    ("President's Office Head Andriy Yermak", "Ukraine"),  # an official known by name
    ("Russia's Defence Ministry", "Russia"),  # the side its words name
    ("Maria Zakharova", "Russia"),
    ("the Coordination Headquarters for the Treatment of Prisoners of War", "Ukraine"),  # a body known by name
    ("Coordination Centre", "Ukraine"),
    ("Yermak and Medinsky", None),  # two sides: none
    ("a spokesperson", None),
]


def test_a_claimant_side_that_is_no_side_gives_way_to_the_side_the_claimant_speaks_for() -> None:
    text = "Kyiv, 31 January 2024. Ukraine returned home 207 captives, Dmytro Lubinets said."
    result = _run_on(text, {**PRIMARY, "quote": text[23:], "date_text": None, "counts": [
        {"quote": "Ukraine returned home 207 captives", "returned_to": "Ukraine", "number": 207,
         "claimant": "Dmytro Lubinets", "claimant_side": "Ombudsman of the Verkhovna Rada"},
    ]})  # fmt: skip
    assert result.exchanges[0].counts[0].claimant_side == "Ukraine"


@pytest.mark.parametrize(
    ("parties", "after"),
    [
        (["Ukraine", "United Nations"], ["Ukraine"]),  # a go-between or a source, never a side
        (["International Committee of the Red Cross", "Russia", "Ukraine"], ["Russia", "Ukraine"]),
        (["United Nations"], ["United Nations"]),  # nothing else to keep: left as the model gave it
        (["Ukraine", "UNN"], ["Ukraine"]),  # a news agency reports the exchange
        (["Reuters", "Russia", "Ukraine"], ["Russia", "Ukraine"]),
    ],
)
def test_a_neutral_body_is_no_side_of_an_exchange(parties: list[str], after: list[str]) -> None:
    text = "Kyiv, 31 January 2024. Ukraine brought home 207 soldiers on Wednesday, UN officials said."
    result = _run_on(text, {**PRIMARY, "quote": text[23:], "parties": parties, "counts": []})
    assert result.exchanges[0].parties == after


def test_a_claimant_side_the_model_got_wrong_gives_way_to_the_side_the_claimant_speaks_for() -> None:
    text = (
        "Kyiv, 31 January 2024. Ukraine retrieved the bodies of 94 soldiers, the Coordination Headquarters for "
        "the Treatment of Prisoners of War reported."
    )
    result = _run_on(text, {**PRIMARY, "kind": "bodies", "quote": text[23:], "date_text": None, "counts": [
        {"quote": "Ukraine retrieved the bodies of 94 soldiers", "returned_to": "Ukraine", "number": 94,
         "claimant": "Coordination Headquarters for the Treatment of Prisoners of War", "claimant_side": "Russia"},
    ]})  # fmt: skip
    assert [c.claimant_side for c in result.exchanges[0].counts] == ["Ukraine"]


@pytest.mark.parametrize(("claimant", "side"), OFFICIAL_SIDES, ids=[row[0] for row in OFFICIAL_SIDES])
def test_a_claimant_speaks_for_the_side_its_words_or_its_official_name(claimant: str, side: str | None) -> None:
    text = f"Kyiv, 31 January 2024. Ukraine returned home 207 captives, {claimant} said."
    result = _run_on(text, {**PRIMARY, "quote": text[23:], "date_text": None, "counts": [
        {"quote": "Ukraine returned home 207 captives", "returned_to": "Ukraine", "number": 207, "claimant": claimant},
    ]})  # fmt: skip
    assert result.exchanges[0].counts[0].claimant_side == side


@pytest.mark.parametrize(
    ("opening", "claimant"),
    [
        ("In exchange, 95", "Russia's Defence Ministry"),  # the ministry's statement goes on
        ("Separately, 95", None),  # another sentence of the article's own
    ],
)
def test_a_headline_figure_told_again_in_a_sentence_that_goes_on_with_a_statement_is_that_sources(
    opening: str, claimant: str | None
) -> None:
    text = (
        "Russia and Ukraine swap 95 prisoners\n\nKyiv, 31 January 2024. Russia's Defence Ministry said 95 Russian "
        f"soldiers were returned to Russia on Wednesday. {opening} Ukrainian prisoners were handed back to Ukraine."
    )
    result = _run_on(text, {**PRIMARY, "quote": "Russia and Ukraine swap 95 prisoners", "date_text": None, "counts": [
        {"quote": "Russia and Ukraine swap 95 prisoners", "returned_to": "Ukraine", "number": 95},
    ]})  # fmt: skip
    assert [c.claimant for c in result.exchanges[0].counts if c.returned_to == "Ukraine"] == [claimant]


@pytest.mark.parametrize(
    ("source", "claimant", "side"),
    [
        (
            "the coordination headquarters for prisoners of war",
            "coordination headquarters for prisoners of war",
            "Ukraine",
        ),  # a body the lexicon knows, written in lower case
        ("the officials in charge of the talks", None, None),  # lower-case words of no known body: no source
    ],
)
def test_a_known_body_written_in_lower_case_is_the_source_of_its_sentence(
    source: str, claimant: str | None, side: str | None
) -> None:
    sentence = f"Another 58 fallen defenders were returned to Ukraine, {source} said."
    text = f"Kyiv, 31 January 2024. {sentence}"
    result = _run_on(text, {**PRIMARY, "quote": sentence, "date_text": None, "counts": [
        {"quote": sentence, "returned_to": "Ukraine", "number": 58},
    ]})  # fmt: skip
    count = result.exchanges[0].counts[0]
    assert (count.claimant, count.claimant_side) == (claimant, side)


def test_only_named_individuals_are_released_people() -> None:
    text = "Kyiv, 31 January 2024. Thirteen Israelis and journalist Evan Gershkovich were freed on Wednesday."
    result = _run_on(text, {**PRIMARY, "quote": "Thirteen Israelis and journalist Evan Gershkovich were freed",
                            "released_people": [
        {"quote": "Thirteen Israelis", "name": "Thirteen Israelis"},
        {"quote": "Evan Gershkovich", "name": "Evan Gershkovich"},
        {"quote": "journalist", "name": "unknown"},
    ]})  # fmt: skip
    assert [p.name for p in result.exchanges[0].released_people] == ["Evan Gershkovich"]


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("Mahmoud al-Subaihi", True),  # a particle joined to the name
        ("Valery d'Estaing", True),
        ("Ahmed al-rashid", False),  # not a capitalised name after the particle
        ("three al-Qaeda", False),
        ("National Guardsmen", False),  # a group of people, capitalised
        ("State Special Transport Service", False),  # a body, not a person
        ("United Arab Emirates", False),  # a country, not a person
        ("Israel Cohen", True),  # a person whose name holds a country's
        ("South Ossetia", False),  # a place: two capitalised words, the first a point of the compass
        ("Western Sahara", False),
    ],
)
def test_a_released_person_is_one_named_individual_particles_joined_or_not(name: str, kept: bool) -> None:
    text = f"Kyiv, 31 January 2024. Ukraine freed {name} on Wednesday."
    result = _run_on(text, {**PRIMARY, "quote": f"Ukraine freed {name} on Wednesday.",
                            "released_people": [{"quote": name, "name": name}]})  # fmt: skip
    assert [p.name for p in result.exchanges[0].released_people] == ([name] if kept else [])


@pytest.mark.parametrize(
    ("name", "people"),
    [
        ("Oleksiy Bulakhov and Mykola Kostenko", ["Oleksiy Bulakhov", "Mykola Kostenko"]),  # a list: one by one
        ("Karina Ariev, Daniella Gilboa and Liri Albag", ["Karina Ariev", "Daniella Gilboa", "Liri Albag"]),
        ("Yocheved Lifshitz (85)", ["Yocheved Lifshitz"]),  # an age after the name is no part of it
        ("Kevin King from the United States", ["Kevin King"]),  # nor a place
        ("Artem and Anna Dultsev", ["Artem Dultsev", "Anna Dultsev"]),  # first names before the family's name
        ("Artem and Anna", []),  # first names alone name no one
        ("Marines and National Guardsmen", []),  # groups, not people
    ],
)
def test_a_list_of_names_is_as_many_released_people_each_by_their_own_name(name: str, people: list[str]) -> None:
    text = f"Kyiv, 31 January 2024. Ukraine freed {name} on Wednesday."
    result = _run_on(text, {**PRIMARY, "quote": f"Ukraine freed {name} on Wednesday.",
                            "released_people": [{"quote": name, "name": name}]})  # fmt: skip
    assert [p.name for p in result.exchanges[0].released_people] == people


def test_an_exchange_only_agreed_to_is_planned_and_loses_the_announcements_date() -> None:
    text = "Istanbul, 16 May 2025. The delegations agreed on Friday to exchange 1,000 prisoners of war each."
    result = _run_on(text, {**PRIMARY, "quote": text.split(". ", 1)[1], "date_text": "on Friday"})
    exchange = result.exchanges[0]
    assert (exchange.status, exchange.date) == ("planned", None)


def test_an_exchange_is_of_bodies_only_when_its_sentences_speak_of_bodies() -> None:
    text = "Kyiv, 31 January 2024. Ukraine brought home 207 soldiers on Wednesday. Moscow returned 77 bodies."
    prisoners = _run_on(text, {**PRIMARY, "quote": "Ukraine brought home 207 soldiers on Wednesday.", "kind": "bodies"})
    bodies = _run_on(text, {**PRIMARY, "quote": "Moscow returned 77 bodies.", "kind": "bodies"})
    assert (prisoners.exchanges[0].kind, bodies.exchanges[0].kind) == ("prisoners", "bodies")


def test_an_exchange_takes_the_date_of_its_own_sentence_not_of_the_dateline_or_the_statement() -> None:
    text = (
        "Saturday, November 25, 2023. Thirteen hostages were freed on Friday under the truce. "
        "A swap scheduled for Wednesday did not take place, officials said on Thursday."
    )
    token = PUBLISHED.set(dt.date(2023, 11, 25))
    try:
        records = [
            PrisonerExchange.model_validate({**MAIN, "quote": "Thirteen hostages were freed on Friday under the truce.",
                                             "date_text": "Saturday, November 25, 2023"}),
            PrisonerExchange.model_validate({**MAIN, "quote": text.split(". ")[2], "date_text": "on Thursday",
                                             "status": "postponed_or_cancelled", "mention": "secondary"}),
        ]  # fmt: skip
    finally:
        PUBLISHED.reset(token)
    article = ArticleExtraction(article_id="t", text=text, published=dt.date(2023, 11, 25), exchanges=records)
    result = apply_checks(ground(article))
    assert [x.date for x in result.exchanges] == [dt.date(2023, 11, 24), dt.date(2023, 11, 22)]


def _date_after_checks(sentence: str) -> dt.date | None:
    """The date the checks give a record quoting ``sentence``, dated by the model with the dateline of a report
    published on Saturday 25 November 2023."""
    token = PUBLISHED.set(dt.date(2023, 11, 25))
    try:
        record = PrisonerExchange.model_validate(
            {**MAIN, "quote": sentence, "date_text": "Saturday, November 25, 2023"}
        )
    finally:
        PUBLISHED.reset(token)
    text = f"Saturday, November 25, 2023. {sentence}"
    article = ArticleExtraction(article_id="t", text=text, published=dt.date(2023, 11, 25), exchanges=[record])
    return apply_checks(ground(article)).exchanges[0].date


@pytest.mark.parametrize(
    "sentence",
    [
        "Thirteen hostages were freed Friday under the truce.",  # a weekday without "on", as agencies write it
        "Thirteen hostages held back since Wednesday were freed Friday.",  # since, until, ...: no day of the handover
        "Thirteen hostages were freed on Friday, after Wednesday's delay.",
        # a day a period starts on is not the handover's; a day named after "since ..." may be
        "Thirteen hostages were freed Friday, the first day since the truce came into force on November 21.",
        "Thirteen hostages held since the October 7 attack were freed on Friday.",
        "The biggest swap since the Cold War took place yesterday.",
    ],
)
def test_an_exchange_takes_the_day_of_its_own_sentence_not_one_a_period_starts_on(sentence: str) -> None:
    assert _date_after_checks(sentence) == dt.date(2023, 11, 24)


@pytest.mark.parametrize("day", ["on Nov. 24", "on Nov 24", "on 24 Nov", "on November 24"])
def test_an_exchange_takes_the_day_of_its_own_sentence_with_the_month_written_out_or_abbreviated(day: str) -> None:
    assert _date_after_checks(f"Thirteen hostages were freed {day} under the truce.") == dt.date(2023, 11, 24)


def test_an_exchange_whose_quote_is_part_of_a_sentence_takes_the_day_the_whole_sentence_gives() -> None:
    text = "Monday, 20 January 2025. On Sunday, the militia freed four hostages and the army released 60 detainees."
    token = PUBLISHED.set(dt.date(2025, 1, 20))
    try:
        record = PrisonerExchange.model_validate({**MAIN, "quote": "the militia freed four hostages",
                                                  "date_text": "20 January 2025"})  # fmt: skip
    finally:
        PUBLISHED.reset(token)
    article = ArticleExtraction(article_id="t", text=text, published=dt.date(2025, 1, 20), exchanges=[record])
    result = apply_checks(ground(article))
    assert (result.exchanges[0].date, result.exchanges[0].date_precision) == (dt.date(2025, 1, 19), "day")


def test_an_exchange_dated_from_outside_its_own_sentence_takes_the_day_its_figures_sentence_gives() -> None:
    text = (
        "VALLETTA, MARCH 9. The two sides have exchanged dozens of captives. "
        "On March 8, 61 soldiers were returned to the islands, the ministry said."
    )
    token = PUBLISHED.set(dt.date(2024, 3, 9))
    try:
        record = PrisonerExchange.model_validate({**MAIN, "quote": "The two sides have exchanged dozens of captives.",
                                                  "date_text": "MARCH 9", "counts": [
            {"quote": "61 soldiers were returned", "returned_to": "Ukraine", "number": 61}]})  # fmt: skip
    finally:
        PUBLISHED.reset(token)
    article = ArticleExtraction(article_id="t", text=text, published=dt.date(2024, 3, 9), exchanges=[record])
    result = apply_checks(ground(article))
    assert (result.exchanges[0].date, result.exchanges[0].date_precision) == (dt.date(2024, 3, 8), "day")


APART = [
    # (the later record's sentence, its count, records after the checks)
    ("Similarly, 14 wounded were released on Monday in the north.", 14, 2),  # its own day, not the first's
    ("Hours later, 30 more were freed in the capital.", 30, 1),  # no day of its own: the same exchange
    ("The ministry said on Monday that 12 were freed.", 12, 1),  # the day a source spoke, not of the handover
]


@pytest.mark.parametrize(("sentence", "number", "records"), APART, ids=[row[0][:30] for row in APART])
def test_a_later_record_whose_own_sentence_names_another_handover_day_is_another_exchange(
    sentence: str, number: int, records: int
) -> None:
    first = "The Red Cross said on Thursday that 125 soldiers had returned to their families."
    text = f"LISBON, JUNE 29. {first} {sentence}"
    token = PUBLISHED.set(dt.date(2023, 6, 29))
    try:
        exchanges = [
            PrisonerExchange.model_validate({**MAIN, "quote": quote, "date_text": "JUNE 29", "mention": mention,
                                             "counts": [{"quote": quote, "returned_to": "Ukraine", "number": n}]})
            for quote, n, mention in ((first, 125, "primary"), (sentence, number, "secondary"))
        ]  # fmt: skip
    finally:
        PUBLISHED.reset(token)
    article = ArticleExtraction(article_id="t", text=text, published=dt.date(2023, 6, 29), exchanges=exchanges)
    result = apply_checks(ground(article))
    assert len(result.exchanges) == records
    assert sorted(c.number for e in result.exchanges for c in e.counts) == sorted([125, number])


def test_each_figure_is_credited_to_the_source_whose_words_it_is_in_a_sentence_with_two() -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. "
        "According to the Russian Defence Ministry, 195 Russian soldiers came home, while Kyiv claimed 207 "
        "Ukrainians had returned. “In return, 195 prisoners were handed over,” the ministry said."
    )
    result = _run_on(text, {**MAIN, "counts": [
        {"quote": "195 Russian soldiers came home", "returned_to": "Russia", "number": 195, "claimant": "Kyiv"},
        {"quote": "Kyiv claimed 207 Ukrainians had returned", "returned_to": "Ukraine", "number": 207},
        {"quote": "In return, 195 prisoners were handed over", "returned_to": "Ukraine", "number": 195},
    ]})  # fmt: skip
    claims = {(c.number, c.returned_to): c.claimant for c in result.exchanges[0].counts}
    assert claims == {(195, "Russia"): "Russian Defence Ministry", (207, "Ukraine"): "Kyiv",
                      (195, "Ukraine"): "Russian Defence Ministry"}  # fmt: skip


def test_people_a_sides_source_says_came_home_are_that_sides_whatever_the_model_said() -> None:
    text = (
        "Moscow, 31 January 2024. Russia and Ukraine swapped prisoners on Wednesday. "
        "The Russian Defence Ministry reported the return of 90 servicemen. "
        "The Russian Defence Ministry said 80 servicemen were handed over to Ukraine."
    )
    result = _run_on(text, {**MAIN, "counts": [
        {"quote": "the return of 90 servicemen", "returned_to": "Ukraine", "number": 90,
         "claimant": "Russian Defence Ministry"},
        {"quote": "80 servicemen were handed over to Ukraine", "returned_to": "Ukraine", "number": 80,
         "claimant": "Russian Defence Ministry"},
    ]})  # fmt: skip
    assert {(c.number, c.returned_to) for c in result.exchanges[0].counts} == {(90, "Russia"), (80, "Ukraine")}


def test_an_age_is_not_a_count_and_a_record_with_nothing_but_ages_and_no_date_is_dropped() -> None:
    text = (
        "Kyiv, 31 January 2024. Russia and Ukraine swapped 50 prisoners each on Wednesday. "
        "The youngest Ukrainian freed was 19 and the oldest was 65, officials said. "
        "A 58-year-old teacher was among them."
    )
    swap = {**MAIN, "quote": "Russia and Ukraine swapped 50 prisoners each on Wednesday.", "counts": [
        {"quote": "swapped 50 prisoners each", "returned_to": "Ukraine", "number": 50},
        {"quote": "A 58-year-old teacher", "returned_to": "Ukraine", "number": 58},
    ]}  # fmt: skip
    ages = {**MAIN, "quote": "The youngest Ukrainian freed was 19 and the oldest was 65, officials said.",
            "date_text": None, "mention": "secondary",
            "counts": [{"quote": "The youngest Ukrainian freed was 19", "returned_to": "Ukraine", "number": 19}],
            "ages": [{"quote": "the oldest was 65", "returned_to": "Ukraine", "bound": "oldest",
                      "age": 65}]}  # fmt: skip
    result = _run_on(text, swap, ages)
    counts = [[(c.number, c.returned_to) for c in x.counts] for x in result.exchanges]
    assert counts == [[(50, "Ukraine"), (50, "Russia")]]  # the 58 gone; the record of ages alone gone


AGES = [
    # (a sentence, a number in it, whether it is someone's age)
    ("Odín Sánchez, 62, was released in exchange for two jailed rebels.", "62", True),
    ("Naama Levy, 20, and Liri Albag, 19, were freed.", "20", True),
    ("Naama Levy, 20, and Liri Albag, 19, were freed.", "19", True),
    ("The youngest was 19.", "19", True),
    ("Among them was a man aged 65.", "65", True),
    ("A 58-year-old teacher was among them.", "58", True),
    ("In Kyiv, 95 soldiers were met by their families.", "95", False),  # a place before: people after
    ("Russia said 95, and Ukraine said 100.", "95", False),  # no name before
    ("Of the prisoners Kyiv received, 150, were soldiers.", "150", False),  # no name right before
    ("Lyman, 230, was the count Kyiv gave.", "230", False),  # too many years for anyone
]


@pytest.mark.parametrize(("sentence", "number", "age"), AGES, ids=[f"{r[0][:30]}-{r[1]}" for r in AGES])
def test_a_number_is_an_age_by_the_words_around_it_or_set_off_by_commas_after_a_name(
    sentence: str, number: str, age: bool
) -> None:
    start = sentence.index(number)
    assert _is_age(sentence, start, start + len(number)) is age


def test_an_age_is_no_side_of_an_n_for_m() -> None:
    assert _counterpart("Odín Sánchez, 62, was released in exchange for two jailed rebels.", 2) is None
    assert _counterpart("62 soldiers were released in exchange for two jailed rebels.", 2) == 62


# (the sentence with the ordinal, the ordinal's words, whether it is kept as the exchange's place in the war)
WINDOWED: list[tuple[str, str, int, bool]] = [
    ("It was the fourth in a series of handovers to take place in the past week.", "the fourth in a series", 4, False),
    ("It was the 54th since 2022 and the third over the past seven weeks.", "the 54th since 2022", 54, True),
    ("It was the 54th since 2022 and the third over the past seven weeks.", "the third over the past", 3, False),
    ("It was the 12th swap this month.", "the 12th swap this month", 12, False),
    ("It was the 12th swap of the war, officials said, the last one in the past month.", "the 12th swap", 12, True),
    ("This mediation, the seventh since the beginning of the year, was the UAE's.", "the seventh since", 7, False),
    ("It was the seventh exchange between the two countries this year.", "the seventh exchange", 7, False),
    ("It was the seventh swap since the start of the war.", "the seventh swap", 7, True),
    ("Friday's exchange is the sixth since October with bodies.", "the sixth since October", 6, False),
    ("It was the 60th exchange since February 2022.", "the 60th exchange", 60, True),  # since the war began
    ("It is the ninth exchange involving 500 or more soldiers.", "the ninth exchange", 9, False),  # by size
]


@pytest.mark.parametrize(("sentence", "quote", "number", "kept"), WINDOWED, ids=[row[1] for row in WINDOWED])
def test_an_ordinal_of_a_series_bounded_in_time_or_size_is_not_the_exchanges_place_in_the_war(
    sentence: str, quote: str, number: int, kept: bool
) -> None:
    text = f"Kyiv, 31 January 2024. Russia and Ukraine swapped 50 prisoners each on Wednesday. {sentence}"
    swap = {**MAIN, "quote": "Russia and Ukraine swapped 50 prisoners each on Wednesday.",
            "ordinal": {"quote": quote, "number": number},
            "counts": [{"quote": "swapped 50 prisoners each", "returned_to": "Ukraine", "number": 50}]}  # fmt: skip
    [exchange] = _run_on(text, swap).exchanges
    assert (exchange.ordinal is not None) is kept


# (the exchange's sentence, the status after the checks; the model said completed)
ANNOUNCED: list[tuple[str, str]] = [
    ("On Friday Russia launched an operation to repatriate 500 bodies.", "planned"),  # what the operation is for
    ("On Friday the operation to repatriate 500 bodies was completed.", "completed"),  # and it was done
    ("On Friday Kyiv and Moscow agreed to exchange 500 prisoners.", "planned"),
    ("On Friday Israel said it is to set free 500 prisoners under the deal.", "planned"),  # "set free" as "free"
    ("On Friday Egypt said it was preparing to swap 500 prisoners.", "planned"),  # getting ready is not doing
    ("On Friday Russia said it was ready to hand over 500 bodies.", "planned"),
    ("On Friday Russia was ready and 500 prisoners were exchanged.", "completed"),  # ready, then the handover
    ("On Friday Iran and Iraq agreed to a major release of 500 prisoners.", "planned"),  # agreed to a noun
    ("On Friday the sides agreed on the exchange of 500 prisoners.", "planned"),
    ("On Friday the sides agreed and the exchange of 500 prisoners was completed.", "completed"),
]


@pytest.mark.parametrize(("sentence", "status"), ANNOUNCED, ids=[row[0][10:50] for row in ANNOUNCED])
def test_an_exchange_its_sentence_only_sets_out_to_do_is_planned(sentence: str, status: str) -> None:
    text = f"Kyiv, 31 January 2024. {sentence}"
    record = {**MAIN, "quote": sentence, "date_text": "On Friday", "kind": "prisoners",
              "counts": [{"quote": "500", "returned_to": "Ukraine", "number": 500}]}  # fmt: skip
    [exchange] = _run_on(text, record).exchanges
    assert exchange.status == status


# (the headline that is the exchange's sentence, the status after the checks; the model said completed)
INFINITIVES: list[tuple[str, str]] = [
    ("Sudanese army to hand over 230 RSF prisoners", "planned"),  # a headline's infinitive: still to come
    ("Israel, Hezbollah to Swap Prisoners Next Week", "planned"),
    ("Hamas frees 13 hostages, Israel to release 39 prisoners", "completed"),  # one side's handover is told as done
    ("Ukrainian soldiers freed in swap return to their families", "completed"),  # "return to" is no infinitive
]


@pytest.mark.parametrize(("headline", "status"), INFINITIVES, ids=[row[0][:40] for row in INFINITIVES])
def test_an_exchange_a_headline_tells_in_the_infinitive_is_planned(headline: str, status: str) -> None:
    text = f"{headline}\nDate: 2024-01-31\n\nThe army said on Wednesday that 230 prisoners are to go home."
    record = {
        **MAIN,
        "quote": headline,
        "date_text": None,
        "kind": "prisoners",
        "counts": [{"quote": "230 prisoners are to go home", "returned_to": "Ukraine", "number": 230}],
    }
    [exchange] = _run_on(text, record).exchanges
    assert exchange.status == status


# (the parties the model gave, the parties after the checks)
STATE_SIDES: list[tuple[list[str], list[str]]] = [
    (["Sudan", "Rapid Support Forces"], ["Sudanese Armed Forces", "Rapid Support Forces"]),
    (["Houthis", "Yemen"], ["Houthis", "Yemen government"]),
    (["Yemen rebels", "pro-government forces"], ["Houthis", "Yemen government"]),  # the government, no country named
    (["Houthis", "loyalists"], ["Houthis", "Yemen government"]),
    (["Russia", "government forces"], ["Russia", "government forces"]),  # no armed group: whose government is unsaid
    (["Sudan", "Ukraine"], ["Sudan", "Ukraine"]),  # no armed group of Sudan's own war
    (["Yemen", "Rapid Support Forces"], ["Yemen", "Rapid Support Forces"]),  # the group fights elsewhere
]


@pytest.mark.parametrize(("parties", "expected"), STATE_SIDES, ids=[" vs ".join(row[0]) for row in STATE_SIDES])
def test_a_country_beside_an_armed_group_fighting_in_it_is_its_states_side(
    parties: list[str], expected: list[str]
) -> None:
    text = "Khartoum, 29 June 2023. The Red Cross said on Thursday that 125 soldiers held by the group were freed."
    swap = {**MAIN, "quote": "125 soldiers held by the group were freed", "date_text": None, "parties": parties,
            "counts": [{"quote": "125 soldiers held by the group were freed", "returned_to": parties[0],
                        "number": 125, "claimant": "the Red Cross"}]}  # fmt: skip
    [exchange] = _run_on(text, swap).exchanges
    assert exchange.parties == expected
    assert exchange.counts[0].returned_to == expected[0]
    assert exchange.counts[0].claimant_side == "International Committee of the Red Cross"  # an organisation's own


# (the headline, whether Turkey is the exchange's mediator and not a party)
HEADLINES: list[tuple[str, bool]] = [
    ("Turkey mediates prisoner swap involving Russia and the United States", True),
    ("Turkey brokers prisoner swap between Russia and the United States", True),
    ("Turkey hosts prisoner swap between Russia and the United States", False),  # a venue is not a mediator
]


@pytest.mark.parametrize(("headline", "mediator"), HEADLINES, ids=[row[0][:30] for row in HEADLINES])
def test_a_headlines_present_tense_names_the_mediator(headline: str, mediator: bool) -> None:
    text = f"{headline}\nAnkara, 1 August 2024. Russia and the United States swapped 26 prisoners on Thursday."
    swap = {**MAIN, "quote": "Russia and the United States swapped 26 prisoners on Thursday.",
            "date_text": "on Thursday", "parties": ["Russia", "United States", "Turkey"],
            "counts": [{"quote": "swapped 26 prisoners", "returned_to": "both", "number": 26}]}  # fmt: skip
    [exchange] = _run_on(text, swap).exchanges
    assert ("Turkey" in exchange.mediators, "Turkey" in exchange.parties) == (mediator, not mediator)


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "“Two hundred and seven of our people have returned!” Ukrainian ombudsman Dmytro Lubinets wrote.",
            "Ukrainian ombudsman Dmytro Lubinets",
        ),  # the name after the closing quotation mark, not the quotation's first words
        ("Two hundred officials said nothing.", None),  # a number is no one's name
        ("First Deputy Minister Olena Kovalenko said 90 came home.", "First Deputy Minister Olena Kovalenko"),
        ("Tel Aviv, Jan 20 (NationPress) The Prison Service declared the release of 90.", "Prison Service"),  # dateline
        ("As Ukrainian News Agency earlier reported, 50 for 50 were exchanged.", "Ukrainian News Agency"),  # not "As"
        (
            "Russia returned 1,000 bodies, Moscow's chief negotiator, Vladimir Medinsky, said Thursday.",
            "Vladimir Medinsky",
        ),  # a day after "said", not a source
        (
            "Kyiv received 600 bodies that Moscow said were Ukrainian soldiers, the Ukrainian ministry reported.",
            "Ukrainian ministry",
        ),  # the subject of a relative clause speaks of the bodies, not of the figure
        ("Kyiv received 600 bodies, which Moscow says were soldiers.", None),
        # verbs of telling other than "said": verified, informed, clarified, posted
        ("President Zelenskyy verified that 277 defenders had been freed.", "President Zelenskyy"),
        ("“We managed to free 20 people,” - Yermak informed.", "Yermak"),
        ("The Coordination Headquarters clarified that 95 came home.", "Coordination Headquarters"),
        ("Zelenskyy posted on Telegram that 189 Ukrainians were home.", "Zelenskyy"),
    ],
)
def test_the_source_of_a_sentence_is_a_name_not_a_quotations_words_or_a_number(
    sentence: str, speaker: str | None
) -> None:
    assert [s.name for s in _speakers(sentence)] == ([speaker] if speaker else [])


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("The rebels will free 181 detainees, including Saudi and Sudanese nationals, said Murtada.", "Murtada"),
        ("Russia sent 1,000 bodies, lawmaker Shamsail Saraliyev told the RBC news website.", "Shamsail Saraliyev"),
    ],
)
def test_a_source_named_after_its_verb_is_the_source_not_the_words_before_it(sentence: str, speaker: str) -> None:
    assert _speakers(sentence)[0].name.endswith(speaker)


@pytest.mark.parametrize("adverb", ["Meanwhile", "However", "Separately"])
def test_a_sentence_adverb_set_off_by_a_comma_is_no_source(adverb: str) -> None:
    assert _speakers(f"{adverb}, the army released 18 fighters, the source added.") == []


@pytest.mark.parametrize(
    ("headline", "parties", "receiver"),
    [
        ("Yemen's govt, Houthis agree to exchange 2,900 prisoners", ["Houthis", "Yemen government"], "both"),
        ("Russia and Ukraine will swap 2,900 prisoners", ["Ukraine", "Russia"], "both"),
        (
            "The Yemen government and the Houthi militia group swapped 2,900 prisoners",
            ["Houthis", "Yemen government"],
            "both",
        ),  # the second side named far from the "and"
        ("Russia and Ukraine Exchange 2,900 Prisoners of War", ["Ukraine", "Russia"], "Ukraine"),  # each, or in all?
    ],
)
def test_a_number_both_sides_agree_to_exchange_counts_both_directions_together(
    headline: str, parties: list[str], receiver: str
) -> None:
    text = f"{headline}\nDate: 2024-01-31\n\nThe talks ended on Wednesday."
    count = {"quote": headline, "returned_to": parties[0] if receiver == "both" else receiver, "number": 2900}
    record = {**MAIN, "quote": headline, "parties": parties, "counts": [count]}
    assert [c.returned_to for c in _run_on(text, record).exchanges[0].counts] == [receiver]


@pytest.mark.parametrize(
    ("sentences", "kept"),
    [
        (  # the plan beside a stage already done: the plan's 500 are not the exchange's
            [
                "Moscow and Kyiv will each release 500 prisoners of war by Friday.",
                "On Thursday 200 captured Ukrainians were handed back to Ukraine.",
            ],
            [200],
        ),
        (  # an exchange all of whose counts are told in the future keeps them (its status is another rule's)
            ["Azerbaijan will release 32 Armenian servicemen.", "Armenia will free 2 Azerbaijani soldiers."],
            [2, 32],
        ),
    ],
)
def test_a_count_still_to_come_beside_one_already_handed_over_is_the_plans(
    sentences: list[str], kept: list[int]
) -> None:
    text = "Kyiv, 31 January 2024. " + " ".join(sentences)
    counts = [
        {"quote": s, "returned_to": "Ukraine", "number": n}
        for s in sentences
        for n in (500, 200, 32, 2)
        if re.search(rf"\b{n}\b", s)
    ]
    record = {**MAIN, "quote": sentences[0], "counts": counts}
    assert sorted(c.number for c in _run_on(text, record).exchanges[0].counts) == kept


def test_an_own_voice_count_is_not_credited_to_a_source_speaking_of_its_own_sides_people() -> None:
    lede = "Russia and Ukraine on Thursday exchanged 157 prisoners of war each."
    ministry = "The Russian Defense Ministry said 157 of its servicemen were returned as part of the swap."
    text = f"Kyiv, 31 January 2024. {lede} {ministry}"
    counts = [{"quote": lede, "returned_to": side, "number": 157} for side in ("Ukraine", "Russia")]
    result = _run_on(text, {**MAIN, "quote": lede, "counts": counts})
    claimants = {(c.returned_to, c.claimant) for c in result.exchanges[0].counts}
    assert ("Ukraine", "Russian Defense Ministry") not in claimants  # its servicemen are Russia's
    assert ("Russia", "Russian Defense Ministry") in claimants


def _record(**fields: object) -> PrisonerExchange:
    token = PUBLISHED.set(dt.date(2024, 1, 31))
    try:
        return PrisonerExchange.model_validate({"quote": "q", "status": "completed", **fields})
    finally:
        PUBLISHED.reset(token)


@pytest.mark.parametrize(
    ("into", "other", "expected"),
    [
        (  # a named claim of the same figure wins over the anonymous one
            {"counts": [{"quote": "q", "returned_to": "Ukraine", "number": 207}]},
            {
                "counts": [
                    {
                        "quote": "q",
                        "returned_to": "Ukraine",
                        "number": 207,
                        "claimant": "Zelensky",
                        "claimant_side": "Ukraine",
                    }
                ]
            },
            {"counts": [(207, "Ukraine", "Zelensky")]},
        ),
        (  # the other side's count, a part, an age, a freed person and a mediator are added, once
            {"counts": [{"quote": "q", "returned_to": "Ukraine", "number": 207}], "mediators": ["Qatar"]},
            {
                "counts": [{"quote": "q", "returned_to": "Russia", "number": 195}],
                "mediators": ["Qatar", "United Arab Emirates"],
                "breakdown": [
                    {"quote": "q", "returned_to": "Ukraine", "category": "civilians", "label": "civilians", "number": 2}
                ],
                "ages": [{"quote": "q", "returned_to": "Ukraine", "bound": "oldest", "age": 64}],
                "released_people": [{"quote": "q", "name": "Ivan Petrenko"}],
            },
            {
                "counts": [(207, "Ukraine", None), (195, "Russia", None)],
                "mediators": ["Qatar", "United Arab Emirates"],
                "breakdown": 1,
                "ages": 1,
                "released_people": 1,
            },
        ),
        (  # the date and the primary mention come over when the record had none
            {"mention": "secondary"},
            {"mention": "primary", "date": "2024-01-31", "date_precision": "day", "date_text": "on Wednesday"},
            {"mention": "primary", "date": dt.date(2024, 1, 31)},
        ),
        (  # a record's own date stays
            {"date": "2024-01-30", "date_precision": "day", "date_text": "on Tuesday"},
            {"date": "2024-01-31", "date_precision": "day", "date_text": "on Wednesday"},
            {"date": dt.date(2024, 1, 30)},
        ),
    ],
)
def test_absorbing_a_second_record_of_one_exchange_keeps_each_figure_once(
    into: dict[str, object], other: dict[str, object], expected: dict[str, object]
) -> None:
    record = _record(**into)
    absorb(record, _record(**other))
    for name, value in expected.items():
        got = getattr(record, name)
        if name == "counts":
            got = [(c.number, c.returned_to, c.claimant) for c in got]
        elif isinstance(value, int) and not isinstance(value, bool):
            got = len(got)
        assert got == value, name


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("Russia and Ukraine announced simultaneously on Wednesday the return of soldiers from each side.", True),
        ("Kyiv confirmed on Wednesday the release of its soldiers.", True),
        (
            "Officials discussed on Wednesday the return of soldiers from each side.",
            False,
        ),  # no source telling it as done
        ("It was the biggest swap of the war, on Wednesday.", False),
    ],
)
def test_a_source_telling_of_the_return_of_people_reports_a_done_handover(sentence: str, kept: bool) -> None:
    text = f"Kyiv, 31 January 2024. {sentence}"
    result = _run_on(text, {**PRIMARY, "quote": sentence, "date_text": "on Wednesday"})
    assert len(result.exchanges) == (1 if kept else 0)


@pytest.mark.parametrize(
    "figure",
    [
        {},
        {"released_people": [{"quote": "hostages", "name": "Israeli hostages"}]},  # no named individual
        {"ordinal": {"quote": "the first release", "number": 1}},  # numbers a narrower series
    ],
)
def test_a_handover_being_prepared_for_is_planned_whatever_figures_will_be_dropped(figure: dict[str, object]) -> None:
    sentence = "Israel prepares for the first release of hostages on Wednesday."
    result = _run_on(f"Jerusalem, 31 January 2024. {sentence}", {**PRIMARY, "quote": sentence, **figure})
    assert [x.status for x in result.exchanges] == ["planned"]


@pytest.mark.parametrize(
    ("source", "receiver"),
    [
        ("Deputy Prime Minister Iryna Vereshchuk announced", "Ukraine"),  # a side's source, read from the sentence
        ("the outlet reported", "Russia"),  # no side's source: the model's receiver stays
    ],
)
def test_people_a_sides_source_says_were_brought_back_are_that_sides(source: str, receiver: str) -> None:
    sentence = f"Ukraine carried out an exchange with Russia which brought back 45 people on Wednesday, {source}."
    result = _run_on(f"Kyiv, 31 January 2024. {sentence}", {**PRIMARY, "quote": sentence, "counts": [
        {"quote": "brought back 45 people", "returned_to": "Russia", "number": 45},
    ]})  # fmt: skip
    assert [c.returned_to for c in result.exchanges[0].counts] == [receiver]


@pytest.mark.parametrize(
    ("quote", "mention", "status"),
    [
        ("The new exchange, set for Monday, will be delayed for a while.", "secondary", "postponed_or_cancelled"),
        ("A swap of 20 more detainees is set for Monday.", "secondary", "planned"),
        # a later sentence's calling off is the primary's, not a background record's
        ("A swap of 20 more detainees is set for Monday. The swap was delayed.", "secondary", "planned"),
        ("A swap of 20 more detainees is set for Monday. The swap was delayed.", "primary", "postponed_or_cancelled"),
    ],
)
def test_a_planned_background_exchange_its_own_sentence_says_is_delayed_is_postponed(
    quote: str, mention: str, status: str
) -> None:
    text = f"Sanaa, 14 May 2023. The government and the Houthis swapped 10 prisoners on Sunday. {quote}"
    own = quote.split(". ")[0].rstrip(".") + "."
    record = {"quote": own, "status": "planned", "mention": mention, "date_text": "Monday",
              "parties": ["Houthis", "Yemen government"]}  # fmt: skip
    [exchange] = _run_on(text, record, published=dt.date(2023, 5, 14)).exchanges
    assert exchange.status == status


@pytest.mark.parametrize(
    ("later", "status", "precision"),
    [
        # the exchange told, called off on the report's day, which the text names
        ("Kyiv did not confirm the exchange today and postponed it indefinitely.", "postponed_or_cancelled", "day"),
        ("Kyiv postponed the swap, officials said.", "postponed_or_cancelled", "report"),
        ("Kyiv postponed the exchange before the previous one.", "planned", "report"),  # another exchange
        ("Kyiv postponed the exchange of 5 June, officials said.", "planned", "report"),  # another day
        ("The talks went on late into the night.", "planned", "report"),
    ],
)
def test_a_planned_exchange_a_later_sentence_says_was_called_off_is_postponed(
    later: str, status: str, precision: str
) -> None:
    agreed = "Moscow and Kyiv agreed that Russia would hand over 640 Ukrainian prisoners of war."
    text = f"Moscow, 7 June 2025. {agreed} {later}"
    record = {
        "quote": agreed,
        "status": "planned",
        "mention": "primary",
        "parties": ["Russia", "Ukraine"],
        "counts": [{"quote": "640 Ukrainian prisoners of war", "number": 640, "returned_to": "Ukraine"}],
    }
    token = PUBLISHED.set(dt.date(2025, 6, 7))
    try:
        records = [PrisonerExchange.model_validate(record)]
    finally:
        PUBLISHED.reset(token)
    article = ArticleExtraction(article_id="t", text=text, published=dt.date(2025, 6, 7), exchanges=records)
    exchange = apply_checks(ground(article)).exchanges[0]
    # with no day of its own, it is dated by the report either way
    assert (exchange.status, exchange.date, exchange.date_precision) == (status, dt.date(2025, 6, 7), precision)


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        (
            "Medinsky said on Saturday that Kyiv had postponed indefinitely the handover of 1,212 bodies.",
            "postponed_or_cancelled",
        ),  # the day it names is the record's own, not another exchange's
        ("Medinsky said on Saturday that Kyiv had agreed to the handover of 1,212 bodies.", "planned"),
    ],
)
def test_a_planned_exchange_its_own_sentence_says_was_called_off_is_postponed(sentence: str, status: str) -> None:
    text = f"Moscow, 8 June 2025. {sentence}"
    token = PUBLISHED.set(dt.date(2025, 6, 8))
    try:
        records = [PrisonerExchange.model_validate({"quote": sentence, "status": "planned", "mention": "primary",
                                                    "kind": "bodies", "parties": ["Russia", "Ukraine"], "counts": [
            {"quote": "the handover of 1,212 bodies", "number": 1212, "returned_to": "Ukraine"}]})]  # fmt: skip
    finally:
        PUBLISHED.reset(token)
    article = ArticleExtraction(article_id="t", text=text, published=dt.date(2025, 6, 8), exchanges=records)
    assert apply_checks(ground(article)).exchanges[0].status == status


def test_a_plan_its_own_sentence_calls_off_on_a_weekday_is_dated_that_past_weekday() -> None:
    sentence = "Russia canceled at the last minute on Saturday a scheduled exchange of 1,212 bodies."
    text = f"Moscow, 8 June 2025. {sentence}"
    token = PUBLISHED.set(dt.date(2025, 6, 8))
    try:  # the model's "planned" reads "Saturday" as the next one, 14 June
        records = [PrisonerExchange.model_validate({"quote": sentence, "status": "planned", "mention": "primary",
                                                    "kind": "bodies", "parties": ["Russia", "Ukraine"],
                                                    "date_text": "on Saturday", "counts": [
            {"quote": "1,212 bodies", "number": 1212, "returned_to": "Ukraine"}]})]  # fmt: skip
    finally:
        PUBLISHED.reset(token)
    assert records[0].date == dt.date(2025, 6, 14)
    article = ArticleExtraction(article_id="t", text=text, published=dt.date(2025, 6, 8), exchanges=records)
    exchange = apply_checks(ground(article)).exchanges[0]
    assert (exchange.status, exchange.date) == ("postponed_or_cancelled", dt.date(2025, 6, 7))


@pytest.mark.parametrize(
    ("sentence", "bodies"),
    [
        ("Russia also handed over 212 bodies.", [212]),  # the remains after the number
        ("Russia also handed over the bodies of 212 soldiers.", [212]),  # before it
        ("Russia also handed over the remains of 212 soldiers.", [212]),
        ("Russia also handed over 212 soldiers.", []),  # living people: the swap's own count
    ],
)
def test_bodies_handed_over_with_living_people_are_a_record_of_their_own(sentence: str, bodies: list[int]) -> None:
    text = f"Kyiv, 31 January 2024. Ukraine brought home 207 soldiers on Wednesday. {sentence}"
    result = _run_on(text, {**MAIN, "quote": "Ukraine brought home 207 soldiers on Wednesday.", "counts": [
        {"quote": "Ukraine brought home 207 soldiers", "returned_to": "Ukraine", "number": 207},
        {"quote": sentence, "returned_to": "Ukraine", "number": 212}]})  # fmt: skip
    assert [c.number for x in result.exchanges if x.kind == "bodies" for c in x.counts] == bodies


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("A last-minute snag on Wednesday held up the release of 16 soldiers in the swap.", "postponed_or_cancelled"),
        ("The swap of 16 soldiers was delayed on Wednesday.", "postponed_or_cancelled"),
        # talks that fail to reach a deal: the swap they were to lead to did not take place
        ("Talks on the swap of 16 soldiers failed to reach an agreement on Wednesday.", "postponed_or_cancelled"),
        ("Kyiv said on Wednesday it could not reach agreement on the swap of 16 soldiers.", "postponed_or_cancelled"),
        ("Russia and Ukraine swapped 16 soldiers on Wednesday.", "completed"),
    ],
)
def test_a_swap_its_sentence_says_was_held_up_or_delayed_did_not_take_place(sentence: str, status: str) -> None:
    result = _run_on(f"Kyiv, 31 January 2024. {sentence}", {**PRIMARY, "quote": sentence})
    assert [x.status for x in result.exchanges] == [status]


@pytest.mark.parametrize(
    ("sentences", "mentions"),
    [
        # the one exchange a page tells is what it is about: primary, and dated by the report as primaries are
        (["Kyiv said Russia agreed to return 1,200 Ukrainian troops."], [("primary", "report")]),
        # two: which one the page is about is not for code to guess
        (["Kyiv said Russia agreed to return 1,200 Ukrainian troops.", "Moscow offered to hand over 3,000 bodies."],
         [("secondary", None), ("secondary", None)]),
    ],
)  # fmt: skip
def test_the_only_exchange_an_article_tells_is_its_primary_one(
    sentences: list[str], mentions: list[tuple[str, str | None]]
) -> None:
    text = "Istanbul, 23 July 2025. " + " ".join(sentences)
    token = PUBLISHED.set(dt.date(2025, 7, 23))
    try:
        records = [PrisonerExchange.model_validate({"quote": s, "status": "planned", "mention": "secondary",
                                                    "kind": "bodies" if "bodies" in s else "prisoners",
                                                    "parties": ["Russia", "Ukraine"], "counts": [
            {"quote": n.text, "number": n.value, "returned_to": "Ukraine"} for n in find_numbers(s)]})
                   for s in sentences]  # fmt: skip
    finally:
        PUBLISHED.reset(token)
    article = ArticleExtraction(article_id="t", text=text, published=dt.date(2025, 7, 23), exchanges=records)
    result = apply_checks(ground(article))
    assert [(x.mention, x.date_precision) for x in result.exchanges] == mentions


def test_the_side_the_words_send_people_to_wins_over_their_nationality() -> None:
    sentence = "Israel returned five Lebanese prisoners to Hezbollah on Wednesday."
    text = f"Tel Aviv, 17 July 2008. {sentence}"
    record = {**MAIN, "quote": sentence, "parties": ["Israel", "Hezbollah"],
              "counts": [{"quote": sentence, "returned_to": "Hezbollah", "number": 5}]}  # fmt: skip
    result = _run_on(text, record, published=dt.date(2008, 7, 17))
    assert [(c.number, c.returned_to) for c in result.exchanges[0].counts] == [(5, "Hezbollah")]


@pytest.mark.parametrize(
    ("after", "claimant"),
    [
        # a later sentence of its paragraph credits the words before it to a source
        (" Qatar helped. This was reported by the head of the presidential office, Andriy Yermak.",
         ("Andriy Yermak", "Ukraine")),
        ("\nThis information was announced by the Russian Defence Ministry.", ("Russian Defence Ministry", "Russia")),
        # another paragraph, or a source of its own between: the article's own voice
        ("\n\nThis was reported by the head of the presidential office, Andriy Yermak.", (None, None)),
        (" Qatar said it helped. This was reported by Andriy Yermak.", (None, None)),
    ],
)  # fmt: skip
def test_a_sentence_saying_this_was_reported_by_a_source_credits_the_figure_before_it(
    after: str, claimant: tuple[str | None, str | None]
) -> None:
    lead = "Ukraine managed to return 11 children from Russia on Wednesday."
    text = f"Kyiv, 31 January 2024. {lead}{after}"
    record = {**MAIN, "quote": lead, "counts": [{"quote": lead, "returned_to": "Ukraine", "number": 11}]}
    [count] = _run_on(text, record).exchanges[0].counts
    assert (count.claimant, count.claimant_side) == claimant


def test_an_own_voice_headline_figure_takes_the_source_a_later_sentence_credits_its_repetition_to() -> None:
    text = (
        "Ukraine returns the bodies of 94 fallen soldiers from Russia\nDate: 2024-01-31\n\n"
        "On Wednesday, Ukraine repatriated the bodies of another 94 fallen defenders.\n"
        "This information was announced by the Russian Defence Ministry."
    )
    headline = "Ukraine returns the bodies of 94 fallen soldiers from Russia"
    record = {**MAIN, "quote": headline, "counts": [{"quote": headline, "returned_to": "Ukraine", "number": 94}]}
    [count] = _run_on(text, record).exchanges[0].counts
    assert (count.claimant, count.claimant_side) == ("Russian Defence Ministry", "Russia")


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("India and Pakistan exchanged lists of 249 civilian prisoners and 98 fishermen on Wednesday.", []),
        ("The exchange of lists of prisoners on Wednesday named 249 civilian prisoners and 98 fishermen.", []),
        # the lists are only mentioned: the people were handed over
        ("India and Pakistan exchanged 249 civilian prisoners and 98 fishermen on Wednesday, using agreed lists.",
         [98, 249]),
    ],
)  # fmt: skip
def test_a_swap_of_lists_of_prisoners_is_no_exchange_of_them(sentence: str, kept: list[int]) -> None:
    """(Numbers in a sentence of their own after the lists' swap are counted: the rule reads each number's clause.)"""
    text = f"New Delhi, 31 January 2024. {sentence}"
    record = {**MAIN, "quote": sentence, "parties": ["India", "Pakistan"], "counts": [
        {"quote": sentence, "returned_to": "India", "number": 98},
        {"quote": sentence, "returned_to": "Pakistan", "number": 249},
    ]}  # fmt: skip
    result = _run_on(text, record)
    assert sorted(c.number for e in result.exchanges for c in e.counts) == kept


def test_people_released_after_a_swap_of_lists_are_counted() -> None:
    lists, freed = "India and Pakistan exchanged lists of prisoners on Wednesday.", "98 fishermen were then released."
    record = {**MAIN, "quote": lists, "parties": ["India", "Pakistan"],
              "counts": [{"quote": freed, "returned_to": "India", "number": 98}]}  # fmt: skip
    result = _run_on(f"New Delhi, 31 January 2024. {lists} {freed}", record)
    assert [c.number for e in result.exchanges for c in e.counts] == [98]


@pytest.mark.parametrize(
    ("text", "negotiator"),
    [
        ("The deal was negotiated by Mustapha Zanna, a barrister.", True),
        ("The commander, Rustam Muradov, spent two weeks intensively negotiating with both sides.", True),
        ("Mustapha Zanna, the chief negotiator, said the talks were long.", True),
        ("Mustapha Zanna was freed in the swap after negotiations.", False),  # freed: the talks were others'
        ("Rustam Muradov returned home on Friday.", False),
    ],
)
def test_who_negotiated_or_mediated_the_swap_is_a_go_between(text: str, negotiator: bool) -> None:
    name = "Mustapha Zanna" if "Zanna" in text else "Rustam Muradov"
    assert _negotiator(text, name) is negotiator


def test_the_negotiator_of_a_swap_is_not_a_released_person() -> None:
    text = (
        "Abuja, 7 May 2017. Nigeria and Boko Haram swapped prisoners on Saturday. "
        "The deal was negotiated by Mustapha Zanna, a barrister. Freed in the swap was Amina Ali."
    )
    record = {**MAIN, "parties": ["Nigeria", "Boko Haram"], "released_people": [
        {"quote": "Mustapha Zanna", "name": "Mustapha Zanna"}, {"quote": "Amina Ali", "name": "Amina Ali"},
    ]}  # fmt: skip
    result = _run_on(text, record, published=dt.date(2017, 5, 7))
    assert [p.name for p in result.exchanges[0].released_people] == ["Amina Ali"]
