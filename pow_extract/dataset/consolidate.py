"""From articles to a dataset: consolidate per-article exchange records into one row per real exchange.

Several outlets report the same prisoner exchange, often with figures that disagree ("Ukraine says 207 came home";
"Russia's Defence Ministry says 195 for 195"). :func:`consolidate` groups every extracted
:class:`~pow_extract.records.schema.PrisonerExchange` (primary reports *and* secondary mentions such as "on 3 January,
230 came home") into :class:`ExchangeEvent` objects that keep every claim with its claimant, quote and article, state
the figures all sources agree on (``consensus``) and flag those they do not (``conflicts``).

Grouping rules
--------------
Two records may describe the same exchange only when all of these hold (checked against **every** record already in
a group, so a vague record can never chain two different events together):

* **parties** - the same unordered set of normalised parties. A record naming fewer parties (one side, or none) is
  a *partial* record: it may join only on strong evidence (below).
* **kind** - equal, or one of them is ``"mixed"`` (prisoners and bodies); ``"prisoners"`` never meets ``"bodies"``.
* **status** - equal; ``"planned"`` may also meet the outcome it announced (``MergeRules.planned_matches_outcome``),
  but ``"completed"`` never meets ``"postponed_or_cancelled"``: the swap halted on 24 Jan 2024 and the one completed
  on 31 Jan are different events, even on nearby days.
* **date**, given its precision - each date is read as an interval (a day, a whole month, a whole year); two dates
  are compatible when their intervals are at most ``MergeRules.day_tolerance`` days apart (default 1, for time zones
  and reporting lag). So two day-precision dates must be equal or within a day, and a month-precision date is
  compatible with any day of that month. A record with **no date** or only a **year** is compatible in principle but
  joins a group only on strong evidence, and an undated record only a group dated within
  ``MergeRules.undated_window_days`` of its article's publication (when that is known).
* **ordinal** - equal when both have one ("the 50th exchange"), unless both ordinals are attributed to different
  known sides (Kyiv and Moscow number their swaps differently); such a difference is kept as a conflict.
* **counts** - never required to be equal (the sides disagree), but unless both records carry day-precision dates
  their counts must not contradict wildly: for a party both records give a figure for, the closest two figures must
  be within a factor ``1 / MergeRules.wild_ratio`` (default 2) of each other.

*Strong evidence* means an equal ordinal, or an equal figure for the same receiving party, between the record and
the group. Records with no date, no ordinal and no counts therefore always stay alone.

The algorithm is a constrained (complete-linkage) leader clustering: records are visited from the most to the least
specific (day-precision primary reports first, then secondary mentions, month, year and undated records; ties by
article id and exchange index, so the result does not depend on input order). Each record joins the compatible group
it matches best (equal ordinal, then shared figures, then closest date, then shared mediators); when two groups
match it equally well it is ambiguous and starts a group of its own rather than guessing.

Outputs
-------
:func:`events_to_jsonl` (nested, lossless), :func:`events_to_csv` and :func:`events_to_parquet` (flat, one row per
event or per count claim), :func:`to_dataframe` (pandas; needs the ``data`` extra). :func:`score_consolidation`
scores the grouping against gold labels, and :func:`merge_command` is the body of ``pow-extract merge``.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pow_extract.records.schema import (
    ArticleExtraction,
    BreakdownCategory,
    DatePrecision,
    ExchangeKind,
    ExchangeStatus,
    Mention,
    PrisonerExchange,
    Qualifier,
    Span,
)
from pow_extract.text.normalize import normalize_parties

if TYPE_CHECKING:
    from pow_extract.records.gold import GoldArticle, GoldExchange

__all__ = [
    "Conflict",
    "ConflictValue",
    "ConsolidationScore",
    "EventMention",
    "ExchangeEvent",
    "MergeRules",
    "SourcedAge",
    "SourcedBreakdown",
    "SourcedClaim",
    "SourcedOrdinal",
    "SourcedPerson",
    "SourcedTotal",
    "consolidate",
    "events_to_csv",
    "events_to_jsonl",
    "events_to_parquet",
    "score_consolidation",
    "to_dataframe",
]

Level = Literal["event", "claim"]
ConflictField = Literal["count", "ordinal", "date"]

_DATA_EXTRA_HINT = 'install the data extra: pip install "pow-extract[data]"'


# --------------------------------------------------------------------------------------------------------------------
# Public models
# --------------------------------------------------------------------------------------------------------------------


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


class ConsolidationScore(BaseModel):
    """Pairwise precision/recall of "same exchange" decisions against gold ``event_id`` labels."""

    precision: float
    recall: float
    f1: float
    true_positive_pairs: int
    false_positive_pairs: int
    false_negative_pairs: int
    mapped_records: int = Field(description="Predicted records matched to a gold record (the ones scored).")
    unmapped_records: int = Field(description="Predicted records with no matching gold record (ignored).")
    unmapped: list[str] = Field(default_factory=list, description="'article_id#index' of every unmapped record.")
    gold_records: int = 0
    unmatched_gold_records: int = Field(default=0, description="Gold records no predicted record matched.")
    articles_without_gold: list[str] = Field(default_factory=list)
    predicted_events: int = 0
    gold_events: int = 0


# --------------------------------------------------------------------------------------------------------------------
# Grouping
# --------------------------------------------------------------------------------------------------------------------

_PRECISION_RANK: dict[str | None, int] = {"day": 0, "month": 1, "year": 2, None: 3}
_Interval = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class _Record:
    """One extracted exchange with what grouping needs precomputed."""

    position: int
    article_id: str
    exchange_index: int
    source: str | None
    published: dt.date | None
    exchange: PrisonerExchange
    parties: frozenset[str]
    interval: _Interval | None
    precision: DatePrecision | None

    @property
    def key(self) -> tuple[str, int]:
        return self.article_id, self.exchange_index

    @property
    def has_evidence(self) -> bool:
        """Whether anything could tie this record to another: a date, an ordinal or a figure."""
        return self.interval is not None or self.exchange.ordinal is not None or bool(self.exchange.counts)


def _date_interval(date: dt.date | None, precision: str | None) -> _Interval | None:
    if date is None:
        return None
    if precision == "month":
        last = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=1), date.replace(day=last)
    if precision == "year":
        return date.replace(month=1, day=1), date.replace(month=12, day=31)
    return date, date


def _gap_days(a: _Interval, b: _Interval) -> int:
    """Days between two intervals; 0 when they overlap."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def _status_compatible(a: str, b: str, rules: MergeRules) -> bool:
    if a == b:
        return True
    return rules.planned_matches_outcome and "planned" in (a, b)


