"""Date phrases found in a text: what the model may choose from as an exchange's date."""

from __future__ import annotations

import pytest

from pow_extract.text.dates import cardinals, find_date_phrases


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("Prisoners were freed on Thursday.", ["on Thursday"]),
        ("On January 31, 195 came home.", ["On January 31"]),
        ("The swap of 31 January 2024 was the 50th.", ["31 January 2024"]),
        ("An earlier exchange on 6 May returned 106.", ["on 6 May"]),
        ("Talks held last week failed.", ["last week"]),
        ("They met earlier this month.", ["earlier this month"]),
        ("In June 2023, 45 came home.", ["In June 2023"]),
        ("The war began in 2022.", ["in 2022"]),
        ("Sept. 5 was the day.", ["Sept. 5"]),
        ("It happened on Friday morning.", ["on Friday morning"]),
    ],
)
def test_date_phrases_are_found_with_their_preposition(text: str, phrases: list[str]) -> None:
    assert [text[a:b] for a, b in find_date_phrases(text)] == phrases


@pytest.mark.parametrize("text", ["Talks may resume.", "More swaps may follow in the spring."])
def test_the_verb_may_is_not_a_date(text: str) -> None:
    assert find_date_phrases(text) == []


@pytest.mark.parametrize(
    ("sentence", "values"),
    [
        ("On 3 April 2023, 95 soldiers came home.", [95]),  # the day and the year are a date's
        ("The 50th exchange freed ninety-five soldiers on Friday.", [95]),  # no ordinal
        ("In June, 1,200 bodies were returned.", [1200]),
    ],
)
def test_the_cardinals_of_a_sentence_leave_out_its_dates_and_ordinals(sentence: str, values: list[int]) -> None:
    assert [n.value for n in cardinals(sentence)] == values
