"""Grounding: every quote is located in the article (exact, normalised, fuzzy) and its number checked."""

from __future__ import annotations

import pytest

from pow_extract.reading.resolver import Grounder, ground, number_in_text
from pow_extract.records.schema import ArticleExtraction, PrisonerExchange

TEXT = (
    "Russia and Ukraine swapped prisoners on Wednesday.\n"
    "“Our guys are home. 207 guys,” Zelensky wrote.\n"
    "According to the Russian Defence Ministry, both sides received 195 soldiers each.\n"
    "So far, 3,035 Ukrainians have been returned — among them five women.\n"
    "The exchange was brokered by the United Arab Emirates."
)


def test_exact_quote_gets_exact_offsets() -> None:
    span = Grounder(TEXT).locate("both sides received 195 soldiers each")
    assert span is not None and span.match == "exact" and span.score == 1.0
    assert TEXT[span.start : span.end] == "both sides received 195 soldiers each"


def test_quote_with_straight_quotes_and_extra_spaces_is_found_normalised() -> None:
    span = Grounder(TEXT).locate('"Our guys are   home. 207 guys," Zelensky wrote.')
    assert span is not None and span.match == "normalized"
    assert TEXT[span.start : span.end] == "Our guys are home. 207 guys,” Zelensky wrote"  # edge punctuation trimmed


def test_slightly_misquoted_sentence_is_found_fuzzy_with_a_score() -> None:
    span = Grounder(TEXT).locate("So far 3035 Ukrainians have been returned, among them five women")
    assert span is not None and span.match == "fuzzy"
    assert 0.9 <= span.score < 1.0
    assert "3,035 Ukrainians" in TEXT[span.start : span.end]


def test_quote_rewording_its_sentence_is_found_as_that_whole_sentence() -> None:
    # no window of the text is 90% like this quote ("got" for "received"), but its sentence as a whole is
    quote = "According to the Russian Defence Ministry both sides got 195 soldiers each"
    span = Grounder(TEXT).locate(quote)
    assert span is not None and span.match == "fuzzy" and 0.9 <= span.score < 1.0
    assert TEXT[span.start : span.end] == TEXT.splitlines()[2]  # "According to ..., both sides received 195 ..."
    # reworded further, it is like no sentence enough: not found
    reworded = "According to the Russian ministry, both sides have each received 195 soldiers in a swap."
    assert Grounder(TEXT).locate(reworded) is None


def test_invented_quote_is_not_found() -> None:
    assert Grounder(TEXT).locate("Ukraine received 300 prisoners from Russia on Monday") is None
    assert Grounder(TEXT).locate("   ") is None


def test_numbers_are_recognised_in_digits_separators_and_words() -> None:
    assert number_in_text(3035, "So far, 3,035 Ukrainians")
    assert number_in_text(3035, "3 035 people")
    assert number_in_text(5, "among them five women")
    assert number_in_text(50, "the 50th exchange")
    assert number_in_text(21, "twenty-one soldiers")
    assert not number_in_text(5, "the 50th exchange")
    assert not number_in_text(20, "in 2024")
    assert not number_in_text(195, "1,195 soldiers")


# (number, text, found as any number, found as a count - a cardinal)
CARDINALS: list[tuple[int, str, bool, bool]] = [
    (1, "the first phase of the swap", True, False),  # an ordinal grounds an ordinal, never a count
    (50, "the 50th exchange", True, False),
    (5, "among them five women", True, True),
    (95, "95 servicemen", True, True),
    (2, "the 2nd of February", True, False),
]


@pytest.mark.parametrize(("number", "text", "anywhere", "as_count"), CARDINALS, ids=[row[1] for row in CARDINALS])
def test_a_count_is_grounded_only_by_a_cardinal(number: int, text: str, anywhere: bool, as_count: bool) -> None:
    assert number_in_text(number, text) is anywhere
    assert number_in_text(number, text, cardinal=True) is as_count


def _result(exchange: dict[str, object]) -> ArticleExtraction:
    return ArticleExtraction(article_id="t", text=TEXT, exchanges=[PrisonerExchange.model_validate(exchange)])


def test_ground_keeps_verified_figures_and_drops_wrong_numbers_with_a_reason() -> None:
    result = ground(_result({
        "quote": "Russia and Ukraine swapped prisoners on Wednesday.", "status": "completed",
        "mediators": ["UAE"],
        "counts": [
            {"quote": "207 guys", "returned_to": "Ukraine", "number": 207, "claimant": "Zelensky"},
            {"quote": "both sides received 195 soldiers each", "returned_to": "Russia", "number": 159},
            {"quote": "Kyiv got 300 back", "returned_to": "Ukraine", "number": 300},
        ],
    }))  # fmt: skip
    exchange = result.exchanges[0]
    assert [c.number for c in exchange.counts] == [207]
    assert exchange.counts[0].span is not None
    assert exchange.mediators == ["United Arab Emirates"]
    reasons = sorted(f.reason for f in result.flagged)
    assert reasons == ["number 159 does not occur in its quote", "quote not found in the article"]


