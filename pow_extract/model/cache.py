"""A persistent cache of the model's answers, so a re-run over the same articles costs no model call.

What is stored is the model's raw answer (the chat-completion JSON, usage included), keyed on the exact request:

* the endpoint (base URL without credentials, query or fragment; ``embedded`` for the embedded server, whose port
  changes every run);
* everything sent: the model name, the messages (system prompt with the schema, the article text and its date), the
  ``response_format`` and any schema for constrained decoding, the sampling parameters and ``max_tokens``.

Parsing, validation, grounding and the coding rules run again on every hit, so a changed rule shows on the next run
without a model call, while a changed prompt, schema, model, article or setting that is sent is another request: a
miss. A re-ask is a request too (the previous answer and its error are in its messages), so a cached re-run replays
the whole exchange with the model.

Only answers with at least one choice are stored. A value that no longer parses is treated as a miss and dropped.
The cache lives on disk (``diskcache``: SQLite plus files, safe across threads and processes); the default
directory is ``<user cache dir>/pow_extract/responses`` (``platformdirs``), or ``POW_EXTRACT_CACHE_DIR``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import diskcache
from platformdirs import user_cache_dir
from pydantic import BaseModel, ValidationError

from pow_extract.model.backends import Backend

__all__ = ["CACHE_DIR_ENV", "ResponseCache", "default_cache_dir", "public_endpoint", "request_key"]

CACHE_DIR_ENV = "POW_EXTRACT_CACHE_DIR"
#: Bumped when the key recipe or the stored format changes (1: extraction results; 2: the model's answers).
KEY_FORMAT = 2

OnHit = Callable[[Any], None]


def default_cache_dir() -> Path:
    """``POW_EXTRACT_CACHE_DIR`` if set, else ``<platformdirs user cache>/pow_extract/responses``."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(user_cache_dir("pow_extract")) / "responses"


def public_endpoint(backend: Backend) -> str:
    """The endpoint part of a cache key: no user/password, query or fragment; ``embedded`` for the embedded model."""
    if backend.embedded:
        return "embedded"
    if not backend.base_url:
        return "https://api.openai.com/v1"
    parts = urlsplit(backend.base_url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def _plain(value: Any) -> Any:
    """JSON form of what a request may carry besides plain data (pydantic models, e.g. instructor's messages)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot key a request holding {type(value).__name__}")


def request_key(endpoint: str, request: Mapping[str, Any]) -> str:
    """The cache key (a SHA-256 hex digest) of sending ``request`` (the keyword arguments of
    ``chat.completions.create``) to ``endpoint`` (see :func:`public_endpoint`)."""
    recipe = {"format": KEY_FORMAT, "endpoint": endpoint, "request": dict(request)}
    text = json.dumps(recipe, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResponseCache:
    """The model's answers on disk, keyed by :func:`request_key`.

    Args:
        directory: Where to keep the cache (default :func:`default_cache_dir`). Created if missing.
        size_limit: Bytes kept before the least recently stored entries are evicted (default 2 GiB).

    Pass it to :func:`~pow_extract.extract` or :func:`~pow_extract.extract_many` (``cache=``). Use as a context
    manager, or call :meth:`close` when done.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, size_limit: int = 2**31) -> None:
        self.directory = Path(directory).expanduser() if directory is not None else default_cache_dir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._cache = diskcache.Cache(str(self.directory), size_limit=size_limit)

    def get(self, key: str) -> Any:
        """The stored answer (an ``openai`` ``ChatCompletion``) for ``key``, or None (also when it no longer
        parses)."""
        from openai.types.chat import ChatCompletion

        raw = self._cache.get(key)
        if not isinstance(raw, str):
            return None
        try:
            return ChatCompletion.model_validate_json(raw)
        except ValidationError:
            self._cache.delete(key)
            return None

    def set(self, key: str, response: Any) -> None:
        """Store ``response`` (a ``ChatCompletion``) under ``key``, unless it holds no choice."""
        if isinstance(response, BaseModel) and getattr(response, "choices", None):
            self._cache.set(key, response.model_dump_json())

    def wrap(self, send: Callable[..., Any], endpoint: str, *, on_hit: OnHit | None = None) -> Callable[..., Any]:
        """``send`` (a ``chat.completions.create``), answering from the cache when it can and storing what it gets.

        ``on_hit`` is called with every answer served from the cache.
        """

        def call(**request: Any) -> Any:
            key = request_key(endpoint, request)
            found = self.get(key)
            if found is not None:
                if on_hit is not None:
                    on_hit(found)
                return found
            response = send(**request)
            self.set(key, response)
            return response

        return call

    def awrap(
        self, send: Callable[..., Awaitable[Any]], endpoint: str, *, on_hit: OnHit | None = None
    ) -> Callable[..., Awaitable[Any]]:
        """Async twin of :meth:`wrap`."""

        async def call(**request: Any) -> Any:
            key = request_key(endpoint, request)
            found = self.get(key)
            if found is not None:
                if on_hit is not None:
                    on_hit(found)
                return found
            response = await send(**request)
            self.set(key, response)
            return response

        return call

    def __len__(self) -> int:
        return len(self._cache)

    def __contains__(self, key: object) -> bool:
        return key in self._cache

    def clear(self) -> int:
        """Remove every entry; returns how many were removed."""
        return int(self._cache.clear())

    def close(self) -> None:
        """Close the underlying database (the cache can be reopened later)."""
        self._cache.close()

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ResponseCache({str(self.directory)!r})"
