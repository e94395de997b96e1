"""Property tests (hypothesis): grounding offsets, number matching, chunk coverage and the scorer hold for any input.

Runs are derandomised (the same examples every run) and keep no example database, so the suite stays deterministic.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from perfect import perfect_exchange, perfect_extraction

from pow_extract.evaluation.scoring import exchange_similarity, score
from pow_extract.reading.chunking import CHARS_PER_TOKEN, chunk_text
from pow_extract.reading.resolver import Grounder, _normalize, number_in_text
from pow_extract.records.gold import (
    GoldAge,
    GoldArticle,
    GoldBreakdown,
    GoldCount,
    GoldExchange,
    GoldOrdinal,
    GoldPerson,
    GoldTotal,
)

PROPERTY = settings(
    max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
FEW = settings(PROPERTY, max_examples=50)

DOTTED_I = "\u0130"  # "İ": the one character whose lower() is two characters (regression tests below)
ODD = (
    "aAzZ09 .,;:'\"\n\t\r-–—‑−‘’“”«»„…•·\u00a0\u2009\u202f\u200b\u3000"
    "ÀéßſﬁẞΣσςИйЁё中文🙂\u0301\u0627\u05d0\ufeff\x00\x7f"
)
odd_char = st.one_of(st.sampled_from(ODD), st.characters(blacklist_categories=("Cs",))).filter(lambda c: c != DOTTED_I)
odd_text = st.text(odd_char, max_size=300)
STRIPPED = " .,;:'\""


def _nq(text: str) -> str:
    """What grounding compares: the normalised text without edge punctuation."""
    return _normalize(text).text.strip(STRIPPED)


def _valid_span(text: str, span: Any) -> None:
    assert 0 <= span.start < span.end <= len(text)
    assert span.match in ("exact", "normalized", "fuzzy")
    assert 0.0 <= span.score <= 1.0


# --------------------------------------------------------------------------------------------- grounding


@PROPERTY
@given(text=odd_text, data=st.data())
def test_any_substring_quote_is_located_exactly_where_it_slices_back_to_the_quote(text: str, data: Any) -> None:
    i = data.draw(st.integers(0, len(text)), label="i")
    j = data.draw(st.integers(i, len(text)), label="j")
    quote = text[i:j]
    span = Grounder(text).locate(quote)
    if not quote.strip():
        assert span is None
        return
    assert span is not None and span.match == "exact" and span.score == 1.0
    assert text[span.start : span.end] == quote.strip()


_SWAPS = {"'": "’", '"': "“", "-": "–", " ": "\u00a0 \n", "\n": " ", "…": "."}


@st.composite
def _reworded(draw: Any, source: str) -> str:
    """``source`` as a model might copy it: other case, curly quotes, other dashes, other whitespace."""
    out = []
    for ch in source:
        if ch.isascii() and ch.isalpha() and draw(st.booleans()):
            out.append(ch.swapcase())
        elif ch in _SWAPS and draw(st.booleans()):
            out.append(_SWAPS[ch])
        else:
            out.append(ch)
    return "".join(out)


@PROPERTY
@given(text=odd_text, data=st.data())
def test_reworded_substring_quote_is_located_at_text_that_normalises_to_the_quote(text: str, data: Any) -> None:
    i = data.draw(st.integers(0, len(text)), label="i")
    j = data.draw(st.integers(i, len(text)), label="j")
    quote = data.draw(_reworded(text[i:j]), label="quote")
    assume(_nq(quote.strip()))
    span = Grounder(text).locate(quote)
    assert span is not None, "a quote differing only in case, quotes, dashes and spaces must be found"
    _valid_span(text, span)
    located = text[span.start : span.end]
    if span.match == "exact":
        assert located == quote.strip()
    else:
        assert span.match == "normalized"
        assert _nq(located) == _nq(quote.strip())


@PROPERTY
@given(text=odd_text, quote=st.text(odd_char, max_size=80))
def test_locate_never_crashes_and_returns_a_valid_span_or_none(text: str, quote: str) -> None:
    span = Grounder(text).locate(quote)
    if span is not None:
        _valid_span(text, span)
        if span.match == "exact":
            assert text[span.start : span.end] == quote.strip()


@FEW
@given(text=odd_text, quote=st.text(odd_char, min_size=12, max_size=60), score=st.floats(0.01, 1.0))
def test_fuzzy_location_never_crashes_at_any_threshold(text: str, quote: str, score: float) -> None:
    span = Grounder(text, min_fuzzy_score=score).locate(quote)
    if span is not None:
        _valid_span(text, span)


def test_fuzzy_threshold_of_zero_does_not_crash() -> None:
    assert Grounder("", min_fuzzy_score=0.0).locate("a quote of some length") is None


def test_normalised_match_after_a_dotted_capital_i_does_not_crash() -> None:
    text = "Talks in İstanbul ended. Some 207 Prisoners came home"
    span = Grounder(text).locate("some 207 prisoners came home")
    assert span is not None and text[span.start : span.end] == "Some 207 Prisoners came home"


def test_normalised_match_after_a_dotted_capital_i_has_the_right_offsets() -> None:
    text = "İİ. Zelensky said 207 soldiers came home, and the talks went on."
    span = Grounder(text).locate("ZELENSKY said 207 soldiers")
    assert span is not None and text[span.start : span.end] == "Zelensky said 207 soldiers"


# ------------------------------------------------------------------------------------------------ numbers


@PROPERTY
@given(n=st.integers(0, 10**15))
def test_number_is_found_in_its_thousands_grouped_form(n: int) -> None:
    assert number_in_text(n, f"{n:,}")


@PROPERTY
@given(
    n=st.integers(0, 10**12),
    sep=st.sampled_from([",", ".", " ", "\u00a0", "\u202f", "'"]),
    before=st.sampled_from(["", "some ", "(", "about ", "— "]),
    after=st.sampled_from(["", " people", ".", ")"]),
)
def test_number_is_found_in_prose_with_any_thousands_separator(n: int, sep: str, before: str, after: str) -> None:
    assert number_in_text(n, f"{before}{n:,}{after}".replace(",", sep))
    assert number_in_text(n, f"{before}{n}{after}")


@PROPERTY
@given(n=st.integers(0, 10**9), m=st.integers(0, 10**9))
def test_a_different_number_in_digits_is_never_taken_for_the_number(n: int, m: int) -> None:
    assume(n != m)
    assert not number_in_text(n, f"{m:,}")
    assert not number_in_text(n, f"{m}")


# ------------------------------------------------------------------------------------------------ chunking

chunk_char = st.one_of(st.sampled_from("ab .!?\n\"')”’"), st.characters(blacklist_categories=("Cs",)))


@PROPERTY
@given(text=st.text(chunk_char, max_size=3000), max_tokens=st.integers(1, 300), overlap=st.integers(0, 600))
def test_chunks_are_exact_substrings_that_cover_the_whole_text_in_order(
    text: str, max_tokens: int, overlap: int
) -> None:
    chunks = chunk_text(text, max_tokens, overlap_chars=overlap)
    limit = max(len(text), 1) if len(text) <= int(max_tokens * CHARS_PER_TOKEN) else int(max_tokens * CHARS_PER_TOKEN)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert len(chunk.text) <= limit
    for before, after in itertools.pairwise(chunks):
        assert before.start < after.start <= before.end  # strictly forward, never a gap


@PROPERTY
@given(text=st.text(chunk_char, min_size=1, max_size=3000), max_tokens=st.integers(1, 300))
def test_every_character_is_in_some_chunk(text: str, max_tokens: int) -> None:
    covered = bytearray(len(text))
    for chunk in chunk_text(text, max_tokens):
        covered[chunk.start : chunk.end] = b"\x01" * (chunk.end - chunk.start)
    assert all(covered)


# ------------------------------------------------------------------------------------------------- scoring

PARTIES = ["Ukraine", "Russia", "both"]
CLAIMANTS = [
    (None, None),
    ("Volodymyr Zelensky", "Ukraine"),
    ("Russian Defence Ministry", "Russia"),
    ("Dmytro Lubinets", "Ukraine"),
]


@st.composite
def _claimed(draw: Any) -> dict[str, Any]:
    claimant, side = draw(st.sampled_from(CLAIMANTS))
    return {"claimant": claimant, "claimant_side": side}


@st.composite
def gold_exchanges(draw: Any, index: int) -> GoldExchange:
    has_date = draw(st.booleans())
    counts = [
        GoldCount(
            returned_to=draw(st.sampled_from(PARTIES)),
            number=draw(st.integers(1, 5000)),
            qualifier=draw(st.sampled_from(["exact", "over", "about", "almost"])),
            **draw(_claimed()),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    return GoldExchange(
        event_id=f"event-{index}",
        kind=draw(st.sampled_from(["prisoners", "bodies", "mixed"])),
        status=draw(st.sampled_from(["completed", "planned", "postponed_or_cancelled"])),
        mention=draw(st.sampled_from(["primary", "secondary"])),
        date=dt.date(2024, 1, 1) + dt.timedelta(days=draw(st.integers(0, 400))) if has_date else None,
        date_precision=draw(st.sampled_from(["day", "month", "year"])) if has_date else None,
        parties=draw(st.sampled_from([[], ["Ukraine", "Russia"], ["Israel", "Hamas"]])),
        mediators=draw(st.sampled_from([[], ["United Arab Emirates"], ["Qatar", "Egypt"]])),
        ordinal=GoldOrdinal(number=draw(st.integers(1, 80)), **draw(_claimed())) if draw(st.booleans()) else None,
        counts=counts,
        breakdown=[
            GoldBreakdown(
                returned_to="Ukraine",
                category=draw(st.sampled_from(["civilians", "women"])),
                label="civilians",
                number=draw(st.integers(1, 50)),
            )
            for _ in range(draw(st.integers(0, 2)))
        ],
        ages=[GoldAge(returned_to="Ukraine", bound="oldest", age=draw(st.integers(18, 90)))]
        if draw(st.booleans())
        else [],
        released_people=[
            GoldPerson(name=draw(st.sampled_from(["Maksym Kolesnikov", "Nariman Dzhelyal"])), returned_to="Ukraine")
        ]
        if draw(st.booleans())
        else [],
        cumulative_totals=[GoldTotal(returned_to="Ukraine", number=draw(st.integers(100, 5000)), **draw(_claimed()))]
        if draw(st.booleans())
        else [],
    )


@st.composite
def gold_articles(draw: Any, article_id: str = "a1") -> GoldArticle:
    n = draw(st.integers(0, 4))
    return GoldArticle(
        article_id=article_id, published=dt.date(2025, 6, 1), exchanges=[draw(gold_exchanges(i)) for i in range(n)]
    )


@FEW
@given(gold=gold_articles())
def test_scoring_a_gold_article_against_itself_gives_f1_one(gold: GoldArticle) -> None:
    report = score([perfect_extraction(gold)], [gold])
    for name, field in report.fields.items():
        assert field.fp == 0 and field.fn == 0, (name, field)
        assert field.f1 in (1.0, None)
    assert report.overall.f1 == (1.0 if report.overall.tp else None)
    assert report.invented == 0 and report.status_errors == 0


@PROPERTY
@given(a=gold_exchanges(0), b=gold_exchanges(1))
def test_exchange_similarity_is_symmetric_in_unit_range_and_one_for_itself(a: GoldExchange, b: GoldExchange) -> None:
    pa, pb = perfect_exchange(a), perfect_exchange(b)
    forward, backward = exchange_similarity(pa, b), exchange_similarity(pb, a)
    assert 0.0 <= forward <= 1.0
    assert forward == pytest.approx(backward, abs=1e-12)
    assert exchange_similarity(pa, a) == pytest.approx(1.0)


@FEW
@given(a=gold_exchanges(0), b=gold_exchanges(0))
def test_scoring_is_symmetric_between_prediction_and_gold(a: GoldExchange, b: GoldExchange) -> None:
    # one exchange a side: the alignment has no ties to break, so swapping the roles swaps FP and FN exactly
    # (with several exchanges, equally good alignments may legitimately differ in the facts they pair)
    gold_a = GoldArticle(article_id="a1", exchanges=[a])
    gold_b = GoldArticle(article_id="a1", exchanges=[b])
    forward = score([perfect_extraction(gold_a)], [gold_b]).fields
    backward = score([perfect_extraction(gold_b)], [gold_a]).fields
    for name in forward:
        assert forward[name].tp == backward[name].tp, name
        assert (forward[name].fp, forward[name].fn) == (backward[name].fn, backward[name].fp), name


@FEW
@given(a=gold_articles(), b=gold_articles())
def test_scores_are_counts_and_rates_in_range_for_any_pair(a: GoldArticle, b: GoldArticle) -> None:
    report = score([perfect_extraction(a)], [b])
    for field in [*report.fields.values(), report.overall]:
        assert min(field.tp, field.fp, field.fn) >= 0
        for rate in (field.precision, field.recall, field.f1):
            assert rate is None or 0.0 <= rate <= 1.0
    assert report.fields["exchange"].tp + report.fields["exchange"].fp == len(a.exchanges)
    assert report.fields["exchange"].tp + report.fields["exchange"].fn == len(b.exchanges)
