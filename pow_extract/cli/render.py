"""``pow-extract render``: read extraction JSONL files and write one HTML review page."""

from __future__ import annotations

from pathlib import Path

from pow_extract.dataset.jsonl import read_extractions
from pow_extract.review.page import DEFAULT_TITLE, render

__all__ = ["render_command"]


def render_command(inputs: list[Path], output: Path) -> int:
    """CLI entry: read ArticleExtraction JSONL files and write one HTML review page to ``output``.

    Returns 0 on success. Raises :class:`ValueError` with a readable message when no input is given or an input
    file is missing or invalid.
    """
    if not inputs:
        raise ValueError("no input files given: pass one or more ArticleExtraction JSONL files")
    articles = read_extractions(inputs)
    title = f"{DEFAULT_TITLE}: {inputs[0].name}" if len(inputs) == 1 else DEFAULT_TITLE
    render(articles, output, title=title)
    return 0
