"""Live: the embedded model really runs here (marked ``live``; CI runs it once after installing the extra)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pow_extract import extract, load_article
from pow_extract.model.embedded import stop_all

SEED = Path(__file__).resolve().parent.parent / "evals" / "articles" / "001_ed58aa1eb257d2f6.txt"


@pytest.mark.live
@pytest.mark.timeout(900)
def test_embedded_model_extracts_a_seed_article_with_grounded_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "POW_EXTRACT_MODEL", "POW_EXTRACT_GGUF"):
        monkeypatch.delenv(name, raising=False)
    try:
        result = extract(load_article(SEED, published=dt.date(2024, 1, 31)))
    finally:
        stop_all()
    print(f"embedded model: {result.seconds} s, usage {result.usage}")
    counts = [c for e in result.exchanges for c in e.counts]
    assert counts, "the seed reports 207 returned Ukrainians"
    assert all(c.span is not None for c in counts)
    assert result.usage.requests >= 1
