"""Live: the embedded model really runs here (marked ``live``; CI runs it once after installing the extra)."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from pow_extract import extract, load_article
from pow_extract.model.embedded import EmbeddedServer, ensure_server, model_path, stop_all, wait_until_idle
from pow_extract.model.llama_server import GREEDY_FIRST_ENV

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "evals" / "articles" / "001_ed58aa1eb257d2f6.txt"


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


@pytest.mark.live
@pytest.mark.timeout(600)
def test_the_greedy_first_grammar_check_gives_the_plain_servers_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    # the embedded server's shortcut (pow_extract.model.llama_server) must not change a greedy answer: the recorded
    # extraction request of one eval article, schema grammar and all, to a fresh server with the check off, then on
    cassette = ROOT / "evals" / "cassettes" / "125_state_media_95_for_95_october.yaml"
    interaction = yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"][0]
    body = json.loads(interaction["request"]["body"])
    body["max_tokens"] = 200
    answers: dict[str, tuple[str, int, float]] = {}
    for setting in ("0", "1"):
        monkeypatch.setenv(GREEDY_FIRST_ENV, setting)
        server = EmbeddedServer(model_path(), body["model"])
        server.start()
        try:
            request = urllib.request.Request(
                f"{server.base_url}/chat/completions", json.dumps(body).encode(), {"Content-Type": "application/json"}
            )
            started = time.perf_counter()
            reply = json.loads(urllib.request.urlopen(request, timeout=500).read())
            seconds = time.perf_counter() - started
        finally:
            server.stop()
        answers[setting] = (reply["choices"][0]["message"]["content"], reply["usage"]["completion_tokens"], seconds)
    print({setting: (tokens, round(seconds, 1)) for setting, (_, tokens, seconds) in answers.items()})
    assert answers["0"][1] >= 100, "too short an answer to compare"
    assert answers["1"][:2] == answers["0"][:2]
