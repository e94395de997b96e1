"""Which extracted records describe the same real exchange.

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
  ``MergeRules.undated_window_days`` of its article's publication (when that is known). A planned exchange dated
  by the report (precision ``report``) counts as undated here: that is the day it was announced, not its own.
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
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pow_extract.dataset.events import MergeRules
from pow_extract.records.schema import ArticleExtraction, DatePrecision, PrisonerExchange
from pow_extract.text.normalize import normalize_parties

__all__ = [
    "PRECISION_RANK",
    "Interval",
    "Record",
    "collect_records",
    "date_interval",
    "gap_days",
    "group_records",
    "kind_compatible",
    "status_compatible",
]


PRECISION_RANK: dict[str | None, int] = {"day": 0, "report": 1, "month": 1, "year": 2, None: 3}
#: A ``report`` date (the publication date of an article that gives no date of its own) covers the week before it.
REPORT_WINDOW_DAYS = 7


Interval = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Record:
    """One extracted exchange with what grouping needs precomputed."""

    position: int
    article_id: str
    exchange_index: int
    source: str | None
    published: dt.date | None
    exchange: PrisonerExchange
    parties: frozenset[str]
    interval: Interval | None
    precision: DatePrecision | None

    @property
    def key(self) -> tuple[str, int]:
        return self.article_id, self.exchange_index

    @property
    def has_evidence(self) -> bool:
        """Whether anything could tie this record to another: a date, an ordinal or a figure."""
        return self.interval is not None or self.exchange.ordinal is not None or bool(self.exchange.counts)


def date_interval(date: dt.date | None, precision: str | None) -> Interval | None:
    if date is None:
        return None
    if precision == "month":
        last = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=1), date.replace(day=last)
    if precision == "report":
        return date - dt.timedelta(days=REPORT_WINDOW_DAYS), date
    if precision == "year":
        return date.replace(month=1, day=1), date.replace(month=12, day=31)
    return date, date


def gap_days(a: Interval, b: Interval) -> int:
    """Days between two intervals; 0 when they overlap."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def status_compatible(a: str, b: str, rules: MergeRules) -> bool:
    if a == b:
        return True
    return rules.planned_matches_outcome and "planned" in (a, b)


def kind_compatible(a: str, b: str) -> bool:
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


def _compatible(r: Record, m: Record, rules: MergeRules) -> bool:
    """Hard, pairwise constraints between a candidate record and one member of a group."""
    ex, mx = r.exchange, m.exchange
    if not _parties_compatible(r.parties, m.parties):
        return False
    if not kind_compatible(ex.kind, mx.kind) or not status_compatible(ex.status, mx.status, rules):
        return False
    if r.interval is not None and m.interval is not None and gap_days(r.interval, m.interval) > rules.day_tolerance:
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

    members: list[Record]
    parties: frozenset[str]
    interval: Interval | None
    precision: DatePrecision | None
    figures: set[tuple[str, int]]
    ordinals: set[int]
    mediators: set[str]

    @classmethod
    def start(cls, record: Record) -> _Group:
        group = cls([], frozenset(), None, None, set(), set(), set())
        group.add(record)
        return group

    def add(self, record: Record) -> None:
        """Add a record; the group's date is its most precise one (the first to join on a tie)."""
        self.members.append(record)
        if len(record.parties) > len(self.parties):
            self.parties = record.parties
        if record.interval is not None and (
            self.interval is None or PRECISION_RANK[record.precision] < PRECISION_RANK[self.precision]
        ):
            self.interval, self.precision = record.interval, record.precision
        self.figures |= _figures(record.exchange)
        if record.exchange.ordinal is not None:
            self.ordinals.add(record.exchange.ordinal.number)
        self.mediators.update(record.exchange.mediators)


def _strong_evidence(r: Record, group: _Group) -> bool:
    """An equal ordinal or an equal figure for the same receiving party, between the record and the group."""
    ordinal = r.exchange.ordinal
    return (ordinal is not None and ordinal.number in group.ordinals) or bool(_figures(r.exchange) & group.figures)


def _group_accepts(r: Record, group: _Group, rules: MergeRules) -> bool:
    """Group-level conditions: vague or partial records (or groups) need strong evidence; undated ones a window."""
    vague = r.interval is None or r.precision == "year" or group.interval is None or group.precision == "year"
    partial = r.parties != group.parties
    if (vague or partial) and not _strong_evidence(r, group):
        return False
    if r.interval is None and r.published is not None and group.interval is not None:
        return gap_days((r.published, r.published), group.interval) <= rules.undated_window_days
    return True


def _match_score(r: Record, group: _Group) -> tuple[int, int, int, int]:
    """How well a record fits a group it is compatible with (higher is better; compared as a tuple)."""
    ordinal = int(r.exchange.ordinal is not None and r.exchange.ordinal.number in group.ordinals)
    shared = len(_figures(r.exchange) & group.figures)
    gap = -(10**6)
    if r.interval is not None and group.interval is not None:
        gap = -gap_days(r.interval, group.interval)
    return ordinal, shared, gap, len(set(r.exchange.mediators) & group.mediators)


def _order_key(r: Record) -> tuple[int, int, str, int, int]:
    return (
        PRECISION_RANK[r.precision],
        0 if r.exchange.mention == "primary" else 1,
        r.article_id,
        r.exchange_index,
        r.position,
    )


def collect_records(extractions: Iterable[ArticleExtraction]) -> list[Record]:
    records: list[Record] = []
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
            # a planned exchange dated by the report: the day it was announced, not the day it will happen
            when = None if exchange.status == "planned" and precision == "report" else exchange.date
            records.append(
                Record(
                    position=len(records),
                    article_id=article.article_id,
                    exchange_index=index,
                    source=article.source,
                    published=article.published,
                    exchange=exchange,
                    parties=frozenset(normalize_parties(exchange.parties)),
                    interval=date_interval(when, precision),
                    precision=precision if exchange.date else None,
                )
            )
    return records


def group_records(records: Sequence[Record], rules: MergeRules) -> list[list[Record]]:
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
                    and gap_days(record.interval, group.interval) > rules.day_tolerance
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
