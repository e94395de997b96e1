"""Breakdowns found by arithmetic (pow_extract.rules.parts), run through grounding and the coding rules."""

from __future__ import annotations

import datetime as dt

import pytest

from pow_extract.reading.resolver import ground
from pow_extract.records.schema import PUBLISHED, ArticleExtraction, BreakdownItem, PrisonerExchange
from pow_extract.rules.checks import apply_checks
from pow_extract.rules.parts import _category, _numbers, categories_from_words, parts_once
from pow_extract.rules.registry import rules_off
from pow_extract.rules.sweep import sweep
from pow_extract.text.numbers import find_numbers

TEXT = (
    "Kyiv, 31 January 2024. Ukraine brought home 207 soldiers on Wednesday in a swap with Russia.\n"
    "Among those returned:\n"
    "  • 95 soldiers of the Armed Forces;\n"
    "  • 56 National Guardsmen;\n"
    "  • 56 border guards.\n"
    "They were 180 privates and sergeants and 27 officers, and among them four civilians.\n"
    "On 24 January 2024, 65 prisoners died when their plane crashed.\n"
    "Some 55 Ukrainians are still held in Russia, including six civilians.\n"
)


def _run(
    counts: list[dict[str, object]],
    mention: str = "primary",
    *,
    text: str = TEXT,
    quote: str = "Ukraine brought home 207 soldiers on Wednesday in a swap with Russia.",
    published: dt.date = dt.date(2024, 1, 31),
) -> PrisonerExchange:
    exchange = {
        "mention": mention,
        "quote": quote,
        "status": "completed",
        "date_text": "on Wednesday",
        "parties": ["Ukraine", "Russia"],
        "counts": counts,
    }
    token = PUBLISHED.set(published)
    try:
        record = PrisonerExchange.model_validate(exchange)
    finally:
        PUBLISHED.reset(token)
    result = sweep(apply_checks(ground(ArticleExtraction(article_id="t", text=text, exchanges=[record]))))
    [read] = result.exchanges
    return read


TOTAL = {"quote": "Ukraine brought home 207 soldiers", "returned_to": "Ukraine", "number": 207}


def test_numbers_that_add_up_to_a_count_become_its_breakdown_with_categories_from_their_words() -> None:
    items = {(b.number, b.category, b.returned_to) for b in _run([TOTAL]).breakdown}
    assert {(95, "branch", "Ukraine"), (56, "branch", "Ukraine")} <= items  # the bulleted list: 95+56+56 = 207
    assert {(180, "rank", "Ukraine"), (27, "rank", "Ukraine")} <= items  # 180 + 27 = 207


def test_every_added_item_quotes_the_text_it_was_read_from() -> None:
    breakdown = _run([TOTAL]).breakdown
    assert len(breakdown) >= 5
    for item in breakdown:
        assert item.span is not None and TEXT[item.span.start : item.span.end] == item.quote
        assert str(item.number) in item.quote or item.number == 4


def test_a_named_subgroup_after_among_them_is_a_breakdown_of_the_one_side_it_belongs_to() -> None:
    assert (4, "civilians") in {(b.number, b.category) for b in _run([TOTAL]).breakdown}


def test_people_still_held_dates_and_the_dead_are_never_parts() -> None:
    numbers = {b.number for b in _run([TOTAL]).breakdown}
    assert not numbers & {6, 24, 55, 65, 2024}


def test_numbers_that_do_not_add_up_to_a_count_are_not_parts() -> None:
    # the one record is kept secondary: a primary one would take the 207 of its sentence
    with rules_off(["sweep-earlier-exchanges", "lone-record-primary"]):
        assert _run([], mention="secondary").breakdown == []
    other_total = {"quote": "95 soldiers of the Armed Forces", "returned_to": "Ukraine", "number": 95}
    with rules_off(["lone-record-primary"]):
        exchange = _run([other_total], mention="secondary")
    assert [c.number for c in exchange.counts] == [95]
    assert not {b.number for b in exchange.breakdown} & {56, 180, 27}


def test_a_part_the_model_listed_as_a_count_is_dropped_from_the_counts() -> None:
    exchange = _run([TOTAL, {"quote": "180 privates and sergeants", "returned_to": "Ukraine", "number": 180}])
    assert [c.number for c in exchange.counts] == [207]
    assert 180 in {b.number for b in exchange.breakdown}


