"""Many articles on a Ray cluster: a ``ray.data.Dataset`` of articles in, a dataset of extraction rows out.

:func:`extract_dataset` maps the articles with ``map_batches`` over a pool of actors. Each actor holds one async
OpenAI client (and, optionally, a response cache) and runs every batch it is given through
:func:`~pow_extract.dataset.batch.aextract_many`, the same code as a one-machine run: retries of transient faults,
re-asks of invalid answers, the response cache, and at most ``concurrency`` requests in flight per actor. So a
record made on Ray is the record ``extract_many`` makes from the same answers.

* **One row per article** (:data:`ARTICLE_COLUMNS`): ``article_id``, ``source``, ``published``, ``ok``, the error
  (``error_type``, ``error_message``) of an article that failed, a few totals (``exchanges``, ``claims``, tokens,
  ``cached``, ``seconds``), and ``record``: the whole :class:`~pow_extract.records.schema.ArticleExtraction` as
  JSON (``ArticleExtraction.model_validate_json(row["record"])``), or null for a failure.
* **Or one row per count claim** (``rows="claim"``, :data:`CLAIM_COLUMNS`): who said how many went to whom, with
  the quote and its offsets in the article.
* **An article never fails the job.** A bad input (no text, a bad date), an answer that stays invalid, an endpoint
  that keeps failing: each becomes that article's row with ``ok=False`` and the error, as in ``extract_many``'s
  output. The user function never raises, so Ray never retries a batch and no article is written twice.
* **Writing** is Ray's own: ``extract_dataset(...).write_parquet(path)`` or ``.write_json(path)``.

Needs the ``ray`` extra (``pip install "pow-extract[ray]"``). The endpoint is given as for
:func:`~pow_extract.extract`; every actor resolves it for itself, so with no endpoint each actor starts the
embedded model on its own node. The API key travels to the actors only when passed as ``api_key=``; otherwise each
worker reads ``OPENAI_API_KEY`` from its own environment.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pow_extract.dataset.batch import (
    ArticleInput,
    BatchAborted,
    BatchError,
    BatchRecord,
    UnreadableInput,
    aextract_many,
)
from pow_extract.model.backends import Backend, Structured, resolve_backend
from pow_extract.reading.article import Article
from pow_extract.reading.extraction import ExtractionSettings
from pow_extract.records.errors import ArticleError
from pow_extract.records.schema import ArticleExtraction

if TYPE_CHECKING:
    import pyarrow as pa
    import ray.data

__all__ = [
    "ARTICLE_COLUMNS",
    "CLAIM_COLUMNS",
    "ArticleColumns",
    "Endpoint",
    "article_rows",
    "claim_rows",
    "dataset_from_articles",
    "extract_dataset",
    "outcomes_from_rows",
    "record_from_row",
]

Rows = Literal["article", "claim"]

#: Columns of a row per article, in order (types in :func:`article_schema`).
ARTICLE_COLUMNS = (
    "article_id", "source", "published", "ok", "error_type", "error_message", "exchanges", "claims",
    "prompt_tokens", "completion_tokens", "requests", "cached", "seconds", "record",
)  # fmt: skip

#: Columns of a row per count claim, in order (types in :func:`claim_schema`).
CLAIM_COLUMNS = (
    "article_id", "source", "published", "exchange_index", "status", "kind", "mention", "date", "parties",
    "returned_to", "number", "qualifier", "claimant", "claimant_side", "quote", "span_start", "span_end",
)  # fmt: skip


def article_schema() -> pa.Schema:
    """The Arrow schema of a row per article (fixed, so every block of the dataset has the same one)."""
    import pyarrow as pa

    return pa.schema([
        ("article_id", pa.string()), ("source", pa.string()), ("published", pa.string()), ("ok", pa.bool_()),
        ("error_type", pa.string()), ("error_message", pa.string()), ("exchanges", pa.int32()),
        ("claims", pa.int32()), ("prompt_tokens", pa.int64()), ("completion_tokens", pa.int64()),
        ("requests", pa.int32()), ("cached", pa.bool_()), ("seconds", pa.float64()), ("record", pa.string()),
    ])  # fmt: skip


def claim_schema() -> pa.Schema:
    """The Arrow schema of a row per count claim."""
    import pyarrow as pa

    return pa.schema([
        ("article_id", pa.string()), ("source", pa.string()), ("published", pa.string()),
        ("exchange_index", pa.int32()), ("status", pa.string()), ("kind", pa.string()), ("mention", pa.string()),
        ("date", pa.string()), ("parties", pa.string()), ("returned_to", pa.string()), ("number", pa.int64()),
        ("qualifier", pa.string()), ("claimant", pa.string()), ("claimant_side", pa.string()), ("quote", pa.string()),
        ("span_start", pa.int64()), ("span_end", pa.int64()),
    ])  # fmt: skip


@dataclass(frozen=True)
class ArticleColumns:
    """Which input columns hold the article: its text and id (required), date and source (optional).

    A row whose text is null but which has a ``path`` is read from that file by the actor (the file's stem is then
    the article id, as in ``extract_many``).
    """

    text: str = "text"
    id: str = "id"
    published: str | None = "published"
    source: str | None = "source"
    path: str | None = "path"


@dataclass(frozen=True)
class Endpoint:
    """The model endpoint as each actor resolves it (see :func:`~pow_extract.model.backends.resolve_backend`).

    ``api_key`` is None unless given explicitly: then each worker reads ``OPENAI_API_KEY`` from its environment.
    """

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    structured: Structured | None = None
    timeout: float | None = None

    def resolve(self) -> Backend:
        return resolve_backend(base_url=self.base_url, api_key=self.api_key, model=self.model,
                               structured=self.structured, timeout=self.timeout)  # fmt: skip

    def __repr__(self) -> str:  # never the key
        return f"Endpoint(model={self.model!r}, base_url={self.base_url!r}, structured={self.structured!r})"


# ------------------------------------------------------------------------------------------------ rows


def _date(value: Any) -> dt.date | None:
    """A publication date from an Arrow/pandas/JSON value: a date, a datetime, an ISO string, or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value != value:  # NaN from pandas
        return None
    to_pydatetime = getattr(value, "to_pydatetime", None)  # a pandas Timestamp
    if callable(to_pydatetime):
        stamp = to_pydatetime()
        return stamp.date() if isinstance(stamp, dt.datetime) else None
    return dt.date.fromisoformat(str(value)[:10])


