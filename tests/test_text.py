"""The one sentence splitter and the one lexicon: what a sentence is, and that the word lists live in one place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pow_extract.text import lexicon
from pow_extract.text.names import names_match
from pow_extract.text.sentences import (
    abbreviates,
    headline_span,
    is_latin,
    paragraph_before,
    sentence_at,
    sentence_index,
    sentence_spans,
    sentences_naming,
    split_sentences,
)

PACKAGE = Path(__file__).resolve().parent.parent / "pow_extract"

# (text, the sentences the splitter must give)
SPLITS: list[tuple[str, list[str]]] = [
    ("Ukraine got 207 back. Russia got 195.", ["Ukraine got 207 back.", "Russia got 195."]),
    ("Were they freed? Yes! All of them.", ["Were they freed?", "Yes!", "All of them."]),
    ("Swap of 95 for 95\nBoth sides confirmed it.", ["Swap of 95 for 95", "Both sides confirmed it."]),
    ('"Our guys are home. We return them all," he said. Then he left.',
     ['"Our guys are home.', 'We return them all," he said.', "Then he left."]),
    ("“They are home.” The ministry agreed.", ["“They are home.”", "The ministry agreed."]),
    ("‘They are home.’ The ministry agreed.", ["‘They are home.’", "The ministry agreed."]),
    # near misses: a full stop that does not end a sentence
    ("The U.S. Embassy welcomed it. Mr. Blinken spoke.", ["The U.S. Embassy welcomed it.", "Mr. Blinken spoke."]),
    ("Gen. Budanov said J. Smith was freed on Sept. 14 in St. Petersburg.",
     ["Gen. Budanov said J. Smith was freed on Sept. 14 in St. Petersburg."]),
    ("It ended at 3 p.m. local time. then more came.", ["It ended at 3 p.m. local time. then more came."]),
    ("The figure was 1.5 million. Next year.", ["The figure was 1.5 million.", "Next year."]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SPLITS, ids=[s[1][0][:24] for s in SPLITS])
def test_a_sentence_ends_at_its_stop_or_a_line_break_not_after_an_abbreviation(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start : s.end] == s.text for s in sentences)  # offsets point at the sentence itself
    assert sentence_spans(text) == tuple((s.start, s.end) for s in sentences)


def test_sentence_at_gives_the_sentence_around_a_position_and_none_outside_every_sentence() -> None:
    text = "Ukraine got 207 back. Russia got 195."
    assert sentence_at(text, text.index("195")) == (22, len(text))
    assert sentence_at(text, 0) == (0, 21)
    assert sentence_at(text, 21) is None  # the space between the two


def test_sentence_index_says_which_sentence_holds_a_position() -> None:
    text = "Ukraine got 207 back. Russia got 195."
    assert [sentence_index(text, at) for at in (0, 21, text.index("195"))] == [0, None, 1]


def test_only_latin_text_is_read_by_the_english_rules() -> None:
    assert is_latin("Ukraine returned 207 soldiers")
    assert not is_latin("Україна повернула додому 207 захисників")
    assert not is_latin("1,212 - 95")


def test_the_lexicon_is_the_only_module_that_spells_out_the_month_weekday_and_nationality_lists() -> None:
    lists = [r"january\|february", r"jan\|feb", r"monday\|tuesday", r'"palestinians":', r"more than\|over"]
    spelled = {
        (path.relative_to(PACKAGE).as_posix(), words)
        for path in PACKAGE.rglob("*.py")
        for words in lists
        if re.search(words, path.read_text(encoding="utf-8"), re.IGNORECASE)
    }
    assert spelled == {("text/lexicon.py", r"january\|february"), ("text/lexicon.py", r"jan\|feb"),
                       ("text/lexicon.py", r"monday\|tuesday"), ("text/lexicon.py", r'"palestinians":')}  # fmt: skip


# (a pattern built from the lexicon, text it must find, a near miss it must leave alone)
LEXICON: list[tuple[str, str, str]] = [
    (lexicon.NOT_RETURNED, "65 Ukrainian POWs died in the crash", "65 Ukrainian POWs came home"),
    (lexicon.CANCELLED, "the swap was called off", "the swap was carried out"),
    (lexicon.CANCELLED, "Russia is halting prisoner exchanges", "a halt sign"),
    (lexicon.HANDOVER_STEMS, "El Salvador frees 250 detainees", "a freestyle swim"),
    (lexicon.HANDOVER_STEMS, "Ukraine brought 100 of its soldiers back", "Ukraine brought 100 tanks to the front"),
    (lexicon.HANDOVER_STEMS, "We are bringing home 150 of our defenders", "We are bringing tanks to the front"),
    (lexicon.BODIES, "the bodies of 500 soldiers", "500 soldiers came home"),
    (lexicon.SWAP_WORDS, "they swapped 90 for 90", "they sweated it out"),
    (lexicon.ABBREVIATIONS, "Sept", "Sep8"),
]


@pytest.mark.parametrize(("words", "found", "missed"), LEXICON, ids=[row[1][:20] for row in LEXICON])
def test_a_lexicon_entry_matches_whole_words(words: str, found: str, missed: str) -> None:
    pattern = lexicon.word_pattern(words)
    assert pattern.search(found)
    assert not pattern.search(missed)


def test_every_hedge_gives_a_qualifier_and_the_weekday_names_are_in_python_order() -> None:
    assert set(lexicon.HEDGES.values()) == {"over", "almost", "about"}
    assert lexicon.WEEKDAY_NAMES.index("wednesday") == 2
    assert re.fullmatch(rf"(?:{lexicon.ANY_MONTH})", "sept")


# (one name, another, whether they denote the same person or body): the rules and the scorer both ask this
NAMES: list[tuple[str | None, str, bool]] = [
    ("President Volodymyr Zelensky", "Zelenskyy", True),
    ("Russia's Defense Ministry", "Russian Defence Ministry", True),
    ("Coordination Headquarters", "Ukraine's Coordination Headquarters for the Treatment of Prisoners of War", True),
    ("Russian Defence Ministry", "Ukrainian Defence Ministry", False),
    ("Ivan Petrov", "Ukraine's Coordination Headquarters", False),
    ("As", "Russian Ministry of Defense", False),
    ("Dmytro Lubinets (ombudsman)", "Lubinets", True),  # punctuation is not part of a name
    ("Zelensky,", "Volodymyr Zelensky", True),
    ("Russian Defence Ministry", "Russia's Ministry of Defense", True),
    ("Dmytro Lubinets", "Ukraine's ombudsman Dmytro Lubinets", True),
    ("Coordination Headquarters", "Ukraine's Coordination Headquarters for the Treatment of POWs", True),
    ("Zelensky", "Putin", False),
    ("Ukraine's ombudsman", "Russia's ombudsman", False),
    ("Zelenskyy's office", "Zelensky", False),  # a body is not its head
    (None, "Zelensky", False),
]


@pytest.mark.parametrize(("a", "b", "same"), NAMES, ids=[f"{a and a[:12]}~{b[:12]}" for a, b, _ in NAMES])
def test_one_name_matcher_for_the_rules_and_the_scorer(a: str | None, b: str, same: bool) -> None:
    assert names_match(a, b) is same
    assert names_match(b, a) is same


# (the words just before a number, the qualifier they give): one hedge reader for the rules and the question reading
HEDGED: list[tuple[str, str | None]] = [
    ("Ukraine returned more than ", "over"),
    ("Kyiv said just over ", "over"),
    ("a swap of nearly ", "almost"),
    ("some ", "about"),
    ("in excess of ", "over"),
    ("As many as ", "almost"),
    ("Moreover, ", None),  # a hedge inside another word is not one
    ("Russia returned ", None),
    ("Ukraine handed over ", None),  # the verb's particle, not "over 90"
    ("Russia turned over ", None),
    ("Russia handed over more than ", "over"),
]


@pytest.mark.parametrize(("before", "qualifier"), HEDGED, ids=[row[0].strip() for row in HEDGED])
def test_the_hedge_before_a_number_gives_its_qualifier(before: str, qualifier: str | None) -> None:
    assert lexicon.hedge_before(before) == qualifier


def test_the_sentences_naming_some_words_are_found_by_whole_words_in_text_order() -> None:
    text = "Dana Whitfield was freed on Saturday. Her family met Dana on saturday evening. Whitfields wrote."
    assert [text[a:b] for a, b in sentences_naming(text, "Dana")] == [
        "Dana Whitfield was freed on Saturday.",
        "Her family met Dana on saturday evening.",
    ]
    assert [text[a:b] for a, b in sentences_naming(text, "on Saturday", ignore_case=True)] == [
        "Dana Whitfield was freed on Saturday.",
        "Her family met Dana on saturday evening.",
    ]
    assert list(sentences_naming(text, "on Saturday")) == [(0, 37)]  # case kept unless asked
    assert list(sentences_naming(text, "Whit")) == []  # only inside other words


@pytest.mark.parametrize(
    ("text", "abbreviation"),
    [("on Nov. 26", True), ("Gen. Budanov", True), ("the U.S. release", True), ("freed. Then", False)],
)
def test_a_full_stop_after_an_abbreviation_an_initial_or_an_acronym_ends_nothing(text: str, abbreviation: bool) -> None:
    assert abbreviates(text, text.index(". ")) is abbreviation


@pytest.mark.parametrize(
    ("name", "unnamed"),
    [
        ("Military Official", True),
        ("Loyalist Military Sources", True),
        ("a spokesman", True),
        ("International Committee of the Red Cross", False),
        ("Sources of Income Ministry", False),  # the noun inside a name, not its head
    ],
)
def test_a_source_named_by_its_role_alone_is_no_body(name: str, unnamed: bool) -> None:
    assert lexicon.is_unnamed_source(name) is unnamed


@pytest.mark.parametrize(
    ("words", "sides"),
    [
        ("Russia's Defence Ministry", {"Russia"}),
        ("the Iraqi foreign ministry", {"Iraq"}),  # any country's nationality word, not only the listed stems
        ("Iranian officials", {"Iran"}),
        ("a Cambodian court", {"Cambodia"}),
        ("the foreign ministry", set()),
    ],
)
def test_the_sides_a_source_names_include_any_countrys_nationality_word(words: str, sides: set[str]) -> None:
    assert lexicon.sides_named(words) == sides


@pytest.mark.parametrize(
    ("where", "start"),
    [
        ("Two", 0),  # the first paragraph: its own start
        ("Three", 0),  # the second: the first's start (the blank line between is no paragraph)
        ("Four", 11),  # the third: the second's start
    ],
)
def test_the_paragraph_before_is_the_previous_non_blank_line(where: str, start: int) -> None:
    text = "One. Two.\n\nThree.\nFour."
    assert paragraph_before(text, text.index(where)) == start


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("Russia and Ukraine swap 90 POWs\nDate: 2024-01-03\n\nBody.", "Russia and Ukraine swap 90 POWs"),
        ("\n  Headline after blank lines  \r\nBody.", "Headline after blank lines"),  # no surrounding whitespace
        ("One line only.", "One line only."),
        ("   ", ""),
    ],
)
def test_the_headline_is_the_first_line_that_holds_anything(text: str, headline: str) -> None:
    start, end = headline_span(text)
    assert text[start:end] == headline


@pytest.mark.parametrize(
    ("after", "time"),
    [(" years in captivity", True), ("-month-old", True), (" days", True), (" soldiers", False), (" dayshift", False)],
)
def test_a_unit_of_time_after_a_number_is_a_length_of_time_not_people(after: str, time: bool) -> None:
    assert bool(lexicon.TIME_AFTER.match(after)) is time