def _parts_of(sentence: str, counts: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], set[tuple[int, str, str]]]:
    """The counts and breakdown of a primary exchange reported by ``sentence``, the model having given ``counts``."""
    quote = "Ukraine and Russia swapped prisoners on Wednesday."
    text = f"{quote} {sentence}"
    record = {"mention": "primary", "quote": quote, "status": "completed", "date_text": "on Wednesday",
              "parties": ["Ukraine", "Russia"],
              "counts": [{"quote": sentence, "returned_to": side, "number": n} for n, side in counts]}  # fmt: skip
    token = PUBLISHED.set(dt.date(2024, 1, 31))
    try:
        exchange = PrisonerExchange.model_validate(record)
    finally:
        PUBLISHED.reset(token)
    [result] = sweep(apply_checks(ground(ArticleExtraction(article_id="t", text=text, exchanges=[exchange])))).exchanges
    return (sorted((c.number, c.returned_to) for c in result.counts),
            {(b.number, b.category, b.returned_to) for b in result.breakdown})  # fmt: skip


# (sentence, the model's counts, the counts and breakdown after the rules)
LISTED: list[tuple[str, list[tuple[int, str]], tuple[list[tuple[int, str]], set[tuple[int, str, str]]]]] = [
    # groups listed for one side with no total: parts of an unstated total, not two counts
    ("Ukraine brought home 185 of its soldiers and 20 civilians.", [(185, "Ukraine"), (20, "Ukraine")],
     ([], {(185, "other", "Ukraine"), (20, "civilians", "Ukraine")})),
    # a nationality of neither side (foreign volunteers) does not take a group out of the list
    ("Ukraine brought home 185 soldiers, 20 Georgian volunteers and two women.", [(185, "Ukraine"), (2, "Ukraine")],
     ([], {(185, "other", "Ukraine"), (20, "other", "Ukraine"), (2, "women", "Ukraine")})),
    # the other side's count is not their total, though it equals their sum; their own verb names their side
    ("Moscow received 64 servicemen while 60 soldiers and four civilians were returned to Kyiv.",
     [(64, "Russia"), (60, "Ukraine")],
     ([(64, "Russia")], {(60, "other", "Ukraine"), (4, "civilians", "Ukraine")})),
    # a place a group came from is no side of it: "from morgues in Russia" (the sum is the count)
    ("Ukraine got back 446 bodies: 403 from the Donetsk direction, 12 from Luhansk and 31 from morgues in Russia.",
     [(446, "Ukraine")],
     ([(446, "Ukraine")], {(403, "other", "Ukraine"), (12, "other", "Ukraine"), (31, "other", "Ukraine")})),
    # a stated total: the groups are its parts by arithmetic ("servicewomen" are women)
    ("Ukraine got back 130 people, 126 servicemen and four servicewomen.", [(130, "Ukraine")],
     ([(130, "Ukraine")], {(126, "other", "Ukraine"), (4, "women", "Ukraine")})),
    # nothing tells two groups apart: two counts stay counts
    ("Ukraine brought home 150 soldiers and 50 more soldiers.", [(150, "Ukraine"), (50, "Ukraine")],
     ([(50, "Ukraine"), (150, "Ukraine")], set())),
    # a verb between the groups: two clauses, two counts
    ("Ukraine brought home 150 soldiers who were freed first and 20 civilians.", [(150, "Ukraine"), (20, "Ukraine")],
     ([(20, "Ukraine"), (150, "Ukraine")], {(20, "civilians", "Ukraine")})),  # the 20 are all civilians
    # two nationalities: a count for each side
    ("The swap returned 100 Ukrainian soldiers and 90 Russian civilians.", [(100, "Ukraine"), (90, "Russia")],
     ([(90, "Russia"), (100, "Ukraine")], {(90, "civilians", "Russia")})),
    # "10 of its soldiers" is a group of the side's own people (not "one of the six"), so a part of the 12
    ("Ukraine got back 12 people, 10 of its soldiers and two volunteers.", [(12, "Ukraine")],
     ([(12, "Ukraine")], {(10, "other", "Ukraine"), (2, "other", "Ukraine")})),
    # the side that freed a group ("freed by Russia") is no part of the group's words
    ("Ukraine got back 12 people: 10 soldiers and two volunteers freed by Russia.", [(12, "Ukraine")],
     ([(12, "Ukraine")], {(10, "other", "Ukraine"), (2, "other", "Ukraine")})),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "counts", "expected"), LISTED, ids=[row[0][:50] for row in LISTED])
