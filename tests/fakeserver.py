"""A real OpenAI-compatible chat-completions server on 127.0.0.1 for tests, scriptable request by request.

Each POST to ``/v1/chat/completions`` takes the next :class:`Behaviour` from the server's queue (or, when the
queue is empty, asks ``responder`` / uses ``default``) and acts it out on the wire: a JSON answer, a 429 with or
without ``Retry-After``, a 5xx, a response that never comes (the client times out), a connection dropped after
the headers and half the body, invalid JSON content, a truncated answer (``finish_reason="length"``), an empty
``choices`` list. Every request is recorded (:class:`Recorded`: path, headers, parsed body, arrival time), so a
test can count attempts and read the exact messages of a re-ask.

Usage (the ``fake_server`` fixture in ``conftest.py`` does the starting and stopping)::

    with FakeServer() as server:
        server.script(status(503), answer({"exchanges": []}))
        backend = Backend(base_url=server.base_url, model="fake", timeout=1.0)
        extract("...", backend=backend)
        assert len(server.requests) == 2

Only the standard library is used; the server runs in a daemon thread, one thread per connection.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# ----------------------------------------------------------------------------------------------- behaviours


@dataclass(frozen=True)
class Behaviour:
    """What the server does with one request.

    Attributes:
        kind: ``answer`` | ``status`` | ``hang`` | ``drop`` | ``empty_choices``.
        content: Assistant message content (``answer``), sent verbatim (so it may be invalid JSON).
        finish_reason: ``stop`` normally, ``length`` for a truncated answer.
        status: HTTP status (``status``).
        headers: Extra response headers (e.g. ``Retry-After``).
        body: Response body of a ``status`` behaviour (default: an OpenAI-style error object).
        seconds: How long ``hang`` keeps the request waiting before closing it without an answer.
        delay: Seconds to wait before acting (a slow but healthy server).
        fault: True for an injected fault (counted in ``FakeServer.faults``).
    """

    kind: str
    content: str = ""
    finish_reason: str = "stop"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    seconds: float = 0.0
    delay: float = 0.0
    fault: bool = False


def answer(
    content: dict[str, Any] | str, *, delay: float = 0.0, finish_reason: str = "stop", fault: bool = False
) -> Behaviour:
    """A 200 chat completion whose message content is ``content`` (a dict is JSON-encoded)."""
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return Behaviour("answer", content=text, delay=delay, finish_reason=finish_reason, fault=fault)


def no_exchanges(*, delay: float = 0.0) -> Behaviour:
    """A valid answer saying the article mentions no exchange."""
    return answer({"exchanges": []}, delay=delay)


def status(
    code: int, *, retry_after: str | float | None = None, body: str | None = None, headers: dict[str, str] | None = None
) -> Behaviour:
    """An HTTP error: 429, 500, 503, 401... with an optional ``Retry-After`` (seconds or an HTTP date)."""
    extra = dict(headers or {})
    if retry_after is not None:
        extra["Retry-After"] = str(retry_after)
    return Behaviour("status", status=code, headers=tuple(extra.items()), body=body, fault=True)


def rate_limited(retry_after: str | float | None = None) -> Behaviour:
    """429 Too Many Requests, with ``Retry-After`` when given."""
    return status(429, retry_after=retry_after)


def hang(seconds: float = 5.0) -> Behaviour:
    """Accept the request and answer nothing for ``seconds`` (longer than the client timeout), then close."""
    return Behaviour("hang", seconds=seconds, fault=True)


def drop() -> Behaviour:
    """Send the status line, headers and half of a JSON body, then close the connection."""
    return Behaviour("drop", fault=True)


def invalid_json() -> Behaviour:
    """A 200 whose content is not JSON at all (a chatty model)."""
    return answer('Sure! Here are the exchanges: {"exchanges": [ {"status": "completed", ', fault=True)


def schema_violation() -> Behaviour:
    """Well-formed JSON that fails the response schema: an unknown status and kind, fields missing."""
    return answer({"exchanges": [{"status": "finished", "kind": "robots"}]}, fault=True)


def truncated() -> Behaviour:
    """An answer cut off at max_tokens: half a JSON document with ``finish_reason="length"``."""
    return answer('{"exchanges": [{"status": "completed", "quote": "The two sides', finish_reason="length", fault=True)


def empty_choices() -> Behaviour:
    """A 200 chat completion with ``choices: []``."""
    return Behaviour("empty_choices", fault=True)


# ------------------------------------------------------------------------------------------ answer builders


def exchange(
    quote: str,
    *,
    status: str = "completed",
    counts: list[dict[str, Any]] | None = None,
    parties: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One exchange record as the model would write it."""
    record: dict[str, Any] = {
        "status": status,
        "quote": quote,
        "parties": parties or ["Ukraine", "Russia"],
        "counts": counts or [],
    }
    record.update(extra)
    return record


