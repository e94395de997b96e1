"""Many articles at once: bounded concurrency, a crash-safe JSONL output, resume, a response cache, cost totals.

:func:`aextract_many` (async) and :func:`extract_many` (sync; also from a notebook whose event loop is running)
extract a list of articles with at most ``concurrency`` requests in flight:

* **Output as results finish.** Each finished article is appended to ``output`` as one JSON line, flushed and
  fsync'ed, so a killed run leaves valid JSONL. A success is a :class:`BatchRecord` (an
  :class:`~pow_extract.records.schema.ArticleExtraction` plus ``index``, the article's position in the input, and
  ``cached``); a failure is a :class:`BatchError` line ``{"article_id", "source", "index", "error": {"type",
  "message"}, "usage", "seconds"}``. Read such a file back with :func:`read_batch`.
* **Resume.** With ``resume=True`` the articles already successfully in ``output`` are skipped (by article id);
  failed ones are tried again (their old error lines are dropped), and a partial last line left by a killed run
  is removed.
* **One bad input never sinks the batch.** An empty, binary or unreadable file, or an article the model keeps
  answering badly, becomes an error line; the others go on. Only an *unusable endpoint* (connection refused,
  401/403, unknown model or path, misconfiguration) stops the batch, raising :class:`BatchAborted`.
* **Rate limits.** When any request gets a 429 (or 503) with ``Retry-After``, the whole batch holds back new
  requests for that long, not just the task that was told.
* **Cache.** The model's answers are looked up in and stored to a :class:`~pow_extract.model.cache.ResponseCache` (on
  by default), keyed on the exact request; a cached re-run makes no model call (see ``BatchResult.model_calls``),
  yet parses, grounds and applies the coding rules again, so a changed rule shows at once.
* **Accounting.** ``BatchResult.usage`` sums the tokens of every model call of the run (retries, re-asks and
  failed articles included; cache hits cost nothing), ``cost`` prices them with :class:`Prices`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openai
from pydantic import BaseModel, Field, ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from pow_extract.model.backends import Backend, Structured, resolve_backend
from pow_extract.model.cache import ResponseCache
from pow_extract.model.prompting import check_version
from pow_extract.model.traffic import METER, Gate, Meter
from pow_extract.reading.article import Article, load_article
from pow_extract.reading.extraction import ExtractionSettings, aextract
from pow_extract.records.errors import ArticleError, BackendError, ExtractionError, PowExtractError
from pow_extract.records.schema import ArticleExtraction, Usage

__all__ = [
    "ArticleInput",
    "BatchAborted",
    "BatchError",
    "BatchInterrupted",
    "BatchRecord",
    "BatchResult",
    "ErrorInfo",
    "Prices",
    "UnreadableInput",
    "aextract_many",
    "extract_many",
    "read_batch",
    "read_jsonl_articles",
]

log = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------------ records


@dataclass(frozen=True)
class Prices:
    """What tokens cost, in currency units per million tokens (default 0: a local model).

    Example: ``Prices(prompt_per_million=0.15, completion_per_million=0.60)`` for gpt-4o-mini in USD.
    """

    prompt_per_million: float = 0.0
    completion_per_million: float = 0.0

    def cost(self, usage: Usage) -> float:
        """The price of ``usage``."""
        return (
            usage.prompt_tokens * self.prompt_per_million + usage.completion_tokens * self.completion_per_million
        ) / 1_000_000


class ErrorInfo(BaseModel):
    """Why an article failed: the exception type and its one-line message."""

    type: str
    message: str


class BatchRecord(ArticleExtraction):
    """A successful line of a batch output: the extraction, its input position, and whether the model's answers all
    came from the response cache (``cached``; the record itself was parsed, grounded and checked in this run).

    ``usage`` is what the model's answers cost when they were produced (for a cached record: in an earlier run).
    """

    index: int = Field(ge=0, description="Position of the article in the batch input (0-based).")
    cached: bool = False


class BatchError(BaseModel):
    """A failed line of a batch output. Resume tries these articles again."""

    article_id: str
    source: str | None = None
    index: int = Field(ge=0)
    error: ErrorInfo
    usage: Usage = Field(default_factory=Usage)
    seconds: float | None = None


@dataclass(frozen=True)
class UnreadableInput:
    """An input that could not be turned into an article (e.g. a bad line of a JSONL input): it becomes an
    error record instead of stopping the batch."""

    article_id: str
    message: str
    source: str | None = None


ArticleInput = Article | str | os.PathLike[str] | UnreadableInput
"""What a batch accepts: an :class:`~pow_extract.Article`, article text, a path to an article file, or an
:class:`UnreadableInput`. A ``str`` is article text unless it is one line naming an existing file or one word
ending in ``.txt``/``.html``/``.htm``/``.md`` (then it is a path). Pass ``pathlib.Path`` objects to be explicit."""


@dataclass
class BatchResult:
    """What a batch did.

    Attributes:
        results: Successful records in input order: extracted now, from the cache, or (resume) already in output.
        errors: Failed articles, in input order.
        articles: Inputs given.
        ok: Articles extracted successfully in this run (cache hits included).
        failed: Articles that failed in this run.
        skipped: Articles skipped because ``output`` already held them (resume).
        cached: Articles whose model answers all came from the cache (part of ``ok``).
        model_calls: Chat-completion requests sent in this run (retries and re-asks included).
        usage: Tokens of those requests.
        cost: ``usage`` priced with ``prices``.
        seconds: Wall time of the run.
        rate_limit_pauses: Times the batch held back because a server asked it to (``Retry-After``).
        output: The JSONL file written, if any.
        interrupted: True when the run was cancelled or aborted before every article was done.
    """

    results: list[BatchRecord] = field(default_factory=list)
    errors: list[BatchError] = field(default_factory=list)
    articles: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    cached: int = 0
    model_calls: int = 0
    usage: Usage = field(default_factory=Usage)
    cost: float = 0.0
    seconds: float = 0.0
    rate_limit_pauses: int = 0
    output: Path | None = None
    prices: Prices = field(default_factory=Prices)
    interrupted: bool = False

    @property
    def processed(self) -> int:
        """Articles attempted in this run (ok + failed)."""
        return self.ok + self.failed

    @property
    def seconds_per_article(self) -> float | None:
        """Wall seconds per attempted article, or None when none was attempted."""
        return self.seconds / self.processed if self.processed else None

    @property
    def exit_code(self) -> int:
        """0 every article done, 1 some failed, 2 none succeeded (the CLI's exit codes)."""
        if self.failed == 0 and not self.interrupted:
            return 0
        if self.ok + self.skipped == 0:
            return 2
        return 1


class BatchInterrupted(KeyboardInterrupt):
    """Raised by :func:`extract_many` on Ctrl-C, after every finished result has been written; ``result`` holds
    what was done (``result.interrupted`` is True)."""

    def __init__(self, result: BatchResult) -> None:
        super().__init__("batch interrupted")
        self.result = result


class BatchAborted(BackendError):
    """The endpoint became unusable mid-batch (connection refused, 401/403, unknown model, misconfiguration).

    Finished results are written; ``result`` holds them. The remaining articles were not attempted (run again
    with ``resume=True`` once the endpoint works).
    """

    def __init__(self, message: str, result: BatchResult) -> None:
        super().__init__(message)
        self.result = result


# ------------------------------------------------------------------------------------------------- inputs


@dataclass
class _Item:
    index: int
    article_id: str
    source: str | None
    load: Callable[[], Article]


_FILE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".text")


