"""Many articles through an OpenAI-style Batch API (``/v1/files`` + ``/v1/batches``): half the price, hours not
seconds, and the same records as the online path.

A :class:`BatchJob` lives in a state directory next to the output (``out.jsonl`` -> ``out.jsonl.batch/``) and
survives between commands:

* ``articles.jsonl``: the inputs, read once (an unreadable input is kept as its error);
* ``requests/round-N.jsonl``: every Batch API file uploaded, exactly as sent (``custom_id`` = the request's cache
  key, ``body`` = the chat-completion request :func:`~pow_extract.extract` would send, byte for byte the same JSON
  object);
* ``answers/``: the model's answers, keyed like the response cache (:func:`~pow_extract.model.cache.request_key`);
* ``line_errors.json``: requests whose batch line failed (an HTTP error, an expired or failed batch), by key;
* ``state.json``: the endpoint (never the key), the settings, every batch submitted and whether it was collected.

Every command replays each article's reading (:mod:`pow_extract.dataset.batch_reading`) from the stored answers,
through instructor with the online path's own request, parser, re-ask messages and hooks, so re-asks and later
rounds are just further requests:

* :meth:`BatchJob.submit` uploads the requests that no stored answer covers and no batch in flight carries (the
  current round of every article; failed lines again), as one or more batches;
* :meth:`BatchJob.status` reports the batches in flight;
* :meth:`BatchJob.collect` downloads every finished batch (its output and error files), stores answers and failed
  lines, then submits the next round if any reading has one (re-asks of invalid answers included) and, once no
  batch is in flight, writes ``output``: the same JSONL as ``extract`` (records, and error lines for the articles
  that failed: those whose batch line failed can be submitted again, nothing is lost).

instructor's batch module (1.17) is used for what fits: :class:`instructor.batch.BatchJobInfo` normalises a batch
object's status and counts. Its request builder (``BatchRequest``) sends a strict ``json_schema`` response format of
its own and its parser (``BatchProcessor.parse_results``) builds the model without instructor's validation context,
truncation check and re-asks, so neither would give the requests and records of the online path; its provider reads
the client from the environment and drops the results of an expired batch.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import instructor
import openai
from pydantic import BaseModel

from pow_extract.dataset.batch import ArticleInput, BatchError, BatchRecord, ErrorInfo, _items, _redact
from pow_extract.dataset.batch_reading import PlanReading, Question, Reading, ReadingFactory
from pow_extract.model.backends import Backend, Structured, resolve_backend
from pow_extract.model.cache import ResponseCache, public_endpoint, request_key
from pow_extract.reading.article import Article
from pow_extract.reading.extraction import ExtractionSettings, unrepeated
from pow_extract.records.errors import ExtractionError, PowExtractError
from pow_extract.records.schema import PUBLISHED

__all__ = [
    "STATE_SUFFIX",
    "BatchJob",
    "BatchJobError",
    "BatchProgress",
    "SubmittedBatch",
    "request_body",
    "state_dir_for",
]

STATE_SUFFIX = ".batch"
STATE_VERSION = 1
#: The Batch API's limit of requests per batch (OpenAI: 50,000).
MAX_REQUESTS = 50_000
ENDPOINT = "/v1/chat/completions"
_RUNNING = ("validating", "in_progress", "finalizing", "cancelling")


class BatchJobError(PowExtractError):
    """A Batch API job cannot go on: no state, a state already there, an endpoint without a Batch API..."""


def state_dir_for(output: str | os.PathLike[str]) -> Path:
    """The state directory of the job writing ``output``: ``out.jsonl`` -> ``out.jsonl.batch``."""
    path = Path(output)
    return path.with_name(path.name + STATE_SUFFIX)


def request_body(request: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of a chat-completion request from ``chat.completions.create`` keyword arguments, as the
    ``openai`` client builds it: ``extra_body`` merged in, nothing else added."""
    body = {k: v for k, v in request.items() if k != "extra_body" and v is not None}
    body.update(request.get("extra_body") or {})
    return body


# -------------------------------------------------------------------------------------------------- state