def test_ground_can_keep_flagged_figures_when_asked() -> None:
    result = ground(
        _result({"quote": "Russia and Ukraine swapped prisoners on Wednesday.", "status": "completed",
                 "counts": [{"quote": "Kyiv got 300 back", "returned_to": "Ukraine", "number": 300}]}),
        drop_ungrounded=False,
    )  # fmt: skip
    assert len(result.flagged) == 1
    assert result.exchanges[0].counts[0].span is None


def test_mediator_the_article_never_names_is_dropped() -> None:
    result = ground(
        _result(
            {
                "quote": "Russia and Ukraine swapped prisoners on Wednesday.",
                "status": "completed",
                "mediators": ["Turkey", "United Arab Emirates"],
            }
        )
    )
    assert result.exchanges[0].mediators == ["United Arab Emirates"]
    assert any("Turkey" in w for w in result.warnings)


def test_exchange_with_invented_sentence_and_no_grounded_figure_is_dropped() -> None:
    result = ground(
        _result(
            {
                "quote": "Belarus freed 40 hostages in Minsk.",
                "status": "completed",
                "counts": [{"quote": "Belarus freed 40 hostages", "returned_to": "Belarus", "number": 40}],
            }
        )
    )
    assert result.exchanges == []
    assert any("dropped" in w for w in result.warnings)


def test_date_words_missing_from_the_article_are_dropped() -> None:
    result = ground(
        _result(
            {
                "quote": "Russia and Ukraine swapped prisoners on Wednesday.",
                "status": "completed",
                "date_text": "on 12 March",
            }
        )
    )
    assert result.exchanges[0].date_text is None


@pytest.mark.parametrize(
    ("quote", "number", "flagged"),
    [("the 50th exchange", 50, []),
     ("both sides received 195 soldiers each", 195,
      ["ordinal 195 is not written as an ordinal in its quote (e.g. '195th')"])],
    ids=["an ordinal", "a head count"],
)  # fmt: skip
def test_an_ordinal_is_grounded_only_by_an_ordinal_in_its_quote(quote: str, number: int, flagged: list[str]) -> None:
    record = {"quote": f"It was {quote}.", "status": "completed", "ordinal": {"quote": quote, "number": number}}
    exchange = PrisonerExchange.model_validate(record)
    result = ground(ArticleExtraction(article_id="t", text=f"It was {quote}.", exchanges=[exchange]))
    assert (result.exchanges[0].ordinal is None) == bool(flagged)
    assert [f.reason for f in result.flagged] == flagged


PEOPLE_TEXT = (
    "The United States freed businessman Rafael Ortiz on Tuesday. "
    "In return, Caracas released the American pilot Dana Whitfield, officials said."
)


@pytest.mark.parametrize(
    ("name", "quote", "kept_on"),
    [
        ("Dana Whitfield", "Caracas freed pilot Dana Whitfield and sent her home.", 1),  # misquoted, name there
        ("Rafael Ortiz", "The United States freed businessman Rafael Ortiz on Tuesday.", 0),  # quote there
        ("Maria Lopez", "Caracas freed Maria Lopez.", None),  # neither the quote nor the name is in the text
        ("Whit", "Caracas freed Whit.", None),  # only inside another word ("Whitfield")
    ],
)
def test_a_released_person_whose_quote_is_not_found_is_grounded_on_the_sentence_naming_them(
    name: str, quote: str, kept_on: int | None
) -> None:
    exchange = PrisonerExchange.model_validate(
        {
            "quote": "The United States freed businessman Rafael Ortiz on Tuesday.",
            "status": "completed",
            "released_people": [{"quote": quote, "name": name}],
        }
    )
    result = ground(ArticleExtraction(article_id="p", text=PEOPLE_TEXT, exchanges=[exchange]))
    people = result.exchanges[0].released_people
    if kept_on is None:
        assert people == [] and [f.field for f in result.flagged] == ["released_people"]
        return
    sentences = ["The United States freed businessman Rafael Ortiz on Tuesday.",
                 "In return, Caracas released the American pilot Dana Whitfield, officials said."]  # fmt: skip
    assert [(p.name, p.quote) for p in people] == [(name, sentences[kept_on])]
    span = people[0].span
    assert span is not None and PEOPLE_TEXT[span.start : span.end] == sentences[kept_on]
    assert result.flagged == []


def test_a_mediator_named_by_its_nationality_word_is_named() -> None:
    article = _result({"quote": "Russia and Ukraine swapped prisoners on Wednesday.", "status": "completed",
                       "mediators": ["Switzerland"]})  # fmt: skip
    article.text += " The Swiss government acted as an intermediary."
    assert ground(article).exchanges[0].mediators == ["Switzerland"]