def _kind_compatible(a: str, b: str) -> bool:
    return a == b or "mixed" in (a, b)


def _parties_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    return a <= b or b <= a


def _ratio(a: int, b: int) -> float:
    if a == b:
        return 1.0
    return min(a, b) / max(a, b)


def _wild_contradiction(a: PrisonerExchange, b: PrisonerExchange, rules: MergeRules) -> bool:
    """True when, for some receiving party both records give figures for, even the closest two are far apart."""
    by_side_a: dict[str, list[int]] = {}
    for claim in a.counts:
        by_side_a.setdefault(claim.returned_to, []).append(claim.number)
    by_side_b: dict[str, list[int]] = {}
    for claim in b.counts:
        by_side_b.setdefault(claim.returned_to, []).append(claim.number)
    for side in by_side_a.keys() & by_side_b.keys():
        best = max(_ratio(x, y) for x in by_side_a[side] for y in by_side_b[side])
        if best < rules.wild_ratio:
            return True
    return False


def _ordinals_compatible(a: PrisonerExchange, b: PrisonerExchange) -> bool:
    if a.ordinal is None or b.ordinal is None or a.ordinal.number == b.ordinal.number:
        return True
    side_a, side_b = a.ordinal.claimant_side, b.ordinal.claimant_side
    return side_a is not None and side_b is not None and side_a != side_b


def _compatible(r: _Record, m: _Record, rules: MergeRules) -> bool:
    """Hard, pairwise constraints between a candidate record and one member of a group."""
    ex, mx = r.exchange, m.exchange
    if not _parties_compatible(r.parties, m.parties):
        return False
    if not _kind_compatible(ex.kind, mx.kind) or not _status_compatible(ex.status, mx.status, rules):
        return False
    if r.interval is not None and m.interval is not None and _gap_days(r.interval, m.interval) > rules.day_tolerance:
        return False
    if not _ordinals_compatible(ex, mx):
        return False
    both_day = r.precision == "day" and m.precision == "day" and r.interval is not None and m.interval is not None
    return both_day or not _wild_contradiction(ex, mx, rules)


def _figures(ex: PrisonerExchange) -> set[tuple[str, int]]:
    return {(c.returned_to, c.number) for c in ex.counts}