def to_inputs(rows: Sequence[dict[str, Any]], columns: ArticleColumns) -> list[ArticleInput]:
    """Input rows as batch inputs: an :class:`Article` each, or an :class:`UnreadableInput` saying what is wrong."""
    inputs: list[ArticleInput] = []
    for number, row in enumerate(rows):
        raw_id = row.get(columns.id)
        article_id = str(raw_id) if raw_id not in (None, "") else ""
        source = row.get(columns.source) if columns.source else None
        source = str(source) if source not in (None, "") else None
        if not article_id:
            fallback = f"row-{number}-without-id"
            inputs.append(UnreadableInput(fallback, f"row without an {columns.id!r} value", source))
            continue
        text = row.get(columns.text)
        path = row.get(columns.path) if columns.path else None
        if text is None and isinstance(path, str) and path:
            inputs.append(Path(path))
            continue
        try:
            if not isinstance(text, str):
                raise ArticleError(f"article {article_id}: no {columns.text!r} string")
            published = _date(row.get(columns.published)) if columns.published else None
            inputs.append(Article(text=text, id=article_id, published=published, source=source))
        except ValueError as exc:  # ArticleError is a ValueError; so is a bad date
            message = str(exc) if isinstance(exc, ArticleError) else f"article {article_id}: bad published date ({exc})"
            inputs.append(UnreadableInput(article_id, message, source))
    return inputs


def article_rows(outcomes: Iterable[BatchRecord | BatchError]) -> list[dict[str, Any]]:
    """One row per article (:data:`ARTICLE_COLUMNS`) from ``aextract_many``'s records and errors."""
    rows: list[dict[str, Any]] = []
    for outcome in outcomes:
        if isinstance(outcome, BatchRecord):
            record = ArticleExtraction.model_validate(outcome.model_dump(exclude={"index", "cached"}))
            rows.append({
                "article_id": outcome.article_id, "source": outcome.source,
                "published": outcome.published.isoformat() if outcome.published else None, "ok": True,
                "error_type": None, "error_message": None, "exchanges": len(outcome.exchanges),
                "claims": sum(len(e.counts) for e in outcome.exchanges),
                "prompt_tokens": outcome.usage.prompt_tokens, "completion_tokens": outcome.usage.completion_tokens,
                "requests": outcome.usage.requests, "cached": outcome.cached, "seconds": outcome.seconds,
                "record": record.model_dump_json(),
            })  # fmt: skip
        else:
            rows.append({
                "article_id": outcome.article_id, "source": outcome.source, "published": None, "ok": False,
                "error_type": outcome.error.type, "error_message": outcome.error.message, "exchanges": 0, "claims": 0,
                "prompt_tokens": outcome.usage.prompt_tokens, "completion_tokens": outcome.usage.completion_tokens,
                "requests": outcome.usage.requests, "cached": False, "seconds": outcome.seconds, "record": None,
            })  # fmt: skip
    return rows