@dataclass
class SubmittedBatch:
    """One batch sent to the Batch API."""

    id: str
    round: int
    input_file_id: str
    requests: int
    file: str
    status: str = "validating"
    collected: bool = False
    submitted_at: str = ""
    completed: int = 0
    failed: int = 0

    def update(self, remote: Any) -> None:
        """Take the status and counts of the batch object ``remote``."""
        self.status = str(remote.status)
        counts = getattr(remote, "request_counts", None)
        self.completed = int(getattr(counts, "completed", 0) or 0)
        self.failed = int(getattr(counts, "failed", 0) or 0)


@dataclass
class BatchProgress:
    """Where a job stands after a command.

    Attributes:
        articles: Inputs of the job.
        done: Articles whose reading is complete; once the output is written, the records written.
        failed: Articles that ended in an error of their own: an unreadable input; once the output is written, also
            the articles whose answers stayed invalid after every re-ask.
        line_failed: Articles waiting on a request whose batch line failed (HTTP error, expired or failed batch);
            ``submit`` sends those requests again.
        waiting: Articles waiting on a batch in flight.
        to_submit: Requests ready to be submitted (a next round not yet sent).
        submitted: Batches submitted by this command.
        collected: Batches collected by this command.
        running: Batches still in flight.
        output: The output written by this command, if it wrote one.
        errors: One line per article waiting on a failed batch line (first few).
    """

    articles: int = 0
    done: int = 0
    failed: int = 0
    line_failed: int = 0
    waiting: int = 0
    to_submit: int = 0
    submitted: list[SubmittedBatch] = field(default_factory=list)
    collected: list[SubmittedBatch] = field(default_factory=list)
    running: list[SubmittedBatch] = field(default_factory=list)
    output: Path | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        """True when nothing is in flight or left to send (the output is final unless lines failed)."""
        return not self.running and self.waiting == 0 and self.to_submit == 0

    @property
    def exit_code(self) -> int:
        """0 all articles done, 1 some failed, 2 none done, 4 batches still running (collect again later)."""
        if not self.finished:
            return 4
        if self.failed == 0 and self.line_failed == 0:
            return 0
        return 2 if self.done == 0 else 1


class _Missing(Exception):
    def __init__(self, key: str, body: dict[str, Any]) -> None:
        super().__init__(key)
        self.key = key
        self.body = body


class _LineFailed(Exception):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


def _ours(exc: BaseException) -> _Missing | _LineFailed | None:
    """The _Missing/_LineFailed behind ``exc`` (instructor wraps what the sender raises), if any."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        if isinstance(current, _Missing | _LineFailed):
            return current
        current = current.__cause__
        seen += 1
    return None


@dataclass
class _Article:
    """One article's standing after a replay."""

    index: int
    article_id: str
    source: str | None
    reading: Reading | None = None
    error: ErrorInfo | None = None  # unreadable input
    needed: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> request body
    line_errors: dict[str, str] = field(default_factory=dict)  # key -> message


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _settings_dict(settings: ExtractionSettings) -> dict[str, Any]:
    values = dataclasses.asdict(settings)
    values.pop("retry", None)  # transport retries are the Batch API's business
    values["rules_off"] = sorted(settings.rules_off)  # JSON has no sets
    return values


# ---------------------------------------------------------------------------------------------------- job