def test_groups_listed_for_one_side_without_a_total_are_parts_not_counts(
    sentence: str,
    counts: list[tuple[int, str]],
    expected: tuple[list[tuple[int, str]], set[tuple[int, str, str]]],
) -> None:
    assert _parts_of(sentence, counts) == expected


def test_groups_listed_without_a_total_in_a_sentence_of_their_own_take_the_side_their_verb_names() -> None:
    swap = "Ukraine handed over 90 Russian soldiers on Wednesday."
    listed = "Officials said 38 service personnel and three police officers had been returned to Ukraine."
    count = {"quote": swap, "returned_to": "Russia", "number": 90}
    record = {"mention": "primary", "quote": swap, "status": "completed", "date_text": "on Wednesday",
              "parties": ["Ukraine", "Russia"], "counts": [count]}  # fmt: skip
    token = PUBLISHED.set(dt.date(2024, 1, 31))
    try:
        exchange = PrisonerExchange.model_validate(record)
    finally:
        PUBLISHED.reset(token)
    text = f"{swap} {listed}"
    [result] = sweep(apply_checks(ground(ArticleExtraction(article_id="t", text=text, exchanges=[exchange])))).exchanges
    assert {(b.number, b.category, b.returned_to) for b in result.breakdown} == {
        (38, "other", "Ukraine"),
        (3, "branch", "Ukraine"),
    }
    assert [(c.number, c.returned_to) for c in result.counts] == [(90, "Russia")]  # the swap's own count stays


# (sentence, the model's counts, the counts and breakdown after the rules)
NAMED_PARTS: list[tuple[str, list[tuple[int, str]], tuple[list[tuple[int, str]], set[tuple[int, str, str]]]]] = [
    # a partitive: what is said of the part gives its category (here none: other)
    ("Ukraine got back 150 soldiers, and 40 of those freed had been sentenced to life terms.", [(150, "Ukraine")],
     ([(150, "Ukraine")], {(40, "other", "Ukraine")})),
    # the whole named first, then what each part was
    ("Of the 150 prisoners, 60 were defenders of the port and 20 were women.", [(150, "Ukraine")],
     ([(150, "Ukraine")], {(60, "other", "Ukraine"), (20, "women", "Ukraine")})),
    # the whole named with its number: its side, though the other side's count is bigger than the part too
    ("Kyiv got back 150 soldiers and Moscow 90; of the 150 prisoners, 60 were defenders of the port.",
     [(150, "Ukraine"), (90, "Russia")],
     ([(90, "Russia"), (150, "Ukraine")], {(60, "other", "Ukraine")})),
    # a sentence naming both sides: each part goes to the side its own words name
    ("Kyiv got back 150 soldiers and Moscow 90; the swap included 31 wounded Ukrainian soldiers, sent in exchange "
     "for 15 injured Russian soldiers.", [(150, "Ukraine"), (90, "Russia")],
     ([(90, "Russia"), (150, "Ukraine")], {(31, "wounded_or_ill", "Ukraine"), (15, "wounded_or_ill", "Russia")})),
    # a dash ends a part's words: the side named after it is the giver's, not the part's
    ("Ukraine got back 39 prisoners—24 women and 15 teenagers—freed by Russia.", [(39, "Ukraine")],
     ([(39, "Ukraine")], {(24, "women", "Ukraine"), (15, "minors", "Ukraine")})),
    # "among" after the group's own words
    ("Ukraine got back 150 soldiers, with 12 civilians among the freed.", [(150, "Ukraine")],
     ([(150, "Ukraine")], {(12, "civilians", "Ukraine")})),
    # "one of the officials": not people returned
    ("Ukraine got back 150 soldiers, one of the officials was quoted as saying.", [(150, "Ukraine")],
     ([(150, "Ukraine")], set())),
    # numbers of exchanges are not parts, though 2 + 9 = 11
    ("Ukraine freed 11 Russian sailors, after two smaller swaps in March, including the swap of nine Russian troops.",
     [(11, "Russia")], ([(11, "Russia")], set())),
    # the dead are never parts
    ("Ukraine got back 150 soldiers, but five of them had died in captivity.", [(150, "Ukraine")],
     ([(150, "Ukraine")], set())),
    # a hedged number is no exact part: "at least 36 of them", "some 40 civilians among the freed"
    ("Ukraine got back 150 soldiers, and at least 36 of them were wounded.", [(150, "Ukraine")],
     ([(150, "Ukraine")], set())),
    ("Ukraine got back 150 soldiers, with some 40 civilians among the freed.", [(150, "Ukraine")],
     ([(150, "Ukraine")], set())),
    # a list of branches after an inclusion cue: parts of the side whose source lists them (both sides got 103)
    ("Kyiv got back 103 soldiers and Moscow 103. The Coordination Headquarters said the group included 38 National "
     "Guard members, 21 naval personnel and eight border guards.", [(103, "Ukraine"), (103, "Russia")],
     ([(103, "Russia"), (103, "Ukraine")],
      {(38, "branch", "Ukraine"), (21, "branch", "Ukraine"), (8, "branch", "Ukraine")})),
    # branches that add up to more than the count are not its parts
    ("Kyiv got back 50 soldiers and Moscow 50. The Coordination Headquarters said the group included 38 National "
     "Guard members and 21 naval personnel.", [(50, "Ukraine"), (50, "Russia")],
     ([(50, "Russia"), (50, "Ukraine")], set())),
    # a named man's age and "one of the six" are no parts, though 69 + 1 = 70
    ("Ukraine got back 70 soldiers, among them Ivan Petrenko, 69, one of the six who escaped in 2021.",
     [(70, "Ukraine")], ([(70, "Ukraine")], set())),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "counts", "expected"), NAMED_PARTS, ids=[row[0][:50] for row in NAMED_PARTS])
