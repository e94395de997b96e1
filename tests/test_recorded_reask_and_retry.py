"""Re-ask after a validation error and retry after a transient fault, on real recorded model traffic.

Both cassettes come from the embedded llama.cpp model (``bash scripts/record-cassettes.sh``): the re-ask one is a
dev-set article's (the eval records it), the retry one is this module's. For the retry cassette, a small proxy in
front of the real server answered the first request with HTTP 503 + Retry-After while recording; replay reproduces
that exchange bit for bit, offline.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from pow_extract.model import recording
from pow_extract.model.backends import Backend, resolve_backend
from pow_extract.model.retry import RetryPolicy
from pow_extract.reading.extraction import ExtractionSettings, extract
from pow_extract.records.gold import load_gold

CASSETTES = Path(__file__).resolve().parent / "cassettes"
ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = dt.date(2024, 3, 13)

PLAIN = (
    "Odesa, 13 March 2024\n\n"
    "Russia and Ukraine swapped prisoners on Tuesday. Ukraine brought home 12 soldiers, the Coordination "
    "Headquarters said, and Russia's defence ministry said 12 Russian servicemen were returned."
)


def _requests(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [json.loads(i["request"]["body"]) for i in data["interactions"]]


def _answer(path: Path, index: int) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    body = json.loads(data["interactions"][index]["response"]["body"]["string"])
    return str(body["choices"][0]["message"]["content"])


def test_validation_error_is_sent_back_to_the_model_on_reask_and_the_last_answer_is_kept_without_it() -> None:
    # Dev-set article 126: the model's branch breakdown kept exceeding the 246 returned, so the schema's arithmetic
    # check failed and instructor re-asked with that message until the re-asks ran out (real recorded traffic).
    # The second re-ask got the same answer word for word as the first, which ends the loop whatever max_reasks says.
    # The last answer is then kept without the breakdown that does not add up, and the removal is noted.
    article_id = "126_easter_swap_277_vs_246"
    gold = load_gold(ROOT / "evals" / "gold" / f"{article_id}.json")
    text = (ROOT / "evals" / "articles" / f"{article_id}.txt").read_text(encoding="utf-8")
    path = ROOT / "evals" / "cassettes" / f"{article_id}.yaml"
    with recording.cassette(path, record_mode="none") as tape:
        result = extract(text, backend=tape.backend, published=gold.published, article_id=article_id,
                         settings=ExtractionSettings(max_reasks=2))  # fmt: skip
    assert result.usage.requests == 3
    [note] = [w for w in result.warnings if "no valid answer after 3 attempts (the last re-ask got the same" in w]
    assert "breakdown by branch for Ukraine adds up to" in note
    assert result.exchanges and 246 in {c.number for x in result.exchanges for c in x.counts}
    for exchange in result.exchanges:  # what is left adds up
        branches = sum(b.number for b in exchange.breakdown if (b.category, b.returned_to) == ("branch", "Ukraine"))
        assert branches <= max([c.number for c in exchange.counts if c.returned_to == "Ukraine"], default=branches)
    bodies = _requests(path)
    assert len(bodies) == 3
    assert _answer(path, 1) == _answer(path, 2)  # the last re-ask repeated the answer it was asked to correct
    reask = json.dumps(bodies[1]["messages"][2:])
    assert "adds up to" in reask and "more than the largest count" in reask
    assert bodies[1]["messages"][:2] == bodies[0]["messages"][:2]  # same prompt, the error appended


class _FlakyProxy(http.server.ThreadingHTTPServer):
    """Forwards to a real model server, answering the first POST with 503 + Retry-After (recording only)."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.failed_once = False
        super().__init__(("127.0.0.1", 0), _ProxyHandler)


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    server: _FlakyProxy

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not self.server.failed_once:
            self.server.failed_once = True
            payload = b'{"error": {"message": "server overloaded, retry later", "type": "overloaded"}}'
            self.send_response(503)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        upstream = self.server.upstream + self.path.removeprefix("/v1")
        request = urllib.request.Request(upstream, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=600) as response:
            data = response.read()
            self.send_response(response.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)


@contextmanager
def _flaky(backend: Backend) -> Iterator[Backend]:
    proxy = _FlakyProxy(backend.base_url or "")
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield Backend(
            base_url=f"http://127.0.0.1:{proxy.server_address[1]}/v1",
            model=backend.model,
            structured=backend.structured,
            timeout=backend.timeout,
        )
    finally:
        proxy.shutdown()


def test_transient_503_is_retried_after_retry_after_without_touching_the_prompt() -> None:
    path = CASSETTES / "retry_after_503.yaml"
    mode = recording.record_mode()
    live = None if mode == "none" else resolve_backend()
    settings = ExtractionSettings(retry=RetryPolicy(attempts=3, max_wait=2.0))
    with recording.cassette(path) as tape, _flaky(live) if live else _nothing(tape.backend) as backend:
        started = dt.datetime.now()
        result = extract(PLAIN, backend=backend, published=PUBLISHED, article_id="retry", settings=settings)
        waited = (dt.datetime.now() - started).total_seconds()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    statuses = [i["response"]["status"]["code"] for i in data["interactions"]]
    assert statuses == [503, 200]
    bodies = _requests(path)
    assert bodies[0] == bodies[1]  # the fault was not fed back into the prompt
    assert result.usage.requests == 1  # only the real answer counts
    assert waited >= 1.0  # Retry-After honoured
    assert any(c.number == 12 for e in result.exchanges for c in e.counts)


@contextmanager
def _nothing(backend: Backend) -> Iterator[Backend]:
    yield backend