def record_from_row(row: dict[str, Any]) -> ArticleExtraction | None:
    """The :class:`ArticleExtraction` of a row per article, or None for an article that failed."""
    record = row.get("record")
    return ArticleExtraction.model_validate_json(record) if isinstance(record, str) else None


def claim_rows(article_row: dict[str, Any]) -> list[dict[str, Any]]:
    """The count claims of one row per article, one row each (:data:`CLAIM_COLUMNS`); none for a failure."""
    record = record_from_row(article_row)
    if record is None:
        return []
    rows: list[dict[str, Any]] = []
    for index, exchange in enumerate(record.exchanges):
        for claim in exchange.counts:
            rows.append({
                "article_id": record.article_id, "source": record.source,
                "published": record.published.isoformat() if record.published else None, "exchange_index": index,
                "status": exchange.status, "kind": exchange.kind, "mention": exchange.mention,
                "date": exchange.date.isoformat() if exchange.date else None, "parties": "; ".join(exchange.parties),
                "returned_to": claim.returned_to, "number": claim.number, "qualifier": claim.qualifier,
                "claimant": claim.claimant, "claimant_side": claim.claimant_side, "quote": claim.quote,
                "span_start": claim.span.start if claim.span else None,
                "span_end": claim.span.end if claim.span else None,
            })  # fmt: skip
    return rows


def _table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=schema)


# ---------------------------------------------------------------------------------------------- actors


class ArticleExtractor:
    """The user function of ``map_batches``: one per actor, holding one async client, one event loop, one cache.

    Each call extracts one batch of article rows with :func:`aextract_many` (at most ``concurrency`` requests in
    flight) and returns one row per input row, in input order.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        settings: ExtractionSettings | None = None,
        concurrency: int = 8,
        cache: str | None = None,
        columns: ArticleColumns | None = None,
        published: dt.date | None = None,
    ) -> None:
        import openai

        from pow_extract.model.cache import ResponseCache

        self.backend = endpoint.resolve()
        self.settings = settings or ExtractionSettings()
        self.concurrency = concurrency
        self.columns = columns or ArticleColumns()
        self.published = published
        self.cache = ResponseCache(cache) if cache else None
        self.loop = asyncio.new_event_loop()
        self.client = openai.AsyncOpenAI(base_url=self.backend.base_url, api_key=self.backend.api_key,
                                         timeout=self.backend.timeout, max_retries=0)  # fmt: skip

    def __call__(self, batch: pa.Table) -> pa.Table:
        return _table(self.extract(batch.to_pylist()), article_schema())

    def extract(self, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows per article for ``rows`` (dicts of input columns), in the same order."""
        inputs = to_inputs(rows, self.columns)
        cache = self.cache if self.cache is not None else False  # (an empty ResponseCache is falsy)
        try:
            result = self.loop.run_until_complete(
                aextract_many(inputs, concurrency=self.concurrency, output=None, cache=cache, progress=False,
                              client=self.client, backend=self.backend, settings=self.settings,
                              published=self.published)
            )  # fmt: skip
            outcomes: list[BatchRecord | BatchError] = [*result.results, *result.errors]
        except BatchAborted as exc:  # the endpoint is unusable: every article not done gets the error
            outcomes = [*exc.result.results, *exc.result.errors]
            done = {o.index for o in outcomes}
            outcomes += [_aborted(index, item, str(exc)) for index, item in enumerate(inputs) if index not in done]
        except Exception as exc:  # anything else: the batch's articles get the error; the job goes on
            message = f"{type(exc).__name__}: {exc}"
            outcomes = [_aborted(index, item, message, "BatchFailed") for index, item in enumerate(inputs)]
        outcomes.sort(key=lambda o: o.index)
        return article_rows(outcomes)

    def __del__(self) -> None:
        if getattr(self, "cache", None) is not None:
            assert self.cache is not None
            self.cache.close()


def _aborted(index: int, item: ArticleInput, message: str, kind: str = "BatchAborted") -> BatchError:
    from pow_extract.dataset.batch import ErrorInfo

    if isinstance(item, Article | UnreadableInput):
        article_id = item.id if isinstance(item, Article) else item.article_id
        source = item.source
    else:  # a path: the id extract_many would give it
        article_id, source = Path(os.fspath(item)).stem, os.fspath(item)
    return BatchError(article_id=article_id, source=source, index=index,
                      error=ErrorInfo(type=kind, message=message))  # fmt: skip


def _claims_of(batch: pa.Table) -> pa.Table:
    rows = [claim for row in batch.to_pylist() for claim in claim_rows(row)]
    return _table(rows, claim_schema())


# ---------------------------------------------------------------------------------------------- public


