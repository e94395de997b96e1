"""``pow-extract extract --engine ray``: the same extraction on a Ray cluster (or a local Ray instance).

The inputs are gathered as for the default engine; article rows go to :func:`~pow_extract.dataset.distributed.
extract_dataset` (files are read by the actors); the rows come back as the same output as ``extract``:

* ``-o out.jsonl``: one file with the same lines as the default engine (records and error lines, ``index`` = input
  position), written on the driver as rows arrive, so ``merge``, ``render`` and ``--resume`` work unchanged;
* ``-o out.parquet`` / ``-o out.json``: a directory written by Ray's own Parquet / JSON writer, one row per article
  (:data:`~pow_extract.dataset.distributed.ARTICLE_COLUMNS`).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pow_extract.dataset.batch import (
    ArticleInput,
    BatchError,
    BatchRecord,
    ErrorInfo,
    UnreadableInput,
    read_batch,
)
from pow_extract.reading.article import Article
from pow_extract.reading.extraction import ExtractionSettings
from pow_extract.records.schema import Usage

__all__ = ["RAY_SUFFIXES", "RayRun", "run_on_ray"]

#: Output suffixes of the Ray engine: one JSONL file, or a directory written by Ray's Parquet/JSON writer.
RAY_SUFFIXES = (".jsonl", ".parquet", ".json")


@dataclass
class RayRun:
    """What a Ray run did (the CLI prints it)."""

    articles: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    cached: int = 0
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0
    aborted: bool = False
    output: Path | None = None

    @property
    def exit_code(self) -> int:
        """0 every article done, 1 some failed, 2 none succeeded (as ``extract``); 3 the endpoint was unusable."""
        if self.aborted and self.ok == 0:
            return 3
        if self.failed == 0:
            return 0
        return 2 if self.ok + self.skipped == 0 else 1

    def rows(self) -> list[tuple[str, str]]:
        """(name, value) pairs of the summary."""
        spa = self.seconds / (self.ok + self.failed) if self.ok + self.failed else None
        return [
            ("engine", "ray"), ("articles", f"{self.articles}"), ("ok", f"{self.ok}"), ("failed", f"{self.failed}"),
            ("skipped (already done)", f"{self.skipped}"), ("cached", f"{self.cached}"),
            ("prompt tokens (not cached)", f"{self.usage.prompt_tokens:,}"),
            ("completion tokens (not cached)", f"{self.usage.completion_tokens:,}"),
            ("wall time", f"{self.seconds:.1f} s"), ("s/article", f"{spa:.2f}" if spa is not None else "-"),
            ("output", str(self.output) if self.output else "-"),
        ]  # fmt: skip


def _row(item: ArticleInput) -> dict[str, Any]:
    if isinstance(item, Article):
        published = item.published.isoformat() if item.published else None
        return {"id": item.id, "text": item.text, "published": published, "source": item.source, "path": None}
    path = Path(os.fspath(item))  # type: ignore[arg-type]  # (UnreadableInput is handled by the caller)
    return {"id": path.stem, "text": None, "published": None, "source": str(path), "path": str(path.resolve())}


def _input_id(item: ArticleInput) -> str:
    if isinstance(item, Article):
        return item.id
    if isinstance(item, UnreadableInput):
        return item.article_id
    return Path(os.fspath(item)).stem


def run_on_ray(
    articles: Sequence[ArticleInput],
    output: Path,
    *,
    address: str | None = None,
    actors: int = 2,
    concurrency: int = 8,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    structured: Any = None,
    cache_dir: Path | None = None,
    published: dt.date | None = None,
    settings: ExtractionSettings | None = None,
    resume: bool = False,
) -> RayRun:
    """Extract ``articles`` on Ray and write ``output`` (see the module docstring).

    Raises:
        ValueError: an unknown output suffix, ``--resume`` with a directory output.
        ImportError: Ray is not installed (the ``ray`` extra).
    """
    suffix = output.suffix.lower()
    if suffix not in RAY_SUFFIXES:
        raise ValueError(f"--output {output}: with --engine ray, name it *.jsonl, *.parquet or *.json (a directory)")
    if resume and suffix != ".jsonl":
        raise ValueError("--resume needs a .jsonl output")
    import ray

    from pow_extract.dataset.distributed import extract_dataset, outcomes_from_rows

    started = time.perf_counter()
    run = RayRun(articles=len(articles), output=output)
    position: dict[str, int] = {}
    early: list[BatchRecord | BatchError] = []  # inputs that never reach Ray: unreadable, duplicate ids
    kept: list[str] = []
    done: set[str] = set()
    if resume and output.is_file():
        records, _ = read_batch(output)
        done = {r.article_id for r in records}
        kept = [r.model_dump_json() for r in records]
        run.skipped = len({_input_id(a) for a in articles} & done)
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(articles):
        article_id = _input_id(item)
        if article_id in done:
            continue
        if article_id in position:
            message = f"duplicate article id {article_id!r} (also input #{position[article_id]}); give every article a distinct id"  # noqa: E501
            early.append(BatchError(article_id=article_id, index=index, error=ErrorInfo(type="ArticleError",
                                                                                        message=message)))  # fmt: skip
            continue
        position[article_id] = index
        if isinstance(item, UnreadableInput):
            early.append(BatchError(article_id=item.article_id, source=item.source, index=index,
                                    error=ErrorInfo(type="ArticleError", message=item.message)))  # fmt: skip
        else:
            rows.append(_row(item))

    def tally(outcome: BatchRecord | BatchError) -> None:
        if isinstance(outcome, BatchRecord):
            run.ok += 1
            run.cached += outcome.cached
            if not outcome.cached:
                run.usage = run.usage + outcome.usage
        else:
            run.failed += 1
            run.usage = run.usage + outcome.usage
            run.aborted = run.aborted or outcome.error.type == "BatchAborted"

    def index_of(article_id: str) -> int:
        return position.get(article_id, 0)

    dataset: ray.data.Dataset | None = None
    if rows:
        if not ray.is_initialized():
            ray.init(address=address, num_cpus=None if address else os.cpu_count(), include_dashboard=False,
                     log_to_driver=False, configure_logging=False)  # fmt: skip
        ray.data.DataContext.get_current().enable_progress_bars = False
        dataset = extract_dataset(
            ray.data.from_items(rows), model=model, base_url=base_url, api_key=api_key, structured=structured,
            settings=settings, actors=actors, concurrency=concurrency, cache=cache_dir, published=published,
        )  # fmt: skip
    for outcome in early:
        tally(outcome)
    if suffix == ".jsonl":
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", encoding="utf-8", newline="\n") as handle:
            for line in [*kept, *(o.model_dump_json() for o in early)]:
                handle.write(line + "\n")
            for row in dataset.iter_rows() if dataset is not None else ():
                (outcome,) = outcomes_from_rows([row], index_of)
                tally(outcome)
                handle.write(outcome.model_dump_json() + "\n")
                handle.flush()
    else:
        import pyarrow as pa

        from pow_extract.dataset.distributed import article_rows, article_schema

        if dataset is not None:
            materialized = dataset.materialize()
            (materialized.write_parquet if suffix == ".parquet" else materialized.write_json)(str(output))
            for outcome in outcomes_from_rows(materialized.iter_rows(), index_of):
                tally(outcome)
        if early:
            extra = ray.data.from_arrow(pa.Table.from_pylist(article_rows(early), schema=article_schema()))
            (extra.write_parquet if suffix == ".parquet" else extra.write_json)(str(output))
    run.seconds = round(time.perf_counter() - started, 3)
    return run


def _redacted(text: str, api_key: str | None) -> str:
    for secret in (api_key or "", os.environ.get("OPENAI_API_KEY", "")):
        if len(secret) >= 8:
            text = text.replace(secret, "[redacted]")
    return " ".join(text.split())


def run_on_ray_command(articles: Sequence[ArticleInput], output: Path, *, quiet: bool = False, **options: Any) -> int:
    """Body of ``pow-extract extract --engine ray``: run, print the summary and the errors, return the exit code
    (those of ``extract``: 0, 1 some failed, 2 usage error or none extracted, 3 endpoint unusable)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from pow_extract.records.errors import BackendError

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    api_key = options.get("api_key")
    try:
        run = run_on_ray(articles, output, **options)
    except ImportError as exc:
        err.print(f'[bold red]error:[/] --engine ray needs Ray: pip install "pow-extract[ray]" ({escape(str(exc))})')
        return 2
    except BackendError as exc:
        err.print(f"[bold red]error:[/] {escape(_redacted(str(exc), api_key))}")
        return 3
    except (ValueError, OSError) as exc:
        err.print(f"[bold red]error:[/] {escape(_redacted(str(exc), api_key))}")
        return 2
    if not quiet:
        table = Table(title="pow-extract", show_header=False, title_justify="left", box=None, pad_edge=False)
        table.add_column(style="bold")
        table.add_column(justify="right")
        for name, value in run.rows():
            table.add_row(name, value)
        Console(highlight=False).print(table)
    if run.failed:
        err.print(f"[bold red]error:[/] {run.failed} of {run.articles} article(s) failed; their error rows are in "
                  f"{escape(str(output))}" + (" (rerun with --resume to retry them)" if output.suffix == ".jsonl"
                                              else ""))  # fmt: skip
    return run.exit_code