@dataclass
class _Group:
    """Records grouped so far, with the group-level values the rules compare against, kept up to date."""

    members: list[_Record]
    parties: frozenset[str]
    interval: _Interval | None
    precision: DatePrecision | None
    figures: set[tuple[str, int]]
    ordinals: set[int]
    mediators: set[str]

    @classmethod
    def start(cls, record: _Record) -> _Group:
        group = cls([], frozenset(), None, None, set(), set(), set())
        group.add(record)
        return group

    def add(self, record: _Record) -> None:
        """Add a record; the group's date is its most precise one (the first to join on a tie)."""
        self.members.append(record)
        if len(record.parties) > len(self.parties):
            self.parties = record.parties
        if record.interval is not None and (
            self.interval is None or _PRECISION_RANK[record.precision] < _PRECISION_RANK[self.precision]
        ):
            self.interval, self.precision = record.interval, record.precision
        self.figures |= _figures(record.exchange)
        if record.exchange.ordinal is not None:
            self.ordinals.add(record.exchange.ordinal.number)
        self.mediators.update(record.exchange.mediators)


def _strong_evidence(r: _Record, group: _Group) -> bool:
    """An equal ordinal or an equal figure for the same receiving party, between the record and the group."""
    ordinal = r.exchange.ordinal
    return (ordinal is not None and ordinal.number in group.ordinals) or bool(_figures(r.exchange) & group.figures)


def _group_accepts(r: _Record, group: _Group, rules: MergeRules) -> bool:
    """Group-level conditions: vague or partial records (or groups) need strong evidence; undated ones a window."""
    vague = r.interval is None or r.precision == "year" or group.interval is None or group.precision == "year"
    partial = r.parties != group.parties
    if (vague or partial) and not _strong_evidence(r, group):
        return False
    if r.interval is None and r.published is not None and group.interval is not None:
        return _gap_days((r.published, r.published), group.interval) <= rules.undated_window_days
    return True


def _match_score(r: _Record, group: _Group) -> tuple[int, int, int, int]:
    """How well a record fits a group it is compatible with (higher is better; compared as a tuple)."""
    ordinal = int(r.exchange.ordinal is not None and r.exchange.ordinal.number in group.ordinals)
    shared = len(_figures(r.exchange) & group.figures)
    gap = -(10**6)
    if r.interval is not None and group.interval is not None:
        gap = -_gap_days(r.interval, group.interval)
    return ordinal, shared, gap, len(set(r.exchange.mediators) & group.mediators)


def _order_key(r: _Record) -> tuple[int, int, str, int, int]:
    return (
        _PRECISION_RANK[r.precision],
        0 if r.exchange.mention == "primary" else 1,
        r.article_id,
        r.exchange_index,
        r.position,
    )


def _collect(extractions: Iterable[ArticleExtraction]) -> list[_Record]:
    records: list[_Record] = []
    seen: set[str] = set()
    for article in extractions:
        if article.article_id in seen:
            raise ValueError(
                f"article {article.article_id!r} appears more than once; keep one extraction per article "
                "(its records would otherwise be counted twice)"
            )
        seen.add(article.article_id)
        for index, exchange in enumerate(article.exchanges):
            precision: DatePrecision | None = exchange.date_precision or ("day" if exchange.date else None)
            records.append(
                _Record(
                    position=len(records),
                    article_id=article.article_id,
                    exchange_index=index,
                    source=article.source,
                    published=article.published,
                    exchange=exchange,
                    parties=frozenset(normalize_parties(exchange.parties)),
                    interval=_date_interval(exchange.date, precision),
                    precision=precision if exchange.date else None,
                )
            )
    return records


def _group_records(records: Sequence[_Record], rules: MergeRules) -> list[list[_Record]]:
    groups: list[_Group] = []
    for record in sorted(records, key=_order_key):
        best: _Group | None = None
        best_score: tuple[int, int, int, int] | None = None
        tied = False
        if record.has_evidence:
            for group in groups:
                # cheap group-level checks first (the group's date is one of its members'), then every member
                if (
                    record.interval is not None
                    and group.interval is not None
                    and _gap_days(record.interval, group.interval) > rules.day_tolerance
                ):
                    continue
                if not _group_accepts(record, group, rules):
                    continue
                if not all(_compatible(record, member, rules) for member in group.members):
                    continue
                score = _match_score(record, group)
                if best_score is None or score > best_score:
                    best, best_score, tied = group, score, False
                elif score == best_score:
                    tied = True
        if best is None or tied:
            groups.append(_Group.start(record))
        else:
            best.add(record)
    return [group.members for group in groups]


