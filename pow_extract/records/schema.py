"""The records pow_extract produces: pydantic v2 models for prisoner exchanges.

Two kinds of fields live side by side:

* fields the **model** fills (every figure with a verbatim ``quote`` copied from the article);
* fields the **library** fills after the model answered (``span`` offsets from grounding, the resolved
  ``date`` and ``date_precision``). Those are hidden from the JSON schema sent to the model
  (``SkipJsonSchema``) and are always recomputed by the library, so model output never supplies them.

Validators reject impossible records (negative counts, a breakdown larger than the total it breaks down,
a completed exchange dated after the article's publication); instructor sends their messages back to the
model on a re-ask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextvars import ContextVar
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from pow_extract.text.normalize import normalize_parties, normalize_party

ExchangeKind = Literal["prisoners", "bodies", "mixed"]
ExchangeStatus = Literal["completed", "planned", "postponed_or_cancelled"]
Mention = Literal["primary", "secondary"]
DatePrecision = Literal["day", "month", "year", "report"]
"""How precise a date is. ``report``: the article gives no date for the exchange, so ``date`` is the article's
publication date - the day the exchange was reported (a completed one took place on or shortly before it)."""
MatchKind = Literal["exact", "normalized", "fuzzy"]
BreakdownCategory = Literal["branch", "rank", "civilians", "women", "minors", "wounded_or_ill", "other"]
Qualifier = Literal["exact", "over", "almost", "about"]

Quote = Annotated[
    str,
    Field(
        min_length=1,
        description="Shortest exact words copied from the article that state this value (one sentence at most).",
    ),
]
Count = Annotated[int, Field(ge=0, description="A number of people, as written in the quote.")]
#: A party name, normalised on validation ("Kyiv" -> "Ukraine"); the JSON schema stays a plain string.
Party = Annotated[str, AfterValidator(normalize_party)]


class Span(BaseModel):
    """Where an evidence quote was found in the article text (character offsets, end exclusive)."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    match: MatchKind
    score: float = Field(ge=0.0, le=1.0, description="1.0 for exact and normalised matches; similarity for fuzzy.")


class Evidence(BaseModel):
    """Base of every extracted figure: the model copies a quote, the library locates it."""

    quote: Quote
    span: SkipJsonSchema[Span | None] = Field(default=None, description="Set by grounding; never by the model.")

    @field_validator("quote")
    @classmethod
    def _strip_quote(cls, value: str) -> str:
        value = value.strip().strip('"“”').strip()
        if not value:
            raise ValueError("quote must contain words copied from the article")
        return value

    @property
    def grounded(self) -> bool:
        """True when grounding found the quote in the article."""
        return self.span is not None


class Attributed(Evidence):
    """A figure somebody stated: the claimant is the person or body the article attributes it to."""

    claimant: str | None = Field(
        default=None,
        description="Who stated it, as named in the article (e.g. 'Volodymyr Zelensky', 'Russian Defence Ministry'); "
        "null when the article states it in its own voice.",
    )
    claimant_side: str | None = Field(
        default=None,
        description="Country or party the claimant speaks for (e.g. 'Ukraine', 'Russia'); null for the outlet itself.",
    )

    @field_validator("claimant_side")
    @classmethod
    def _normalise_side(cls, value: str | None) -> str | None:
        return normalize_party(value) if value else None


class CountClaim(Attributed):
    """One statement of how many people were handed over to one party, by whom it was claimed.

    Counts are claims, never a single number: "Zelensky says 207 came home" and "Russia's Defence Ministry says
    195 for 195" are three claims kept side by side.
    """

    returned_to: Party = Field(
        description="Party that received these people (e.g. 'Ukraine' for Ukrainians coming home); "
        "'both' for a combined figure of both directions."
    )
    number: Count
    qualifier: Qualifier = Field(default="exact", description="'over', 'almost', 'about' or 'exact', as worded.")


class BreakdownItem(Evidence):
    """Part of the returnees to one side: a branch, a rank group, civilians, women, minors, the wounded or ill."""

    returned_to: Party = Field(description="Party that received these people.")
    category: BreakdownCategory
    label: str = Field(description="Group name as in the article, e.g. 'National Guard', 'officers', 'civilians'.")
    number: Count