def _looks_like_path(value: str) -> bool:
    """A one-line string naming an existing file, or a single word ending in an article suffix (a typo then
    gives a clear "no such file" error rather than an extraction of the file name)."""
    if "\n" in value or len(value) > 4096 or not value.strip():
        return False
    if not any(ch.isspace() for ch in value.strip()) and value.strip().lower().endswith(_FILE_SUFFIXES):
        return True
    try:
        return Path(value).expanduser().is_file()
    except (OSError, ValueError):
        return False


def _fail(exc: Exception) -> Callable[[], Article]:
    def load() -> Article:
        raise exc

    return load


def _const(article: Article) -> Callable[[], Article]:
    return lambda: article


def _from_file(path: Path, published: dt.date | None) -> Callable[[], Article]:
    return lambda: load_article(path, published=published)


def _items(inputs: Sequence[ArticleInput], published: dt.date | None) -> list[_Item]:
    items: list[_Item] = []
    for index, value in enumerate(inputs):
        if isinstance(value, UnreadableInput):
            items.append(_Item(index, value.article_id, value.source, _fail(ArticleError(value.message))))
        elif isinstance(value, Article):
            article = value
            if published is not None and article.published is None:
                article = Article(text=article.text, id=article.id, published=published, source=article.source,
                                  metadata=dict(article.metadata))  # fmt: skip
            items.append(_Item(index, article.id, article.source, _const(article)))
        elif isinstance(value, os.PathLike) or (isinstance(value, str) and _looks_like_path(value)):
            path = Path(os.fspath(value)).expanduser()
            items.append(_Item(index, path.stem, str(path), _from_file(path, published)))
        elif isinstance(value, str):
            try:
                article = Article(text=value, published=published)
            except ArticleError as exc:
                reason = "the article text is empty" if not value.strip() else str(exc)
                items.append(_Item(index, f"input-{index}", None, _fail(ArticleError(f"input #{index}: {reason}"))))
            else:
                items.append(_Item(index, article.id, None, _const(article)))
        else:
            message = f"input {index}: expected an Article, text or a path, not {type(value).__name__}"
            items.append(_Item(index, f"input-{index}", None, _fail(ArticleError(message))))
    seen: dict[str, int] = {}
    for item in items:
        first = seen.setdefault(item.article_id, item.index)
        if first != item.index:
            item.load = _fail(
                ArticleError(
                    f"duplicate article id {item.article_id!r} (also input #{first}); give every article a distinct id"
                )
            )
    return items


