"""The Ray actor's work without Ray: rows in, one row per input out, every failure a row (tests/test_ray.py runs it
on a real Ray instance)."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

from fakeserver import FakeServer, grounded_answer

from pow_extract.dataset.distributed import ArticleExtractor, Endpoint, claim_rows, record_from_row
from pow_extract.model.retry import RetryPolicy
from pow_extract.reading.extraction import ExtractionSettings

TEXT = "KYIV, 12 March 2024. Ukraine and Russia carried out a prisoner exchange on Tuesday. 95 soldiers came home."
SETTINGS = ExtractionSettings(retry=RetryPolicy(attempts=2, max_wait=0.05))


def test_every_input_row_becomes_one_row_whatever_goes_wrong(fake_server: FakeServer, tmp_path: Path) -> None:
    fake_server.default = grounded_answer(TEXT, sentence="carried out a prisoner exchange on Tuesday", number=95)
    (tmp_path / "from-file.txt").write_text(TEXT, encoding="utf-8")
    actor = ArticleExtractor(Endpoint(model="fake", base_url=fake_server.base_url), SETTINGS, concurrency=2)
    rows = actor.extract([
        {"id": "ok", "text": TEXT, "published": dt.date(2024, 3, 12), "source": "wire"},
        {"id": "iso-date", "text": TEXT, "published": "2024-03-12T08:00:00", "source": None},
        {"id": "bad-date", "text": TEXT, "published": "12/03/2024"},
        {"id": "", "text": TEXT},
        {"id": "no-text", "text": None},
        {"id": "ignored", "text": None, "path": str(tmp_path / "from-file.txt")},
        {"id": "missing", "text": None, "path": str(tmp_path / "missing.txt")},
    ])  # fmt: skip
    assert [r["article_id"] for r in rows] == [
        "ok", "iso-date", "bad-date", "row-3-without-id", "no-text", "from-file", "missing",
    ]  # fmt: skip
    assert [r["ok"] for r in rows] == [True, True, False, False, False, True, False]
    assert "bad published date" in rows[2]["error_message"] and "'id'" in rows[3]["error_message"]
    assert "no 'text' string" in rows[4]["error_message"] and "missing.txt" in rows[6]["error_message"]
    record = record_from_row(rows[0])
    assert record is not None and record.published == dt.date(2024, 3, 12) and rows[0]["claims"] == 1
    assert rows[1]["published"] == "2024-03-12"
    (claim,) = claim_rows(rows[0])
    assert (claim["number"], claim["returned_to"], claim["source"]) == (95, "Ukraine", "wire")
    assert TEXT[claim["span_start"] : claim["span_end"]] == claim["quote"]
    assert claim_rows(rows[2]) == []


def test_an_unusable_endpoint_gives_error_rows_not_a_failed_batch() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    actor = ArticleExtractor(Endpoint(model="fake", base_url=f"http://127.0.0.1:{port}/v1"), SETTINGS)
    rows = actor.extract([{"id": f"a{i}", "text": TEXT} for i in range(3)])
    assert [r["article_id"] for r in rows] == ["a0", "a1", "a2"]
    assert all(not r["ok"] and r["error_type"] == "BatchAborted" for r in rows)
    assert all("cannot reach the model endpoint" in r["error_message"] for r in rows)
