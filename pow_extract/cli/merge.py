"""``pow-extract merge``: read extraction JSONL files, consolidate them, write the dataset by the output's suffix."""

from __future__ import annotations

from pathlib import Path

from pow_extract.dataset.consolidate import consolidate
from pow_extract.dataset.export import Level, events_to_csv, events_to_jsonl, events_to_parquet
from pow_extract.dataset.jsonl import read_extractions

__all__ = ["OUTPUT_SUFFIXES", "merge_command"]

OUTPUT_SUFFIXES = (".csv", ".jsonl", ".parquet")


def merge_command(inputs: list[Path], output: Path, level: str = "event") -> int:
    """Body of ``pow-extract merge``: read extraction JSONL files, consolidate, write by the output's suffix.

    ``.csv`` and ``.parquet`` write flat rows (``level`` "event" or "claim"); ``.jsonl`` writes one nested event per
    line. Prints a one-line summary and returns 0.

    Raises:
        ValueError: unknown suffix or level, no inputs, an unreadable input line, or a duplicated article id; the
            message is fit to print as is.
    """
    suffix = output.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise ValueError(
            f"cannot write {output.name!r}: unknown output format {suffix or '(no suffix)'!r}; "
            f"use one of {', '.join(OUTPUT_SUFFIXES)}"
        )
    if level not in ("event", "claim"):
        raise ValueError(f"--level must be 'event' or 'claim', not {level!r}")
    if suffix == ".jsonl" and level != "event":
        raise ValueError("--level claim applies to .csv and .parquet; .jsonl writes one nested event per line")
    if not inputs:
        raise ValueError("no input files given")
    for path in inputs:
        if not path.is_file():
            raise ValueError(f"input file not found: {path}")
    articles = read_extractions(inputs)
    events = consolidate(articles)
    typed_level: Level = "claim" if level == "claim" else "event"
    if suffix == ".csv":
        rows = events_to_csv(events, output, level=typed_level)
    elif suffix == ".parquet":
        rows = events_to_parquet(events, output, level=typed_level)
    else:
        rows = events_to_jsonl(events, output)
    records = sum(len(a.exchanges) for a in articles)
    conflicted = sum(1 for e in events if e.conflicts)
    unit = "claim rows" if typed_level == "claim" else "rows"
    print(
        f"{records} exchange records from {len(articles)} articles -> {len(events)} exchanges "
        f"({conflicted} with conflicting claims); wrote {rows} {unit} to {output}"
    )
    return 0
