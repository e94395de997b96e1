"""End to end on the seed articles, replaying the real model answers recorded in evals/cassettes.

These are the same cassettes the eval replays (recorded by ``bash scripts/record-cassettes.sh`` from the
embedded llama.cpp model), so the tests need no server, no model and no network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pow_extract.model import recording
from pow_extract.reading.extraction import extract
from pow_extract.reading.resolver import _normalize, number_in_text
from pow_extract.records.gold import load_gold
from pow_extract.records.schema import AgeBound, ArticleExtraction

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(p.stem for p in (ROOT / "evals" / "articles").glob("00[0-4]_*.txt"))
NO_EXCHANGE = "116_no_exchange_avdiivka_withdrawal"


def replay(article_id: str) -> ArticleExtraction:
    gold = load_gold(ROOT / "evals" / "gold" / f"{article_id}.json")
    text = (ROOT / "evals" / "articles" / f"{article_id}.txt").read_text(encoding="utf-8")
    with recording.cassette(ROOT / "evals" / "cassettes" / f"{article_id}.yaml", record_mode="none") as tape:
        result = extract(text, backend=tape.backend, published=gold.published, article_id=article_id)
        assert tape.play_count >= 1
    return result


@pytest.mark.parametrize("article_id", SEEDS)
def test_seed_article_gives_records_whose_every_figure_is_grounded_in_its_sentence(article_id: str) -> None:
    result = replay(article_id)
    assert result.exchanges, "every seed reports an exchange"
    assert result.usage.requests >= 1 and result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    text = result.text or ""
    for exchange in result.exchanges:
        for figure in exchange.figures():
            span = figure.span
            assert span is not None, f"ungrounded figure kept: {figure}"
            located = text[span.start : span.end]
            if span.match == "exact":
                assert located == figure.quote
            elif span.match == "normalized":
                assert _normalize(figure.quote).text.find(_normalize(located).text) >= 0
            number = figure.age if isinstance(figure, AgeBound) else getattr(figure, "number", None)
            if isinstance(number, int):
                assert number_in_text(number, located)


def test_seed_001_reports_207_ukrainians_returned() -> None:
    result = replay("001_ed58aa1eb257d2f6")
    counts = [(c.returned_to, c.number) for e in result.exchanges for c in e.counts]
    assert ("Ukraine", 207) in counts


def test_article_without_an_exchange_gives_an_empty_list() -> None:
    result = replay(NO_EXCHANGE)
    assert result.exchanges == []
