"""Live: the embedded model really runs here (marked ``live``; CI runs it once after installing the extra)."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from pathlib import Path

import pytest

from pow_extract import extract, load_article
from pow_extract.model.embedded import ensure_server, stop_all, wait_until_idle

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


@pytest.mark.live
@pytest.mark.timeout(300)
def test_the_embedded_server_finishes_a_request_whose_client_gave_up_and_says_when_it_is_free(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # what the retry after a timeout relies on (Backend.settle): the server does not stop for a client that has
    # gone, and GET /v1/models answers only once the model is free
    monkeypatch.delenv("POW_EXTRACT_GGUF", raising=False)
    try:
        server = ensure_server()
        body = {
            "model": server.alias,
            "messages": [{"role": "user", "content": "Write the numbers from 1 to 300, separated by commas."}],
            "max_tokens": 150,
            "temperature": 0,
        }
        request = urllib.request.Request(
            f"{server.base_url}/chat/completions", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        with pytest.raises(TimeoutError):
            urllib.request.urlopen(request, timeout=2.0)
        waited = wait_until_idle(server.base_url, timeout=240.0)
        again = wait_until_idle(server.base_url, timeout=10.0)
    finally:
        stop_all()
    print(f"waited {waited} s for the abandoned completion, then {again} s")
    assert waited is not None and waited > 1.0, "the server stopped the completion when its client went away"
    assert again is not None and again < 1.0