class AgeBound(Evidence):
    """The youngest or oldest person returned, where the article says so."""

    returned_to: Party
    bound: Literal["youngest", "oldest"]
    age: int = Field(ge=0, le=120)


class ReleasedPerson(Evidence):
    """A named individual released in the exchange."""

    name: str
    returned_to: Party | None = None
    description: str | None = Field(default=None, description="Who the person is, e.g. 'journalist', 'marine'.")


class CumulativeTotal(Attributed):
    """A running total stated in the article, e.g. "over 3,000 returned since 2022"."""

    returned_to: Party
    number: Count
    qualifier: Qualifier = Field(default="exact", description="'over', 'almost', 'about' or 'exact', as worded.")
    as_of: SkipJsonSchema[dt.date | None] = Field(
        default=None, description="Date the total refers to; set by the library from the article's date."
    )


class ExchangeOrdinal(Attributed):
    """The exchange's ordinal number and who counted it ("the 50th, per Ukraine's ombudsman")."""

    number: int = Field(ge=1, description="Ordinal as a number: 50 for 'the 50th exchange'.")


class PrisonerExchange(BaseModel):
    """One prisoner (or body, or hostage) exchange mentioned in an article.

    ``date`` and ``date_precision`` are resolved by the library from ``date_text`` against the article's
    publication date ("on Wednesday" in an article of 31 Jan 2024 -> 2024-01-31, precision "day").
    """

    quote: Quote = Field(description="The sentence (exact words) that reports this exchange.")
    date_text: str | None = Field(
        default=None,
        description="Exact words from the article giving the exchange's date (e.g. 'on Wednesday', 'January 31').",
    )
    kind: ExchangeKind = Field(default="prisoners", description="'prisoners', 'bodies' (remains), or 'mixed'.")
    status: ExchangeStatus = Field(
        description="'completed' if it took place; 'planned' if announced for the future; "
        "'postponed_or_cancelled' if it was halted, disrupted or called off."
    )
    mention: Mention = Field(
        default="primary",
        description="'primary' for the exchange the article reports; 'secondary' for earlier or other exchanges "
        "it mentions in passing.",
    )
    date: SkipJsonSchema[dt.date | None] = None
    date_precision: SkipJsonSchema[DatePrecision | None] = None
    parties: list[str] = Field(default_factory=list, description="The two sides, e.g. ['Ukraine', 'Russia'].")
    mediators: list[str] = Field(
        default_factory=list, description="Mediating countries or bodies, e.g. ['United Arab Emirates']."
    )
    ordinal: ExchangeOrdinal | None = None
    counts: list[CountClaim] = Field(default_factory=list)
    breakdown: list[BreakdownItem] = Field(default_factory=list)
    ages: list[AgeBound] = Field(default_factory=list)
    released_people: list[ReleasedPerson] = Field(default_factory=list)
    cumulative_totals: list[CumulativeTotal] = Field(default_factory=list)
    span: SkipJsonSchema[Span | None] = None

    @field_validator("parties", "mediators")
    @classmethod
    def _normalise_names(cls, value: list[str]) -> list[str]:
        return normalize_parties(value)

    @model_validator(mode="after")
    def _check_consistency(self, info: ValidationInfo) -> PrisonerExchange:
        """Breakdowns within their count; a completed exchange not dated after publication.

        Normally a failure raises (instructor re-asks with the message). With a list under ``context["lenient"]``
        (the last answer after every re-ask failed), the offending values are removed instead and each removal is
        described in that list: a wrong number is worse than a missing one, and the rest of the answer is kept.
        """
        lenient = info.context.get("lenient") if isinstance(info.context, dict) else None
        problems: list[str] = []
        for receiver, parts in _group_breakdown(self.breakdown).items():
            claimed = [c.number for c in self.counts if c.returned_to == receiver]
            if claimed:
                for category, total in parts.items():
                    if total > max(claimed):
                        problems.append(
                            f"breakdown by {category} for {receiver} adds up to {total}, more than the largest count "
                            f"returned to {receiver} ({max(claimed)}); check each number against its quote"
                        )
                        if isinstance(lenient, list):
                            self.breakdown = [
                                b for b in self.breakdown if (b.returned_to, b.category) != (receiver, category)
                            ]
        published = _published_from(info)
        if self.date_text and published is not None and self.date is None:
            # Resolution happens here so that a completed exchange dated after publication can be re-asked.
            from pow_extract.text.dates import resolve_date

            resolved = resolve_date(self.date_text, published, prefer="future" if self.status == "planned" else "past")
            if resolved is not None:
                self.date, self.date_precision = resolved
        if self.status == "completed" and self.date is not None and published is not None and self.date > published:
            problems.append(
                f"status is 'completed' but the date {self.date.isoformat()} (from {self.date_text!r}) is after the "
                f"article's publication date {published.isoformat()}; use 'planned' or fix date_text"
            )
            if isinstance(lenient, list):
                self.date = self.date_precision = None
        if problems and isinstance(lenient, list):
            lenient.extend(f"removed from the model's last answer: {problem}" for problem in problems)
        elif problems:
            raise ValueError("; ".join(problems))
        return self

    def figures(self) -> list[Evidence]:
        """Every evidence-bearing figure of this exchange (counts, breakdown, ages, people, totals, ordinal)."""
        items: list[Evidence] = [
            *self.counts,
            *self.breakdown,
            *self.ages,
            *self.released_people,
            *self.cumulative_totals,
        ]
        if self.ordinal is not None:
            items.append(self.ordinal)
        return items


