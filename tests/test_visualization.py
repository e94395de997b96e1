"""Unit tests for the HTML review page (pow_extract.review.page): no model and no browser needed."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pow_extract.cli.render import render_command
from pow_extract.dataset.jsonl import read_extractions
from pow_extract.records.schema import (
    AgeBound,
    ArticleExtraction,
    BreakdownItem,
    CountClaim,
    CumulativeTotal,
    ExchangeOrdinal,
    FlaggedFigure,
    MatchKind,
    PrisonerExchange,
    ReleasedPerson,
    Span,
)
from pow_extract.review.page import render, to_html

TEXT = (
    "Russia and Ukraine swapped prisoners on Wednesday.\n\n"
    "Ukraine brought home 207 soldiers, President Volodymyr Zelensky said, while Russia's Defence Ministry "
    "said 195 Russian servicemen were returned. It was the 50th exchange, per the ombudsman. "
    "Among them were 180 privates and 27 officers; the youngest was 19. Marine Ivan Petrenko was freed. "
    "Since 2022, over 3,000 Ukrainians have come home."
)


def span_of(quote: str, text: str = TEXT, match: MatchKind = "exact") -> Span:
    """Span of the first occurrence of ``quote`` in ``text``."""
    start = text.index(quote)
    return Span(start=start, end=start + len(quote), match=match, score=1.0 if match != "fuzzy" else 0.9)


def sample(text: str = TEXT, *, claimant: str = "Volodymyr Zelensky") -> ArticleExtraction:
    """A fully grounded extraction with one figure of each kind."""
    exchange = PrisonerExchange(
        status="completed",
        date_text="on Wednesday",
        parties=["Ukraine", "Russia"],
        mediators=["United Arab Emirates"],
        quote="Russia and Ukraine swapped prisoners on Wednesday",
        ordinal=ExchangeOrdinal(quote="the 50th exchange", number=50, claimant="ombudsman", claimant_side="Ukraine"),
        counts=[
            CountClaim(
                quote="Ukraine brought home 207 soldiers",
                returned_to="Ukraine",
                number=207,
                claimant=claimant,
                claimant_side="Ukraine",
            ),
            CountClaim(
                quote="195 Russian servicemen were returned",
                returned_to="Russia",
                number=195,
                claimant="Russia's Defence Ministry",
                claimant_side="Russia",
            ),
        ],
        breakdown=[
            BreakdownItem(quote="180 privates", returned_to="Ukraine", category="rank", label="privates", number=180),
            BreakdownItem(quote="27 officers", returned_to="Ukraine", category="rank", label="officers", number=27),
        ],
        ages=[AgeBound(quote="the youngest was 19", returned_to="Ukraine", bound="youngest", age=19)],
        released_people=[
            ReleasedPerson(quote="Marine Ivan Petrenko was freed", name="Ivan Petrenko", description="marine")
        ],
        cumulative_totals=[
            CumulativeTotal(quote="over 3,000 Ukrainians", returned_to="Ukraine", number=3000, qualifier="over")
        ],
    )
    exchange.span = span_of(exchange.quote, text)
    exchange.date = dt.date(2024, 1, 31)
    exchange.date_precision = "day"
    for figure in exchange.figures():
        figure.span = span_of(figure.quote, text)
    return ArticleExtraction(
        article_id="art-1",
        source="example.org",
        published=dt.date(2024, 1, 31),
        text=text,
        exchanges=[exchange],
        flagged=[
            FlaggedFigure(
                exchange_index=0,
                field="counts",
                reason="quote not found in the article",
                figure={"quote": "250 came home", "number": 250, "returned_to": "Ukraine"},
            )
        ],
        model="test-model",
    )


class MarkCollector(HTMLParser):
    """Collects, for every figure id, the (unescaped) text of the <mark> segments that carry it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: dict[str, str] = {}
        self.fields: dict[str, set[str]] = {}
        self.segments: list[tuple[list[str], str]] = []
        self._open: list[str] | None = None
        self._buffer: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            assert self._open is None, "nested <mark>: segments must not overlap"
            values = dict(attrs)
            self._open = (values.get("data-figs") or "").split()
            self._fields = set((values.get("data-fields") or "").split())
            self._buffer = []
        elif tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            assert self._open is not None
            text = "".join(self._buffer)
            self.segments.append((self._open, text))
            for fig in self._open:
                self.figures[fig] = self.figures.get(fig, "") + text
                self.fields.setdefault(fig, set()).update(self._fields)
            self._open = None
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._buffer.append(data)
        if self._in_script:
            self.scripts[-1] += data


def collect(page: str) -> MarkCollector:
    parser = MarkCollector()
    parser.feed(page)
    parser.close()
    return parser


