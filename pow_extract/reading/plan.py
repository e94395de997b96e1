"""One article's reading as rounds of independent questions, without any I/O (a "sans-I/O" state machine).

:class:`Reading` says which questions it needs answered next (:meth:`Reading.questions`), takes each answer
(:meth:`Reading.answer`) or failure (:meth:`Reading.fail`), and builds the records once no question is left
(:meth:`Reading.records`). Who sends the questions is not its business: the sync and async drivers of
:mod:`pow_extract.reading.extraction`, a batch, Ray workers or the Batch API all drive the same object, so they all
produce the same records for the same answers.

Round 1 is one question (which exchanges); round 2 asks about every candidate number at once - the questions of a
round are independent, so a server with several slots may answer them in parallel. An article without any exchange
needs no round 2. A number question that fails (after its retries and re-asks) only loses that number, noted in
the warnings; a failed round-1 question fails the article.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from pow_extract.reading.assemble import NumberAnswer, assemble
from pow_extract.reading.chunking import merge_chunk_exchanges
from pow_extract.reading.questions import (
    NUMBER_KINDS,
    ORDINAL_KINDS,
    ArticleLayout,
    QuestionPrompts,
    exchange_labels,
    exchanges_model,
    number_model,
    people_model,
)
from pow_extract.records.errors import ExtractionError
from pow_extract.records.schema import PrisonerExchange
from pow_extract.text.numbers import NumberMention

__all__ = ["Question", "Reading"]


@dataclass(frozen=True)
class Question:
    """One request: the chat messages, the pydantic model its answer must fit, and a token budget.

    ``key`` is unique within the article ("exchanges", "n0", "n1", ...).
    """

    key: str
    messages: list[dict[str, Any]]
    response_model: type[BaseModel]
    max_tokens: int


#: Completion budget of one question: the exchanges question lists up to six exchanges of ~45 tokens each.
EXCHANGES_MAX_TOKENS = 360
NUMBER_MAX_TOKENS = 64
PEOPLE_MAX_TOKENS = 160


class Reading:
    """The questions about one text (an article, or one chunk of a long one) and what their answers say.

    Args:
        text: The text the model reads.
        published: Publication date (dates such as "on Thursday" resolve against it).
        prompts: The question-design prompt version.
        offset: Where ``text`` starts in the article (a chunk's offset), so spans point into the article.
    """

    def __init__(self, text: str, published: dt.date | None, prompts: QuestionPrompts, *, offset: int = 0) -> None:
        self.layout = ArticleLayout.of(text)
        self.published = published
        self.prompts = prompts
        self.offset = offset
        self.prefix = prompts.prefix(self.layout, published)
        self.warnings: list[str] = []
        self._exchanges: list[dict[str, Any]] | None = None
        self._exchanges_said = ""  # round 1's answer as the model wrote it (kept verbatim in round 2's prefix)
        self._labels: list[str] = []
        self._asked_numbers = False
        self._pending: dict[str, Question] = {}
        self._numbers: dict[str, NumberMention] = {}
        self._answers: list[NumberAnswer] = []
        self._people: list[dict[str, Any]] = []
        self._exchanges_question = self._ask_exchanges()

    # ------------------------------------------------------------------ the rounds
    def questions(self) -> list[Question]:
        """The questions of the next round that are not answered yet; ``[]`` when the reading is complete."""
        if self._pending:
            return list(self._pending.values())
        if self._exchanges is None:
            self._pending = {self._exchanges_question.key: self._exchanges_question}
        elif not self._asked_numbers:
            self._asked_numbers = True
            if self._exchanges:
                self._pending = {q.key: q for q in self._ask_numbers()}
        return list(self._pending.values())

    def answer(self, question: Question, parsed: BaseModel, said: str | None = None) -> None:
        """Take the parsed answer to ``question`` (``said``: the answer's text as the model wrote it)."""
        self._pending.pop(question.key, None)
        data = parsed.model_dump()
        if question.key == "exchanges":
            self._exchanges = list(data["exchanges"])
            self._exchanges_said = said or json.dumps({"exchanges": self._exchanges})
            self._labels = exchange_labels(self._exchanges)
            return
        if question.key == "people":
            self._people = [
                {**person, "exchange": self._labels.index(person["exchange"]) + 1} for person in data["people"]
            ]
            return
        mention = self._numbers[question.key]
        kinds = ORDINAL_KINDS if mention.ordinal else NUMBER_KINDS
        self._answers.append(
            NumberAnswer(
                mention=mention,
                what=kinds[data["what"]],
                exchange=self._labels.index(data["exchange"]) + 1,
                to=data.get("to"),
                source=data["source"],
            )
        )

    def fail(self, question: Question, error: Exception) -> None:
        """Record that ``question`` got no usable answer: round 1 fails the text, a number only loses itself."""
        self._pending.pop(question.key, None)
        if question.key == "exchanges":
            raise ExtractionError(f"no usable answer to the exchanges question: {error}") from error
        if question.key == "people":
            self.warnings.append(f"named people left out: no usable answer ({str(error).splitlines()[0][:200]})")
            return
        mention = self._numbers[question.key]
        self.warnings.append(f"number {mention.text!r} left out: no usable answer ({str(error).splitlines()[0][:200]})")

    @property
    def done(self) -> bool:
        return self._exchanges is not None and self._asked_numbers and not self._pending

    def records(self) -> list[PrisonerExchange]:
        """The exchanges read so far (call once :meth:`questions` returns ``[]``)."""
        if self._exchanges is None:
            return []
        order = {id(n): i for i, n in enumerate(self.layout.numbers)}
        answers = sorted(self._answers, key=lambda a: order.get(id(a.mention), 0))
        records, warnings = assemble(
            self.layout, self.published, self._exchanges, answers, people=self._people, offset=self.offset
        )
        self.warnings.extend(warnings)
        return merge_chunk_exchanges([records])

    # ------------------------------------------------------------------ building questions
    def _ask(
        self, key: str, text: str, model: type[BaseModel], max_tokens: int, history: list[dict[str, Any]]
    ) -> Question:
        messages = [*self.prefix, *history, {"role": "user", "content": text}]
        return Question(key=key, messages=messages, response_model=model, max_tokens=max_tokens)

    def _ask_exchanges(self) -> Question:
        phrases = tuple(self.layout.date_phrases())
        model = exchanges_model(len(self.layout.sentences), phrases)
        return self._ask("exchanges", self.prompts.exchanges_question(self.layout), model, EXCHANGES_MAX_TOKENS, [])

    def _ask_numbers(self) -> list[Question]:
        assert self._exchanges is not None
        history = [
            {"role": "user", "content": self.prompts.exchanges_question(self.layout)},
            {"role": "assistant", "content": self._exchanges_said},
        ]
        sides: list[str] = []
        for item in self._exchanges:
            for side in item.get("sides") or []:
                if side and side not in sides:
                    sides.append(side)
        questions = []
        for index, mention in enumerate(self.layout.numbers):
            key = f"n{index}"
            self._numbers[key] = mention
            model = number_model(mention.ordinal, tuple(self._labels), tuple(sides))
            text = self.prompts.number_question(self.layout, mention)
            questions.append(self._ask(key, text, model, NUMBER_MAX_TOKENS, history))
        people = people_model(tuple(self._labels), tuple(sides))
        questions.append(self._ask("people", self.prompts.people_question(), people, PEOPLE_MAX_TOKENS, history))
        return questions