def read_jsonl_articles(
    path: str | os.PathLike[str], *, published: dt.date | None = None
) -> list[Article | UnreadableInput]:
    """Read articles from a JSONL file, one ``{"id", "text", "published"?, "source"?}`` object per line.

    ``published`` (ISO date) defaults to the argument; ``source`` to ``<path>:<line>``; other string fields go to
    ``Article.metadata``. A line that is not valid JSON, has no text, or has a bad date becomes an
    :class:`UnreadableInput` (one error record), not an exception. Blank lines are skipped.

    Raises:
        ArticleError: the file cannot be read.
    """
    p = Path(path)
    try:
        content = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ArticleError(f"{p}: cannot read ({exc})") from exc
    out: list[Article | UnreadableInput] = []
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{p}:{number}"
        fallback_id = f"{p.stem}-{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(UnreadableInput(fallback_id, f"{where}: not valid JSON ({exc.msg})", where))
            continue
        if not isinstance(obj, dict):
            out.append(UnreadableInput(fallback_id, f"{where}: expected a JSON object", where))
            continue
        article_id = str(obj.get("id") or "")
        source = str(obj.get("source") or where)
        text = obj.get("text")
        try:
            if not isinstance(text, str):
                raise ArticleError(f'{where}: no "text" string')
            date = published
            if obj.get("published"):
                date = dt.date.fromisoformat(str(obj["published"])[:10])
            metadata = {
                k: v for k, v in obj.items() if isinstance(v, str) and k not in ("id", "text", "published", "source")
            }
            out.append(Article(text=text, id=article_id, published=date, source=source, metadata=metadata))
        except ValueError as exc:  # ArticleError is a ValueError, so is a bad date
            message = str(exc) if isinstance(exc, ArticleError) else f"{where}: bad published date ({exc})"
            out.append(UnreadableInput(article_id or fallback_id, message, source))
    return out


# ------------------------------------------------------------------------------------------------- output


def _parse_line(line: str) -> BatchRecord | BatchError | None:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(obj, dict):
        return None
    try:
        if "error" in obj:
            return BatchError.model_validate(obj)
        obj.setdefault("index", 0)
        return BatchRecord.model_validate(obj)
    except ValidationError:
        return None


def _scan(path: Path) -> tuple[list[tuple[str, BatchRecord | BatchError]], int]:
    """Lines of an existing output that parse (raw text, record) and the number of lines dropped as broken."""
    try:
        content = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return [], 0
    kept: list[tuple[str, BatchRecord | BatchError]] = []
    broken = 0
    for line in content.split("\n"):
        if not line.strip():
            continue
        record = _parse_line(line)
        if record is None:
            broken += 1
        else:
            kept.append((line, record))
    return kept, broken


