"""The ``pow-extract`` command line: extract articles to JSONL, merge them into a dataset, render a review page,
run the evaluation.

Exit codes (every command):

====  ==========================================================================================================
0     success
1     partial failure: some articles failed (``extract``), or a score regressed (``eval``)
2     usage error (bad arguments, no input found, unreadable input) or total failure (no article extracted)
3     the model endpoint is unusable (unreachable, rejected the key, unknown model, embedded model missing)
4     ``batch collect`` only: batches are still running; collect again later
130   interrupted (Ctrl-C); every finished result was written first
====  ==========================================================================================================

Expected errors print one line, ``error: ...``, on stderr and no traceback. The API key is never printed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, ParamSpec

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pow_extract.cli.batch import batch_app
from pow_extract.cli.inputs import collect_inputs
from pow_extract.dataset.batch import (
    BatchAborted,
    BatchError,
    BatchInterrupted,
    BatchRecord,
    BatchResult,
    Prices,
    extract_many,
    make_progress,
)
from pow_extract.model.cache import CACHE_DIR_ENV, ResponseCache
from pow_extract.model.prompting import DEFAULT_PROMPT_VERSION
from pow_extract.reading.extraction import ExtractionSettings
from pow_extract.records.errors import BackendError

__all__ = ["EXIT_BACKEND", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "app", "main"]

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_BACKEND = 3
EXIT_INTERRUPTED = 130

MERGE_SUFFIXES = (".csv", ".jsonl", ".parquet")

P = ParamSpec("P")

app = typer.Typer(
    name="pow-extract",
    help=(
        "Extract grounded prisoner-exchange records from news articles with an LLM, then merge them into a dataset "
        "and review them.\n\n"
        "Endpoint: --base-url/OPENAI_BASE_URL (any OpenAI-compatible server), else OpenAI with OPENAI_API_KEY, "
        "else the embedded llama.cpp model. Exit codes: 0 ok, 1 some articles failed (or an eval regressed), "
        "2 usage error or nothing extracted, 3 model endpoint unusable, 130 interrupted."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_err = Console(stderr=True, highlight=False, soft_wrap=True)
_out = Console(highlight=False)


class Structured(StrEnum):
    """How the JSON schema is enforced."""

    llama_cpp = "llama_cpp"
    json_object = "json_object"


class Engine(StrEnum):
    """Where the articles are extracted."""

    local = "local"
    ray = "ray"


class Level(StrEnum):
    """Row granularity of a merged CSV/Parquet file."""

    event = "event"
    claim = "claim"


class Split(StrEnum):
    """Evaluation split."""

    dev = "dev"
    test = "test"


# -------------------------------------------------------------------------------------------------- helpers


def _secrets(extra: str | None = None) -> list[str]:
    values = [extra or "", os.environ.get("OPENAI_API_KEY", "")]
    return [v for v in values if len(v) >= 8]


def _redact(text: str, api_key: str | None = None) -> str:
    for secret in _secrets(api_key):
        text = text.replace(secret, "[redacted]")
    return text


def _fail(message: str, code: int = EXIT_USAGE, api_key: str | None = None) -> NoReturn:
    """Print ``error: message`` (one line, key redacted) on stderr and exit with ``code``."""
    line = " ".join(_redact(message, api_key).split())
    _err.print(f"[bold red]error:[/] {escape(line)}")
    raise typer.Exit(code)


@contextmanager
def _quiet_libraries() -> Iterator[None]:
    """While a command runs: keep instructor's per-attempt error logs off the terminal (failures are reported
    once, per article) and show pow_extract's warnings as ``warning: ...`` lines. Restored afterwards."""
    noisy = logging.getLogger("instructor")
    ours = logging.getLogger("pow_extract")
    level = noisy.level
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("warning: %(message)s"))
    handler.setLevel(logging.WARNING)
    noisy.setLevel(logging.CRITICAL + 1)
    ours.addHandler(handler)
    try:
        yield
    finally:
        ours.removeHandler(handler)
        noisy.setLevel(level)