def count(quote: str, number: int, returned_to: str = "Ukraine", **extra: Any) -> dict[str, Any]:
    """One count claim as the model would write it."""
    return {"quote": quote, "number": number, "returned_to": returned_to, **extra}


def grounded_answer(
    article: str,
    *,
    sentence: str,
    number: int,
    returned_to: str = "Ukraine",
    claimant: str | None = None,
    claimant_side: str | None = None,
    date_text: str | None = None,
    prompt_version: str | None = None,
) -> Behaviour:
    """A valid answer for ``article``: one completed exchange reported by the sentence containing ``sentence``, with
    one count ``number`` (written in digits in the article), as records with verbatim quotes.
    """
    parties = ["Ukraine", "Russia"]
    claim = {"returned_to": returned_to, "claimant": claimant, "claimant_side": claimant_side}
    quote = next(q.strip() for q in re.split(r"(?<=[.!?])\s+", article) if re.search(rf"(?<![\d,.]){number}(?!\d)", q))
    return answer(
        {
            "exchanges": [
                exchange(sentence, date_text=date_text, parties=parties, counts=[count(quote, number, **claim)])
            ]
        }
    )


# -------------------------------------------------------------------------------------------------- server

#: Totals over every server of the test session (printed by ``conftest.py`` at the end): ``requests``,
#: ``faults`` (injected), and ``articles_ok`` / ``articles_failed`` / ``articles_lost`` noted by tests.
TOTALS: Counter[str] = Counter()


def note_article(outcome: str) -> None:
    """Count one article's outcome: ``ok`` (a result), ``failed`` (a clear error), ``lost`` (anything else)."""
    TOTALS[f"articles_{outcome}"] += 1