def read_batch(path: str | os.PathLike[str]) -> tuple[list[BatchRecord], list[BatchError]]:
    """Read a batch output: its successful records and its error records.

    Tolerant of a killed run: a partial or otherwise broken line is skipped (and logged).
    """
    lines, broken = _scan(Path(path))
    if broken:
        log.warning("%s: skipped %d broken line(s)", path, broken)
    records = [r for _, r in lines if isinstance(r, BatchRecord)]
    errors = [r for _, r in lines if isinstance(r, BatchError)]
    return records, errors


class _Writer:
    """Appends lines durably (write, flush, fsync) from one background thread, in submission order."""

    def __init__(self, path: Path, *, truncate: bool) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        if not truncate and path.is_file() and path.stat().st_size:
            with path.open("rb") as existing:
                existing.seek(-1, os.SEEK_END)
                missing_newline = existing.read(1) != b"\n"
        else:
            missing_newline = False
        self._file = path.open("w" if truncate else "a", encoding="utf-8", newline="\n")
        if missing_newline:  # never glue a new record onto the last line of someone else's file
            self._file.write("\n")
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pow-extract-writer")

    def _write(self, line: str) -> None:
        self._file.write(line + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    async def write(self, line: str) -> None:
        # shielded: a cancelled task still gets its finished result onto disk
        future = asyncio.get_running_loop().run_in_executor(self._pool, self._write, line)
        await asyncio.shield(future)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._file.close()


def _rewrite(path: Path, lines: Iterable[str]) -> None:
    """Replace ``path`` atomically with ``lines``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for line in lines:
                handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ------------------------------------------------------------------------------------- model-call plumbing


_ENDPOINT_FAULTS = (
    openai.AuthenticationError,
    openai.PermissionDeniedError,
    openai.NotFoundError,
)


def _endpoint_fault(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) says the endpoint itself is unusable, not just this article."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 12:
        if isinstance(current, _ENDPOINT_FAULTS):
            return True
        if isinstance(current, openai.APIConnectionError) and not isinstance(current, openai.APITimeoutError):
            from pow_extract.model.recording import is_replay_miss

            return not is_replay_miss(current)
        current = current.__cause__ or current.__context__
        seen += 1
    return False


def _redact(text: str, secret: str) -> str:
    """``text`` without the key in use nor ``OPENAI_API_KEY`` (a server may echo a key in an error message)."""
    for value in (secret, os.environ.get("OPENAI_API_KEY", "")):
        if len(value) >= 8:
            text = text.replace(value, "[redacted]")
    return text


# ---------------------------------------------------------------------------------------------- progress


def rate_text(completed: float, elapsed: float) -> str:
    """The batch's pace since the start: articles per second, or seconds per article when slower than one a second
    (a local model: "219 s/art", not "0.00 art/s")."""
    if not elapsed or not completed:
        return "-- art/s"
    if completed >= elapsed:
        return f"{completed / elapsed:.2f} art/s"
    return f"{elapsed / completed:.0f} s/art"


class _RateColumn(ProgressColumn):
    """Articles per second (or seconds per article) since the start."""

    def render(self, task: Task) -> Text:
        return Text(rate_text(task.completed, task.elapsed or 0.0), style="progress.data.speed")


def make_progress(console: Console | None = None) -> Progress:
    """The progress display a batch uses (on stderr): bar, done/total, rate, elapsed time and ETA."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console or Console(stderr=True),
        transient=False,
    )


# --------------------------------------------------------------------------------------------------- run

OnRecord = Callable[[BatchRecord | BatchError], None]


class _Abort(Exception):
    """Raised by a worker when the endpoint is unusable; turned into BatchAborted once the workers are stopped."""


@dataclass(frozen=True)
class _Options:
    """The arguments of :func:`aextract_many` and :func:`extract_many` (documented there), checked once."""

    concurrency: int = 4
    output: str | os.PathLike[str] | None = None
    resume: bool = False
    cache: ResponseCache | str | os.PathLike[str] | bool | None = True
    progress: bool | Progress = True
    client: openai.AsyncOpenAI | None = None
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    backend: Backend | None = None
    structured: Structured | None = None
    published: dt.date | None = None
    settings: ExtractionSettings | None = None
    prices: Prices | None = None
    on_record: OnRecord | None = None

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {self.concurrency}")
        if self.resume and self.output is None:
            raise ValueError("resume=True needs an output file")

    def resolve_backend(self) -> Backend:
        """The endpoint: ``backend``, else the client's base URL with ``model``, else :func:`resolve_backend`."""
        if self.backend is not None:
            return self.backend
        if self.client is not None:
            if not self.model:
                raise BackendError("pass model= together with client=")
            return Backend(base_url=str(self.client.base_url), model=self.model,
                           structured=self.structured or "json_object")  # fmt: skip
        return resolve_backend(base_url=self.base_url, api_key=self.api_key, model=self.model,
                               structured=self.structured)  # fmt: skip