def consolidate(extractions: Iterable[ArticleExtraction], *, rules: MergeRules | None = None) -> list[ExchangeEvent]:
    """Group the exchange records of many articles into one :class:`ExchangeEvent` per real exchange.

    Every record (primary reports and secondary mentions alike) ends up in exactly one event; see the module
    docstring for the rules. Events are sorted by date (undated last) and carry deterministic ids.

    Raises:
        ValueError: when the same ``article_id`` occurs twice.
    """
    rules = rules or MergeRules()
    records = _collect(extractions)
    groups = _group_records(records, rules)
    events = [_build_event(group, rules) for group in groups]
    order = sorted(range(len(events)), key=lambda i: _event_sort_key(events[i], groups[i]))
    events = [events[i] for i in order]
    _assign_ids(events)
    return events


# --------------------------------------------------------------------------------------------------------------------
# Building events
# --------------------------------------------------------------------------------------------------------------------


def _claim_interval(number: int, qualifier: str, tolerance: float) -> tuple[float, float]:
    if qualifier == "over":
        return float(number), math.inf
    if qualifier == "almost":
        return number * (1 - tolerance), float(number)
    if qualifier == "about":
        return number * (1 - tolerance), number * (1 + tolerance)
    return float(number), float(number)


def _consistent(a: tuple[int, str], b: tuple[int, str], tolerance: float) -> bool:
    lo_a, hi_a = _claim_interval(a[0], a[1], tolerance)
    lo_b, hi_b = _claim_interval(b[0], b[1], tolerance)
    return lo_a <= hi_b and lo_b <= hi_a


def _describe(value: int | str, qualifier: str) -> str:
    words = {"over": "over ", "almost": "almost ", "about": "about "}
    return f"{words.get(qualifier, '')}{value}"


def _conflict_message(field: str, returned_to: str | None, values: Sequence[ConflictValue]) -> str:
    label = f"returned_to={returned_to}" if returned_to else field
    parts = [
        f"{_describe(v.value, v.qualifier)} ({', '.join(v.claimants) or 'unattributed'}; {', '.join(v.article_ids)})"
        for v in values
    ]
    return f"{label}: {' vs '.join(parts)}"


def _value_groups(
    items: Sequence[tuple[int | str, str, str | None, str | None, str]],
) -> list[ConflictValue]:
    """Collapse (value, qualifier, claimant, claimant_side, article_id) items into one ConflictValue per value."""
    grouped: dict[tuple[int | str, str], ConflictValue] = {}
    for value, qualifier, claimant, side, article_id in items:
        entry = grouped.setdefault((value, qualifier), ConflictValue(value=value, qualifier=qualifier))
        name = claimant or "unattributed"
        if name not in entry.claimants:
            entry.claimants.append(name)
        if side and side not in entry.claimant_sides:
            entry.claimant_sides.append(side)
        if article_id not in entry.article_ids:
            entry.article_ids.append(article_id)
    for entry in grouped.values():
        entry.article_ids.sort()
    return sorted(grouped.values(), key=lambda v: (-len(v.article_ids), str(v.value)))


def _count_consensus(claims: Sequence[SourcedClaim], rules: MergeRules) -> tuple[dict[str, int | None], list[Conflict]]:
    consensus: dict[str, int | None] = {}
    conflicts: list[Conflict] = []
    sides = sorted({c.returned_to for c in claims}, key=lambda s: (s == "both", s))
    for side in sides:
        side_claims = [c for c in claims if c.returned_to == side]
        distinct = sorted({(c.number, c.qualifier) for c in side_claims})
        agree = all(
            _consistent(a, b, rules.approx_tolerance) for i, a in enumerate(distinct) for b in distinct[i + 1 :]
        )
        exact = sorted({number for number, qualifier in distinct if qualifier == "exact"})
        consensus[side] = exact[0] if agree and len(exact) == 1 else None
        if not agree:
            values = _value_groups(
                [(c.number, c.qualifier, c.claimant, c.claimant_side, c.article_id) for c in side_claims]
            )
            conflicts.append(
                Conflict(
                    field="count", returned_to=side, values=values, message=_conflict_message("count", side, values)
                )
            )
    return consensus, conflicts


def _sourced_fields(record: _Record, quote: str, span: Span | None) -> dict[str, Any]:
    return {
        "article_id": record.article_id,
        "source": record.source,
        "published": record.published,
        "exchange_index": record.exchange_index,
        "mention": record.exchange.mention,
        "quote": quote,
        "span": span,
    }