@dataclass
class Recorded:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    raw: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat messages of a chat-completions request."""
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def text(self) -> str:
        """Every message content joined (handy for ``in`` checks)."""
        return "\n".join(str(m.get("content", "")) for m in self.messages)


Responder = Callable[[Recorded], Behaviour]


class FakeServer:
    """An OpenAI-compatible server on 127.0.0.1 (random free port) acting out scripted behaviours.

    Attributes:
        default: Behaviour used when the queue is empty and there is no ``responder`` (a valid empty answer).
        responder: Optional function choosing a behaviour from the request (e.g. by article text); used when
            the queue is empty.
        delay: Seconds added before every request is handled (a uniformly slow server).
        serial: Act like llama-cpp-python's server: one completion at a time, computed to the end even when its
            client has gone (a ``hang`` keeps the model busy for its ``seconds``), and ``GET /models`` answered
            only when no completion is running.
        requests: Every request received, in arrival order.
        finished: Monotonic times at which completions ended (``serial`` servers), in order.
    """

    def __init__(self, *, default: Behaviour | None = None, delay: float = 0.0, serial: bool = False) -> None:
        self.default = default or no_exchanges()
        self.serial = serial
        self.finished: list[float] = []
        self.model_lock = threading.Lock()
        self.responder: Responder | None = None
        self.delay = delay
        self.requests: list[Recorded] = []
        self.faults = 0  # behaviours acted out that were not a valid answer
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle

    def start(self) -> FakeServer:
        handler = type("Handler", (_Handler,), {"fake": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False
        httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]  # quiet on resets
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            TOTALS["servers"] += 1
            TOTALS["requests"] += len(self.requests)
            TOTALS["faults"] += self.faults
        self._stopping.set()  # wakes up hanging handlers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """The ``base_url`` for an OpenAI client (``http://127.0.0.1:PORT/v1``)."""
        return f"http://127.0.0.1:{self.port}/v1"

    # ---- scripting

    def script(self, *behaviours: Behaviour) -> FakeServer:
        """Queue behaviours for the next requests, in order."""
        with self._lock:
            self._queue.extend(behaviours)
        return self

    def reset(self) -> None:
        """Forget queued behaviours and recorded requests; restore the defaults."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.faults = 0
        self.default = no_exchanges()
        self.responder = None
        self.delay = 0.0

    @property
    def pending(self) -> int:
        """Behaviours still queued."""
        with self._lock:
            return len(self._queue)

    def chat_requests(self) -> list[Recorded]:
        """The recorded chat-completions requests."""
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # ---- internals used by the handler

    def _next(self, recorded: Recorded) -> Behaviour:
        with self._lock:
            self.requests.append(recorded)
            chosen = self._queue.popleft() if self._queue else None
        if chosen is None:
            chosen = self.responder(recorded) if self.responder is not None else self.default
        if chosen.fault:
            with self._lock:
                self.faults += 1
        return chosen

    def _completion(self, content: str, finish_reason: str, model: str, *, empty: bool = False) -> dict[str, Any]:
        choices = (
            []
            if empty
            else [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": finish_reason,
                    "logprobs": None,
                }
            ]
        )
        completion_tokens = max(1, len(content) // 4)
        return {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": choices,
            "usage": {
                "prompt_tokens": 100,
                "completion_tokens": completion_tokens,
                "total_tokens": 100 + completion_tokens,
            },
        }


class _Handler(BaseHTTPRequestHandler):
    fake: FakeServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 20-40 ms delayed-ACK stalls

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return None

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            with self.fake.model_lock if self.fake.serial else contextlib.nullcontext():
                pass
            self._json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model", "owned_by": "test"}]})
        else:
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        recorded = Recorded(
            method="POST", path=self.path, headers={k.lower(): v for k, v in self.headers.items()}, body=body, raw=raw
        )
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self.fake.requests.append(recorded)
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        behaviour = self.fake._next(recorded)
        with self.fake.model_lock if self.fake.serial else contextlib.nullcontext():
            wait = self.fake.delay + behaviour.delay
            if wait and self.fake._stopping.wait(wait):
                return
            model = body.get("model", "fake-model") if isinstance(body, dict) else "fake-model"
            with contextlib.suppress(TimeoutError, BrokenPipeError, ConnectionResetError):
                self._act(behaviour, model)  # suppressed: the client gave up first (it timed out)
            if self.fake.serial:
                self.fake.finished.append(time.monotonic())

    def _act(self, behaviour: Behaviour, model: str) -> None:
        if behaviour.kind == "answer":
            self._json(200, self.fake._completion(behaviour.content, behaviour.finish_reason, model))
        elif behaviour.kind == "empty_choices":
            self._json(200, self.fake._completion("", "stop", model, empty=True))
        elif behaviour.kind == "status":
            payload = behaviour.body
            if payload is None:
                payload = json.dumps(
                    {
                        "error": {
                            "message": f"fake server error {behaviour.status}",
                            "type": "server_error" if behaviour.status >= 500 else "error",
                            "code": str(behaviour.status),
                        }
                    }
                )
            self._send(behaviour.status, payload.encode("utf-8"), dict(behaviour.headers))
        elif behaviour.kind == "hang":
            self.fake._stopping.wait(behaviour.seconds)
            self.close_connection = True
        elif behaviour.kind == "drop":
            data = json.dumps(self.fake._completion('{"exchanges": []}', "stop", model)).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        else:  # pragma: no cover - a typo in a test
            raise ValueError(f"unknown behaviour {behaviour.kind!r}")

    def _json(self, code: int, payload: Any) -> None:
        self._send(code, json.dumps(payload, ensure_ascii=False).encode("utf-8"), {})

    def _send(self, code: int, data: bytes, headers: dict[str, str]) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
