"""A persistent cache of extraction results, so a re-run over the same articles costs no model call.

The cache lives on disk (``diskcache``: SQLite plus files, safe across threads and processes). A key covers
everything that can change the answer:

* the model name and the endpoint (base URL without credentials or query; ``embedded`` for the embedded server,
  whose port changes every run);
* the prompt version *and* a hash of its template text, so an edited prompt never reuses an old answer;
* a hash of the JSON schema sent to the model and of the result model;
* every :class:`~pow_extract.ExtractionSettings` field but the retry policy (temperature, max_tokens, re-asks,
  grounding policy...), the schema enforcement and the context size (which decides chunking), but no timeout;
* the article text and its publication date;
* the pow_extract version.

Values are :class:`~pow_extract.records.schema.ArticleExtraction` JSON. Only successful extractions are stored. A value
that no longer validates is treated as a miss.

The default directory is ``<user cache dir>/pow_extract/responses`` (``platformdirs``), or ``POW_EXTRACT_CACHE_DIR``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from functools import cache
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import diskcache
from platformdirs import user_cache_dir
from pydantic import ValidationError

from pow_extract.model.backends import Backend
from pow_extract.model.prompting import compact_schema, load_prompts
from pow_extract.reading import extraction
from pow_extract.reading.article import Article
from pow_extract.reading.extraction import ExtractionSettings
from pow_extract.records.schema import ArticleExtraction

__all__ = ["CACHE_DIR_ENV", "ResponseCache", "cache_key", "default_cache_dir", "public_endpoint"]

CACHE_DIR_ENV = "POW_EXTRACT_CACHE_DIR"
#: Bumped when the key recipe or the stored format changes.
KEY_FORMAT = 1


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


def _sha(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@cache
def _package_version() -> str:
    try:
        return metadata.version("pow-extract")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


@cache
def _schema_hash() -> str:
    schemas = [["answer", compact_schema(extraction._Answer)], ["result", ArticleExtraction.model_json_schema()]]
    return _sha(json.dumps(schemas, sort_keys=True))


@cache
def _prompt_hash(version: str) -> str:
    prompts = load_prompts(version)
    return _sha(prompts.system + "\n\x00\n" + prompts.user.template)


#: Settings that never change an answer, only how hard we try to get one.
_NOT_IN_KEY = frozenset({"retry"})


def _settings_part(settings: ExtractionSettings) -> dict[str, Any]:
    """Every extraction setting except the retry policy (new settings are included automatically)."""
    return {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings) if f.name not in _NOT_IN_KEY}


def cache_key(article: Article, backend: Backend, settings: ExtractionSettings) -> str:
    """The cache key (a SHA-256 hex digest) of extracting ``article`` with ``backend`` and ``settings``.

    Raises:
        FileNotFoundError: ``settings.prompt_version`` names no prompt folder.
    """
    recipe: dict[str, Any] = {
        "format": KEY_FORMAT,
        "pow_extract": _package_version(),
        "model": backend.model,
        "endpoint": public_endpoint(backend),
        "structured": backend.structured,
        "context_tokens": backend.context_tokens,
        "prompt_version": settings.prompt_version,
        "prompt_sha": _prompt_hash(settings.prompt_version),
        "schema_sha": _schema_hash(),
        "settings": _settings_part(settings),
        "published": article.published.isoformat() if article.published else None,
        "text_sha": _sha(article.text),
    }
    return _sha(json.dumps(recipe, sort_keys=True, default=str))


class ResponseCache:
    """Extraction results on disk, keyed by :func:`cache_key`.

    Args:
        directory: Where to keep the cache (default :func:`default_cache_dir`). Created if missing.
        size_limit: Bytes kept before the least recently stored entries are evicted (default 2 GiB).

    Use as a context manager, or call :meth:`close` when done.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, size_limit: int = 2**31) -> None:
        self.directory = Path(directory).expanduser() if directory is not None else default_cache_dir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._cache = diskcache.Cache(str(self.directory), size_limit=size_limit)
        self.hits = 0
        self.misses = 0

    def key(self, article: Article, backend: Backend, settings: ExtractionSettings) -> str:
        """Same as :func:`cache_key`."""
        return cache_key(article, backend, settings)

    def get(self, key: str) -> ArticleExtraction | None:
        """The stored result for ``key``, or None (also when the stored value no longer validates)."""
        raw = self._cache.get(key)
        if not isinstance(raw, str):
            self.misses += 1
            return None
        try:
            result = ArticleExtraction.model_validate_json(raw)
        except ValidationError:
            self._cache.delete(key)
            self.misses += 1
            return None
        self.hits += 1
        return result

    def lookup(self, article: Article, backend: Backend, settings: ExtractionSettings) -> ArticleExtraction | None:
        """The stored result for this article and configuration, re-labelled with the article's id and source."""
        found = self.get(self.key(article, backend, settings))
        if found is None:
            return None
        return found.model_copy(update={"article_id": article.id, "source": article.source})

    def set(self, key: str, result: ArticleExtraction) -> None:
        """Store ``result`` under ``key``."""
        self._cache.set(key, result.model_dump_json())

    def store(
        self, article: Article, backend: Backend, settings: ExtractionSettings, result: ArticleExtraction
    ) -> None:
        """Store ``result`` as the answer for this article and configuration."""
        self.set(self.key(article, backend, settings), result)

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