def _interruptible(command: Callable[P, None]) -> Callable[P, None]:
    """Ctrl-C anywhere in ``command`` exits 130 with one line (click would print "Aborted!" and exit 1)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except KeyboardInterrupt:
            _err.print("[bold red]interrupted[/]")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return run


def _blank_failures(content: str) -> tuple[str, int, int]:
    """``content`` with batch error lines and a partial last line (a killed run) blanked out, line numbers kept."""
    lines = content.split("\n")
    failed = partial = 0
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines) - 1:  # no newline after it: the write was cut short
                lines[number] = ""
                partial += 1
            continue  # any other bad line is left for the reader to report
        if isinstance(obj, dict) and isinstance(obj.get("error"), dict):
            lines[number] = ""
            failed += 1
    return "\n".join(lines), failed, partial


@contextmanager
def _successes_only(inputs: Sequence[Path]) -> Iterator[list[Path]]:
    """Yield paths to read as ArticleExtraction JSONL. A batch output holding failed-article lines (or a partial
    last line) is replaced by a temporary copy where those lines are blank; errors name the original file."""
    with tempfile.TemporaryDirectory(prefix="pow-extract-") as tmp:
        out: list[Path] = []
        originals: dict[str, str] = {}
        for number, path in enumerate(inputs):
            try:
                content = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                out.append(path)  # the reader reports it
                continue
            cleaned, failed, partial = _blank_failures(content)
            if not failed and not partial:
                out.append(path)
                continue
            copy = Path(tmp) / f"{number}-{path.name}"
            copy.write_text(cleaned, encoding="utf-8")
            originals[str(copy)] = str(path)
            _err.print(f"note: {escape(str(path))}: left out {failed} failed article(s)" + (
                " and a partial last line" if partial else ""))  # fmt: skip
            out.append(copy)
        try:
            yield out
        except ValueError as exc:
            message = str(exc)
            for copy_path, original in originals.items():
                message = message.replace(copy_path, original)
            raise ValueError(message) from exc


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"--published {value!r} is not a date; use YYYY-MM-DD")


def _summary(result: BatchResult) -> Table:
    table = Table(title="pow-extract", show_header=False, title_justify="left", box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    spa = result.seconds_per_article
    rows = [
        ("articles", f"{result.articles}"),
        ("ok", f"{result.ok}"),
        ("failed", f"{result.failed}"),
        ("skipped (already done)", f"{result.skipped}"),
        ("cached", f"{result.cached}"),
        ("model calls", f"{result.model_calls}"),
        ("prompt tokens", f"{result.usage.prompt_tokens:,}"),
        ("completion tokens", f"{result.usage.completion_tokens:,}"),
        ("cost", f"{result.cost:.4f}"),
        ("wall time", f"{result.seconds:.1f} s"),
        ("s/article", f"{spa:.2f}" if spa is not None else "-"),
        ("output", str(result.output) if result.output else "-"),
    ]
    if result.rate_limit_pauses:
        rows.insert(6, ("rate-limit pauses", f"{result.rate_limit_pauses}"))
    for name, value in rows:
        table.add_row(name, value)
    return table


def _default_cache_dir() -> Path:
    from pow_extract.model.cache import default_cache_dir

    return default_cache_dir()


def _merge_after(output: Path, target: Path) -> None:
    from pow_extract.cli.merge import merge_command

    with _successes_only([output]) as inputs:
        merge_command(inputs, target)


# ------------------------------------------------------------------------------------------------- commands


def _print_version(value: bool) -> None:
    if not value:
        return
    from importlib import metadata

    try:
        typer.echo(f"pow-extract {metadata.version('pow-extract')}")
    except metadata.PackageNotFoundError:  # pragma: no cover
        typer.echo("pow-extract (not installed)")
    raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_print_version),
    ] = False,
) -> None:
    ctx.with_resource(_quiet_libraries())


@app.command("extract")
@_interruptible
def extract_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="FILES_OR_DIRS_OR_GLOBS...",
            help="Article files (.txt, .html, .htm, .md), directories (walked), globs, or .jsonl files of "
            '{"id", "text", "published"?, "source"?} lines.',
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="JSONL file written as articles finish (replaced unless --resume).",
            show_default=False,
            dir_okay=False,
        ),
    ],
    model: Annotated[str | None, typer.Option(help="Model name (else POW_EXTRACT_MODEL or the default).")] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="OpenAI-compatible endpoint, e.g. http://localhost:8080/v1 (else OPENAI_BASE_URL)."),
    ] = None,
    api_key: Annotated[str | None, typer.Option(hidden=True, help="API key (prefer OPENAI_API_KEY).")] = None,
    structured: Annotated[
        Structured | None,
        typer.Option(help="Schema enforcement: llama_cpp (constrained decoding) or json_object (JSON mode)."),
    ] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1, help="Requests in flight at most.")] = 4,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip articles already done in --output; retry the failed ones.")
    ] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the response cache.")] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            help=f"Response cache directory (else {CACHE_DIR_ENV}, else the user cache directory).", file_okay=False
        ),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (YYYY-MM-DD) for every article that has none of its own."),
    ] = None,
    prompt_version: Annotated[str, typer.Option(help="Prompt version (folder under prompts/).")] = (
        DEFAULT_PROMPT_VERSION
    ),
    merge: Annotated[
        Path | None,
        typer.Option(help="Also consolidate the results into this .csv, .jsonl or .parquet file.", dir_okay=False),
    ] = None,
    price_prompt: Annotated[
        float, typer.Option(min=0.0, help="Price per 1M prompt tokens, for the cost line (default 0: local).")
    ] = 0.0,
    price_completion: Annotated[float, typer.Option(min=0.0, help="Price per 1M completion tokens.")] = 0.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    engine: Annotated[
        Engine, typer.Option(help="local: this process; ray: a Ray cluster (the ray extra; -o may be .parquet/.json).")
    ] = Engine.local,
    ray_address: Annotated[
        str | None, typer.Option(help="Ray cluster to join (e.g. auto, ray://head:10001); default: a local Ray.")
    ] = None,
    ray_actors: Annotated[int, typer.Option(min=1, help="Ray actors, each with --concurrency requests.")] = 2,
) -> None:
    """Extract prisoner exchanges from articles into a JSONL file, one record per article.

    Lines are written as articles finish, so an interrupted run keeps its results; --resume continues it.
    Failed articles get an error line ({"article_id", "source", "index", "error": {"type", "message"}}) and
    are retried by --resume. A summary (articles, tokens, cost, time) is printed at the end.

    Example:

        pow-extract extract articles/ more/*.html -o out.jsonl --base-url http://localhost:8080/v1 --model qwen -c 8

    Exit codes: 0 all ok, 1 some failed, 2 usage error or none extracted, 3 endpoint unusable, 130 interrupted.
    """
    date = _parse_date(published)
    if merge is not None and merge.suffix.lower() not in MERGE_SUFFIXES:
        _fail(
            f"--merge {merge}: unknown output format {merge.suffix or '(no suffix)'!r}; use {', '.join(MERGE_SUFFIXES)}"
        )
    if output.suffix.lower() != ".jsonl" and engine is Engine.local:
        _fail(f"--output {output}: the output is JSONL; name it *.jsonl")
    try:
        articles = collect_inputs(inputs, published=date)
    except ValueError as exc:
        _fail(str(exc))
    if not articles:
        _fail("no articles found in the given inputs")
    if engine is Engine.ray:
        from pow_extract.cli.ray_engine import run_on_ray_command

        code = run_on_ray_command(
            articles, output, address=ray_address, actors=ray_actors, concurrency=concurrency, model=model,
            base_url=base_url, api_key=api_key, structured=structured.value if structured else None,
            cache_dir=None if no_cache else cache_dir or _default_cache_dir(), published=date,
            settings=ExtractionSettings(prompt_version=prompt_version), resume=resume, quiet=quiet,
        )  # fmt: skip
        if merge is not None and output.suffix.lower() == ".jsonl" and code in (EXIT_OK, EXIT_PARTIAL):
            try:
                _merge_after(output, merge)
            except (ValueError, OSError) as exc:
                _fail(f"merge: {exc}", EXIT_USAGE)
        raise typer.Exit(code)
    cache: ResponseCache | bool = False
    progress = None if quiet else make_progress(_err)

    def report(record: BatchRecord | BatchError) -> None:
        if isinstance(record, BatchError) and progress is not None:
            message = _redact(record.error.message, api_key)
            progress.console.print(f"[red]failed[/] {escape(record.article_id)}: {escape(message)}", soft_wrap=True)

    try:
        if not no_cache:
            cache = ResponseCache(cache_dir) if cache_dir else True
        if progress is not None:
            progress.start()
        try:
            result = extract_many(
                articles, concurrency=concurrency, output=output, resume=resume, cache=cache,
                progress=progress if progress is not None else False, model=model, base_url=base_url,
                api_key=api_key, structured=structured.value if structured else None, published=date,
                settings=ExtractionSettings(prompt_version=prompt_version),
                prices=Prices(price_prompt, price_completion), on_record=report,
            )  # fmt: skip
        finally:
            if progress is not None:
                progress.stop()
            if isinstance(cache, ResponseCache):
                cache.close()
    except BatchInterrupted as exc:
        if not quiet:
            _out.print(_summary(exc.result))
        _err.print(f"[bold red]interrupted[/]: finished results are in {escape(str(output))}; continue with --resume")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BatchAborted as exc:
        if not quiet:
            _out.print(_summary(exc.result))
        _fail(f"the model endpoint is unusable: {exc}", EXIT_BACKEND, api_key)
    except BackendError as exc:
        _fail(str(exc), EXIT_BACKEND, api_key)
    except (ValueError, OSError) as exc:
        _fail(str(exc), EXIT_USAGE, api_key)
    if not quiet:
        _out.print(_summary(result))
    if result.failed:
        _err.print(
            f"[bold red]error:[/] {result.failed} of {result.articles} article(s) failed; their error lines are in "
            f"{escape(str(output))} (rerun with --resume to retry them)"
        )
    if merge is not None and result.results:
        try:
            _merge_after(output, merge)
        except (ValueError, OSError) as exc:
            _fail(f"merge: {exc}", EXIT_USAGE)
    raise typer.Exit(result.exit_code)


@app.command("merge")
@_interruptible
def merge_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="EXTRACTIONS.jsonl...", help="Outputs of `pow-extract extract`.", show_default=False),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Dataset to write: .csv, .jsonl (nested events) or .parquet.",
            show_default=False,
            dir_okay=False,
        ),
    ],
    level: Annotated[
        Level, typer.Option(help="CSV/Parquet rows: one per exchange (event) or one per count claim (claim).")
    ] = Level.event,
) -> None:
    """Consolidate extraction records from many articles into one row per real exchange, keeping every claim.

    Failed-article lines of an extract output are left out.

    Example:

        pow-extract merge out.jsonl more.jsonl -o exchanges.csv --level claim
    """
    from pow_extract.cli.merge import merge_command as merge_files

    try:
        with _successes_only(inputs) as paths:
            code = merge_files(paths, output, level.value)
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    raise typer.Exit(code)


@app.command("render")
@_interruptible
def render_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="EXTRACTIONS.jsonl...", help="Outputs of `pow-extract extract`.", show_default=False),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="HTML review page to write.", show_default=False, dir_okay=False),
    ],
) -> None:
    """Write one HTML page to review extractions: each article with its quotes highlighted next to the records.

    Example:

        pow-extract render out.jsonl -o review.html
    """
    from pow_extract.cli.render import render_command as render_files

    try:
        with _successes_only(inputs) as paths:
            code = render_files(paths, output)
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    _err.print(f"wrote {escape(str(output))}")
    raise typer.Exit(code)


@app.command("eval")
@_interruptible
def eval_command(
    split: Annotated[Split | None, typer.Option(help="Only this split (default: all).")] = None,
    out: Annotated[Path | None, typer.Option(help="Report directory (default: evals/out).")] = None,
    baseline: Annotated[Path | None, typer.Option(help="Baseline report (default: evals/baseline.json).")] = None,
    margin: Annotated[float, typer.Option(help="Allowed F1 drop before failing.")] = 0.02,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Write this run's report as the baseline.")
    ] = False,
    live: Annotated[bool, typer.Option("--live", help="Call the model instead of replaying cassettes.")] = False,
    record: Annotated[bool, typer.Option("--record", help="Call the model and re-record evals/cassettes.")] = False,
    record_missing: Annotated[
        bool, typer.Option("--record-missing", help="Call the model only for articles without a cassette.")
    ] = False,
    model: Annotated[str | None, typer.Option(help="Model name passed to pow_extract.extract.")] = None,
    articles: Annotated[Path | None, typer.Option(help="Article texts (default: evals/articles).")] = None,
    gold: Annotated[Path | None, typer.Option(help="Gold JSON files (default: evals/gold).")] = None,
    article: Annotated[list[str] | None, typer.Option(help="Only this article id (repeatable).")] = None,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="Stop at the first extraction error.")] = False,
    no_consolidation: Annotated[bool, typer.Option("--no-consolidation", help="Skip consolidation scoring.")] = False,
    root: Annotated[
        Path | None, typer.Option(help="Repository root the default paths are relative to (default: current dir).")
    ] = None,
) -> None:
    """Extract the evaluation articles, score them against gold, and compare with the baseline.

    Same options as evals/run_eval.py. By default answers are replayed from cassettes (offline).
    Exit codes: 0 no regression, 1 a score fell by more than --margin, 2 bad arguments or missing data,
    3 endpoint unusable.

    Example:

        pow-extract eval --split dev --no-progress
    """
    try:
        from pow_extract.cli.evaluate import main as run_eval_main
    except ImportError as exc:  # pragma: no cover - the module ships with the package
        _fail(f"the evaluation runner is not available ({exc})")
    argv: list[str] = []
    if split is not None:
        argv += ["--split", split.value]
    for flag, value in (("--out", out), ("--baseline", baseline), ("--model", model), ("--articles", articles),
                        ("--gold", gold)):  # fmt: skip
        if value is not None:
            argv += [flag, str(value)]
    argv += ["--margin", str(margin)]
    for name in article or []:
        argv += ["--article", name]
    for flag, on in (("--update-baseline", update_baseline), ("--live", live), ("--record", record),
                     ("--record-missing", record_missing),
                     ("--no-progress", no_progress), ("--fail-fast", fail_fast),
                     ("--no-consolidation", no_consolidation)):  # fmt: skip
        if on:
            argv.append(flag)
    try:
        code = run_eval_main(argv, root=root)
    except BackendError as exc:
        _fail(str(exc), EXIT_BACKEND)
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    raise typer.Exit(code)


app.add_typer(batch_app, name="batch")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``) and return its exit code instead of exiting."""
    try:
        app(args=list(argv) if argv is not None else sys.argv[1:], standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    return EXIT_OK
