"""What talking to the model costs in one scope, and the pause every request of a batch honours.

A :class:`Meter` set in :data:`METER` (a context variable, so each article of a concurrent batch has its own)
receives, from extraction: every HTTP request sent (retries and re-asks included), every answer the model produced
with its tokens, and every answer served from the response cache instead. Tokens are counted in one place,
instructor's ``completion:response`` hook (:mod:`pow_extract.reading.extraction`).

A :class:`Gate` shared by a meter's requests holds them back while a server's ``Retry-After`` runs: a 429 (or
503) told to one request pauses them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from pow_extract.records.schema import Usage

__all__ = ["METER", "Gate", "Meter", "usage_of"]


class Gate:
    """Shared pause and in-flight limit: every request waits here; a ``Retry-After`` closes it for everyone, and at
    most ``in_flight`` requests are sent at once (the endpoint's capacity: an embedded server's slots, else the
    batch's concurrency). Time spent waiting here is not part of any request's timeout."""

    def __init__(self, in_flight: int | None = None) -> None:
        self._until = 0.0
        self.pauses = 0
        self.in_flight = in_flight
        self._slots: asyncio.Semaphore | None = None

    def slot(self) -> asyncio.Semaphore | contextlib.nullcontext[None]:
        """An async context manager held while a request is on the wire."""
        if self.in_flight is None:
            return contextlib.nullcontext()
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.in_flight)
        return self._slots

    def pause(self, seconds: float) -> None:
        """Hold back every request for ``seconds`` from now (a longer pause already running is kept)."""
        until = time.monotonic() + seconds
        if until > self._until:
            self._until = until
            self.pauses += 1

    async def wait(self) -> None:
        """Return once the gate is open."""
        while (left := self._until - time.monotonic()) > 0:
            await asyncio.sleep(left)


@dataclass
class Meter:
    """Requests and answers of one scope (e.g. one article of a batch).

    Attributes:
        requests: HTTP requests sent to the model (retries and re-asks included).
        answers: Answers the model produced.
        cached: Answers served from the response cache (no request sent).
        usage: Tokens of the answers the model produced (cached answers cost nothing).
        gate: A pause shared with other meters, honoured before every request (async extraction only).
    """

    requests: int = 0
    answers: int = 0
    cached: int = 0
    usage: Usage = field(default_factory=Usage)
    gate: Gate | None = None

    @property
    def all_cached(self) -> bool:
        """True when every answer came from the cache (and there was at least one)."""
        return self.cached > 0 and self.answers == 0


#: The meter of the current scope, or None (nothing is metered).
METER: ContextVar[Meter | None] = ContextVar("pow_extract_meter", default=None)


def usage_of(response: Any) -> Usage:
    """The tokens of one chat-completion answer (zero where the server reports none), as one request."""
    usage = getattr(response, "usage", None)
    return Usage(
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        requests=1,
    )
