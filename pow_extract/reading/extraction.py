"""The entry point: article -> prompt -> model -> validated record -> grounding -> result.

``extract`` (and its async twin ``aextract``) sends an article to any OpenAI-compatible endpoint through
``instructor`` with :class:`~pow_extract.records.schema.ExchangeList` as the response model:

* transient HTTP faults (timeouts, dropped connections, 429 with ``Retry-After``, 5xx) are retried by tenacity
  (:mod:`pow_extract.model.retry`) *below* instructor, so they are never fed back into the prompt;
* an invalid answer (a schema violation such as an ordinal of 0, a validator's complaint such as a breakdown larger
  than its total) is kept without the values it rejects, each removal noted in the warnings; with ``max_reasks``
  set above its default of 0, instructor first re-asks that many times with the exact error (bad JSON is re-asked,
  or an error when re-asks are off);
* the token usage of every response, re-asks included, is summed into ``ArticleExtraction.usage`` (counted in one
  place, instructor's ``completion:response`` hook, and reported to the :class:`~pow_extract.model.traffic.Meter`
  of the scope, if any);
* with a :class:`~pow_extract.model.cache.ResponseCache`, every request is looked up there first and every answer
  stored: a re-run sends nothing the model already answered, yet parses, grounds and applies the rules again;
* the answer is grounded (:mod:`pow_extract.reading.resolver`): quotes located, numbers checked, failures dropped and
  listed in ``flagged``.

An article longer than the model's context is split into overlapping chunks (:mod:`pow_extract.reading.chunking`)
whose records are merged.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import instructor
import jiter
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import ValidationError

from pow_extract.model.backends import Backend, Structured, resolve_backend
from pow_extract.model.cache import ResponseCache, public_endpoint
from pow_extract.model.prompting import DEFAULT_PROMPT_VERSION, CompactSchema, PromptSet, compact_schema, load_prompts
from pow_extract.model.retry import RetryPolicy, is_transient, retry_after_seconds, with_async_retries, with_retries
from pow_extract.model.traffic import METER, usage_of
from pow_extract.reading.article import Article
from pow_extract.reading.chunking import Chunk, chunk_text, estimate_tokens, merge_chunk_exchanges
from pow_extract.reading.resolver import ground
from pow_extract.records.errors import BackendError, ExtractionError, RepeatedAnswer
from pow_extract.records.schema import PUBLISHED, ArticleExtraction, ExchangeList, PrisonerExchange, Usage
from pow_extract.rules.checks import apply_checks
from pow_extract.rules.registry import check_rule_names, rules_off
from pow_extract.rules.sweep import sweep

log = logging.getLogger(__name__)


class _Answer(ExchangeList, instructor.ResponseSchema):
    """The response model sent to instructor: ExchangeList with a compact schema (no titles/descriptions).

    Already a ``ResponseSchema``, so instructor uses it as is instead of deriving a new model class (and its schema)
    on every request.
    """

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if not args and not kwargs:  # instructor's call, once per request: served from the cache
            return compact_schema(cls)
        kwargs.setdefault("schema_generator", CompactSchema)
        return super().model_json_schema(*args, **kwargs)


@dataclass(frozen=True)
class ExtractionSettings:
    """Knobs of one extraction run. The defaults are what the eval measured.

    Attributes:
        prompt_version: Folder under ``prompts/`` to use.
        max_reasks: How many times instructor re-asks after an invalid answer. 0 by default: the answer is kept
            without the values it rejects (a re-ask costs a whole new answer; on the eval and the real-news sets the
            first answer so kept scored as well as or better than the re-asked one).
        retry: Policy for transient HTTP faults.
        max_tokens: Completion budget per request.
        temperature: Sampling temperature (0 keeps answers reproducible).
        drop_ungrounded: Drop figures whose quote or number is not found (they stay listed in ``flagged``).
        min_fuzzy_score: Lowest similarity at which a quote counts as found by fuzzy matching.
        coding_rules: Apply the deterministic coding rules of :mod:`pow_extract.rules.checks` after grounding.
        second_reading: Add what :mod:`pow_extract.rules.sweep` reads in code that the model left out (counts, earlier
            exchanges recalled by date, breakdowns by arithmetic), after the coding rules.
        rules_off: Names of single rules to skip (:data:`pow_extract.rules.registry.RULES`); an unknown name is a
            ``ValueError``.
    """

    prompt_version: str = DEFAULT_PROMPT_VERSION
    max_reasks: int = 0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_tokens: int = 2048
    temperature: float = 0.0
    drop_ungrounded: bool = True
    min_fuzzy_score: float = 0.90
    coding_rules: bool = True
    second_reading: bool = True
    rules_off: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules_off", check_rule_names(self.rules_off))


@lru_cache(maxsize=16)
def _sync_client(base_url: str | None, api_key: str, timeout: float) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0)


@lru_cache(maxsize=16)
def _async_client(base_url: str | None, api_key: str, timeout: float) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0)


def as_article(article: str | Article, *, published: dt.date | None = None, article_id: str | None = None) -> Article:
    """Coerce a string (or an Article, optionally overriding its date/id) into an :class:`Article`."""
    if isinstance(article, Article):
        if published is None and article_id is None:
            return article
        return Article(
            text=article.text,
            id=article_id or article.id,
            published=published or article.published,
            source=article.source,
            metadata=dict(article.metadata),
        )
    if not isinstance(article, str):
        raise TypeError(f"article must be a str or pow_extract.Article, not {type(article).__name__}")
    return Article(text=article, id=article_id or "", published=published)


#: What can end a model call: transport faults that survived the retries, answers that stayed invalid after every
#: re-ask, and answers cut off at max_tokens. ``_Plan.failure`` turns each into one clear ExtractionError.
_MODEL_FAILURES = (
    openai.OpenAIError,
    InstructorRetryException,
    IncompleteOutputException,
    ValidationError,
    RepeatedAnswer,
)


class _Plan:
    """Everything about one article's extraction except the I/O, shared by the sync and async paths."""

    def __init__(self, article: Article, backend: Backend, settings: ExtractionSettings) -> None:
        self.article = article
        self.backend = backend
        self.settings = settings
        self.prompts: PromptSet = load_prompts(settings.prompt_version)
        self.usage = Usage()
        self.hooks = Hooks()
        self.hooks.on("completion:response", self.count)
        self._from_cache: set[int] = set()
        self.salvaged: list[str] = []
        self.timeout = backend.timeout  # seconds per request; a local server's depend on the request's size
        self.started = time.perf_counter()
        overhead = estimate_tokens(self.prompts.system) + estimate_tokens(str(compact_schema(_Answer))) + 200
        budget = backend.context_tokens - overhead - settings.max_tokens
        if budget < 256:
            raise BackendError(
                f"context of {backend.context_tokens} tokens is too small for the prompt ({overhead} tokens) and "
                f"max_tokens={settings.max_tokens}"
            )
        self.chunks = chunk_text(article.text, budget)

    @property
    def prompt_version(self) -> str:
        return self.settings.prompt_version

    def request(self, chunk: Chunk) -> dict[str, Any]:
        messages = self.prompts.messages(self.article.published, article=chunk.text)
        kwargs: dict[str, Any] = {
            "model": self.backend.model,
            "messages": messages,
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_tokens,
            "response_model": _Answer,
            "max_retries": self.settings.max_reasks,
            "hooks": self.hooks,
        }
        if self.backend.structured in ("llama_cpp", "json_schema"):
            schema = bounded_schema(compact_schema(_Answer))
            # llama-cpp-python's server: json_object with a schema; vLLM, SGLang, llama-server, OpenAI: the standard
            # json_schema (not OpenAI's strict mode, which needs additionalProperties false on every object)
            response_format = (
                {"type": "json_object", "schema": schema}
                if self.backend.structured == "llama_cpp"
                else {"type": "json_schema", "json_schema": {"name": "exchanges", "schema": schema}}
            )
            kwargs["extra_body"] = {"response_format": response_format}
        timeout = self.backend.request_timeout(self.settings.max_tokens, estimate_tokens(str(messages)))
        if timeout is not None:
            kwargs["timeout"] = timeout
        self.timeout = timeout or self.backend.timeout
        return kwargs

    def count(self, response: Any) -> None:
        """instructor's ``completion:response`` hook: the one place tokens are counted (re-asks included)."""
        spent = usage_of(response)
        self.usage = self.usage + spent
        meter = METER.get()
        if id(response) in self._from_cache:
            self._from_cache.discard(id(response))
        elif meter is not None:
            meter.answers += 1
            meter.usage = meter.usage + spent

    def hit(self, response: Any) -> None:
        """An answer served from the response cache: it counts in the result's usage, not in what was spent."""
        self._from_cache.add(id(response))
        meter = METER.get()
        if meter is not None:
            meter.cached += 1

    def sender(self, create: Callable[..., Any], cache: ResponseCache | None) -> Callable[..., Any]:
        """What instructor calls to send a request: the cache (if any), then retries, then one counted attempt; a
        re-ask answered word for word as before ends the re-asks (:func:`unrepeated`), cached or not."""

        def attempt(**request: Any) -> Any:
            meter = METER.get()
            if meter is not None:
                meter.requests += 1
            try:
                return create(**request)
            except openai.APITimeoutError:
                self.settle(request)
                raise

        send = with_retries(attempt, self.settings.retry)
        if cache is not None:
            send = cache.wrap(send, public_endpoint(self.backend), on_hit=self.hit)

        def checked(**request: Any) -> Any:
            return unrepeated(request, send(**request), spent=self.count)

        return checked

    def async_sender(self, create: Callable[..., Any], cache: ResponseCache | None) -> Callable[..., Any]:
        """Async twin of :meth:`sender`; each attempt also waits at the meter's gate and closes it when a server
        asks to wait (429/503 with ``Retry-After``)."""

        async def attempt(**request: Any) -> Any:
            meter = METER.get()
            gate = meter.gate if meter is not None else None
            if gate is not None:
                await gate.wait()
            async with gate.slot() if gate is not None else contextlib.nullcontext():
                if meter is not None:
                    meter.requests += 1
                try:
                    return await create(**request)
                except openai.APITimeoutError:
                    await asyncio.to_thread(self.settle, request)  # in the slot: nothing else goes to a busy server
                    raise
                except openai.APIStatusError as exc:
                    seconds = retry_after_seconds(exc)
                    if gate is not None and seconds and exc.status_code in (429, 503):
                        gate.pause(min(seconds, self.settings.retry.max_wait))
                    raise

        send = with_async_retries(attempt, self.settings.retry)
        if cache is not None:
            send = cache.awrap(send, public_endpoint(self.backend), on_hit=self.hit)

        async def checked(**request: Any) -> Any:
            return unrepeated(request, await send(**request), spent=self.count)

        return checked

    def settle(self, request: dict[str, Any]) -> None:
        """After a timeout, before the retry: wait for a local server that keeps computing the abandoned request
        (:meth:`Backend.settle`), at most one more request timeout."""
        waited = self.backend.settle(float(request.get("timeout") or self.backend.timeout))
        if waited is not None and waited >= 1.0:
            log.info("%s: waited %.0f s for the server to finish the timed-out request", self.backend.label, waited)

    def failure(self, exc: Exception) -> ExtractionError:
        """One clear line saying what ended the extraction, with the API key redacted if a server echoed it."""
        error = self._failure(exc)
        key = self.backend.api_key
        if len(key) >= 8 and key in str(error):
            return ExtractionError(str(error).replace(key, "[redacted]"), attempts=error.attempts)
        return error

    def _failure(self, exc: Exception) -> ExtractionError:
        where = f"article {self.article.id}"
        if isinstance(exc, InstructorRetryException) and isinstance(exc.__cause__, openai.OpenAIError):
            # instructor wraps a transport fault that survived our retries: report the fault, not "no valid answer"
            exc = exc.__cause__
        if isinstance(exc, IncompleteOutputException):
            return ExtractionError(
                f"{where}: the model's answer was cut off at max_tokens={self.settings.max_tokens}; raise max_tokens",
            )
        if isinstance(exc, InstructorRetryException):
            attempt = exc.failed_attempts[-1] if exc.failed_attempts else None
            if attempt is not None and not getattr(attempt.completion, "choices", True):
                return ExtractionError(
                    f"{where}: the model endpoint ({self.backend.label}) answered with no choices (an empty "
                    "completion)",
                    attempts=exc.n_attempts,
                )
            last = attempt.exception if attempt is not None else (exc.__cause__ or exc)
            repeated = "; the re-ask got the same answer word for word" if _caused_by(exc, RepeatedAnswer) else ""
            return ExtractionError(
                f"{where}: no valid answer after {exc.n_attempts} attempt(s){repeated}; last error: "
                f"{_describe(last)[:300]}",
                attempts=exc.n_attempts,
            )
        attempts = self.settings.retry.attempts
        tries = f"{attempts} {'try' if attempts == 1 else 'tries'}"
        if isinstance(exc, openai.APITimeoutError):
            return ExtractionError(
                f"{where}: the model endpoint timed out after {round(self.timeout, 1):g} s ({self.backend.label}), "
                f"{tries} at most"
            )
        if isinstance(exc, openai.APIConnectionError):
            return ExtractionError(
                f"{where}: cannot reach the model endpoint ({self.backend.label}): connection refused or dropped, "
                f"{tries} at most"
            )
        if isinstance(exc, openai.APIStatusError):
            body = exc.body.get("message") if isinstance(exc.body, dict) else exc.body
            detail = f": {' '.join(str(body).split())[:200]}" if body else ""
            tries = f"{tries} at most" if is_transient(exc) else "not retried"
            return ExtractionError(f"{where}: the model endpoint answered HTTP {exc.status_code}{detail} ({tries})")
        return ExtractionError(f"{where}: {type(exc).__name__}: {_describe(exc)[:300]}")

    def salvage(self, exc: InstructorRetryException | IncompleteOutputException) -> list[PrisonerExchange]:
        """What can be kept of an answer that failed: after the last re-ask failed on a consistency check, the last
        answer without the values it rejected; of an answer cut off at ``max_tokens``, its finished exchanges
        (:meth:`salvage_cut`).

        Re-raises ``exc`` when there is nothing to salvage (no answer, invalid JSON, a schema violation).
        """
        if isinstance(exc, IncompleteOutputException):
            return self.salvage_cut(exc)
        attempt = exc.failed_attempts[-1] if exc.failed_attempts else None
        content = _content_of(getattr(attempt, "completion", None))
        if isinstance(exc.__cause__, openai.OpenAIError) or not isinstance(content, str):
            raise exc  # a transport fault, or no answer at all
        notes: list[str] = []
        context = {"published": self.article.published, "lenient": notes}
        answer: _Answer | None
        try:
            answer = _Answer.model_validate_json(content, context=context)
        except ValidationError:
            answer = self._without_invalid_values(content, notes)
        if answer is None:
            raise exc  # invalid JSON, or nothing valid left: nothing to keep
        repeated = " (the last re-ask got the same answer word for word)" if _caused_by(exc, RepeatedAnswer) else ""
        self.salvaged += [
            f"no valid answer after {exc.n_attempts} attempts{repeated}; kept the last one: {n}" for n in notes
        ]
        return list(answer.exchanges)

    def _without_invalid_values(self, content: str, notes: list[str]) -> _Answer | None:
        """The answer with each value the schema rejects taken out (``"ordinal": {"number": 0}``): a list item goes,
        an object field becomes null, anything else takes its exchange with it; None for invalid JSON or when no
        exchange is left. Each removal is noted."""
        try:
            data = json.loads(content)
        except ValueError:
            return None
        context = {"published": self.article.published, "lenient": notes}
        for _ in range(20):  # each round takes out at least one value
            try:
                answer = _Answer.model_validate(data, context=context)
            except ValidationError as error:
                if not _take_out(data, error, notes):
                    return None
                continue
            return answer if answer.exchanges else None
        return None

    def salvage_cut(self, exc: IncompleteOutputException) -> list[PrisonerExchange]:
        """An answer cut off at ``max_tokens``: the exchanges it finished writing before the one the cut interrupted
        (that one is left out whole: its later fields were never written), each validated on its own, so a record
        that does not validate is left out alone.

        Re-raises ``exc`` when no exchange was finished.
        """
        content = _content_of(exc.last_completion)
        try:
            partial = jiter.from_json(content.encode(), partial_mode=True) if isinstance(content, str) else None
        except ValueError:
            partial = None
        written = partial.get("exchanges") if isinstance(partial, dict) else None
        if not isinstance(written, list) or len(written) < 2:
            raise exc
        kept: list[PrisonerExchange] = []
        notes: list[str] = []
        for item in written[:-1]:
            try:
                kept += _Answer.model_validate(
                    {"exchanges": [item]}, context={"published": self.article.published, "lenient": notes}
                ).exchanges
            except ValidationError:
                continue
        if not kept:
            raise exc
        self.salvaged.append(
            f"the model's answer was cut off at max_tokens={self.settings.max_tokens}: kept the {len(kept)} "
            f"exchange(s) it had finished, left out the one it was writing"
            + (f" and {len(written) - 1 - len(kept)} that did not validate" if len(kept) < len(written) - 1 else "")
        )
        self.salvaged += [f"kept from the cut-off answer: {n}" for n in notes]
        return kept

    def finish(self, per_chunk: list[list[PrisonerExchange]]) -> ArticleExtraction:
        exchanges = per_chunk[0] if len(per_chunk) == 1 else merge_chunk_exchanges(per_chunk)
        for exchange in exchanges:
            for total in exchange.cumulative_totals:
                total.as_of = self.article.published
        result = ArticleExtraction(
            article_id=self.article.id,
            source=self.article.source,
            published=self.article.published,
            text=self.article.text,
            exchanges=exchanges,
            usage=self.usage,
            model=self.backend.model,
            prompt_version=self.prompt_version,
            chunks=len(self.chunks),
        )
        if self.article.published is None:
            result.warnings.append("publication date unknown: relative dates were not resolved")
        result.warnings.extend(self.salvaged)
        ground(result, drop_ungrounded=self.settings.drop_ungrounded, min_fuzzy_score=self.settings.min_fuzzy_score)
        with rules_off(self.settings.rules_off):
            if self.settings.coding_rules:
                apply_checks(result)
            if self.settings.second_reading:
                sweep(result)
        result.seconds = round(time.perf_counter() - self.started, 3)
        return result


