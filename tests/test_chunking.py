"""Articles longer than the model's context are split into overlapping chunks whose records are merged."""

from __future__ import annotations

import itertools

from pow_extract.reading.chunking import chunk_text, merge_chunk_exchanges
from pow_extract.records.schema import PrisonerExchange


def _long_text(paragraphs: int = 60) -> str:
    return "\n\n".join(f"Paragraph {i}. " + "Officials spoke about the war at length. " * 8 for i in range(paragraphs))


def test_short_text_is_one_chunk() -> None:
    assert len(chunk_text("A short article.", max_tokens=100)) == 1


def test_long_text_chunks_are_exact_overlapping_substrings_covering_everything() -> None:
    text = _long_text()
    chunks = chunk_text(text, max_tokens=400)
    assert len(chunks) > 3
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        assert len(chunk.text) <= 400 * 3.5
    for before, after in itertools.pairwise(chunks):
        assert after.start < before.end  # overlap: a border sentence is seen whole once


def _exchange(mention: str, counts: list[int]) -> PrisonerExchange:
    return PrisonerExchange.model_validate({
        "quote": "Ukraine and Russia swapped prisoners on 31 January.", "status": "completed", "mention": mention,
        "date_text": "31 January", "parties": ["Ukraine", "Russia"],
        "counts": [{"quote": f"{n} came home", "returned_to": "Ukraine", "number": n} for n in counts],
    })  # fmt: skip


def test_same_exchange_seen_in_two_chunks_is_merged_without_duplicate_figures() -> None:
    merged = merge_chunk_exchanges([[_exchange("secondary", [207])], [_exchange("primary", [207, 195])]])
    assert len(merged) == 1
    assert merged[0].mention == "primary"
    assert sorted(c.number for c in merged[0].counts) == [195, 207]
