"""Deterministic event ids ("russia-ukraine-2024-01-31-prisoners", then "-2", "-3"...) and the order of events
(by date, undated last)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence

from pow_extract.dataset.events import ExchangeEvent
from pow_extract.dataset.grouping import Record

__all__ = ["assign_ids", "event_sort_key"]


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


def event_sort_key(event: ExchangeEvent, group: Sequence[Record]) -> tuple[bool, dt.date, str, str, tuple[str, int]]:
    first = min(m.key for m in group)
    return event.date is None, event.date or dt.date.max, _base_id(event), event.status, first


def assign_ids(events: Sequence[ExchangeEvent]) -> None:
    used: Counter[str] = Counter()
    for event in events:
        base = _base_id(event)
        used[base] += 1
        event.event_id = base if used[base] == 1 else f"{base}-{used[base]}"