#: Upper bounds for constrained decoding: a small model can loop, repeating list items until max_tokens.
MAX_EXCHANGES = 8
MAX_FIGURES = 16
MAX_STRING = 400


def bounded_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Bound every list and free-text string of the decoding schema, so a looping model stops early."""
    bounded: dict[str, Any] = json.loads(json.dumps(schema))

    def walk(node: Any, key: str | None = None) -> None:
        if isinstance(node, dict):
            if node.get("type") == "array":
                node.setdefault("maxItems", MAX_EXCHANGES if key == "exchanges" else MAX_FIGURES)
            elif node.get("type") == "string" and "enum" not in node:
                node.setdefault("maxLength", MAX_STRING)
            for child_key, child in node.items():
                walk(child, child_key)
        elif isinstance(node, list):
            for child in node:
                walk(child, key)

    walk(bounded)
    return bounded


def _backend_for(
    client: openai.OpenAI | openai.AsyncOpenAI | None,
    backend: Backend | None,
    model: str | None,
    base_url: str | None,
    api_key: str | None,
    structured: Structured | None,
) -> Backend:
    if backend is not None:
        return backend
    if client is not None:
        if not model:
            raise BackendError("pass model= together with client=")
        return Backend(base_url=str(client.base_url), model=model, structured=structured or "json_object")
    return resolve_backend(base_url=base_url, api_key=api_key, model=model, structured=structured)


def extract(
    article: str | Article,
    *,
    client: openai.OpenAI | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    backend: Backend | None = None,
    structured: Structured | None = None,
    published: dt.date | None = None,
    article_id: str | None = None,
    settings: ExtractionSettings | None = None,
    cache: ResponseCache | None = None,
) -> ArticleExtraction:
    """Extract every prisoner exchange an article mentions, as grounded records.

    Args:
        article: The article text, or an :class:`~pow_extract.Article` (use :func:`~pow_extract.load_article`
            for files).
        client: An ``openai.OpenAI`` client to use as is (then ``model`` is required).
        model: Model name. Defaults: the embedded model, or ``gpt-4o-mini`` with only ``OPENAI_API_KEY`` set.
        base_url: Any OpenAI-compatible endpoint (else ``OPENAI_BASE_URL``, else OpenAI or the embedded model).
        api_key: API key (else ``OPENAI_API_KEY``). Never logged.
        backend: A resolved :class:`~pow_extract.Backend` (overrides the endpoint arguments).
        structured: ``"llama_cpp"`` to enforce the schema by constrained decoding (llama.cpp servers), or
            ``"json_object"`` for plain JSON mode.
        published: Publication date, for "on Wednesday"-style dates (else guessed from a dateline).
        article_id: Identifier kept on the result (default: a hash of the text).
        settings: Prompt version, re-asks, retries, token budget, grounding policy.
        cache: A :class:`~pow_extract.ResponseCache`: requests the model already answered are not sent again (the
            answers are parsed, grounded and checked again all the same).

    Returns:
        An :class:`~pow_extract.ArticleExtraction`; ``exchanges`` is empty when the article mentions none.

    Raises:
        ArticleError: the article is empty.
        BackendError: no usable endpoint (e.g. the embedded model is not installed).
        ExtractionError: the endpoint kept failing, or no valid answer came after every re-ask. (A last answer
            that is valid JSON of the schema but fails a consistency check - a breakdown larger than its count, a
            completed exchange dated after publication - is kept without the rejected values, noted in
            ``warnings``.)
    """
    doc = as_article(article, published=published, article_id=article_id)
    settings = settings or ExtractionSettings()
    chosen = _backend_for(client, backend, model, base_url, api_key, structured)
    raw = client or _sync_client(chosen.base_url, chosen.api_key, chosen.timeout)
    plan = _Plan(doc, chosen, settings)
    send = plan.sender(raw.chat.completions.create, cache)
    create: Callable[..., Any] = instructor.patch(create=send, mode=instructor.Mode.JSON)
    per_chunk: list[list[PrisonerExchange]] = []
    token = PUBLISHED.set(doc.published)
    try:
        for chunk in plan.chunks:
            try:
                per_chunk.append(list(create(**plan.request(chunk)).exchanges))
            except (InstructorRetryException, IncompleteOutputException) as exc:
                per_chunk.append(plan.salvage(exc))
    except _MODEL_FAILURES as exc:
        raise plan.failure(exc) from exc
    finally:
        PUBLISHED.reset(token)
    return plan.finish(per_chunk)


async def aextract(
    article: str | Article,
    *,
    client: openai.AsyncOpenAI | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    backend: Backend | None = None,
    structured: Structured | None = None,
    published: dt.date | None = None,
    article_id: str | None = None,
    settings: ExtractionSettings | None = None,
    cache: ResponseCache | None = None,
) -> ArticleExtraction:
    """Async twin of :func:`extract` (same arguments, an ``openai.AsyncOpenAI`` client)."""
    doc = as_article(article, published=published, article_id=article_id)
    settings = settings or ExtractionSettings()
    chosen = _backend_for(client, backend, model, base_url, api_key, structured)
    raw = client or _async_client(chosen.base_url, chosen.api_key, chosen.timeout)
    plan = _Plan(doc, chosen, settings)
    send = plan.async_sender(raw.chat.completions.create, cache)
    create: Callable[..., Any] = instructor.patch(create=send, mode=instructor.Mode.JSON)
    per_chunk: list[list[PrisonerExchange]] = []
    token = PUBLISHED.set(doc.published)
    try:
        for chunk in plan.chunks:
            try:
                per_chunk.append(list((await create(**plan.request(chunk))).exchanges))
            except (InstructorRetryException, IncompleteOutputException) as exc:
                per_chunk.append(plan.salvage(exc))
    except _MODEL_FAILURES as exc:
        raise plan.failure(exc) from exc
    finally:
        PUBLISHED.reset(token)
    return plan.finish(per_chunk)


def _take_out(data: Any, error: ValidationError, notes: list[str]) -> bool:
    """Take out of an answer's JSON ``data`` each value ``error`` rejects (see ``_Plan._without_invalid_values``);
    False when none could be found to take out."""
    exchanges = data.get("exchanges") if isinstance(data, dict) else None
    if not isinstance(exchanges, list):
        return False
    dropped: set[int] = set()
    cleared: list[tuple[Any, Any, str]] = []  # (container, key, what)
    for problem in error.errors():
        loc = problem["loc"]
        if len(loc) < 2 or loc[0] != "exchanges" or not isinstance(loc[1], int) or loc[1] >= len(exchanges):
            return False
        index, record = loc[1], exchanges[loc[1]]
        name = loc[2] if len(loc) > 2 else None
        value = record.get(name) if isinstance(record, dict) and isinstance(name, str) else None
        where = ".".join(str(part) for part in loc)
        if isinstance(value, list) and len(loc) > 3 and isinstance(loc[3], int) and loc[3] < len(value):
            cleared.append((value, loc[3], f"exchanges.{index}.{name}.{loc[3]} ({where}: {problem['msg']})"))
        elif isinstance(value, dict):
            cleared.append((record, name, f"exchanges.{index}.{name} ({where}: {problem['msg']})"))
        else:
            dropped.add(index)
            notes.append(f"exchange {index} left out ({where}: {problem['msg']})")
    for container, key, what in sorted(cleared, key=lambda c: -c[1] if isinstance(c[1], int) else 0):
        if isinstance(container, list):
            container.pop(key)
        else:
            container[key] = None
        notes.append(f"taken out {what}")
    for index in sorted(dropped, reverse=True):
        exchanges.pop(index)
    return bool(cleared or dropped)


def _content_of(completion: Any) -> Any:
    """The message content of a chat completion's first choice (None when it has none)."""
    choices = getattr(completion, "choices", None)
    return getattr(getattr(choices[0], "message", None), "content", None) if choices else None


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def unrepeated(request: dict[str, Any], response: Any, *, spent: Callable[[Any], None] | None = None) -> Any:
    """``response``, unless it is a re-ask's answer that repeats, word for word, the answer being re-asked about: at
    temperature 0 another re-ask could only repeat it again, so the loop ends here (:class:`RepeatedAnswer`). The
    repeated answer still cost its tokens: ``spent`` counts them (instructor never sees that answer)."""
    messages = request.get("messages") or []
    if len(messages) >= 2 and messages[-2].get("role") == "assistant" and not request.get("temperature"):
        choices = getattr(response, "choices", None)
        content = getattr(getattr(choices[0], "message", None), "content", None) if choices else None
        if content is not None and content == messages[-2].get("content"):
            if spent is not None:
                spent(response)
            raise RepeatedAnswer("the model repeated the answer it was asked to correct")
    return response


def _describe(error: BaseException) -> str:
    """A one-line account of an error: a validation error's first problems with their fields, else its first line."""
    if isinstance(error, ValidationError):
        problems = error.errors(include_url=False)
        parts = [
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" if e["loc"] else str(e["msg"]) for e in problems[:3]
        ]
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        return "; ".join(parts) + more
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
