"""The number reader: every way a news text writes a number, and what is not a number of anything."""

from __future__ import annotations

import pytest

from pow_extract.text.numbers import find_numbers, read_number


@pytest.mark.parametrize(
    ("written", "value", "ordinal"),
    [
        ("195", 195, False),
        ("1,212", 1212, False),
        ("1 212", 1212, False),  # a space between groups
        ("7\u00a0000", 7000, False),  # a no-break space
        ("three", 3, False),
        ("Ninety-five", 95, False),
        ("ninety five", 95, False),
        ("one hundred and twenty", 120, False),
        ("a thousand", 1000, False),
        ("twenty-one", 21, False),
        ("50th", 50, True),
        ("2nd", 2, True),
        ("sixth", 6, True),
        ("fifty-sixth", 56, True),
        ("sixty-ninth", 69, True),
    ],
)
def test_a_written_number_is_read_with_its_value(written: str, value: int, ordinal: bool) -> None:
    found = find_numbers(f"They said {written} were freed.")
    assert [(n.value, n.ordinal, n.text) for n in found] == [(value, ordinal, written)]


@pytest.mark.parametrize(
    "text",
    [
        "The Il-76 crashed.",  # a model name
        "An F-16 flew over.",
        "It is 3.5 km away.",  # a decimal
        "At 10:30 the buses left.",  # a time
        "Infections rose by 12%.",
        "Read it at example.com/2024/05/06.",
        "COVID-19 spread.",
        "This marks one of the largest exchanges.",  # a rank
        "It was one of the most difficult swaps.",
        "Every one of them is a hero of our state.",  # a pronoun after a determiner
        "No one was left behind, and each one came home.",
    ],
)
def test_what_is_not_a_number_of_anything_is_not_read(text: str) -> None:
    assert find_numbers(text) == ()


def test_one_of_a_group_is_still_one() -> None:
    assert [n.value for n in find_numbers("One of the prisoners was ill.")] == [1]


def test_two_numbers_in_a_row_stay_two_numbers() -> None:
    assert [n.value for n in find_numbers("five six")] == [5, 6]
    assert [n.value for n in find_numbers("groups of 195 and 207")] == [195, 207]


def test_offsets_slice_back_to_the_number_as_written() -> None:
    text = "Ukraine said 1 212 bodies and Ninety-five soldiers came home on the 56th swap."
    assert [text[n.start : n.end] for n in find_numbers(text)] == ["1 212", "Ninety-five", "56th"]


def test_a_and_and_join_numbers_but_are_not_numbers_alone() -> None:
    assert find_numbers("a swap and a deal") == ()
    assert [n.value for n in find_numbers("one hundred and five")] == [105]


@pytest.mark.parametrize(("token", "value"), [("1,212", 1212), ("ninety-five", 95), ("56th", 56), ("x", None)])
def test_read_number_reads_one_written_number(token: str, value: int | None) -> None:
    assert read_number(token) == value


@pytest.mark.parametrize(
    ("sentence", "value"),
    # (not "Some 1,212": the parts leave a hedged number out, test_parts.py)
    [("Ukraine received 1 212 soldiers.", 1212), ("Ninety-five were marines.", 95), ("All 1,212 came home.", 1212)],
)
def test_the_rules_read_numbers_with_the_one_reader(sentence: str, value: int) -> None:
    from pow_extract.rules.parts import _numbers
    from pow_extract.rules.sweep import _numbers_in

    assert [n[0] for n in _numbers_in(sentence)] == [value]
    assert [n.value for n in _numbers(sentence)] == [value]


@pytest.mark.parametrize(
    "sentence",
    ["On 3 April 2023, another prisoner exchange took place.", "On April 3, 2023 prisoners came home.",
     "The 3rd of April saw prisoners swapped.", "In 2022 prisoners were swapped."],
)  # fmt: skip
def test_the_rules_read_no_number_of_a_date(sentence: str) -> None:
    from pow_extract.rules.parts import _numbers
    from pow_extract.rules.sweep import _numbers_in

    assert _numbers_in(sentence) == []
    assert _numbers(sentence) == []
