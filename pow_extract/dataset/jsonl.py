"""Reading extraction JSONL files: the one reader behind ``merge``, ``render`` and ``consolidate``."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from pow_extract.records.schema import ArticleExtraction

log = logging.getLogger(__name__)


def read_extractions(paths: Iterable[str | Path]) -> list[ArticleExtraction]:
    """Read :class:`ArticleExtraction` records from JSONL files (one JSON object per line).

    Blank lines and batch error lines (objects with an ``"error"`` key, written for articles that failed) are
    skipped; so is a broken *last* line, which a killed run can leave (logged as a warning).

    Raises:
        ValueError: naming the file (and line) when a file is missing or unreadable, or a line other than the last
            is not a valid extraction.
    """
    records: list[ArticleExtraction] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise ValueError(f"{path}: no such file")
        try:
            content = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"{path}: cannot read file: {error}") from error
        # split on "\n" only: str.splitlines() would also split at U+2028, U+0085 ... inside JSON strings
        lines = content.split("\n")
        last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                if number - 1 == last:
                    log.warning("%s:%d: skipped a broken last line (an interrupted run?)", path, number)
                    continue
                raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from error
            if isinstance(data, dict) and "error" in data:
                continue
            try:
                records.append(ArticleExtraction.model_validate(data))
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                detail = f"{where}: {first['msg']}" if where else first["msg"]
                raise ValueError(
                    f"{path}:{number}: not a valid ArticleExtraction record ({error.error_count()} error(s); {detail})"
                ) from error
    return records