class _Run:
    """State of one batch run (kept outside the coroutine so an interrupted run can still report)."""

    def __init__(self, articles: Sequence[ArticleInput], options: _Options) -> None:
        self.options = options
        self.inputs = list(articles)
        self.output = Path(options.output) if options.output is not None else None
        self.settings = options.settings or ExtractionSettings()
        self.prices = options.prices or Prices()
        self.result = BatchResult(articles=len(self.inputs), output=self.output, prices=self.prices)
        self.records: dict[int, BatchRecord] = {}
        self.errors: dict[int, BatchError] = {}
        self.requests = 0
        self.usage = Usage()
        self.gate = Gate()
        self.started = time.perf_counter()
        self.finished = False

    # ---- reporting

    def snapshot(self) -> BatchResult:
        """The result so far (final once the run is over)."""
        r = self.result
        r.results = [self.records[i] for i in sorted(self.records)]
        r.errors = [self.errors[i] for i in sorted(self.errors)]
        r.model_calls = self.requests
        r.usage = self.usage
        r.cost = self.prices.cost(self.usage)
        r.seconds = round(time.perf_counter() - self.started, 3)
        r.rate_limit_pauses = self.gate.pauses
        r.interrupted = not self.finished
        return r

    # ---- the run

    async def execute(self) -> BatchResult:
        self.started = time.perf_counter()
        try:
            check_version(self.settings.prompt_version)
        except FileNotFoundError as exc:
            raise ValueError(str(exc).strip("'\"")) from exc
        backend = self.options.resolve_backend()  # before touching the output
        # never more requests on the wire than the endpoint serves at once: an embedded server's slots, else the
        # batch's concurrency (a request waiting for its turn is not yet timing out)
        self.gate.in_flight = backend.parallel if backend.embedded else self.options.concurrency
        pending = self._resume(_items(self.inputs, self.options.published))
        cache: ResponseCache | None = None
        writer: _Writer | None = None
        client: openai.AsyncOpenAI | None = None
        progress: Progress | None = None
        owned = False
        abort: _Abort | None = None
        try:
            cache = self._open_cache()
            writer = _Writer(self.output, truncate=not self.options.resume) if self.output is not None else None
            progress, owned = self._open_progress()
            client = self.options.client or openai.AsyncOpenAI(
                base_url=backend.base_url, api_key=backend.api_key, timeout=backend.timeout, max_retries=0
            )
            task = progress.add_task(self._describe(), total=len(pending)) if progress is not None else None
            try:
                await self._work(pending, backend, client, cache, writer, progress, task)
            except _Abort as exc:
                abort = exc
            else:
                self.finished = True
        finally:
            if writer is not None:
                writer.close()
            if cache is not None and not isinstance(self.options.cache, ResponseCache):
                cache.close()
            if client is not None and self.options.client is None:
                with contextlib.suppress(Exception):
                    await client.close()
            if progress is not None and owned:
                progress.stop()
        if abort is not None:
            raise BatchAborted(str(abort), self.snapshot()) from abort.__cause__
        return self.snapshot()

    def _describe(self) -> str:
        parts = ["extracting"]
        if self.result.skipped:
            parts.append(f"({self.result.skipped} already done)")
        return " ".join(parts)

    def _open_cache(self) -> ResponseCache | None:
        arg = self.options.cache
        if arg is None or arg is False:
            return None
        if isinstance(arg, ResponseCache):
            return arg
        if arg is True:
            return ResponseCache()
        return ResponseCache(arg)

    def _open_progress(self) -> tuple[Progress | None, bool]:
        if isinstance(self.options.progress, Progress):
            return self.options.progress, False
        if not self.options.progress:
            return None, False
        progress = make_progress()
        progress.start()
        return progress, True

    def _resume(self, items: list[_Item]) -> list[_Item]:
        if self.output is None or not self.options.resume or not self.output.exists():
            return items
        lines, broken = _scan(self.output)
        done: dict[str, BatchRecord] = {}
        for _, record in lines:
            if isinstance(record, BatchRecord):
                done.setdefault(record.article_id, record)
        wanted = {item.article_id for item in items}
        keep = [line for line, record in lines if isinstance(record, BatchRecord) or record.article_id not in wanted]
        if broken or len(keep) != len(lines):
            _rewrite(self.output, keep)
            if broken:
                log.warning("%s: dropped %d broken line(s) left by an interrupted run", self.output, broken)
        pending: list[_Item] = []
        for item in items:
            previous = done.get(item.article_id)
            if previous is None:
                pending.append(item)
            else:
                self.records[item.index] = previous.model_copy(update={"index": item.index})
                self.result.skipped += 1
        return pending

    async def _work(
        self,
        pending: list[_Item],
        backend: Backend,
        client: openai.AsyncOpenAI,
        cache: ResponseCache | None,
        writer: _Writer | None,
        progress: Progress | None,
        task: TaskID | None,
    ) -> None:
        queue = iter(pending)

        async def worker() -> None:
            while (item := next(queue, None)) is not None:
                await self._one(item, backend, client, cache, writer)
                if progress is not None and task is not None:
                    progress.advance(task)

        # no more articles under way than requests the endpoint takes at once: an article waiting for the embedded
        # server would count that wait in its seconds (and its progress would say it was being read)
        under_way = min(self.gate.in_flight or self.options.concurrency, self.options.concurrency, len(pending))
        workers = [asyncio.create_task(worker()) for _ in range(under_way)]
        if not workers:
            return
        try:
            done, _ = await asyncio.wait(workers, return_when=asyncio.FIRST_EXCEPTION)
        finally:
            for w in workers:
                w.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        for w in done:
            failure = None if w.cancelled() else w.exception()
            if failure is not None:
                raise failure

    async def _one(
        self,
        item: _Item,
        backend: Backend,
        client: openai.AsyncOpenAI,
        cache: ResponseCache | None,
        writer: _Writer | None,
    ) -> None:
        meter = Meter(gate=self.gate)
        token = METER.set(meter)
        started = time.perf_counter()
        try:
            try:
                article = item.load()
                extraction = await aextract(
                    article, client=client, backend=backend, settings=self.settings, cache=cache
                )
                record = BatchRecord(**dict(extraction), index=item.index, cached=meter.all_cached)
            except BackendError as exc:
                raise _Abort(_redact(str(exc), backend.api_key)) from exc
            except ExtractionError as exc:
                if _endpoint_fault(exc):
                    raise _Abort(
                        _redact(str(exc).removeprefix(f"article {item.article_id}: "), backend.api_key)
                    ) from exc
                await self._failed(item, exc, meter, started, backend, writer)
                return
            except (PowExtractError, FileNotFoundError, OSError, ValueError) as exc:
                await self._failed(item, exc, meter, started, backend, writer)
                return
            except Exception as exc:  # one article's surprise must not sink the batch
                log.exception("article %s: unexpected error", item.article_id)
                await self._failed(item, exc, meter, started, backend, writer)
                return
        finally:
            METER.reset(token)
            self.requests += meter.requests
            self.usage = self.usage + meter.usage
        self.records[item.index] = record
        self.result.ok += 1
        self.result.cached += record.cached
        if writer is not None:
            await writer.write(record.model_dump_json())
        if self.options.on_record is not None:
            self.options.on_record(record)

    async def _failed(
        self, item: _Item, exc: BaseException, meter: Meter, started: float, backend: Backend, writer: _Writer | None
    ) -> None:
        message = _redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, backend.api_key)
        error = BatchError(
            article_id=item.article_id,
            source=item.source,
            index=item.index,
            error=ErrorInfo(type=type(exc).__name__, message=message),
            usage=meter.usage,
            seconds=round(time.perf_counter() - started, 3),
        )
        self.errors[item.index] = error
        self.result.failed += 1
        if writer is not None:
            await writer.write(error.model_dump_json())
        if self.options.on_record is not None:
            self.options.on_record(error)


