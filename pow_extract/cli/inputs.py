"""Command-line inputs: files, directories, globs and JSONL files of articles, as batch inputs (shared by
``extract`` and ``batch submit``)."""

from __future__ import annotations

import datetime as dt
import glob
import os
from collections.abc import Sequence
from pathlib import Path

from pow_extract.dataset.batch import ArticleInput, read_jsonl_articles

__all__ = ["ARTICLE_SUFFIXES", "collect_inputs"]

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md")


def _walk(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)


def collect_inputs(specs: Sequence[str], *, published: dt.date | None = None) -> list[ArticleInput]:
    """Turn command-line inputs into batch inputs.

    A directory is walked for ``*.txt``, ``*.html``, ``*.htm`` and ``*.md``; a glob (``*``, ``?``, ``[``,
    ``**``) is expanded; a ``.jsonl`` file contributes one article per line (``{"id", "text", "published"?,
    "source"?}``); any other path is one article file (a missing one becomes that article's error record). The
    same file named twice is read once.

    Raises:
        ValueError: a glob or directory matches no article file.
    """
    paths: list[Path] = []
    for spec in specs:
        path = Path(spec).expanduser()
        if path.is_dir():
            found = _walk(path)
            if not found:
                raise ValueError(f"no {'/'.join('*' + s for s in ARTICLE_SUFFIXES)} files in directory {spec}")
            paths.extend(found)
        elif path.exists() or not glob.has_magic(spec):
            paths.append(path)
        else:
            matches = sorted(glob.glob(os.path.expanduser(spec), recursive=True))
            expanded: list[Path] = []
            for match in matches:
                m = Path(match)
                expanded.extend(_walk(m) if m.is_dir() else [m] if m.is_file() else [])
            if not expanded:
                raise ValueError(f"no file matches {spec!r}")
            paths.extend(expanded)
    seen: set[Path] = set()
    inputs: list[ArticleInput] = []
    for path in paths:
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        if path.suffix.lower() == ".jsonl" and path.is_file():
            inputs.extend(read_jsonl_articles(path, published=published))
        else:
            inputs.append(path)
    return inputs