def article_text_of(page: str) -> str:
    """The article text as displayed: the content of the first .article-text div, tags stripped, unescaped."""
    match = re.search(r'<div class="article-text">(.*?)</div>', page, re.S)
    assert match, "no article text block"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def test_every_span_is_highlighted_at_its_text() -> None:
    article = sample()
    page = to_html(article)
    marks = collect(page)
    exchange = article.exchanges[0]
    expected = {
        "a0-x0": exchange.quote,
        "a0-x0-date": "on Wednesday",
        "a0-x0-ordinal": "the 50th exchange",
        "a0-x0-counts-0": "Ukraine brought home 207 soldiers",
        "a0-x0-counts-1": "195 Russian servicemen were returned",
        "a0-x0-breakdown-0": "180 privates",
        "a0-x0-breakdown-1": "27 officers",
        "a0-x0-ages-0": "the youngest was 19",
        "a0-x0-people-0": "Marine Ivan Petrenko was freed",
        "a0-x0-totals-0": "over 3,000 Ukrainians",
    }
    for fig_id, quote in expected.items():
        assert marks.figures.get(fig_id) == quote, fig_id
    assert marks.fields["a0-x0-counts-0"] == {"counts"}
    assert marks.fields["a0-x0-totals-0"] == {"totals"}
    # the text itself is unchanged by the markup
    assert article_text_of(page) == TEXT


def test_panel_lists_records_and_claims() -> None:
    page = to_html(sample())
    for needle in (
        "Exchange 1",
        "completed",
        "2024-01-31",
        "Ukraine, Russia",
        "United Arab Emirates",
        "207",
        "per Volodymyr Zelensky (Ukraine)",
        "per Russia&#x27;s Defence Ministry (Russia)",
        "over 3,000",
        "Ivan Petrenko",
        "#50",
    ):
        assert needle in page, needle
    # each located figure has a clickable panel entry pointing at its highlight
    for fig_id in ("a0-x0", "a0-x0-counts-0", "a0-x0-counts-1", "a0-x0-date", "a0-x0-ordinal"):
        assert f'data-target="{fig_id}"' in page


def test_legend_lists_every_field() -> None:
    page = to_html(sample())
    for field in ("counts", "breakdown", "ages", "people", "totals", "ordinal", "exchange", "date"):
        assert f'data-toggle-field="{field}"' in page
        assert f"mark.f-{field}" in page


def test_script_in_article_text_is_escaped() -> None:
    text = "Before <script>alert(1)</script> & after: Ukraine brought home 207 soldiers. " + TEXT
    page = to_html(sample(text))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    marks = collect(page)
    assert len(marks.scripts) == 1  # only the page's own script
    assert "alert(1)" not in marks.scripts[0]
    assert article_text_of(page) == text


def test_script_in_model_strings_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    article = sample(claimant=evil)
    article.exchanges[0].parties = [evil]
    article.warnings = [evil]
    article.flagged[0].reason = evil
    article.article_id = f'x" onmouseover="alert(1){evil}'
    page = to_html(article, title=evil)
    assert evil not in page
    assert 'onmouseover="alert(1)' not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5
    assert len(collect(page).scripts) == 1


def test_overlapping_spans_split_into_segments() -> None:
    text = "In total 207 Ukrainian soldiers came home on Wednesday."
    exchange = PrisonerExchange(
        status="completed",
        quote=text,
        counts=[
            CountClaim(quote="207 Ukrainian soldiers", returned_to="Ukraine", number=207),
            CountClaim(quote="Ukrainian soldiers came home", returned_to="Ukraine", number=207),
        ],
    )
    exchange.span = span_of(text, text)
    exchange.counts[0].span = span_of("207 Ukrainian soldiers", text)
    exchange.counts[1].span = span_of("Ukrainian soldiers came home", text, match="fuzzy")
    page = to_html(ArticleExtraction(article_id="overlap", text=text, exchanges=[exchange]))
    marks = collect(page)  # asserts that no <mark> is nested inside another
    assert marks.figures["a0-x0"] == text
    assert marks.figures["a0-x0-counts-0"] == "207 Ukrainian soldiers"
    assert marks.figures["a0-x0-counts-1"] == "Ukrainian soldiers came home"
    shared = [figs for figs, segment in marks.segments if segment == "Ukrainian soldiers"]
    assert len(shared) == 1
    assert set(shared[0]) == {"a0-x0", "a0-x0-counts-0", "a0-x0-counts-1"}
    assert shared[0][-1] == "a0-x0"  # the exchange anchor is listed last: figures are more specific
    assert re.search(r'<mark class="[^"]*\bmulti\b[^"]*\bfuzzy\b', page)
    assert "".join(segment for _, segment in marks.segments) == text
    assert article_text_of(page) == text


