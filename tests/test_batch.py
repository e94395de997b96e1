"""extract_many / aextract_many against a real OpenAI-compatible server on loopback (tests/fakeserver.py)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from fakeserver import Behaviour, FakeServer, Recorded, answer, no_exchanges, rate_limited, status

from pow_extract.dataset.batch import (
    ArticleInput,
    BatchAborted,
    BatchError,
    BatchRecord,
    BatchResult,
    Prices,
    UnreadableInput,
    aextract_many,
    extract_many,
    rate_text,
    read_batch,
    read_jsonl_articles,
)
from pow_extract.model.backends import Backend
from pow_extract.model.retry import RetryPolicy
from pow_extract.reading.article import Article
from pow_extract.reading.extraction import ExtractionSettings

SECRET = "sk-test-SECRET-do-not-leak-0123456789"


def _articles(n: int, tag: str = "a") -> list[Article]:
    return [
        Article(text=f"KYIV. Article {tag}{i}: Ukraine and Russia swapped {100 + i} prisoners.", id=f"{tag}{i}")
        for i in range(n)
    ]


def _run(server: FakeServer, articles: Sequence[ArticleInput], **kwargs: Any) -> BatchResult:
    kwargs.setdefault("cache", False)
    kwargs.setdefault("progress", False)
    return extract_many(
        articles, base_url=server.base_url, model="fake", structured="json_object", api_key=SECRET, **kwargs
    )


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _max_overlap(intervals: list[tuple[float, float]]) -> int:
    events = sorted([(a, 1) for a, _ in intervals] + [(b, -1) for _, b in intervals], key=lambda e: (e[0], e[1]))
    best = current = 0
    for _, step in events:
        current += step
        best = max(best, current)
    return best


def test_concurrency_is_bounded_and_used(fake_server: FakeServer) -> None:
    delay = 0.2
    fake_server.default = no_exchanges(delay=delay)
    result = _run(fake_server, _articles(9), concurrency=3)
    assert result.ok == 9 and result.failed == 0
    arrivals = [r.at for r in fake_server.chat_requests()]
    # each request is held at least `delay` by the server, and a task sends its next one only after an answer
    overlap = _max_overlap([(t, t + delay * 0.95) for t in arrivals])
    assert overlap == 3


def test_the_embedded_server_gets_one_request_at_a_time_whatever_the_concurrency(fake_server: FakeServer) -> None:
    # llama-cpp-python's server runs one completion at a time: more requests on the wire would only wait there,
    # their timeouts running (issue 14)
    delay = 0.5
    fake_server.default = no_exchanges(delay=delay)
    embedded = Backend(base_url=fake_server.base_url, model="fake", structured="json_object", embedded=True)
    result = extract_many(_articles(4), backend=embedded, concurrency=4, cache=False, progress=False)
    assert result.ok == 4 and result.failed == 0
    arrivals = sorted(r.at for r in fake_server.chat_requests())
    assert len(arrivals) == 4
    assert _max_overlap([(t, t + delay * 0.95) for t in arrivals]) == 1
    # and an article's seconds are its own: the last one did not start its clock while three others were read
    # (queued, it would show at least 4 x 0.5 s)
    assert all(r.seconds is not None and r.seconds < 1.4 for r in result.results), [r.seconds for r in result.results]


def test_results_written_as_they_finish_with_input_index(fake_server: FakeServer, tmp_path: Path) -> None:
    def respond(request: Recorded) -> Behaviour:
        return no_exchanges(delay=0.6 if "Article a0:" in request.text else 0.0)

    fake_server.responder = respond
    out = tmp_path / "out.jsonl"
    on_disk_when_reported: list[bool] = []

    def on_record(record: BatchRecord | BatchError) -> None:
        ids = [json.loads(line)["article_id"] for line in out.read_text(encoding="utf-8").splitlines()]
        on_disk_when_reported.append(record.article_id in ids)

    result = _run(fake_server, _articles(4), concurrency=4, output=out, on_record=on_record)
    assert result.ok == 4
    lines = _lines(out)
    assert [line["index"] for line in lines][-1] == 0  # the slow first article finished last
    assert sorted(line["index"] for line in lines) == [0, 1, 2, 3]
    assert all(line["article_id"] == f"a{line['index']}" for line in lines)
    assert on_disk_when_reported == [True] * 4  # each line is on disk as soon as its article is done
    assert [r.index for r in result.results] == [0, 1, 2, 3]  # results come back in input order


def test_resume_skips_done_and_retries_failed(fake_server: FakeServer, tmp_path: Path) -> None:
    fake_server.responder = lambda r: status(400) if "Article a1:" in r.text else no_exchanges()
    out = tmp_path / "out.jsonl"
    first = _run(fake_server, _articles(3), output=out)
    assert (first.ok, first.failed) == (2, 1)
    assert first.exit_code == 1
    errors = [line for line in _lines(out) if "error" in line]
    assert errors == [
        {
            "article_id": "a1",
            "source": None,
            "index": 1,
            "error": {"type": "ExtractionError", "message": errors[0]["error"]["message"]},
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "requests": 0},
            "seconds": errors[0]["seconds"],
        }
    ]
    assert "HTTP 400" in errors[0]["error"]["message"]

    fake_server.reset()  # now every article succeeds
    second = _run(fake_server, _articles(3), output=out, resume=True)
    assert (second.ok, second.failed, second.skipped) == (1, 0, 2)
    assert [r.text.count("Article a1:") for r in fake_server.chat_requests()] == [1]
    lines = _lines(out)
    assert sorted(line["article_id"] for line in lines) == ["a0", "a1", "a2"]
    assert not any("error" in line for line in lines)  # the old error line is gone
    assert [r.article_id for r in second.results] == ["a0", "a1", "a2"]
    assert second.exit_code == 0


def test_partial_last_line_is_tolerated_and_rewritten(fake_server: FakeServer, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    _run(fake_server, _articles(2), output=out)
    text = out.read_text(encoding="utf-8").splitlines()
    out.write_text(text[0] + "\n" + text[1][: len(text[1]) // 2], encoding="utf-8")  # killed mid-line
    records, errors = read_batch(out)
    assert len(records) == 1 and not errors
    fake_server.reset()
    result = _run(fake_server, _articles(2), output=out, resume=True)
    assert (result.ok, result.skipped) == (1, 1)
    lines = _lines(out)  # every line parses again
    assert sorted(line["article_id"] for line in lines) == ["a0", "a1"]


def test_bad_files_do_not_lose_the_others(fake_server: FakeServer, tmp_path: Path) -> None:
    (tmp_path / "good1.txt").write_text("Ukraine and Russia swapped 95 prisoners.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03PK\x00\x00" * 20)
    (tmp_path / "good2.html").write_text("<html><body><p>Russia returned 10.</p><p>Kyiv said so.</p></body></html>")
    inputs: list[ArticleInput] = [tmp_path / n for n in ("good1.txt", "empty.txt", "binary.txt", "good2.html")]
    inputs[0] = str(inputs[0])  # a string naming a file is a path, not article text
    inputs.append(str(tmp_path / "missing.txt"))  # so is a missing one: a clear error, not an extraction
    out = tmp_path / "out.jsonl"
    result = _run(fake_server, inputs, output=out, concurrency=2)
    assert (result.ok, result.failed) == (2, 3)
    assert [r.article_id for r in result.results] == ["good1", "good2"]
    assert [(e.index, e.article_id, e.error.type) for e in result.errors] == [
        (1, "empty", "ArticleError"),
        (2, "binary", "ArticleError"),
        (4, "missing", "ArticleError"),
    ]
    assert len(_lines(out)) == 5
    assert len(fake_server.chat_requests()) == 2


def test_cached_rerun_makes_no_model_call(fake_server: FakeServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _run(fake_server, _articles(5), cache=cache)
    assert first.model_calls == 5 and first.cached == 0
    sent = len(fake_server.chat_requests())
    second = _run(fake_server, _articles(5), cache=cache, output=tmp_path / "again.jsonl")
    assert second.model_calls == 0
    assert len(fake_server.chat_requests()) == sent
    assert (second.ok, second.cached) == (5, 5)
    assert second.usage.total_tokens == 0 and second.cost == 0
    assert all(line["cached"] for line in _lines(tmp_path / "again.jsonl"))
    # same text under another id: the cached answer is re-labelled
    renamed = [Article(text=a.text, id=f"other-{a.id}") for a in _articles(5)]
    third = _run(fake_server, renamed, cache=cache)
    assert third.model_calls == 0
    assert [r.article_id for r in third.results] == [f"other-a{i}" for i in range(5)]


def test_retry_after_pauses_the_whole_batch(fake_server: FakeServer) -> None:
    fake_server.default = no_exchanges(delay=0.3)
    fake_server.script(rate_limited(retry_after=1))
    started = time.monotonic()
    result = _run(fake_server, _articles(4), concurrency=2)
    assert result.ok == 4 and result.rate_limit_pauses == 1
    requests = fake_server.chat_requests()
    assert len(requests) == 5  # four articles and one retry
    limited_at = requests[0].at
    later = [r.at - limited_at for r in requests[2:]]  # after the two first (concurrent) requests
    assert min(later) >= 0.9, later  # nothing new was sent while the gate was closed
    assert time.monotonic() - started >= 1.0


def test_unusable_endpoint_aborts_without_leaking_the_key(fake_server: FakeServer, tmp_path: Path) -> None:
    body = json.dumps({"error": {"message": f"Incorrect API key provided: {SECRET}", "type": "invalid_request"}})
    fake_server.default = status(401, body=body)
    out = tmp_path / "out.jsonl"
    with pytest.raises(BatchAborted) as caught:
        _run(fake_server, _articles(5), output=out, concurrency=2)
    assert "401" in str(caught.value)
    assert SECRET not in str(caught.value)
    assert caught.value.result.ok == 0 and caught.value.result.interrupted
    assert len(fake_server.chat_requests()) <= 2  # stopped at once, not once per article
    assert SECRET not in out.read_text(encoding="utf-8")


def test_key_echoed_by_the_server_never_reaches_the_output(fake_server: FakeServer, tmp_path: Path) -> None:
    body = json.dumps({"error": {"message": f"bad request for key {SECRET}", "type": "invalid_request"}})
    fake_server.default = status(400, body=body)
    out = tmp_path / "out.jsonl"
    result = _run(fake_server, _articles(2), output=out)
    assert result.failed == 2
    assert SECRET not in out.read_text(encoding="utf-8")
    assert all(SECRET not in e.error.message for e in result.errors)


def test_usage_and_cost_totals(fake_server: FakeServer) -> None:
    fake_server.script(answer("not json at all"))  # one re-ask: its tokens count too
    settings = ExtractionSettings(max_reasks=1)
    result = _run(fake_server, _articles(3), concurrency=1, prices=Prices(2.0, 10.0), settings=settings)
    assert result.ok == 3 and result.model_calls == 4
    assert result.usage.prompt_tokens == 400  # the fake server bills 100 prompt tokens per request
    completion = result.usage.completion_tokens
    assert result.cost == pytest.approx((400 * 2.0 + completion * 10.0) / 1_000_000)
    assert sum(r.usage.prompt_tokens for r in result.results) == 400


def test_works_inside_a_running_event_loop(fake_server: FakeServer) -> None:
    async def notebook_cell() -> int:
        result = _run(fake_server, _articles(3))  # sync API called where a loop is running
        return result.ok

    assert asyncio.run(notebook_cell()) == 3


def test_async_api_and_text_inputs(fake_server: FakeServer) -> None:
    texts = ["Ukraine and Russia swapped 50 prisoners.", "", "Russia returned 20 bodies."]
    result = asyncio.run(
        aextract_many(
            texts, base_url=fake_server.base_url, model="fake", structured="json_object", cache=False, progress=False
        )
    )
    assert (result.ok, result.failed) == (2, 1)
    assert result.errors[0].index == 1 and "empty" in result.errors[0].error.message


def test_jsonl_article_input(fake_server: FakeServer, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps({"id": "x1", "text": "Ukraine and Russia swapped 5 prisoners.", "published": "2024-01-31"}),
                "{not json",
                json.dumps({"id": "x3"}),
                json.dumps({"id": "x4", "text": "Russia returned 20.", "published": "31/01/2024"}),
                "",
            ]
        ),
        encoding="utf-8",
    )
    items = read_jsonl_articles(source)
    assert isinstance(items[0], Article) and items[0].published is not None
    assert [type(i) for i in items[1:]] == [UnreadableInput] * 3
    result = _run(fake_server, items)
    assert (result.ok, result.failed) == (1, 3)
    assert [e.article_id for e in result.errors] == ["in-2", "x3", "x4"]


def test_duplicate_ids_are_reported_not_overwritten(fake_server: FakeServer) -> None:
    articles = [Article(text="Swap of 5.", id="same"), Article(text="Swap of 6.", id="same")]
    result = _run(fake_server, articles)
    assert (result.ok, result.failed) == (1, 1)
    assert "duplicate article id" in result.errors[0].error.message


def test_bad_arguments(fake_server: FakeServer) -> None:
    with pytest.raises(ValueError, match="concurrency"):
        _run(fake_server, _articles(1), concurrency=0)
    with pytest.raises(ValueError, match="resume"):
        _run(fake_server, _articles(1), resume=True)
    with pytest.raises(ValueError, match="prompt version"):
        _run(fake_server, _articles(1), settings=ExtractionSettings(prompt_version="no-such-version"))


def test_transient_fault_retried_once_not_counted_as_failure(fake_server: FakeServer) -> None:
    fake_server.script(status(503, retry_after=0.1))
    settings = ExtractionSettings(retry=RetryPolicy(attempts=3, max_wait=0.2))
    result = _run(fake_server, _articles(2), concurrency=1, settings=settings)
    assert (result.ok, result.failed, result.model_calls) == (2, 0, 3)


def test_interrupt_keeps_finished_lines(fake_server: FakeServer, tmp_path: Path) -> None:
    """Cancelling the async batch (what Ctrl-C does) leaves only complete, valid lines."""
    fake_server.responder = lambda r: no_exchanges(delay=0.0 if "Article a0:" in r.text else 5.0)
    out = tmp_path / "out.jsonl"

    async def cancel_soon() -> None:
        task = asyncio.create_task(
            aextract_many(
                _articles(3),
                base_url=fake_server.base_url,
                model="fake",
                structured="json_object",
                output=out,
                cache=False,
                progress=False,
                concurrency=3,
            )
        )
        while not out.exists() or not out.read_text(encoding="utf-8").strip():
            await asyncio.sleep(0.02)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_soon())
    assert [line["article_id"] for line in _lines(out)] == ["a0"]


def test_batch_options_follow_the_public_signatures() -> None:
    """extract_many and aextract_many pass their arguments to the options positionally: same names, order, defaults."""
    import dataclasses
    import inspect

    from pow_extract.dataset.batch import _Options

    fields = [(f.name, f.default) for f in dataclasses.fields(_Options)]
    for function in (extract_many, aextract_many):
        parameters = list(inspect.signature(function).parameters.values())[1:]
        assert [(p.name, p.default) for p in parameters] == fields, function.__name__


# (articles done, seconds since the start, what the progress bar shows)
PACE: list[tuple[float, float, str]] = [
    (0, 0.0, "-- art/s"),
    (0, 12.0, "-- art/s"),
    (40, 10.0, "4.00 art/s"),
    (5, 1094.2, "219 s/art"),  # the embedded model on 2 cores: not "0.00 art/s"
]


@pytest.mark.parametrize(("done", "elapsed", "shown"), PACE)
def test_the_progress_bar_shows_seconds_per_article_when_slower_than_one_a_second(
    done: float, elapsed: float, shown: str
) -> None:
    assert rate_text(done, elapsed) == shown
