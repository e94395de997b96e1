"""One event from a group of records: every claim with its source, the figures all sources agree on
(``consensus``) and those they do not (``conflicts``), the best date, the parties and mediators."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from pow_extract.dataset.events import (
    Conflict,
    ConflictValue,
    EventMention,
    ExchangeEvent,
    MergeRules,
    SourcedAge,
    SourcedBreakdown,
    SourcedClaim,
    SourcedOrdinal,
    SourcedPerson,
    SourcedTotal,
)
from pow_extract.dataset.grouping import PRECISION_RANK, Record
from pow_extract.records.schema import DatePrecision, ExchangeStatus, Span
from pow_extract.text.normalize import normalize_parties

__all__ = ["build_event", "describe", "value_groups"]


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


def describe(value: int | str, qualifier: str) -> str:
    words = {"over": "over ", "almost": "almost ", "about": "about "}
    return f"{words.get(qualifier, '')}{value}"


def _conflict_message(field: str, returned_to: str | None, values: Sequence[ConflictValue]) -> str:
    label = f"returned_to={returned_to}" if returned_to else field
    parts = [
        f"{describe(v.value, v.qualifier)} ({', '.join(v.claimants) or 'unattributed'}; {', '.join(v.article_ids)})"
        for v in values
    ]
    return f"{label}: {' vs '.join(parts)}"


def value_groups(
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
            values = value_groups(
                [(c.number, c.qualifier, c.claimant, c.claimant_side, c.article_id) for c in side_claims]
            )
            conflicts.append(
                Conflict(
                    field="count", returned_to=side, values=values, message=_conflict_message("count", side, values)
                )
            )
    return consensus, conflicts


def _sourced_fields(record: Record, quote: str, span: Span | None) -> dict[str, Any]:
    return {
        "article_id": record.article_id,
        "source": record.source,
        "published": record.published,
        "exchange_index": record.exchange_index,
        "mention": record.exchange.mention,
        "quote": quote,
        "span": span,
    }


def _pick_date(group: Sequence[Record]) -> tuple[dt.date | None, DatePrecision | None, Conflict | None]:
    dated = [m for m in group if m.exchange.date is not None]
    if not dated:
        return None, None, None
    rank = min(PRECISION_RANK[m.precision] for m in dated)
    best = [m for m in dated if PRECISION_RANK[m.precision] == rank]
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
        values = value_groups(
            [
                (m.exchange.date.isoformat(), "exact", None, None, m.article_id)  # type: ignore[union-attr]
                for m in best
            ]
        )
        conflict = Conflict(field="date", values=values, message=_conflict_message("date", None, values))
    return date, precision, conflict


def _largest_party_set(members: Sequence[Record]) -> frozenset[str]:
    largest: frozenset[str] = frozenset()
    for member in members:
        if len(member.parties) > len(largest):
            largest = member.parties
    return largest


def build_event(group: Sequence[Record], rules: MergeRules) -> ExchangeEvent:
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
        values = value_groups([(o.number, "exact", o.claimant, o.claimant_side, o.article_id) for o in ordinals])
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