def test_a_part_named_by_a_partitive_or_among_is_a_breakdown_of_the_count(
    sentence: str,
    counts: list[tuple[int, str]],
    expected: tuple[list[tuple[int, str]], set[tuple[int, str, str]]],
) -> None:
    assert _parts_of(sentence, counts) == expected


# (the words after a number, the breakdown category they name)
CATEGORY_WORDS: list[tuple[str, str]] = [
    (" sailors", "branch"),
    (" police officers", "branch"),  # a branch, not a rank
    (" officers", "rank"),
    (" service personnel", "other"),  # the military in general
    (" civilian sailors", "civilians"),
    (" servicewomen", "women"),
    (" civilians among the freed women", "civilians"),  # the first category word is the group's own noun
    (" women soldiers", "women"),
    (" policemen", "branch"),
    (" residents of the Kursk region", "civilians"),
    (" Azovstal employees", "other"),  # a workplace names no branch
]


@pytest.mark.parametrize(("words", "category"), CATEGORY_WORDS)
def test_the_category_of_a_part_comes_from_its_words(words: str, category: str) -> None:
    [number] = _numbers(f"Among them were 13{words}.")
    assert _category(number) == category


def test_a_number_given_as_the_total_of_the_parts_is_not_one_of_them() -> None:
    # the parts add up to 207, the count; "one police officer" and the stated total 206 add up to it too
    sentence = (
        "The headquarters said 95 soldiers, 56 guardsmen, 55 marines and one police officer were freed, "
        "making a total of 206."
    )
    counts, parts = _parts_of(f"Ukraine brought home 207 soldiers. {sentence}", [(207, "Ukraine")])
    assert counts == [(207, "Ukraine")]
    assert {n for n, _, _ in parts} == {95, 56, 55, 1}


def test_numbers_that_add_up_to_a_part_already_read_are_parts_too() -> None:
    text = (
        "Kyiv, 23 November 2022. Ukraine brought home 36 people on Wednesday in a swap with Russia. "
        '"One civilian and 35 military have returned home," Yermak wrote.\n'
        "In total, 22 National guardsmen, eight border guards, four Navy soldiers and one serviceman have been "
        "released."
    )
    count = {"quote": "Ukraine brought home 36 people", "returned_to": "Ukraine", "number": 36}
    read = _run([count], text=text, quote="Ukraine brought home 36 people on Wednesday in a swap with Russia.",
                published=dt.date(2022, 11, 23))  # fmt: skip
    assert sorted(b.number for b in read.breakdown) == [1, 1, 4, 8, 22, 35]  # 1 + 35 = 36; 22 + 8 + 4 + 1 = 35
    assert [c.number for c in read.counts] == [36]


