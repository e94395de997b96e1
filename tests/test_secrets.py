"""The API key from the environment reaches the server and nowhere else: not reprs, errors, logs or results."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterator

import pytest
from fakeserver import (
    Behaviour,
    FakeServer,
    drop,
    empty_choices,
    grounded_answer,
    hang,
    invalid_json,
    note_article,
    rate_limited,
    status,
    truncated,
)

from pow_extract.model.backends import Backend, resolve_backend
from pow_extract.model.retry import RetryPolicy
from pow_extract.reading.extraction import ExtractionSettings, extract
from pow_extract.records.errors import ExtractionError

SECRET = "sk-test-SECRET-7f3a9c1e5b2d4f6a8c0e"
ARTICLE = "KYIV, 31 January 2024. Ukraine and Russia exchanged prisoners on Wednesday. 207 Ukrainians came home."
GOOD = grounded_answer(ARTICLE, sentence="Ukraine and Russia exchanged prisoners on Wednesday", number=207)
LOGGERS = ("", "openai", "openai._base_client", "httpx", "httpx2", "httpcore", "instructor", "pow_extract")
SETTINGS = ExtractionSettings(retry=RetryPolicy(attempts=2, max_wait=0.02), max_reasks=1)


@pytest.fixture
def backend(
    fake_server: FakeServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[Backend]:
    """The backend as a user gets it: resolved from OPENAI_API_KEY / OPENAI_BASE_URL, with DEBUG logs captured."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_server.base_url)
    monkeypatch.setenv("POW_EXTRACT_MODEL", "fake-model")
    monkeypatch.setenv("POW_EXTRACT_TIMEOUT", "0.3")
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    resolved = resolve_backend()
    assert resolved.api_key == SECRET
    yield resolved
    assert SECRET not in caplog.text, "the API key was logged"
    for record in caplog.records:
        assert SECRET not in record.getMessage() and SECRET not in repr(record.args)


def assert_sent_to_server(server: FakeServer) -> None:
    """The key did travel, where it belongs: the Authorization header (so the other checks mean something)."""
    requests = server.chat_requests()
    assert requests and all(r.headers.get("authorization") == f"Bearer {SECRET}" for r in requests)
    assert all(SECRET.encode() not in r.raw for r in requests)  # never in the request body (the prompt)


def assert_clean_error(error: ExtractionError) -> None:
    assert SECRET not in str(error) and SECRET not in repr(error)
    assert SECRET not in "".join(traceback.format_exception(error))  # the whole chain a user could see


def test_backend_repr_and_label_do_not_show_the_key(backend: Backend) -> None:
    for text in (repr(backend), str(backend), backend.label, f"{backend}", f"{backend!r}"):
        assert SECRET not in text
    assert "api_key" not in repr(backend)


def test_successful_extraction_keeps_the_key_out_of_logs_and_result(backend: Backend, fake_server: FakeServer) -> None:
    fake_server.script(GOOD)
    result = extract(ARTICLE, backend=backend, settings=SETTINGS)
    note_article("ok")
    assert len(result.exchanges) == 1
    for text in (result.model_dump_json(), repr(result), json.dumps(result.model_dump(mode="json"))):
        assert SECRET not in text
    assert_sent_to_server(fake_server)


def test_extraction_with_only_the_environment_sends_the_key(fake_server: FakeServer, backend: Backend) -> None:
    fake_server.script(GOOD)
    result = extract(ARTICLE, settings=SETTINGS)  # no backend argument: resolved from the environment again
    note_article("ok")
    assert SECRET not in result.model_dump_json()
    assert_sent_to_server(fake_server)


@pytest.mark.parametrize(
    "faults",
    [
        [status(500)] * 2,
        [rate_limited(0.01)] * 2,
        [hang(5.0)] * 2,
        [drop()] * 2,
        [invalid_json()] * 2,
        [truncated()],
        [empty_choices()],
        [status(401)],
    ],
    ids=["500", "429", "timeout", "dropped", "invalid-json", "truncated", "empty-choices", "401"],
)
def test_failed_extraction_keeps_the_key_out_of_errors_and_logs(
    backend: Backend, fake_server: FakeServer, faults: list[Behaviour]
) -> None:
    fake_server.script(*faults)
    with pytest.raises(ExtractionError) as caught:
        extract(ARTICLE, backend=backend, settings=SETTINGS)
    note_article("failed")
    assert_clean_error(caught.value)
    assert_sent_to_server(fake_server)


def test_key_echoed_by_a_server_is_redacted_from_the_error(
    fake_server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some gateways answer 401 with the key they were given. The ExtractionError must not repeat it.
    # (instructor logs the raw HTTP error at ERROR level, so a log handler can still see an echoed key: see report.)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    backend = resolve_backend(base_url=fake_server.base_url, model="fake-model", timeout=1.0)
    body = json.dumps({"error": {"message": f"Incorrect API key provided: {SECRET}", "type": "invalid_request_error"}})
    fake_server.script(status(401, body=body))
    with pytest.raises(ExtractionError) as caught:
        extract(ARTICLE, backend=backend, settings=SETTINGS)
    note_article("failed")
    message = str(caught.value)
    assert SECRET not in message and SECRET not in repr(caught.value)
    assert "HTTP 401" in message and "Incorrect API key provided: [redacted]" in message
