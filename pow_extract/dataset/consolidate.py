"""From articles to a dataset: consolidate per-article exchange records into one row per real exchange.

Several outlets report the same prisoner exchange, often with figures that disagree ("Ukraine says 207 came home";
"Russia's Defence Ministry says 195 for 195"). :func:`consolidate` groups every extracted
:class:`~pow_extract.records.schema.PrisonerExchange` (primary reports *and* secondary mentions such as "on 3 January,
230 came home") into :class:`ExchangeEvent` objects that keep every claim with its claimant, quote and article, state
the figures all sources agree on (``consensus``) and flag those they do not (``conflicts``).

How records are grouped is :mod:`pow_extract.dataset.grouping`; how a group becomes an event (consensus and
conflicts) :mod:`pow_extract.dataset.consensus`; event ids :mod:`pow_extract.dataset.ids`; writing events out
:mod:`pow_extract.dataset.export` (:func:`events_to_jsonl`, nested and lossless; :func:`events_to_csv` and
:func:`events_to_parquet`, flat, one row per event or per count claim; :func:`to_dataframe`, pandas, the ``data``
extra). Scoring the grouping against gold is :func:`pow_extract.evaluation.consolidation.score_consolidation`.
"""

from __future__ import annotations

from collections.abc import Iterable

from pow_extract.dataset.consensus import build_event
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
from pow_extract.dataset.export import events_to_csv, events_to_jsonl, events_to_parquet, to_dataframe
from pow_extract.dataset.grouping import collect_records, group_records
from pow_extract.dataset.ids import assign_ids, event_sort_key
from pow_extract.records.schema import ArticleExtraction

__all__ = [
    "Conflict",
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
    "consolidate",
    "events_to_csv",
    "events_to_jsonl",
    "events_to_parquet",
    "to_dataframe",
]


def consolidate(extractions: Iterable[ArticleExtraction], *, rules: MergeRules | None = None) -> list[ExchangeEvent]:
    """Group the exchange records of many articles into one :class:`ExchangeEvent` per real exchange.

    Every record (primary reports and secondary mentions alike) ends up in exactly one event; see
    :mod:`pow_extract.dataset.grouping` for the rules. Events are sorted by date (undated last) and carry
    deterministic ids.

    Raises:
        ValueError: when the same ``article_id`` occurs twice.
    """
    rules = rules or MergeRules()
    records = collect_records(extractions)
    groups = group_records(records, rules)
    events = [build_event(group, rules) for group in groups]
    order = sorted(range(len(events)), key=lambda i: event_sort_key(events[i], groups[i]))
    events = [events[i] for i in order]
    assign_ids(events)
    return events
