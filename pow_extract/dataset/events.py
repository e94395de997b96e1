"""What consolidation produces: one :class:`ExchangeEvent` per real exchange, every claim with its source
(``Sourced*``), where sources disagree (:class:`Conflict`), and the thresholds that decide grouping
(:class:`MergeRules`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pow_extract.records.schema import (
    BreakdownCategory,
    DatePrecision,
    ExchangeKind,
    ExchangeStatus,
    Mention,
    Qualifier,
    Span,
)

__all__ = [
    "Conflict",
    "ConflictField",
    "ConflictValue",
    "EventMention",
    "ExchangeEvent",
    "MergeRules",
    "SourcedAge",
    "SourcedBreakdown",
    "SourcedClaim",
    "SourcedOrdinal",
    "SourcedPerson",
    "SourcedTotal",
]


ConflictField = Literal["count", "ordinal", "date"]


class MergeRules(BaseModel):
    """Tunable thresholds of :func:`consolidate` (see the module docstring for the rules they tune)."""

    model_config = ConfigDict(frozen=True)

    day_tolerance: int = Field(
        default=1, ge=0, description="Days two dates may be apart and still be one exchange (time zones, lag)."
    )
    wild_ratio: float = Field(
        default=0.5,
        gt=0.0,
        le=1.0,
        description="Figures for the same party contradict wildly when the smaller is below this fraction of the "
        "larger; this blocks a merge unless both records have day-precision dates.",
    )
    approx_tolerance: float = Field(
        default=0.1, ge=0.0, lt=1.0, description="Relative slack of 'about N' and 'almost N' when comparing figures."
    )
    undated_window_days: int = Field(
        default=45, ge=0, description="An undated record joins only an event dated this close to its publication."
    )
    planned_matches_outcome: bool = Field(
        default=True, description="Whether a 'planned' record may join the exchange it announced (completed or not)."
    )


class _Sourced(BaseModel):
    """Where a value came from: the article, its outlet, which exchange record, and the evidence."""

    article_id: str
    source: str | None = None
    published: dt.date | None = None
    exchange_index: int = Field(ge=0, description="Position of the record in the article's ``exchanges``.")
    mention: Mention = Field(description="Whether the article reports this exchange (primary) or mentions it.")
    quote: str
    span: Span | None = None


class SourcedClaim(_Sourced):
    """One count claim ("207 came home, says Zelensky") with the article and record it came from."""

    returned_to: str
    number: int
    qualifier: Qualifier = "exact"
    claimant: str | None = None
    claimant_side: str | None = None


class SourcedTotal(_Sourced):
    """A running total stated alongside the exchange ("over 3,000 returned since 2022"), with its source."""

    returned_to: str
    number: int
    qualifier: Qualifier = "exact"
    claimant: str | None = None
    claimant_side: str | None = None
    as_of: dt.date | None = None


class SourcedBreakdown(_Sourced):
    """Part of the returnees to one side (a branch, rank group, civilians...), with its source."""

    returned_to: str
    category: BreakdownCategory
    label: str
    number: int


class SourcedAge(_Sourced):
    """The youngest or oldest person returned, with its source."""

    returned_to: str
    bound: Literal["youngest", "oldest"]
    age: int


class SourcedPerson(_Sourced):
    """A named person released in the exchange, with its source."""

    name: str
    returned_to: str | None = None
    description: str | None = None


class SourcedOrdinal(_Sourced):
    """An ordinal ("the 50th exchange") and who counted it, with its source."""

    number: int
    claimant: str | None = None
    claimant_side: str | None = None


class EventMention(BaseModel):
    """One extracted record that was grouped into an event: which article, which record, primary or secondary."""

    article_id: str
    exchange_index: int
    mention: Mention
    source: str | None = None
    published: dt.date | None = None
    status: ExchangeStatus
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    quote: str


class ConflictValue(BaseModel):
    """One of the disagreeing values of a conflict, with everybody who stated it."""

    value: int | str = Field(description="A figure, an ordinal, or an ISO date.")
    qualifier: Qualifier = "exact"
    claimants: list[str] = Field(default_factory=list, description="Claimants as named; 'unattributed' for outlets.")
    claimant_sides: list[str] = Field(default_factory=list)
    article_ids: list[str] = Field(default_factory=list)


class Conflict(BaseModel):
    """Sources disagree on one value of an event, e.g. how many people returned to Ukraine."""

    field: ConflictField
    returned_to: str | None = Field(default=None, description="Receiving party, for count conflicts.")
    values: list[ConflictValue]
    message: str = Field(description="One-line summary, e.g. 'returned_to=Ukraine: 207 (Zelensky; 000) vs 195 (...)'.")


class ExchangeEvent(BaseModel):
    """One real-world exchange, with every claim any article made about it and where sources disagree."""

    event_id: str = Field(description="Deterministic key, e.g. 'russia-ukraine-2024-01-31-prisoners' (+ '-2'...).")
    parties: list[str]
    mediators: list[str] = Field(default_factory=list, description="Union of the mediators any source named.")
    kind: ExchangeKind
    status: ExchangeStatus
    date: dt.date | None = None
    date_precision: DatePrecision | None = Field(default=None, description="Precision of the most precise date.")
    ordinal: int | None = Field(default=None, description="Ordinal all sources agree on; None if none or disputed.")
    ordinals: list[SourcedOrdinal] = Field(default_factory=list)
    claims: list[SourcedClaim] = Field(default_factory=list)
    breakdown: list[SourcedBreakdown] = Field(default_factory=list)
    ages: list[SourcedAge] = Field(default_factory=list)
    released_people: list[SourcedPerson] = Field(default_factory=list)
    cumulative_totals: list[SourcedTotal] = Field(default_factory=list)
    consensus: dict[str, int | None] = Field(
        default_factory=dict,
        description="Per receiving party: the exact figure every source agrees with, or None when they disagree "
        "(see conflicts) or give only approximate figures.",
    )
    conflicts: list[Conflict] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="Ids of the articles that mention this exchange.")
    mentions: list[EventMention] = Field(default_factory=list)

    @property
    def has_conflicts(self) -> bool:
        """True when sources disagree on any value."""
        return bool(self.conflicts)
