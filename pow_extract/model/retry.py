"""Retries of transient HTTP faults with tenacity, kept apart from instructor's validation re-asks.

A timeout, a dropped connection, a 429 or a 5xx is retried with exponential backoff and jitter; a 429 or 503
that carries ``Retry-After`` waits exactly that long (capped). Nothing about these faults is fed back into the
prompt: the same request is simply sent again. Re-asking after a *validation* error is instructor's job
(``max_reasks``), one layer up.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

T = TypeVar("T")

_backoff = wait_exponential_jitter(initial=1.0, max=30.0, jitter=1.0)


@dataclass(frozen=True)
class RetryPolicy:
    """How transient faults are retried.

    Attributes:
        attempts: Total tries of one request (1 = no retry).
        max_wait: Upper bound of one wait, Retry-After included (seconds).
        deadline: Give up once this much time has passed since the first try (seconds).
    """

    attempts: int = 5
    max_wait: float = 60.0
    deadline: float = 600.0


def is_transient(exc: BaseException) -> bool:
    """True for faults worth sending the same request again: timeouts, connection errors, 408/409/429, 5xx."""
    if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError):
        from pow_extract.model.recording import is_replay_miss

        return not is_replay_miss(exc)  # a cassette without the answer will not grow one on retry
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def retry_after_seconds(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (``Retry-After`` as seconds or HTTP date, or ``retry-after-ms``)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None  # a malformed header: fall back to the usual backoff rather than crash the wait
    if parsed.tzinfo is None:  # "-0000" (RFC 5322: UTC, source zone unknown) parses as a naive datetime
        parsed = parsed.replace(tzinfo=dt.UTC)
    return max(0.0, parsed.timestamp() - time.time())


def _wait(policy: RetryPolicy) -> Callable[[RetryCallState], float]:
    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after_seconds(exc) if exc else None
        seconds = asked if asked is not None else _backoff(state)
        return float(min(seconds, policy.max_wait))

    return wait


def _kwargs(policy: RetryPolicy) -> dict[str, Any]:
    return {
        "retry": retry_if_exception(is_transient),
        "stop": stop_after_attempt(policy.attempts) | stop_after_delay(policy.deadline),
        "wait": _wait(policy),
        "reraise": True,
    }


def with_retries(func: Callable[..., T], policy: RetryPolicy) -> Callable[..., T]:
    """Wrap a sync call so transient faults are retried under ``policy``."""

    def call(*args: Any, **kwargs: Any) -> T:
        for attempt in Retrying(**_kwargs(policy)):
            with attempt:
                return func(*args, **kwargs)
        raise AssertionError("unreachable")  # pragma: no cover

    return call


def with_async_retries(func: Callable[..., Awaitable[T]], policy: RetryPolicy) -> Callable[..., Awaitable[T]]:
    """Wrap an async call so transient faults are retried under ``policy``."""

    async def call(*args: Any, **kwargs: Any) -> T:
        async for attempt in AsyncRetrying(**_kwargs(policy)):
            with attempt:
                return await func(*args, **kwargs)
        raise AssertionError("unreachable")  # pragma: no cover

    return call
