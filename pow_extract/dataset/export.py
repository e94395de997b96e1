"""Writing events out: nested JSONL (lossless), flat CSV and Parquet rows (one per event or per count claim), and
pandas data frames (the ``data`` extra)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pow_extract.dataset.consensus import describe, value_groups
from pow_extract.dataset.events import ExchangeEvent

__all__ = ["Level", "events_to_csv", "events_to_jsonl", "events_to_parquet", "to_dataframe"]


Level = Literal["event", "claim"]


_DATA_EXTRA_HINT = 'install the data extra: pip install "pow-extract[data]"'


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
        values = value_groups(
            [
                (c.number, c.qualifier, c.claimant, c.claimant_side, c.article_id)
                for c in event.claims
                if c.returned_to == side
            ]
        )
        shown = " / ".join(
            f"{describe(v.value, v.qualifier)} ({', '.join(v.claimants)}; {', '.join(v.article_ids)})" for v in values
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