# ------------------------------------------------------------------------------------------------ public


async def aextract_many(
    articles: Sequence[ArticleInput],
    *,
    concurrency: int = 4,
    output: str | os.PathLike[str] | None = None,
    resume: bool = False,
    cache: ResponseCache | str | os.PathLike[str] | bool | None = True,
    progress: bool | Progress = True,
    client: openai.AsyncOpenAI | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    backend: Backend | None = None,
    structured: Structured | None = None,
    published: dt.date | None = None,
    settings: ExtractionSettings | None = None,
    prices: Prices | None = None,
    on_record: OnRecord | None = None,
) -> BatchResult:
    """Extract many articles concurrently (async). See the module docstring for the guarantees.

    Args:
        articles: Articles, article texts, or paths to article files (``.txt``, ``.html``, ``.md``...); see
            :data:`ArticleInput`. Use :func:`read_jsonl_articles` for a JSONL file of articles.
        concurrency: Requests in flight at most.
        output: JSONL file written as results finish (replaced unless ``resume``); None keeps results in memory
            only.
        resume: Skip the articles already successfully in ``output``; retry the failed ones.
        cache: A :class:`~pow_extract.model.cache.ResponseCache`, a cache directory, True (default directory, see
            :func:`~pow_extract.model.cache.default_cache_dir`) or False/None (no cache).
        progress: Show a progress bar on stderr (or add a task to the given ``rich`` Progress).
        client: An ``openai.AsyncOpenAI`` client to use (with ``model``); it is not modified.
        model, base_url, api_key, backend, structured: The endpoint, as for :func:`~pow_extract.extract`.
        published: Publication date for inputs that carry none (for files and texts it replaces the date guessed
            from a dateline).
        settings: Prompt version, re-asks, retries, token budget, grounding policy.
        prices: Token prices for ``BatchResult.cost`` (default: free).
        on_record: Called with each :class:`BatchRecord` or :class:`BatchError` as it is written.

    Returns:
        A :class:`BatchResult`.

    Raises:
        BatchAborted: the endpoint is unusable (finished results are written; see ``exc.result``).
        BackendError: no endpoint could be resolved (before any article was tried).
        ValueError: bad arguments (``concurrency`` < 1, ``resume`` without ``output``).
    """
    run = _Run(articles, _Options(
        concurrency, output, resume, cache, progress, client, model, base_url, api_key, backend, structured,
        published, settings, prices, on_record,
    ))  # fmt: skip
    return await run.execute()