class BatchJob:
    """A Batch API extraction job and its state directory (see the module docstring).

    Create one with :meth:`create` (reads the inputs) or :meth:`open` (an existing state), then call
    :meth:`submit`, :meth:`status` and :meth:`collect` with an ``openai.OpenAI`` client of the endpoint.
    """

    def __init__(self, directory: Path, state: dict[str, Any], *, reading: ReadingFactory = PlanReading) -> None:
        self.directory = directory
        self.state = state
        self.reading = reading
        self.batches = [SubmittedBatch(**b) for b in state.get("batches", [])]
        self._answers: ResponseCache | None = None
        self._line_errors: dict[str, str] | None = None

    # ---- creation

    @classmethod
    def create(
        cls,
        directory: str | os.PathLike[str],
        articles: Sequence[ArticleInput],
        output: str | os.PathLike[str],
        *,
        backend: Backend,
        settings: ExtractionSettings | None = None,
        published: dt.date | None = None,
        reading: ReadingFactory = PlanReading,
    ) -> BatchJob:
        """Start a job: read every input into the state directory (an unreadable one is kept as its error).

        Raises:
            BatchJobError: the directory already holds a job, or the endpoint is the embedded model.
        """
        path = Path(directory)
        if (path / "state.json").exists():
            raise BatchJobError(f"{path} already holds a batch job; collect it, or delete the folder to start over")
        if backend.embedded:
            raise BatchJobError("the Batch API needs an endpoint with /v1/files and /v1/batches (e.g. OpenAI with "
                                "OPENAI_API_KEY, or --base-url); the embedded model has none")  # fmt: skip
        settings = settings or ExtractionSettings()
        path.mkdir(parents=True, exist_ok=True)
        lines: list[str] = []
        for item in _items(list(articles), published):
            entry: dict[str, Any] = {"index": item.index, "id": item.article_id, "source": item.source}
            try:
                article = item.load()
            except (PowExtractError, OSError, ValueError) as exc:
                entry["error"] = {"type": type(exc).__name__, "message": str(exc).strip().splitlines()[0]}
            else:
                entry.update(id=article.id, source=article.source, text=article.text,
                             published=article.published.isoformat() if article.published else None)  # fmt: skip
            lines.append(json.dumps(entry, ensure_ascii=False))
        _atomic_write(path / "articles.jsonl", "\n".join(lines) + ("\n" if lines else ""))
        state = {
            "version": STATE_VERSION, "output": str(Path(output).resolve()), "base_url": backend.base_url,
            "model": backend.model, "structured": backend.structured, "context_tokens": backend.context_tokens,
            "settings": _settings_dict(settings), "batches": [], "created_at": _now(),
        }  # fmt: skip
        job = cls(path, state, reading=reading)
        job._save()
        return job

    @classmethod
    def open(cls, directory: str | os.PathLike[str], *, reading: ReadingFactory = PlanReading) -> BatchJob:
        """Open the job in ``directory``.

        Raises:
            BatchJobError: no job there, or a state this version cannot read.
        """
        path = Path(directory)
        try:
            state = json.loads((path / "state.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BatchJobError(f"no batch job in {path} (start one with `pow-extract batch submit`)") from None
        except json.JSONDecodeError as exc:
            raise BatchJobError(f"{path / 'state.json'} is not valid JSON ({exc.msg})") from exc
        if state.get("version") != STATE_VERSION:
            raise BatchJobError(f"{path}: state version {state.get('version')!r} is not {STATE_VERSION}")
        return cls(path, state, reading=reading)

    # ---- properties

    @property
    def output(self) -> Path:
        return Path(self.state["output"])

    @property
    def backend(self) -> Backend:
        """The endpoint the job was started with (the API key comes from the client of each command)."""
        return Backend(base_url=self.state["base_url"], model=self.state["model"],
                       structured=self.state["structured"], context_tokens=self.state["context_tokens"])  # fmt: skip

    @property
    def settings(self) -> ExtractionSettings:
        stored = dict(self.state["settings"])
        stored["rules_off"] = frozenset(stored.get("rules_off", ()))
        return ExtractionSettings(**stored)

    @property
    def answers(self) -> ResponseCache:
        if self._answers is None:
            self._answers = ResponseCache(self.directory / "answers", size_limit=2**62)
        return self._answers

    @property
    def line_errors(self) -> dict[str, str]:
        if self._line_errors is None:
            path = self.directory / "line_errors.json"
            self._line_errors = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return self._line_errors

    def close(self) -> None:
        """Close the answer store."""
        if self._answers is not None:
            self._answers.close()
            self._answers = None

    def __enter__(self) -> BatchJob:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _save(self) -> None:
        self.state["batches"] = [dataclasses.asdict(b) for b in self.batches]
        _atomic_write(self.directory / "state.json", json.dumps(self.state, indent=1, ensure_ascii=False) + "\n")
        if self._line_errors is not None:
            _atomic_write(self.directory / "line_errors.json", json.dumps(self._line_errors, indent=0) + "\n")

    def _entries(self) -> Iterator[dict[str, Any]]:
        with (self.directory / "articles.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)

    # ---- replay

    def _in_flight(self) -> set[str]:
        keys: set[str] = set()
        for batch in self.batches:
            if not batch.collected:
                keys.update(_custom_ids(self.directory / batch.file))
        return keys

    def _replay(self) -> list[_Article]:
        """Every article's standing from the stored answers (no I/O to the endpoint)."""
        backend, settings = self.backend, self.settings
        endpoint = public_endpoint(backend)
        out: list[_Article] = []
        for entry in self._entries():
            standing = _Article(index=entry["index"], article_id=entry["id"], source=entry.get("source"))
            if "error" in entry:
                standing.error = ErrorInfo(**entry["error"])
            else:
                published = dt.date.fromisoformat(entry["published"]) if entry.get("published") else None
                article = Article(text=entry["text"], id=entry["id"], published=published, source=entry.get("source"))
                standing.reading = self.reading(article, backend, settings)
                token = PUBLISHED.set(published)
                try:
                    self._advance(standing, standing.reading, endpoint)
                finally:
                    PUBLISHED.reset(token)
            out.append(standing)
        return out

    def _advance(self, standing: _Article, reading: Reading, endpoint: str) -> None:
        """Feed ``reading`` every stored answer, round after round, until it needs one that is not stored."""
        while questions := reading.questions():
            for question in questions:
                self._ask(standing, reading, question, endpoint)
            if standing.needed or standing.line_errors:
                return

    def _ask(self, standing: _Article, reading: Reading, question: Question, endpoint: str) -> None:
        completions: list[Any] = []

        def send(**request: Any) -> Any:
            key = request_key(endpoint, request)
            found = self.answers.get(key)
            if found is not None:
                completions.append(found)
                return unrepeated(request, found)  # as online: a re-ask answered word for word the same ends here
            if key in self.line_errors:
                raise _LineFailed(key, self.line_errors[key])
            raise _Missing(key, request_body(request))

        # the online path's mode (reading/extraction.py); a json_schema mode would be chosen here from the backend
        create: Callable[..., Any] = instructor.patch(create=send, mode=instructor.Mode.JSON)
        try:
            parsed = create(**question.request)
        except Exception as exc:
            ours = _ours(exc)
            if isinstance(ours, _Missing):
                standing.needed[ours.key] = ours.body
            elif isinstance(ours, _LineFailed):
                standing.line_errors[ours.key] = ours.message
            else:
                reading.fail(question, exc)
            return
        if not isinstance(parsed, BaseModel):  # pragma: no cover - instructor returns the response model
            raise TypeError(f"instructor returned {type(parsed).__name__}")
        reading.answer(question, parsed, completions[-1] if completions else None)

    # ---- commands

    def submit(
        self,
        client: openai.OpenAI,
        *,
        completion_window: str = "24h",
        max_requests: int = MAX_REQUESTS,
        retry_failed: bool = True,
    ) -> BatchProgress:
        """Submit every request that no stored answer covers and no batch in flight carries.

        With ``retry_failed`` (default), requests whose batch line failed are sent again (their errors are
        forgotten first).
        """
        if retry_failed and self.line_errors:
            self._line_errors = {}
            self._save()
        standings = self._replay()
        progress = self._progress(standings)
        self._submit(client, standings, progress, completion_window=completion_window, max_requests=max_requests)
        return progress

    def _submit(
        self,
        client: openai.OpenAI,
        standings: list[_Article],
        progress: BatchProgress,
        *,
        completion_window: str,
        max_requests: int,
    ) -> None:
        in_flight = self._in_flight()
        bodies: dict[str, dict[str, Any]] = {}
        for standing in standings:
            for key, body in standing.needed.items():
                if key not in in_flight:
                    bodies.setdefault(key, body)
        keys = list(bodies)
        round_number = max((b.round for b in self.batches), default=0) + 1
        for start in range(0, len(keys), max_requests):
            part = keys[start : start + max_requests]
            number = len(self.batches) + 1
            name = f"requests/round-{round_number}-batch-{number}.jsonl"
            lines = [
                json.dumps({"custom_id": key, "method": "POST", "url": ENDPOINT, "body": bodies[key]},
                           ensure_ascii=False)
                for key in part
            ]  # fmt: skip
            content = ("\n".join(lines) + "\n").encode("utf-8")
            _atomic_write(self.directory / name, content.decode("utf-8"))
            uploaded = client.files.create(file=(Path(name).name, content), purpose="batch")
            created = client.batches.create(
                input_file_id=uploaded.id, endpoint=ENDPOINT, completion_window=completion_window,  # type: ignore[arg-type]
                metadata={"pow_extract": "extract", "round": str(round_number)},
            )  # fmt: skip
            batch = SubmittedBatch(id=created.id, round=round_number, input_file_id=uploaded.id, requests=len(part),
                                   file=name, status=created.status, submitted_at=_now())  # fmt: skip
            self.batches.append(batch)
            self._save()  # a batch on the server is never forgotten, even if the next upload fails
            progress.submitted.append(batch)
            progress.running.append(batch)
        in_flight |= set(keys)
        progress.to_submit = 0
        progress.waiting = sum(1 for s in standings if s.needed and set(s.needed) <= in_flight)

    def status(self, client: openai.OpenAI) -> list[Any]:
        """The batches in flight, as :class:`instructor.batch.BatchJobInfo` (normalised status and counts)."""
        from instructor.batch import BatchJobInfo

        infos = []
        for batch in self.batches:
            if batch.collected:
                continue
            remote = client.batches.retrieve(batch.id)
            batch.update(remote)
            infos.append(BatchJobInfo.from_openai(remote.model_dump()))
        self._save()
        return infos

    def collect(
        self,
        client: openai.OpenAI,
        *,
        submit_next: bool = True,
        completion_window: str = "24h",
        max_requests: int = MAX_REQUESTS,
    ) -> BatchProgress:
        """Download every finished batch, then submit the next round (``submit_next``), then, once nothing is in
        flight, write the output."""
        collected: list[SubmittedBatch] = []
        for batch in self.batches:
            if batch.collected:
                continue
            remote = client.batches.retrieve(batch.id)
            batch.update(remote)
            if remote.status in _RUNNING:
                continue
            self._store(client, batch, remote)
            batch.collected = True
            collected.append(batch)
            self._save()
        standings = self._replay()
        progress = self._progress(standings)
        progress.collected = collected
        if submit_next and progress.to_submit:
            self._submit(client, standings, progress, completion_window=completion_window, max_requests=max_requests)
        if progress.finished:
            progress.output, progress.done, failed = self._write(standings)
            progress.failed = failed - progress.line_failed
        return progress

    def _store(self, client: openai.OpenAI, batch: SubmittedBatch, remote: Any) -> None:
        """Keep every answer and failed line of a finished batch; a request without either failed with the batch."""
        seen: set[str] = set()
        for file_id in (remote.output_file_id, remote.error_file_id):
            if not file_id:
                continue
            text = client.files.content(file_id).text
            for line in text.splitlines():
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a broken line: its request stays unanswered and is reported below
                key = str(item.get("custom_id") or "")
                if not key:
                    continue
                seen.add(key)
                self._store_line(batch, key, item)
        reason = _batch_failure(remote)
        for key in _custom_ids(self.directory / batch.file):
            if key not in seen and key not in self.answers:
                self.line_errors[key] = f"batch {batch.id} ended {remote.status!r} without an answer{reason}"

    def _store_line(self, batch: SubmittedBatch, key: str, item: dict[str, Any]) -> None:
        from openai.types.chat import ChatCompletion

        response = item.get("response") or {}
        error = item.get("error") or {}
        code = response.get("status_code")
        body = response.get("body")
        if code == 200 and isinstance(body, dict):
            completion = ChatCompletion.model_validate(body)
            if completion.choices:
                self.answers.set(key, completion)
                self.line_errors.pop(key, None)
                return
            self.line_errors[key] = f"batch {batch.id}: the model answered with no choices (an empty completion)"
            return
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            detail = body["error"].get("message") or body["error"].get("code") or "no message"
        elif error:
            detail = f"{error.get('code') or 'error'}: {error.get('message') or 'no message'}"
        else:
            detail = "no message"
        status = f"HTTP {code}: " if code else ""
        self.line_errors[key] = f"batch {batch.id}: request failed ({status}{' '.join(str(detail).split())[:200]})"

    def _progress(self, standings: list[_Article]) -> BatchProgress:
        in_flight = self._in_flight()
        progress = BatchProgress(articles=len(standings))
        for s in standings:
            if s.error is not None:
                progress.failed += 1
            elif s.line_errors:
                progress.line_failed += 1
                if len(progress.errors) < 5:
                    progress.errors.append(f"{s.article_id}: {next(iter(s.line_errors.values()))}")
            elif s.needed:
                if set(s.needed) <= in_flight:
                    progress.waiting += 1
            else:
                progress.done += 1
        progress.to_submit = len({k for s in standings for k in s.needed if k not in in_flight})
        progress.running = [b for b in self.batches if not b.collected]
        return progress

    def _write(self, standings: list[_Article]) -> tuple[Path, int, int]:
        """Write the output: a record per finished article, an error line per failed one (as ``extract`` does).

        Returns the path, the records written and the error lines written.
        """
        lines: list[str] = []
        done = failed = 0
        for s in standings:
            outcome: BatchRecord | BatchError
            if s.error is not None:
                outcome = BatchError(article_id=s.article_id, source=s.source, index=s.index, error=s.error)
            elif s.line_errors:
                message = (f"article {s.article_id}: {next(iter(s.line_errors.values()))}; "
                           "send it again with `pow-extract batch submit`")  # fmt: skip
                outcome = BatchError(article_id=s.article_id, source=s.source, index=s.index,
                                     error=ErrorInfo(type="BatchLineError", message=message))  # fmt: skip
            else:
                assert s.reading is not None
                try:
                    result = s.reading.result()
                except ExtractionError as exc:
                    outcome = BatchError(article_id=s.article_id, source=s.source, index=s.index,
                                         error=ErrorInfo(type=type(exc).__name__,
                                                         message=_redact(str(exc), "")))  # fmt: skip
                else:
                    outcome = BatchRecord(**dict(result), index=s.index)
            if isinstance(outcome, BatchRecord):
                done += 1
            else:
                failed += 1
            lines.append(outcome.model_dump_json())
        _atomic_write(self.output, "\n".join(lines) + ("\n" if lines else ""))
        return self.output, done, failed


def _batch_failure(remote: Any) -> str:
    errors = getattr(remote, "errors", None)
    data = getattr(errors, "data", None) or []
    messages = [f"{getattr(e, 'code', None) or 'error'}: {getattr(e, 'message', None) or ''}".strip() for e in data]
    return f" ({'; '.join(messages)[:300]})" if messages else ""


def _custom_ids(path: Path) -> list[str]:
    keys: list[str] = []
    with contextlib.suppress(FileNotFoundError), path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                keys.append(str(json.loads(line)["custom_id"]))
    return keys


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def open_client(
    job_or_backend: BatchJob | Backend, api_key: str | None = None, timeout: float = 120.0
) -> openai.OpenAI:
    """An ``openai.OpenAI`` client of the job's endpoint (the key from ``api_key`` or ``OPENAI_API_KEY``)."""
    backend = job_or_backend.backend if isinstance(job_or_backend, BatchJob) else job_or_backend
    key = api_key or os.environ.get("OPENAI_API_KEY") or backend.api_key
    return openai.OpenAI(base_url=backend.base_url, api_key=key, timeout=timeout, max_retries=3)


def resolve_batch_backend(
    *, model: str | None, base_url: str | None, api_key: str | None, structured: Structured | None
) -> Backend:
    """The endpoint of a new job, as for ``extract`` but never the embedded model (it has no Batch API)."""
    backend = resolve_backend(base_url=base_url, api_key=api_key, model=model, structured=structured,
                              start_embedded=False)  # fmt: skip
    if backend.embedded:
        raise BatchJobError("the Batch API needs an endpoint with /v1/files and /v1/batches: pass --base-url (and "
                            "--model), or set OPENAI_API_KEY for OpenAI")  # fmt: skip
    return backend