def _pick_date(group: Sequence[_Record]) -> tuple[dt.date | None, DatePrecision | None, Conflict | None]:
    dated = [m for m in group if m.exchange.date is not None]
    if not dated:
        return None, None, None
    rank = min(_PRECISION_RANK[m.precision] for m in dated)
    best = [m for m in dated if _PRECISION_RANK[m.precision] == rank]
    tally: Counter[dt.date] = Counter()
    primary: Counter[dt.date] = Counter()
    for m in best:
        assert m.exchange.date is not None
        tally[m.exchange.date] += 1
        primary[m.exchange.date] += m.exchange.mention == "primary"
    date = min(tally, key=lambda d: (-primary[d], -tally[d], d))
    precision = best[0].precision
    conflict = None
    if len(tally) > 1:
        values = _value_groups(
            [
                (m.exchange.date.isoformat(), "exact", None, None, m.article_id)  # type: ignore[union-attr]
                for m in best
            ]
        )
        conflict = Conflict(field="date", values=values, message=_conflict_message("date", None, values))
    return date, precision, conflict


def _largest_party_set(members: Sequence[_Record]) -> frozenset[str]:
    largest: frozenset[str] = frozenset()
    for member in members:
        if len(member.parties) > len(largest):
            largest = member.parties
    return largest