def extract_many(
    articles: Sequence[ArticleInput],
    *,
    concurrency: int = 4,
    output: str | os.PathLike[str] | None = None,
    resume: bool = False,
    cache: ResponseCache | str | os.PathLike[str] | bool | None = True,
    progress: bool | Progress = True,
    client: openai.AsyncOpenAI | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    backend: Backend | None = None,
    structured: Structured | None = None,
    published: dt.date | None = None,
    settings: ExtractionSettings | None = None,
    prices: Prices | None = None,
    on_record: OnRecord | None = None,
) -> BatchResult:
    """Extract many articles concurrently; the synchronous face of :func:`aextract_many` (same arguments).

    Works in scripts and in notebooks: when an event loop is already running in this thread, the batch runs
    in a worker thread with its own loop. On Ctrl-C, finished results are written and :class:`BatchInterrupted`
    (a ``KeyboardInterrupt``) is raised carrying the partial :class:`BatchResult`.
    """
    run = _Run(articles, _Options(
        concurrency, output, resume, cache, progress, client, model, base_url, api_key, backend, structured,
        published, settings, prices, on_record,
    ))  # fmt: skip
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run_here(run)
    return _run_in_thread(run)


def _run_here(run: _Run) -> BatchResult:
    with asyncio.Runner() as runner:
        try:
            return runner.run(run.execute())
        except KeyboardInterrupt as exc:
            raise BatchInterrupted(run.snapshot()) from exc


def _run_in_thread(run: _Run) -> BatchResult:
    loop = asyncio.new_event_loop()
    main: asyncio.Task[BatchResult] | None = None
    ready = threading.Event()

    def target() -> BatchResult:
        nonlocal main
        asyncio.set_event_loop(loop)
        try:
            main = loop.create_task(run.execute())
            ready.set()
            return loop.run_until_complete(main)
        finally:
            ready.set()
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pow-extract-batch") as pool:
        future = pool.submit(target)
        try:
            return future.result()
        except KeyboardInterrupt as exc:
            ready.wait()
            if main is not None and not loop.is_closed():
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(main.cancel)
            with contextlib.suppress(BaseException):
                future.result()
            raise BatchInterrupted(run.snapshot()) from exc