def extract_dataset(
    articles: ray.data.Dataset,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    structured: Structured | None = None,
    timeout: float | None = None,
    settings: ExtractionSettings | None = None,
    actors: int = 2,
    concurrency: int = 8,
    batch_size: int = 64,
    num_cpus: float = 0.5,
    cache: str | os.PathLike[str] | None = None,
    rows: Rows = "article",
    columns: ArticleColumns | None = None,
    published: dt.date | None = None,
) -> ray.data.Dataset:
    """Extract every article of a Ray dataset; lazy, like every Ray Data transformation.

    Args:
        articles: One row per article with a text column and an id column (names in ``columns``; ids must be
            distinct), optionally a publication date (a date, or an ISO string) and a source.
        model, base_url, api_key, structured, timeout: The endpoint, as for :func:`~pow_extract.extract`, resolved
            by each actor (with none, each actor starts the embedded model).
        settings: Prompt version, re-asks, retries, token budget, grounding policy.
        actors: Actors in the pool (each holds one client).
        concurrency: Requests in flight per actor at most.
        batch_size: Articles handed to an actor at a time.
        num_cpus: CPUs Ray reserves per actor (the work is mostly waiting on the endpoint).
        cache: A response-cache directory each actor opens (a directory on a file system every node sees, or one
            per node); None: no cache.
        rows: ``"article"`` (one row per article, :data:`ARTICLE_COLUMNS`) or ``"claim"`` (one row per count
            claim, :data:`CLAIM_COLUMNS`).
        columns: Names of the input columns (default ``text``, ``id``, ``published``, ``source``, ``path``).
        published: Publication date for articles that carry none (for files: instead of a dateline's).

    Returns:
        A ``ray.data.Dataset``; write it with ``write_parquet`` / ``write_json``, or iterate it.
    """
    if actors < 1 or concurrency < 1 or batch_size < 1:
        raise ValueError("actors, concurrency and batch_size must be at least 1")
    if rows not in ("article", "claim"):
        raise ValueError(f"rows must be 'article' or 'claim', not {rows!r}")
    import ray.data

    endpoint = Endpoint(model=model, base_url=base_url, api_key=api_key, structured=structured, timeout=timeout)
    if base_url or api_key or os.environ.get("OPENAI_BASE_URL") or os.environ.get("OPENAI_API_KEY"):
        endpoint.resolve()  # no network: a malformed endpoint fails here, once, rather than in every actor
    extracted = articles.map_batches(
        ArticleExtractor,
        fn_constructor_kwargs={
            "endpoint": endpoint, "settings": settings, "concurrency": concurrency,
            "cache": str(Path(cache).expanduser()) if cache is not None else None, "columns": columns,
            "published": published,
        },
        batch_size=batch_size, batch_format="pyarrow", compute=ray.data.ActorPoolStrategy(size=actors),
        num_cpus=num_cpus,
    )  # fmt: skip
    if rows == "claim":
        return extracted.map_batches(_claims_of, batch_format="pyarrow")
    return extracted


def dataset_from_articles(articles: Iterable[Article], *, parallelism: int | None = None) -> ray.data.Dataset:
    """A Ray dataset of ``articles`` (``text``, ``id``, ``published`` as an ISO string, ``source``)."""
    import ray.data

    items = [
        {"id": a.id, "text": a.text, "published": a.published.isoformat() if a.published else None,
         "source": a.source}
        for a in articles
    ]  # fmt: skip
    kwargs: dict[str, Any] = {} if parallelism is None else {"override_num_blocks": parallelism}
    return ray.data.from_items(items, **kwargs)


def outcomes_from_rows(rows: Iterable[dict[str, Any]], index: Callable[[str], int]) -> list[BatchRecord | BatchError]:
    """Rows per article back as ``extract_many``'s output lines (``index`` gives each article's input position)."""
    from pow_extract.dataset.batch import ErrorInfo
    from pow_extract.records.schema import Usage

    out: list[BatchRecord | BatchError] = []
    for row in rows:
        record = record_from_row(row)
        if record is not None:
            out.append(BatchRecord(**dict(record), index=index(record.article_id), cached=bool(row.get("cached"))))
        else:
            usage = Usage(prompt_tokens=int(row.get("prompt_tokens") or 0),
                          completion_tokens=int(row.get("completion_tokens") or 0),
                          requests=int(row.get("requests") or 0))  # fmt: skip
            out.append(BatchError(
                article_id=str(row["article_id"]), source=row.get("source"), index=index(str(row["article_id"])),
                error=ErrorInfo(type=str(row.get("error_type") or "Error"), message=str(row.get("error_message"))),
                usage=usage, seconds=row.get("seconds"),
            ))  # fmt: skip
    return out
