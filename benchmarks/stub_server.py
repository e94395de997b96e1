"""The benchmark's model server: the tests' OpenAI-compatible fake server, run as its own process.

It reuses :class:`FakeServer` from ``tests/fakeserver.py`` (the server the test-suite drives) and answers every
``POST /v1/chat/completions`` with one fixed assistant message after a fixed delay. Running it in a separate process
keeps the server from competing with the measured client for the GIL.

The answer is switchable (``--answer``):

* ``auto`` (default): the first recorded chat completion found in a cassette under ``tests/cassettes/``, else
  ``empty``;
* ``empty``: ``{"exchanges": []}``;
* a ``.yaml``/``.yml`` vcrpy cassette: its first recorded answer;
* a ``.json`` file: a chat-completion payload (its first message) or the answer object itself.

Usage::

    python benchmarks/stub_server.py --delay 0.5 --answer auto [--stats-file stats.json]

prints ``listening http://127.0.0.1:PORT/v1 answer=LABEL`` once it accepts connections, then serves until it is
terminated. With ``--stats-file`` the number of chat requests received is kept up to date in that JSON file.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASSETTE_DIR = ROOT / "tests" / "cassettes"
EMPTY_ANSWER = '{"exchanges": []}'

if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

import fakeserver  # noqa: E402
from fakeserver import Behaviour, FakeServer, Recorded, answer  # noqa: E402


def answer_from_cassette(path: str | Path) -> str:
    """The assistant message of the first recorded chat completion in a vcrpy YAML cassette."""
    import yaml

    data: dict[str, Any] = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    for interaction in data.get("interactions", []):
        body = interaction.get("response", {}).get("body", {})
        text = body.get("string") if isinstance(body, dict) else body
        if not text:
            continue
        payload = json.loads(text)
        choices = payload.get("choices") or []
        if choices and choices[0].get("message", {}).get("content"):
            return str(choices[0]["message"]["content"])
    raise ValueError(f"{path}: no recorded chat completion with content")


def load_answer(spec: str = "auto") -> tuple[str, str]:
    """Resolve an ``--answer`` spec to ``(content, label)`` (see the module docstring)."""
    if spec == "empty":
        return EMPTY_ANSWER, "empty"
    if spec == "auto":
        cassettes = sorted(CASSETTE_DIR.glob("*.y*ml")) if CASSETTE_DIR.is_dir() else []
        for cassette in cassettes:
            with contextlib.suppress(ValueError, OSError, json.JSONDecodeError):
                return answer_from_cassette(cassette), f"cassette:{cassette.name}"
        return EMPTY_ANSWER, "empty"
    path = Path(spec)
    if path.suffix.lower() in (".yaml", ".yml"):
        return answer_from_cassette(path), f"cassette:{path.name}"
    payload = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(payload, dict) and "choices" in payload:
        return str(payload["choices"][0]["message"]["content"]), f"completion:{path.name}"
    return json.dumps(payload), f"answer:{path.name}"


class _Counter:
    """A responder that answers ``content`` and keeps the request count in ``stats_file``."""

    def __init__(self, content: str, delay: float, stats_file: Path | None) -> None:
        self.behaviour: Behaviour = answer(content, delay=delay)
        self.stats_file = stats_file
        self.requests = 0
        self._lock = threading.Lock()

    def __call__(self, recorded: Recorded) -> Behaviour:
        with self._lock:
            self.requests += 1
            if self.stats_file is not None:
                self.stats_file.write_text(json.dumps({"requests": self.requests}), encoding="utf-8")
        return self.behaviour


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description="OpenAI-compatible stub server for the pow_extract benchmark")
    parser.add_argument("--delay", type=float, default=0.5, help="seconds before each answer (default 0.5)")
    parser.add_argument("--answer", default="auto", help="auto | empty | cassette .yaml | .json (default auto)")
    parser.add_argument("--stats-file", type=Path, default=None, help="keep the request count in this JSON file")
    args = parser.parse_args(argv)
    content, label = load_answer(args.answer)
    counter = _Counter(content, args.delay, args.stats_file)
    if args.stats_file is not None:
        args.stats_file.write_text(json.dumps({"requests": 0}), encoding="utf-8")
    # a listen backlog of 5 (the socketserver default) drops connections when 64 clients connect at once
    ThreadingHTTPServer.request_queue_size = 1024
    # headers and body go out in two writes: with Nagle on, the body waits for the client's delayed ACK (~40 ms)
    fakeserver._Handler.disable_nagle_algorithm = True
    server = FakeServer()
    server.responder = counter
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with server:
        server.requests = _Discard()
        print(f"listening {server.base_url} answer={label}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


class _Discard(list[Any]):
    """A request log that keeps nothing (a long benchmark must not grow the server's memory)."""

    def append(self, item: Any) -> None:
        return None


if __name__ == "__main__":
    sys.exit(main())