# (what the article says after the swap's sentence; the parts read: (number, category, side))
THEM: list[tuple[str, set[tuple[int, str, str]]]] = [
    ('"We are bringing 90 of our soldiers home! 12 of them are women!" the minister said.', {(12, "women", "Ukraine")}),
    ('"We are bringing 90 of our soldiers home," the minister said. "12 of them are women."',
     {(12, "women", "Ukraine")}),
    # the people counted last before "them", in the paragraph before
    ("We are bringing 90 of our soldiers home, the minister said.\nThey crossed at night. 12 of them are women.",
     {(12, "women", "Ukraine")}),
    # a whole of its own: four of the five women are no part of the 90
    ("We are bringing 90 of our soldiers home, the minister said. Four of the five women were captured in Mariupol.",
     set()),
    # a part said by its age words is a part: "were 20-year-old conscripts"
    ("We are bringing 90 of our soldiers home, the minister said. 12 of them were 20-year-old conscripts.",
     {(12, "other", "Ukraine")}),
    # "the other three are 20": their age, not a part
    ("We are bringing 90 of our soldiers home, the minister said. The youngest of them, Olha, is 19; the other "
     "three are 20.", set()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("said", "expected"),
    THEM,
    ids=["one quotation", "two quotations", "paragraph before", "a whole of its own", "said by age words", "an age"],
)
def test_a_partitive_them_is_a_part_of_the_people_counted_last_before_it(
    said: str, expected: set[tuple[int, str, str]]
) -> None:
    quote = "Ukraine and Russia swapped prisoners on Wednesday, each freeing 90 soldiers."
    text = f"{quote} {said}"
    record = {"mention": "primary", "quote": quote, "status": "completed", "date_text": "on Wednesday",
              "parties": ["Ukraine", "Russia"],
              "counts": [{"quote": "each freeing 90 soldiers", "returned_to": "Russia", "number": 90},
                         {"quote": "We are bringing 90 of our soldiers home", "returned_to": "Ukraine",
                          "number": 90}]}  # fmt: skip
    token = PUBLISHED.set(dt.date(2024, 1, 31))
    try:
        exchange = PrisonerExchange.model_validate(record)
    finally:
        PUBLISHED.reset(token)
    [result] = sweep(apply_checks(ground(ArticleExtraction(article_id="t", text=text, exchanges=[exchange])))).exchanges
    assert {(b.number, b.category, b.returned_to) for b in result.breakdown} == expected


# (sentence, the model's counts, the breakdown after the rules)
WHOLE: list[tuple[str, list[tuple[int, str]], set[tuple[int, str, str]]]] = [
    # the words of the count say what all its people are: the whole group is its own breakdown entry
    ("Russia returned ten Ukrainian civilians on Wednesday.", [(10, "Ukraine")], {(10, "civilians", "Ukraine")}),
    ("Ukraine brought home five children.", [(5, "Ukraine")], {(5, "minors", "Ukraine")}),
    ("Russia freed 31 wounded Ukrainian prisoners.", [(31, "Ukraine")], {(31, "wounded_or_ill", "Ukraine")}),
    # a group named by one side's nationality is that side's, not the other side's count of the same number
    ("Five Ukrainian civilians were returned in a five-for-five swap with Russia.", [(5, "Ukraine"), (5, "Russia")],
     {(5, "civilians", "Ukraine")}),
    # soldiers, servicemen: no category of their own
    ("Ukraine brought home 95 soldiers.", [(95, "Ukraine")], set()),
    # the women are a part of the 90, not all of them
    ("Ukraine got back 90 soldiers, among them 12 women.", [(90, "Ukraine")], {(12, "women", "Ukraine")}),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "counts", "expected"), WHOLE, ids=[row[0][:50] for row in WHOLE])
def test_a_count_whose_words_say_what_all_its_people_are_is_its_own_breakdown_entry(
    sentence: str, counts: list[tuple[int, str]], expected: set[tuple[int, str, str]]
) -> None:
    assert _parts_of(sentence, counts)[1] == expected


@pytest.mark.parametrize(
    ("label", "quote", "model", "category"),
    [
        ("Bakhmut sector", "56 fallen soldiers from the Bakhmut sector", "rank", "other"),  # no rank word
        ("Luhansk sector", "7 bodies of defenders fighting in the Luhansk sector", "branch", "other"),
        ("officers", "2 officers", "other", "rank"),  # its words name a rank
        ("women", "three women", "women", "women"),  # the model's category when the words name it
        ("Ukrainian troops", "33 Ukrainian troops", "branch", "other"),  # troops name no branch: military
        # a category's own name as the label is read as words, before the quote's "troops"
        ("wounded_or_ill", "Five among the released troops were wounded", "wounded_or_ill", "wounded_or_ill"),
    ],
)
def test_a_part_takes_the_category_its_own_words_name(label: str, quote: str, model: str, category: str) -> None:
    item = BreakdownItem(quote=quote, number=find_numbers(quote)[0].value, returned_to="Ukraine", category=model,
                         label=label)  # fmt: skip
    exchange = PrisonerExchange(quote="x", status="completed", parties=["Ukraine", "Russia"], breakdown=[item])
    categories_from_words(0, exchange, [])
    assert exchange.breakdown[0].category == category


