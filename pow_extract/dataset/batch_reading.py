"""The reading of one article as rounds of independent questions, without I/O: what the Batch API driver drives.

A :class:`Reading` hands out the next round of :class:`Question` s (all independent of each other), is told each
answer (or failure), and finally gives the :class:`~pow_extract.records.schema.ArticleExtraction`. The Batch API
driver (:mod:`pow_extract.dataset.batch_api`) sends a round's questions of every article as one batch, and feeds the
answers back when the batch is done; a reading whose later questions depend on earlier answers simply has more
rounds.

:class:`PlanReading` is the adapter for today's reading (:mod:`pow_extract.reading.extraction`): one round of one
question per chunk of the article, answered by an :class:`~pow_extract.records.schema.ExchangeList`. It runs the
same code as :func:`~pow_extract.extract` (``_Plan``: prompt, request, salvage of a last invalid answer, failure
messages, grounding, coding rules), so a record built from batch answers equals the record ``extract`` builds from
the same answers. When the rounds-based reading lands in :mod:`pow_extract.reading`, it replaces this adapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel

from pow_extract.model.backends import Backend
from pow_extract.reading.article import Article
from pow_extract.reading.extraction import _MODEL_FAILURES, ExtractionSettings, _Plan
from pow_extract.records.errors import ExtractionError
from pow_extract.records.schema import ArticleExtraction, PrisonerExchange

__all__ = ["PlanReading", "Question", "Reading", "ReadingFactory"]


@dataclass(frozen=True)
class Question:
    """One request to the model.

    Attributes:
        key: Unique within the article (e.g. ``chunk0``).
        messages: The chat messages, exactly.
        response_model: The pydantic model the answer is parsed into (through instructor).
        max_tokens: Completion budget.
        request: The keyword arguments for instructor's ``create`` (model, messages, sampling, response model,
            re-asks, hooks, extra body), as the online path passes them.
    """

    key: str
    messages: list[dict[str, Any]]
    response_model: type[BaseModel]
    max_tokens: int
    request: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


class Reading(Protocol):
    """The reading of one article, without I/O (see the module docstring)."""

    def questions(self) -> list[Question]:
        """The next round (independent questions), or ``[]`` when the reading is done."""
        ...

    def answer(self, question: Question, parsed: BaseModel, completion: Any) -> None:
        """The parsed answer to ``question`` (and the raw chat completion it came from)."""
        ...

    def fail(self, question: Question, error: Exception) -> None:
        """``question`` got no usable answer: ``error`` is what instructor or the endpoint raised."""
        ...

    def result(self) -> ArticleExtraction:
        """The grounded, checked result; raises :class:`~pow_extract.records.errors.ExtractionError` when a failure
        ended the reading."""
        ...


class ReadingFactory(Protocol):
    """Makes the reading of an article for an endpoint and settings."""

    def __call__(self, article: Article, backend: Backend, settings: ExtractionSettings) -> Reading: ...


class PlanReading:
    """Today's reading as rounds: one round, one question per chunk (``chunk0``, ``chunk1``...)."""

    def __init__(self, article: Article, backend: Backend, settings: ExtractionSettings) -> None:
        self.plan = _Plan(article, backend, settings)
        self.exchanges: dict[int, list[PrisonerExchange]] = {}
        self.error: ExtractionError | None = None

    def questions(self) -> list[Question]:
        if self.error is not None:
            return []
        out: list[Question] = []
        for index, chunk in enumerate(self.plan.chunks):
            if index in self.exchanges:
                continue
            request = self.plan.request(chunk)
            out.append(Question(key=f"chunk{index}", messages=request["messages"],
                                response_model=request["response_model"], max_tokens=request["max_tokens"],
                                request=request))  # fmt: skip
        return out

    @staticmethod
    def _index(question: Question) -> int:
        return int(question.key.removeprefix("chunk"))

    def answer(self, question: Question, parsed: BaseModel, completion: Any) -> None:
        self.exchanges[self._index(question)] = list(getattr(parsed, "exchanges", []))

    def fail(self, question: Question, error: Exception) -> None:
        if isinstance(error, (InstructorRetryException, IncompleteOutputException)):
            try:  # as extract() does: keep what the answer holds that is valid (checks passed, exchanges finished)
                self.exchanges[self._index(question)] = self.plan.salvage(error)
                return
            except (InstructorRetryException, IncompleteOutputException):
                pass
        if self.error is None:
            self.error = self.plan.failure(error) if isinstance(error, _MODEL_FAILURES) else ExtractionError(
                f"article {self.plan.article.id}: {type(error).__name__}: {error}"
            )  # fmt: skip

    def result(self) -> ArticleExtraction:
        if self.error is not None:
            raise self.error
        missing = [i for i in range(len(self.plan.chunks)) if i not in self.exchanges]
        if missing:
            raise ExtractionError(f"article {self.plan.article.id}: chunks {missing} were never answered")
        return self.plan.finish([self.exchanges[i] for i in range(len(self.plan.chunks))])
