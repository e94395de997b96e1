"""One article's reading as rounds of independent questions, without any I/O (a "sans-I/O" state machine).

:class:`Reading` says which questions it needs answered next (:meth:`Reading.questions`), takes each answer
(:meth:`Reading.answer`) or failure (:meth:`Reading.fail`), and builds the records once no question is left
(:meth:`Reading.records`). Who sends the questions is not its business: the sync and async drivers of
:mod:`pow_extract.reading.extraction`, a batch, Ray workers or the Batch API all drive the same object, so they all
produce the same records for the same answers.

Two designs share everything but round 1 (which exchanges does the article report?):

* :class:`ListReading` (the prompt has ``exchanges.txt`` only): one question, answered by the list of exchanges;
* :class:`DateReading` (the prompt has ``main.txt`` and ``date.txt``): one question about the article's main
  exchange, and one per date phrase code found in the text ("what happened on 6 May?") - every question local to one
  phrase, all of round 1 independent.

Round 2 asks about every candidate number, and who is named as freed. The questions of a round are independent, so a
server with several slots may answer them in parallel. An article without any exchange needs no round 2. A round-2
question that fails (after its retries and re-asks) only loses its own figure, noted in the warnings; a failed
round-1 question fails the text.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from pydantic import BaseModel

from pow_extract.model.prompting import prompts_dir
from pow_extract.reading.assemble import NumberAnswer, assemble
from pow_extract.reading.chunking import merge_chunk_exchanges
from pow_extract.reading.questions import (
    NUMBER_KINDS,
    ORDINAL_KINDS,
    ArticleLayout,
    QuestionPrompts,
    date_model,
    exchange_labels,
    exchanges_model,
    main_model,
    number_model,
    people_model,
)
from pow_extract.records.errors import ExtractionError
from pow_extract.records.schema import PrisonerExchange
from pow_extract.text.numbers import NumberMention

__all__ = ["DateReading", "ListReading", "Question", "Reading", "load_question_prompts", "new_reading"]


@dataclass(frozen=True)
class Question:
    """One request: the chat messages, the pydantic model its answer must fit, and a token budget.

    ``key`` is unique within the text ("exchanges", "main", "d0", "n0", "people", ...).
    """

    key: str
    messages: list[dict[str, Any]]
    response_model: type[BaseModel]
    max_tokens: int


#: Completion budgets: the exchanges list holds up to six exchanges of ~45 tokens each; the others are short.
EXCHANGES_MAX_TOKENS = 360
MAIN_MAX_TOKENS = 80
DATE_MAX_TOKENS = 32
NUMBER_MAX_TOKENS = 64
PEOPLE_MAX_TOKENS = 160

#: What a date phrase can be about (v4), as the model says it -> (status, main) of the exchange it dates.
DATE_EVENTS: dict[str, tuple[str, bool] | None] = {
    "the main exchange": ("main", True),
    "another exchange": ("completed", False),
    "another exchange, planned": ("planned", False),
    "another exchange, called off": ("cancelled", False),
    "no exchange": None,
}


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
        self.exchanges: list[dict[str, Any]] | None = None
        self.labels: list[str] = []
        self._round = 0
        self._pending: dict[str, Question] = {}
        self._said: dict[str, str] = {}
        self._numbers: dict[str, NumberMention] = {}
        self._answers: list[NumberAnswer] = []
        self._people: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ the rounds
    def questions(self) -> list[Question]:
        """The questions of the next round that are not answered yet; ``[]`` when the reading is complete."""
        if self._pending:
            return list(self._pending.values())
        if self._round == 0:
            self._round = 1
            self._pending = {q.key: q for q in self._round_one()}
        elif self._round == 1:
            self._round = 2
            self.exchanges = self._exchanges_found()
            self.labels = self._labels()
            if self.exchanges:
                self._pending = {q.key: q for q in self._round_two()}
        return list(self._pending.values())

    def answer(self, question: Question, parsed: BaseModel, said: str | None = None) -> None:
        """Take the parsed answer to ``question`` (``said``: the answer's text as the model wrote it)."""
        self._pending.pop(question.key, None)
        data = parsed.model_dump()
        if self._round == 1:
            self._said[question.key] = said or json.dumps(data)
            self._take_round_one(question.key, data)
            return
        if question.key == "people":
            self._people = [{**p, "exchange": self.labels.index(p["exchange"]) + 1} for p in data["people"]]
            return
        mention = self._numbers[question.key]
        kinds = ORDINAL_KINDS if mention.ordinal else NUMBER_KINDS
        self._answers.append(
            NumberAnswer(
                mention=mention,
                what=kinds[data["what"]],
                exchange=self.labels.index(data["exchange"]) + 1,
                to=data.get("to"),
                source=data["source"],
            )
        )

    def fail(self, question: Question, error: Exception) -> None:
        """Record that ``question`` got no usable answer: round 1 fails the text, round 2 loses one figure."""
        self._pending.pop(question.key, None)
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        if self._round == 1:
            raise ExtractionError(f"no usable answer to the question {question.key!r}: {reason}") from error
        if question.key == "people":
            self.warnings.append(f"named people left out: no usable answer ({reason})")
            return
        self.warnings.append(f"number {self._numbers[question.key].text!r} left out: no usable answer ({reason})")

    @property
    def done(self) -> bool:
        return self._round == 2 and not self._pending

    def records(self) -> list[PrisonerExchange]:
        """The exchanges read (call once :meth:`questions` returns ``[]``)."""
        if not self.exchanges:
            return []
        order = {id(n): i for i, n in enumerate(self.layout.numbers)}
        answers = sorted(self._answers, key=lambda a: order.get(id(a.mention), 0))
        records, warnings = assemble(
            self.layout, self.published, self.exchanges, answers, people=self._people, offset=self.offset
        )
        self.warnings.extend(warnings)
        return merge_chunk_exchanges([records])

    # ------------------------------------------------------------------ what a design decides
    def _round_one(self) -> list[Question]:
        raise NotImplementedError

    def _take_round_one(self, key: str, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def _exchanges_found(self) -> list[dict[str, Any]]:
        """Round 1's exchanges, as items of :class:`~pow_extract.reading.questions.ExchangeItem`'s shape."""
        raise NotImplementedError

    def _labels(self) -> list[str]:
        assert self.exchanges is not None
        return exchange_labels(self.exchanges)

    def _round_two_history(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    # ------------------------------------------------------------------ round 2, shared
    def _ask(
        self, key: str, text: str, model: type[BaseModel], max_tokens: int, history: list[dict[str, Any]]
    ) -> Question:
        messages = [*self.prefix, *history, {"role": "user", "content": text}]
        return Question(key=key, messages=messages, response_model=model, max_tokens=max_tokens)

    def _sides(self) -> tuple[str, ...]:
        sides: list[str] = []
        for item in self.exchanges or []:
            for side in item.get("sides") or []:
                if side and side not in sides:
                    sides.append(side)
        return tuple(sides)

    def _round_two(self) -> list[Question]:
        history = self._round_two_history()
        sides = self._sides()
        questions = []
        for index, mention in enumerate(self.layout.numbers):
            key = f"n{index}"
            self._numbers[key] = mention
            model = number_model(mention.ordinal, tuple(self.labels), sides)
            text = self.prompts.number_question(self.layout, mention)
            questions.append(self._ask(key, text, model, NUMBER_MAX_TOKENS, history))
        people = people_model(tuple(self.labels), sides)
        questions.append(self._ask("people", self.prompts.people_question(), people, PEOPLE_MAX_TOKENS, history))
        return questions


class ListReading(Reading):
    """Round 1 is one question: the list of every exchange the article reports (prompt v3)."""

    def _question(self) -> str:
        return self.prompts.exchanges_question(self.layout)

    def _round_one(self) -> list[Question]:
        model = exchanges_model(len(self.layout.sentences), tuple(self.layout.date_phrases()))
        return [self._ask("exchanges", self._question(), model, EXCHANGES_MAX_TOKENS, [])]

    def _take_round_one(self, key: str, data: dict[str, Any]) -> None:
        self._listed = list(data["exchanges"])

    def _exchanges_found(self) -> list[dict[str, Any]]:
        return list(getattr(self, "_listed", []))

    def _round_two_history(self) -> list[dict[str, Any]]:
        said = self._said.get("exchanges") or json.dumps({"exchanges": self.exchanges})
        return [{"role": "user", "content": self._question()}, {"role": "assistant", "content": said}]


class DateReading(Reading):
    """Round 1 asks about the main exchange, and what happened on each date phrase of the text (prompt v4)."""

    def _round_one(self) -> list[Question]:
        self._phrases = list(self.layout.date_phrases())  # distinct phrases, in order
        self._main: dict[str, Any] | None = None
        self._dated: dict[str, dict[str, Any]] = {}
        questions = [self._ask("main", self.prompts.main_question(), main_model(), MAIN_MAX_TOKENS, [])]
        for index, phrase in enumerate(self._phrases):
            text = self.prompts.date_question(self.layout, phrase)
            questions.append(self._ask(f"d{index}", text, date_model(tuple(DATE_EVENTS)), DATE_MAX_TOKENS, []))
        return questions

    def _take_round_one(self, key: str, data: dict[str, Any]) -> None:
        if key == "main":
            self._main = data
        else:
            self._dated[self._phrases[int(key[1:])]] = data

    def _exchanges_found(self) -> list[dict[str, Any]]:
        main = self._main or {"status": "none"}
        sides = [s for s in main.get("sides") or [] if s]
        found: list[dict[str, Any]] = []
        main_dates = [p for p in self._phrases if _event(self._dated.get(p)) == ("main", True)]
        if main.get("status") != "none":
            sentence = self.layout.date_phrases()[main_dates[0]] if main_dates else 1
            found.append(
                {"sentence": sentence, "status": main["status"], "kind": main["kind"], "main": True, "sides": sides,
                 "date": main_dates[0] if main_dates else None, "mediators": list(main.get("mediators") or [])}
            )  # fmt: skip
        for phrase in self._phrases:
            event = _event(self._dated.get(phrase))
            if event is None or event[0] == "main":
                continue
            found.append(
                {"sentence": self.layout.date_phrases()[phrase], "status": event[0],
                 "kind": (self._dated.get(phrase) or {}).get("kind", "prisoners"), "main": False, "sides": sides,
                 "date": phrase, "mediators": []}
            )  # fmt: skip
        return found

    def _labels(self) -> list[str]:
        return [_date_label(item) for item in self.exchanges or []]

    def _round_two_history(self) -> list[dict[str, Any]]:
        described = "; ".join(self.labels)
        return [{"role": "user", "content": self.prompts.exchanges_context(described)}]


def _event(answer: dict[str, Any] | None) -> tuple[str, bool] | None:
    return DATE_EVENTS.get(answer["event"]) if answer else None


def _date_label(item: dict[str, Any]) -> str:
    """How round 2 names an exchange of :class:`DateReading`: "main exchange", "exchange on 6 May", "planned
    exchange next week", "called-off exchange on January 24"."""
    if item.get("main"):
        return "main exchange"
    status = {"completed": "", "planned": "planned ", "cancelled": "called-off "}[item["status"]]
    return f"{status}exchange {item['date']}".strip()


def new_reading(text: str, published: dt.date | None, prompts: QuestionPrompts, *, offset: int = 0) -> Reading:
    """The reading of ``text`` that ``prompts`` was written for."""
    kind = DateReading if prompts.main is not None else ListReading
    return kind(text, published, prompts, offset=offset)


@cache
def load_question_prompts(version: str) -> QuestionPrompts:
    """Load a question-design prompt version (``prompts/<version>/``).

    Its worked example (``example.json``: a text, the answer to every question the pipeline asks about it, and the
    records expected) is rendered into ``system.txt``'s ``$example`` by running a real :class:`Reading` over the
    example's answers: the example shows exactly the questions the model will be asked, in their order.
    """
    folder = prompts_dir() / version
    required = ("system.txt", "article.txt", "number.txt", "people.txt", "example.json")
    missing = [name for name in required if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(f"prompt version {version!r} is not a question design: missing {', '.join(missing)}")
    bare = QuestionPrompts(
        version=version,
        system="",
        article=_template(folder / "article.txt"),
        exchanges=_template(folder / "exchanges.txt"),
        number=_template(folder / "number.txt"),
        people=_template(folder / "people.txt"),
        main=_template(folder / "main.txt") if (folder / "main.txt").is_file() else None,
        date=_template(folder / "date.txt") if (folder / "date.txt").is_file() else None,
    )
    example = json.loads((folder / "example.json").read_text(encoding="utf-8"))
    rendered = render_example(bare, example)
    system = Template((folder / "system.txt").read_text(encoding="utf-8")).substitute(example=rendered).strip()
    return bare.with_system(system)


def _template(path: Path) -> Template:
    return Template(path.read_text(encoding="utf-8"))


def render_example(prompts: QuestionPrompts, example: dict[str, Any]) -> str:
    """The worked example as text: the numbered article, then every question the pipeline asks about it (in order,
    with what round 2 is told about round 1) and its answer from ``example["answers"]``.

    Raises KeyError when the example lacks the answer to a question the pipeline asks (a test checks every example).
    """
    published = dt.date.fromisoformat(example["published"])
    reading = new_reading(example["text"], published, prompts)
    answers: dict[str, Any] = example["answers"]
    lines = [reading.prefix[1]["content"], ""]
    shown: set[str] = set()
    while questions := reading.questions():
        shared = questions[0].messages[len(reading.prefix) : -1]
        lines += [m["content"] for m in shared if m["role"] == "user" and m["content"] not in shown]
        for question in questions:
            shown.add(question.messages[-1]["content"])
            answer = answers[example_key(reading, question)]
            lines += [question.messages[-1]["content"], f"Answer: {json.dumps(answer)}", ""]
            reading.answer(question, question.response_model.model_validate(answer))
    return "\n".join(lines).strip()


def example_key(reading: Reading, question: Question) -> str:
    """The key of ``question``'s answer in a worked example: "exchanges", "main", "people", a date phrase, or a
    number as written."""
    if question.key.startswith("d") and isinstance(reading, DateReading):
        return reading._phrases[int(question.key[1:])]
    if question.key.startswith("n") and question.key[1:].isdigit():
        return reading._numbers[question.key].text
    return question.key
