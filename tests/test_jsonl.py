"""Reading extraction JSONL: batch error lines and a killed run's broken last line are skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from pow_extract.dataset.jsonl import read_extractions
from pow_extract.records.schema import ArticleExtraction


def test_error_lines_and_a_broken_last_line_are_skipped(tmp_path: Path) -> None:
    good = ArticleExtraction(article_id="a", text="x").model_dump_json()
    path = tmp_path / "out.jsonl"
    path.write_text(
        good + '\n{"article_id": "b", "error": {"type": "ArticleError", "message": "empty"}}\n{"artic', encoding="utf-8"
    )
    assert [r.article_id for r in read_extractions([path])] == ["a"]


def test_a_broken_line_in_the_middle_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    good = ArticleExtraction(article_id="a", text="x").model_dump_json()
    path = tmp_path / "out.jsonl"
    path.write_text(f"{good}\n{{broken\n{good}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"out\.jsonl:2: not JSON"):
        read_extractions([path])