def _group_breakdown(items: list[BreakdownItem]) -> dict[str, dict[str, int]]:
    grouped: dict[str, dict[str, int]] = {}
    for item in items:
        if item.category in ("branch", "rank"):
            by_cat = grouped.setdefault(item.returned_to, {})
            by_cat[item.category] = by_cat.get(item.category, 0) + item.number
    return grouped


#: Publication date of the article being validated. Set by extraction around the model call (instructor's own
#: ``context=`` would also render the messages as Jinja templates, which article text must never go through).
PUBLISHED: ContextVar[dt.date | None] = ContextVar("pow_extract_published", default=None)


def _published_from(info: ValidationInfo) -> dt.date | None:
    context: Any = info.context
    if isinstance(context, dict):
        value = context.get("published")
        if isinstance(value, dt.date):
            return value
    return PUBLISHED.get()


class ExchangeList(BaseModel):
    """What the model is asked to return for one article: every exchange it mentions (possibly none)."""

    exchanges: list[PrisonerExchange] = Field(
        default_factory=list,
        description="Every prisoner or body exchange the article mentions; empty if it mentions none.",
    )


class Usage(BaseModel):
    """Tokens spent on one article, summed over every attempt (re-asks included)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            requests=self.requests + other.requests,
        )


class FlaggedFigure(BaseModel):
    """A figure grounding could not verify: its quote is not in the article, or its number is not in its quote."""

    exchange_index: int
    field: str
    reason: str
    figure: dict[str, Any]


class ArticleExtraction(BaseModel):
    """The result for one article: its exchanges, what was dropped and why, and what it cost."""

    article_id: str
    source: str | None = None
    published: dt.date | None = None
    text: str | None = Field(default=None, description="The article text the offsets refer to.")
    exchanges: list[PrisonerExchange] = Field(default_factory=list)
    flagged: list[FlaggedFigure] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    model: str | None = None
    prompt_version: str | None = None
    chunks: int = 1
    seconds: float | None = None

    def to_html(self, *, title: str = "pow_extract review") -> str:
        """A self-contained HTML review page of this result: each figure highlighted in its sentence.

        The page is drawn by :func:`pow_extract.review.page.to_html`; records import nothing of the layers above
        them, so the ``pow_extract`` package plugs that renderer in (:func:`use_html_renderer`).
        """
        if _html_renderer is None:
            raise RuntimeError("no HTML renderer: import pow_extract (it plugs in pow_extract.review.page.to_html)")
        return _html_renderer(self, title=title)


#: Draws the HTML review page of a result (set by the ``pow_extract`` package: records import no layer above them).
HtmlRenderer = Callable[..., str]
_html_renderer: HtmlRenderer | None = None


def use_html_renderer(renderer: HtmlRenderer) -> None:
    """Make ``renderer(result, title=...)`` draw :meth:`ArticleExtraction.to_html`."""
    global _html_renderer
    _html_renderer = renderer