def test_identical_and_nested_spans() -> None:
    text = "Ukraine got 5 back."
    exchange = PrisonerExchange(
        status="completed",
        quote="Ukraine got 5 back",
        counts=[
            CountClaim(quote="Ukraine got 5 back", returned_to="Ukraine", number=5),
            CountClaim(quote="got 5", returned_to="Ukraine", number=5),
        ],
    )
    exchange.span = span_of("Ukraine got 5 back", text)
    exchange.counts[0].span = span_of("Ukraine got 5 back", text)
    exchange.counts[1].span = span_of("got 5", text)
    marks = collect(to_html(ArticleExtraction(article_id="same", text=text, exchanges=[exchange])))
    assert marks.figures["a0-x0"] == marks.figures["a0-x0-counts-0"] == "Ukraine got 5 back"
    assert marks.figures["a0-x0-counts-1"] == "got 5"


def test_flagged_figures_are_listed() -> None:
    page = to_html(sample())
    assert "Flagged (ungrounded)" in page
    flagged = page[page.index("Flagged (ungrounded)") :]
    assert "quote not found in the article" in flagged
    assert "250 came home" in flagged
    assert "number=250" in flagged


def test_missing_and_invalid_spans_are_listed_not_highlighted() -> None:
    article = sample()
    exchange = article.exchanges[0]
    exchange.counts[0].span = None
    exchange.counts[1].span = Span(start=5, end=len(TEXT) + 50, match="exact", score=1.0)  # out of range
    exchange.span = None
    page = to_html(article)
    marks = collect(page)
    assert "a0-x0-counts-0" not in marks.figures
    assert "a0-x0-counts-1" not in marks.figures
    assert "a0-x0" not in marks.figures
    assert 'data-figure="a0-x0-counts-0"' in page
    assert 'data-target="a0-x0-counts-0"' not in page
    assert "not located" in page
    assert "Ukraine brought home 207 soldiers" in page  # the quote is shown instead
    assert article_text_of(page) == TEXT


def test_article_without_text() -> None:
    article = sample()
    article.text = None
    page = to_html(article)
    assert "<mark" not in page
    assert "not included" in page
    assert "per Volodymyr Zelensky" in page


def test_no_network_assets() -> None:
    page = to_html([sample(), sample()])
    assert not re.search(r"https?://", page)
    assert not re.search(r"<(link|img|iframe)\b", page)
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert "<style>" in page and "<script>" in page


def test_urls_in_article_text_are_plain_text() -> None:
    text = "See https://example.com/x.js for photos. " + TEXT
    page = to_html(sample(text))
    assert "<a " not in page.split('<div class="article-text">')[1].split("</div>")[0]
    assert not re.search(r'(src|href)="https?://', page)


def test_several_articles_get_distinct_ids_and_a_toc() -> None:
    page = to_html([sample(), sample()])
    marks = collect(page)
    assert marks.figures["a0-x0-counts-0"] == marks.figures["a1-x0-counts-0"]
    assert 'href="#art-0"' in page and 'href="#art-1"' in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_accepts_single_record_iterables_and_empty() -> None:
    one = sample()
    assert to_html(one) == to_html([one]) == to_html(iter([one]))
    assert "No articles" in to_html([])
    with pytest.raises(TypeError):
        to_html([one.model_dump()])  # type: ignore[list-item]


def test_render_and_render_command(tmp_path: Path) -> None:
    article = sample()
    out = render(article, tmp_path / "sub" / "page.html")
    assert out.read_text(encoding="utf-8") == to_html(article)

    jsonl = tmp_path / "results.jsonl"
    jsonl.write_text(article.model_dump_json() + "\n\n" + sample().model_dump_json() + "\n", encoding="utf-8")
    assert read_extractions([jsonl])[0] == article
    target = tmp_path / "review.html"
    assert render_command([jsonl], target) == 0
    marks = collect(target.read_text(encoding="utf-8"))
    assert marks.figures["a1-x0-counts-0"] == "Ukraine brought home 207 soldiers"


def test_read_extractions_keeps_unicode_line_separators(tmp_path: Path) -> None:
    text = "Line one\u2028line two\x85 and \x1c: " + TEXT
    article = sample(text)
    jsonl = tmp_path / "unicode.jsonl"
    jsonl.write_text(article.model_dump_json() + "\r\n", encoding="utf-8")
    [back] = read_extractions([jsonl])
    assert back.text == text
    assert article_text_of(to_html(back)) == text


def test_render_command_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such file"):
        render_command([tmp_path / "missing.jsonl"], tmp_path / "out.html")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(sample().model_dump_json() + '\n{"exchanges": 5}\n' + sample().model_dump_json(), encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: not a valid ArticleExtraction"):
        render_command([bad], tmp_path / "out.html")
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text('{"exchanges": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"wrong\.jsonl:1: .*article_id"):
        render_command([wrong], tmp_path / "out.html")
    with pytest.raises(ValueError, match="no input"):
        render_command([], tmp_path / "out.html")
    assert not (tmp_path / "out.html").exists()


def test_result_renders_itself_through_the_review_page() -> None:
    """ArticleExtraction.to_html() draws the same page as to_html(), although records do not import the review page
    (the package root plugs it in)."""
    page = sample().to_html(title="one")
    assert page == to_html(sample(), title="one")
    assert "<title>one</title>" in page