# (the model's parts as (number, category, side), the parts kept)
ONCE = [
    # the same entry seven times: one part
    ([(10, "other", "United States")] * 7, [(10, "other", "United States")]),
    ([(12, "women", "Ukraine"), (40, "branch", "Ukraine"), (12, "women", "Ukraine")],
     [(12, "women", "Ukraine"), (40, "branch", "Ukraine")]),
    # the same size, another category or another side: two parts
    ([(12, "women", "Ukraine"), (12, "civilians", "Ukraine")],
     [(12, "women", "Ukraine"), (12, "civilians", "Ukraine")]),
    ([(5, "minors", "Ukraine"), (5, "minors", "Russia")], [(5, "minors", "Ukraine"), (5, "minors", "Russia")]),
]  # fmt: skip


@pytest.mark.parametrize(("parts", "kept"), ONCE, ids=[str(row[0][:2]) for row in ONCE])
def test_a_part_given_twice_is_one_part(parts: list[tuple[int, str, str]], kept: list[tuple[int, str, str]]) -> None:
    exchange = PrisonerExchange(
        quote="x", status="completed", parties=["Ukraine", "Russia"],
        breakdown=[BreakdownItem(quote=f"{n}", number=n, returned_to=side, category=category, label="people")
                   for n, category, side in parts],
    )  # fmt: skip
    parts_once(0, exchange, [])
    assert [(b.number, b.category, b.returned_to) for b in exchange.breakdown] == kept


def _counts_and_parts(sentences: list[str], counts: list[tuple[int, int, str, str]]) -> tuple[list[int], set[int]]:
    """The counts and parts of a primary exchange whose ``counts`` (sentence index, number, side, source) the model
    gave, each quoting its own sentence."""
    quote = "Ukraine and Russia swapped prisoners on Wednesday."
    record = {"mention": "primary", "quote": quote, "status": "completed", "date_text": "on Wednesday",
              "parties": ["Ukraine", "Russia"],
              "counts": [{"quote": sentences[i], "returned_to": side, "number": n, "claimant": source}
                         for i, n, side, source in counts]}  # fmt: skip
    token = PUBLISHED.set(dt.date(2024, 1, 31))
    try:
        exchange = PrisonerExchange.model_validate(record)
    finally:
        PUBLISHED.reset(token)
    text = " ".join([quote, *sentences])
    [result] = sweep(apply_checks(ground(ArticleExtraction(article_id="t", text=text, exchanges=[exchange])))).exchanges
    return sorted(c.number for c in result.counts), {b.number for b in result.breakdown}


# (sentences, the model's counts as (sentence, number, side, source), the counts kept, the numbers among the parts)
COUNT_AS_PART = [
    # 33 + the 12 told with the 45 = 45: the 33 are the 45's other part
    (["Forty-five people, including twelve civilians, were freed, Vereshchuk said.",
      "Out of the thirty-three Ukrainian troops freed, 13 were officers, Vereshchuk said."],
     [(0, 45, "Ukraine", "Vereshchuk"), (1, 33, "Ukraine", "Vereshchuk")], [45], {12, 13, 33}),
    # two sources' figures for one side are two claims, whatever their difference
    (["Zelensky said 189 Ukrainians came home, including 39 wounded.", "Moscow said Kyiv got back 150 soldiers."],
     [(0, 189, "Ukraine", "Zelensky"), (1, 150, "Ukraine", "Moscow")], [150, 189], {39}),
]  # fmt: skip


@pytest.mark.parametrize(("sentences", "counts", "kept", "parts"), COUNT_AS_PART,
                         ids=[row[0][1][:40] for row in COUNT_AS_PART])  # fmt: skip
def test_a_count_that_with_a_part_makes_up_a_bigger_count_of_its_side_is_a_part(
    sentences: list[str], counts: list[tuple[int, int, str, str]], kept: list[int], parts: set[int]
) -> None:
    assert _counts_and_parts(sentences, counts) == (kept, parts)
