"""Ray Data on a real local Ray instance against the fault-injecting fake OpenAI server (marked ``ray``: run with
``pytest -m ray``; needs the ``ray`` extra).

1,000 articles go through :func:`extract_dataset` (two actors) and through ``extract_many`` against the same server
with the same answers: one row per article, none lost or duplicated, records identical; a cached re-run makes no
model call; the rows write with Ray's Parquet writer and come back as claims.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakeserver import Behaviour, FakeServer, Recorded, drop, grounded_answer, invalid_json, no_exchanges, status

from pow_extract.dataset.batch import extract_many
from pow_extract.model.retry import RetryPolicy
from pow_extract.reading.article import Article
from pow_extract.reading.extraction import ExtractionSettings

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.ray

from pow_extract.dataset.distributed import (  # noqa: E402  (after the importorskip)
    ArticleColumns,
    dataset_from_articles,
    extract_dataset,
    record_from_row,
)

N = 1000
SETTINGS = ExtractionSettings(retry=RetryPolicy(attempts=4, max_wait=0.05), max_reasks=2)  # re-asks on: exercised below
_ID = re.compile(r"Article #(\d+):")


def _articles(n: int = N) -> list[Article]:
    return [
        Article(
            text=f"KYIV, 12 March 2024. Ukraine and Russia carried out a prisoner exchange on Tuesday. Article #{i}: "
            f"{100 + i} Ukrainian soldiers came home, Lubinets said.",
            id=f"r{i:04d}",
            published=dt.date(2024, 3, 12),
            source=f"outlet-{i % 5}",
        )
        for i in range(n)
    ]


class Answers:
    """The server's answers, by article number: a grounded exchange (every 3rd), an invalid answer every time (7 of
    1,000: those articles fail in both runs), a transient fault on the first try (every 7th: 500, 429 with
    Retry-After, or a dropped connection), else no exchange. Deterministic per run once :meth:`reset`."""

    def __init__(self) -> None:
        self.texts = [a.text for a in _articles()]
        self.tries: Counter[int] = Counter()
        self.lock = threading.Lock()

    def reset(self) -> None:
        with self.lock:
            self.tries.clear()

    def __call__(self, request: Recorded) -> Behaviour:
        found = _ID.search(request.text)
        assert found is not None, "a request without an article"
        i = int(found.group(1))
        with self.lock:
            self.tries[i] += 1
            first = self.tries[i] == 1
        if i % 143 == 11:
            return invalid_json()
        if first and i % 7 == 2:
            return (status(500), status(429, retry_after=0.01), drop())[i % 3]
        if i % 3 == 0:
            return grounded_answer(self.texts[i], sentence="carried out a prisoner exchange on Tuesday",
                                   number=100 + i, claimant="Lubinets")  # fmt: skip
        return no_exchanges()


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        yield ray
    finally:
        ray.shutdown()


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("seconds", "index", "cached")}


@pytest.mark.timeout(900)  # 1,000 articles twice plus Ray start-up: ~40 s alone, minutes on a busy machine
def test_thousand_articles_with_faults_match_extract_many_and_rerun_from_cache(
    local_ray: Any, fake_server: FakeServer, tmp_path: Path
) -> None:
    answers = Answers()
    fake_server.responder = answers
    articles = _articles()
    endpoint = {"base_url": fake_server.base_url, "model": "fake", "structured": "json_object"}

    rows = extract_dataset(
        dataset_from_articles(articles, parallelism=8), **endpoint, settings=SETTINGS, actors=2, concurrency=8,
        batch_size=50, cache=tmp_path / "cache",
    ).take_all()  # fmt: skip
    ray_requests = len(fake_server.chat_requests())
    injected = fake_server.faults

    ids = [row["article_id"] for row in rows]
    assert len(rows) == N and sorted(ids) == [a.id for a in articles]  # 0 lost, 0 duplicated
    failed = {row["article_id"]: row for row in rows if not row["ok"]}
    assert sorted(failed) == [a.id for i, a in enumerate(articles) if i % 143 == 11]
    # an invalid answer repeated word for word ends the re-asks early (RepeatedAnswer); the error says so
    assert all("no valid answer after" in row["error_message"] for row in failed.values())
    assert all("word for word" in row["error_message"] for row in failed.values())
    assert injected > 140  # transient faults (retried) and invalid answers (re-asked, then failed)

    fake_server.reset()
    answers.reset()
    fake_server.responder = answers
    reference = extract_many(articles, **endpoint, settings=SETTINGS, concurrency=8, cache=False, progress=False)
    assert len(fake_server.chat_requests()) == ray_requests  # the same requests, faults and re-asks included
    by_id = {r.article_id: r.model_dump(mode="json") for r in reference.results}
    on_ray = {
        row["article_id"]: record.model_dump(mode="json")
        for row in rows
        if (record := record_from_row(row)) is not None
    }
    assert len(on_ray) == len(by_id) == N - len(failed)
    assert sum(len(r["exchanges"]) for r in on_ray.values()) == sum(1 for i in range(N) if i % 3 == 0 and i % 143 != 11)
    assert {k: _comparable(v) for k, v in on_ray.items()} == {k: _comparable(v) for k, v in by_id.items()}
    assert {e.article_id: e.error.message for e in reference.errors} == {
        k: row["error_message"] for k, row in failed.items()
    }

    fake_server.reset()
    again = extract_dataset(
        dataset_from_articles(articles, parallelism=8), **endpoint, settings=SETTINGS, actors=2, concurrency=8,
        batch_size=50, cache=tmp_path / "cache",
    ).take_all()  # fmt: skip
    assert len(fake_server.chat_requests()) == 0  # a cached re-run makes no model call
    assert sum(row["cached"] for row in again) == N - len(failed)
    replayed = {row["article_id"]: record.model_dump(mode="json") for row in again if (record := record_from_row(row))}
    assert {k: _comparable(v) for k, v in replayed.items()} == {k: _comparable(v) for k, v in on_ray.items()}


def test_claim_rows_write_with_rays_parquet_writer(local_ray: Any, fake_server: FakeServer, tmp_path: Path) -> None:
    fake_server.responder = Answers()
    articles = _articles(30)
    ds = ray.data.from_items(
        [{"body": a.text, "key": a.id, "day": a.published, "outlet": a.source} for a in articles]
        + [{"body": "", "key": "empty", "day": None, "outlet": None}]
    )
    columns = ArticleColumns(text="body", id="key", published="day", source="outlet")
    endpoint = {"base_url": fake_server.base_url, "model": "fake", "structured": "json_object"}
    extract_dataset(ds, **endpoint, settings=SETTINGS, actors=1, rows="claim", columns=columns).write_parquet(
        str(tmp_path / "claims")
    )
    extract_dataset(ds, **endpoint, settings=SETTINGS, actors=1, columns=columns).write_json(str(tmp_path / "rows"))

    import pandas as pd

    claims = pd.read_parquet(tmp_path / "claims")
    expected = sorted((a.id, 100 + i) for i, a in enumerate(articles) if i % 3 == 0 and i % 143 != 11)
    assert sorted(zip(claims["article_id"], claims["number"], strict=True)) == expected
    assert set(claims["claimant"]) == {"Lubinets"} and claims["span_start"].notna().all()
    rows = pd.concat(pd.read_json(p, lines=True) for p in sorted((tmp_path / "rows").glob("*.json")))
    assert len(rows) == 31 and rows["article_id"].is_unique
    empty = rows[rows["article_id"] == "empty"].iloc[0]
    assert not empty["ok"] and "empty" in empty["error_message"]


def test_cli_engine_ray_writes_the_same_jsonl_as_the_local_engine(
    local_ray: Any, fake_server: FakeServer, tmp_path: Path
) -> None:
    from pow_extract.cli import main
    from pow_extract.dataset.batch import read_batch

    folder = tmp_path / "articles"
    folder.mkdir()
    for article in _articles(12):
        (folder / f"{article.id}.txt").write_text(article.text, encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    answers = Answers()
    fake_server.responder = answers
    common = [str(folder), "--base-url", fake_server.base_url, "--model", "fake", "--no-cache", "-q",
              "--published", "2024-03-12"]  # fmt: skip
    assert main(["extract", *common, "-o", str(tmp_path / "ray.jsonl"), "--engine", "ray", "--ray-actors", "1"]) == 1
    answers.reset()
    assert main(["extract", *common, "-o", str(tmp_path / "local.jsonl")]) == 1

    on_ray, ray_errors = read_batch(tmp_path / "ray.jsonl")
    local, local_errors = read_batch(tmp_path / "local.jsonl")
    assert len(on_ray) == 11 and sorted(e.article_id for e in ray_errors) == ["empty", "r0011"]  # r0011: invalid
    assert {r.article_id: _comparable(r.model_dump(mode="json")) for r in on_ray} == {
        r.article_id: _comparable(r.model_dump(mode="json")) for r in local
    }
    assert {(r.article_id, r.index) for r in on_ray} == {(r.article_id, r.index) for r in local}
    assert sorted((e.index, e.error.message) for e in ray_errors) == sorted(
        (e.index, e.error.message) for e in local_errors
    )