def _build_event(group: Sequence[_Record], rules: MergeRules) -> ExchangeEvent:
    members = sorted(group, key=lambda m: m.key)
    claims: list[SourcedClaim] = []
    totals: list[SourcedTotal] = []
    breakdown: list[SourcedBreakdown] = []
    ages: list[SourcedAge] = []
    people: list[SourcedPerson] = []
    ordinals: list[SourcedOrdinal] = []
    mentions: list[EventMention] = []
    for m in members:
        ex = m.exchange
        mentions.append(
            EventMention(
                article_id=m.article_id,
                exchange_index=m.exchange_index,
                mention=ex.mention,
                source=m.source,
                published=m.published,
                status=ex.status,
                date=ex.date,
                date_precision=m.precision,
                quote=ex.quote,
            )
        )
        for c in ex.counts:
            claims.append(
                SourcedClaim(
                    returned_to=c.returned_to,
                    number=c.number,
                    qualifier=c.qualifier,
                    claimant=c.claimant,
                    claimant_side=c.claimant_side,
                    **_sourced_fields(m, c.quote, c.span),
                )
            )
        for t in ex.cumulative_totals:
            totals.append(
                SourcedTotal(
                    returned_to=t.returned_to,
                    number=t.number,
                    qualifier=t.qualifier,
                    claimant=t.claimant,
                    claimant_side=t.claimant_side,
                    as_of=t.as_of or m.published,
                    **_sourced_fields(m, t.quote, t.span),
                )
            )
        for b in ex.breakdown:
            breakdown.append(
                SourcedBreakdown(
                    returned_to=b.returned_to,
                    category=b.category,
                    label=b.label,
                    number=b.number,
                    **_sourced_fields(m, b.quote, b.span),
                )
            )
        for a in ex.ages:
            ages.append(
                SourcedAge(returned_to=a.returned_to, bound=a.bound, age=a.age, **_sourced_fields(m, a.quote, a.span))
            )
        for p in ex.released_people:
            people.append(
                SourcedPerson(
                    name=p.name,
                    returned_to=p.returned_to,
                    description=p.description,
                    **_sourced_fields(m, p.quote, p.span),
                )
            )
        if ex.ordinal is not None:
            o = ex.ordinal
            ordinals.append(
                SourcedOrdinal(
                    number=o.number,
                    claimant=o.claimant,
                    claimant_side=o.claimant_side,
                    **_sourced_fields(m, o.quote, o.span),
                )
            )

    consensus, conflicts = _count_consensus(claims, rules)
    ordinal: int | None = None
    distinct_ordinals = {o.number for o in ordinals}
    if len(distinct_ordinals) == 1:
        ordinal = distinct_ordinals.pop()
    elif distinct_ordinals:
        values = _value_groups([(o.number, "exact", o.claimant, o.claimant_side, o.article_id) for o in ordinals])
        conflicts.append(Conflict(field="ordinal", values=values, message=_conflict_message("ordinal", None, values)))
    date, precision, date_conflict = _pick_date(members)
    if date_conflict is not None:
        conflicts.append(date_conflict)

    kinds = {m.exchange.kind for m in members}
    statuses = {m.exchange.status for m in members}
    status: ExchangeStatus = (
        "completed"
        if "completed" in statuses
        else "postponed_or_cancelled"
        if "postponed_or_cancelled" in statuses
        else "planned"
    )
    mediators = sorted({name for m in members for name in normalize_parties(m.exchange.mediators)})
    return ExchangeEvent(
        event_id="",
        parties=sorted(_largest_party_set(members)),
        mediators=mediators,
        kind=kinds.pop() if len(kinds) == 1 else "mixed",
        status=status,
        date=date,
        date_precision=precision,
        ordinal=ordinal,
        ordinals=ordinals,
        claims=claims,
        breakdown=breakdown,
        ages=ages,
        released_people=people,
        cumulative_totals=totals,
        consensus=consensus,
        conflicts=conflicts,
        sources=sorted({m.article_id for m in members}),
        mentions=mentions,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _base_id(event: ExchangeEvent) -> str:
    parties = "-".join(_slug(p) for p in event.parties) or "unknown-parties"
    if event.date is None:
        when = "undated"
    elif event.date_precision == "year":
        when = f"{event.date.year:04d}"
    elif event.date_precision == "month":
        when = f"{event.date.year:04d}-{event.date.month:02d}"
    else:
        when = event.date.isoformat()
    return f"{parties}-{when}-{event.kind}"


def _event_sort_key(event: ExchangeEvent, group: Sequence[_Record]) -> tuple[bool, dt.date, str, str, tuple[str, int]]:
    first = min(m.key for m in group)
    return event.date is None, event.date or dt.date.max, _base_id(event), event.status, first


def _assign_ids(events: Sequence[ExchangeEvent]) -> None:
    used: Counter[str] = Counter()
    for event in events:
        base = _base_id(event)
        used[base] += 1
        event.event_id = base if used[base] == 1 else f"{base}-{used[base]}"


# --------------------------------------------------------------------------------------------------------------------
# Flat rows and exports
# --------------------------------------------------------------------------------------------------------------------

_EVENT_COLUMNS = [
    "event_id",
    "date",
    "date_precision",
    "parties",
    "mediators",
    "kind",
    "status",
    "ordinal",
]
_EVENT_TAIL = [
    "claims",
    "has_conflict",
    "conflicts",
    "n_claims",
    "n_sources",
    "sources",
    "n_mentions",
    "n_primary_mentions",
    "n_secondary_mentions",
]
_CLAIM_COLUMNS = [
    "event_id",
    "event_date",
    "event_date_precision",
    "parties",
    "kind",
    "status",
    "returned_to",
    "number",
    "qualifier",
    "claimant",
    "claimant_side",
    "consensus",
    "in_conflict",
    "article_id",
    "source",
    "published",
    "mention",
    "exchange_index",
    "quote",
    "span_start",
    "span_end",
    "span_match",
]


def _join(values: Iterable[str]) -> str:
    return "; ".join(values)


def _claims_summary(event: ExchangeEvent) -> str:
    parts: list[str] = []
    for side in event.consensus:
        values = _value_groups(
            [
                (c.number, c.qualifier, c.claimant, c.claimant_side, c.article_id)
                for c in event.claims
                if c.returned_to == side
            ]
        )
        shown = " / ".join(
            f"{_describe(v.value, v.qualifier)} ({', '.join(v.claimants)}; {', '.join(v.article_ids)})" for v in values
        )
        parts.append(f"{side}: {shown}")
    return _join(parts)


def _sides(events: Sequence[ExchangeEvent]) -> list[str]:
    return sorted({side for e in events for side in e.consensus}, key=lambda s: (s == "both", s))


def _event_columns(events: Sequence[ExchangeEvent]) -> list[str]:
    return [*_EVENT_COLUMNS, *(f"consensus_{side}" for side in _sides(events)), *_EVENT_TAIL]


def _rows(events: Sequence[ExchangeEvent], level: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Flat rows (python values) and their column order, for CSV, pandas and Parquet alike."""
    if level == "event":
        columns = _event_columns(events)
        rows: list[dict[str, Any]] = []
        for e in events:
            row: dict[str, Any] = {
                "event_id": e.event_id,
                "date": e.date,
                "date_precision": e.date_precision,
                "parties": _join(e.parties),
                "mediators": _join(e.mediators),
                "kind": e.kind,
                "status": e.status,
                "ordinal": e.ordinal,
            }
            for side in _sides(events):
                row[f"consensus_{side}"] = e.consensus.get(side)
            row.update(
                {
                    "claims": _claims_summary(e),
                    "has_conflict": bool(e.conflicts),
                    "conflicts": " | ".join(c.message for c in e.conflicts),
                    "n_claims": len(e.claims),
                    "n_sources": len(e.sources),
                    "sources": _join(e.sources),
                    "n_mentions": len(e.mentions),
                    "n_primary_mentions": sum(m.mention == "primary" for m in e.mentions),
                    "n_secondary_mentions": sum(m.mention == "secondary" for m in e.mentions),
                }
            )
            rows.append(row)
        return columns, rows
    if level == "claim":
        rows = []
        for e in events:
            disputed = {c.returned_to for c in e.conflicts if c.field == "count"}
            for c in e.claims:
                rows.append(
                    {
                        "event_id": e.event_id,
                        "event_date": e.date,
                        "event_date_precision": e.date_precision,
                        "parties": _join(e.parties),
                        "kind": e.kind,
                        "status": e.status,
                        "returned_to": c.returned_to,
                        "number": c.number,
                        "qualifier": c.qualifier,
                        "claimant": c.claimant,
                        "claimant_side": c.claimant_side,
                        "consensus": e.consensus.get(c.returned_to),
                        "in_conflict": c.returned_to in disputed,
                        "article_id": c.article_id,
                        "source": c.source,
                        "published": c.published,
                        "mention": c.mention,
                        "exchange_index": c.exchange_index,
                        "quote": c.quote,
                        "span_start": c.span.start if c.span else None,
                        "span_end": c.span.end if c.span else None,
                        "span_match": c.span.match if c.span else None,
                    }
                )
        return list(_CLAIM_COLUMNS), rows
    raise ValueError(f"level must be 'event' or 'claim', not {level!r}")


def events_to_jsonl(events: Iterable[ExchangeEvent], path: str | Path) -> int:
    """Write one nested JSON event per line (lossless; reload with ``ExchangeEvent.model_validate_json``).

    Returns the number of lines written.
    """
    count = 0
    with Path(path).open("w", encoding="utf-8") as handle:
        for event in events:
            handle.write(event.model_dump_json() + "\n")
            count += 1
    return count


def events_to_csv(events: Iterable[ExchangeEvent], path: str | Path, *, level: Level = "event") -> int:
    """Write a flat CSV: one row per event (``level="event"``) or one per count claim (``level="claim"``).

    Event rows carry a ``consensus_<party>`` column per receiving party seen in any event; list values are joined
    with ``"; "``. Events without count claims have no claim rows. Needs no pandas. Returns the number of rows.
    """
    columns, rows = _rows(list(events), level)
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: ("" if v is None else v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
            )
    return len(rows)


def to_dataframe(events: Iterable[ExchangeEvent], level: Level = "event") -> Any:
    """Return a ``pandas.DataFrame`` with the same rows and columns as :func:`events_to_csv`.

    Integer columns that may be missing use pandas' nullable ``Int64``. Requires pandas (the ``data`` extra).
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(f"to_dataframe needs pandas; {_DATA_EXTRA_HINT}") from exc
    event_list = list(events)
    columns, rows = _rows(event_list, level)
    frame = pd.DataFrame.from_records(rows, columns=columns)
    if level == "event":
        nullable = ["ordinal", *(f"consensus_{side}" for side in _sides(event_list))]
    else:
        nullable = ["consensus", "span_start", "span_end"]
    for column in nullable:
        frame[column] = frame[column].astype("Int64")
    return frame


def events_to_parquet(events: Iterable[ExchangeEvent], path: str | Path, *, level: Level = "event") -> int:
    """Write the rows of :func:`to_dataframe` to a Parquet file. Requires pandas and pyarrow (the ``data`` extra).

    Returns the number of rows written.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(f"events_to_parquet needs pyarrow; {_DATA_EXTRA_HINT}") from exc
    frame = to_dataframe(events, level)
    frame.to_parquet(Path(path), index=False, engine="pyarrow")
    return len(frame)


# --------------------------------------------------------------------------------------------------------------------
# Scoring against gold
# --------------------------------------------------------------------------------------------------------------------


def _gold_similarity(record: _Record, gold: GoldExchange, rules: MergeRules) -> float | None:
    """How well a predicted record matches a gold record of the same article; None when they cannot match."""
    ex = record.exchange
    if not _status_compatible(ex.status, gold.status, rules) or not _kind_compatible(ex.kind, gold.kind):
        return None
    gold_interval = _date_interval(gold.date, gold.date_precision or "day")
    evidence = False
    score = 0.0
    if record.interval is not None and gold_interval is not None:
        gap = _gap_days(record.interval, gold_interval)
        if gap > rules.day_tolerance:
            return None
        evidence = True
        score += 2.0 + (gap == 0 and record.precision == (gold.date_precision or "day"))
    shared = {(c.returned_to, c.number) for c in ex.counts} & {(c.returned_to, c.number) for c in gold.counts}
    if shared:
        evidence = True
        score += 2.0 * len(shared)
    if ex.ordinal is not None and gold.ordinal is not None:
        if ex.ordinal.number == gold.ordinal.number:
            evidence = True
            score += 2.0
        else:
            score -= 1.0
    if not evidence:
        return None
    score += 1.0 * (ex.status == gold.status) + 0.5 * (ex.mention == gold.mention)
    score += 0.5 * (record.parties == frozenset(gold.parties))
    return score


def _map_article(records: Sequence[_Record], golds: Sequence[GoldExchange], rules: MergeRules) -> dict[int, int]:
    """Map predicted record positions to gold indexes within one article (maximum-similarity assignment)."""
    if not records or not golds:
        return {}
    from scipy.optimize import linear_sum_assignment

    forbidden = 1e6
    cost = [[forbidden] * len(golds) for _ in records]
    for i, record in enumerate(records):
        for j, gold in enumerate(golds):
            sim = _gold_similarity(record, gold, rules)
            if sim is not None:
                cost[i][j] = -sim
    rows, cols = linear_sum_assignment(cost)
    pairs = [(int(i), int(j)) for i, j in zip(rows, cols, strict=True)]
    return {records[i].position: j for i, j in pairs if cost[i][j] < forbidden}


def _pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def score_consolidation(
    extractions: Iterable[ArticleExtraction],
    gold_articles: Iterable[GoldArticle],
    *,
    rules: MergeRules | None = None,
) -> ConsolidationScore:
    """Pairwise precision, recall and F1 of :func:`consolidate`'s "same exchange" decisions against gold labels.

    Each predicted record is first mapped to at most one gold record **of the same article**: a similarity rewards
    a compatible date (given both precisions and ``day_tolerance``), equal figures for the same receiving party, an
    equal ordinal, equal status, mention and parties; pairs with incompatible status (completed vs
    postponed_or_cancelled), kind or date, or with no shared evidence at all (no date on both sides, no equal figure,
    no equal ordinal), never match. ``scipy.optimize.linear_sum_assignment`` picks the best one-to-one mapping.

    Then, over every pair of mapped records (across all articles, within one article too), "grouped together by
    consolidate()" is compared with "same gold ``event_id``". Unmapped predicted records are left out of the pairs
    but counted and listed. With no predicted (or gold) positive pair, precision (or recall) is 1.0.
    """
    rules = rules or MergeRules()
    extraction_list = list(extractions)
    gold_by_id = {g.article_id: g for g in gold_articles}
    events = consolidate(extraction_list, rules=rules)
    event_of: dict[tuple[str, int], str] = {
        (m.article_id, m.exchange_index): e.event_id for e in events for m in e.mentions
    }
    records = _collect(extraction_list)
    by_article: dict[str, list[_Record]] = {}
    for record in records:
        by_article.setdefault(record.article_id, []).append(record)

    labelled: list[tuple[str, str]] = []  # (predicted event id, gold event id)
    unmapped: list[str] = []
    articles_without_gold: list[str] = []
    gold_records = 0
    matched_gold = 0
    for article in extraction_list:
        article_records = by_article.get(article.article_id, [])
        gold = gold_by_id.get(article.article_id)
        if gold is None:
            articles_without_gold.append(article.article_id)
            unmapped.extend(f"{r.article_id}#{r.exchange_index}" for r in article_records)
            continue
        gold_records += len(gold.exchanges)
        mapping = _map_article(article_records, gold.exchanges, rules)
        matched_gold += len(mapping)
        for r in article_records:
            if r.position in mapping:
                labelled.append((event_of[r.key], gold.exchanges[mapping[r.position]].event_id))
            else:
                unmapped.append(f"{r.article_id}#{r.exchange_index}")

    both = Counter(labelled)
    predicted = Counter(p for p, _ in labelled)
    actual = Counter(g for _, g in labelled)
    tp = _pairs(both.values())
    fp = _pairs(predicted.values()) - tp
    fn = _pairs(actual.values()) - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ConsolidationScore(
        precision=precision,
        recall=recall,
        f1=f1,
        true_positive_pairs=tp,
        false_positive_pairs=fp,
        false_negative_pairs=fn,
        mapped_records=len(labelled),
        unmapped_records=len(unmapped),
        unmapped=unmapped,
        gold_records=gold_records,
        unmatched_gold_records=gold_records - matched_gold,
        articles_without_gold=articles_without_gold,
        predicted_events=len(events),
        gold_events=len({x.event_id for g in gold_by_id.values() for x in g.exchanges}),
    )
