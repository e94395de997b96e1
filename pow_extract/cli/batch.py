"""``pow-extract batch submit | status | collect``: the Batch API (``/v1/files`` + ``/v1/batches``) as three commands.

The job's state lives next to the output (``out.jsonl`` -> ``out.jsonl.batch/``, see
:mod:`pow_extract.dataset.batch_api`):

* ``batch submit INPUTS... -o out.jsonl`` reads the articles and submits the first round; ``batch submit -o
  out.jsonl`` (no inputs) submits again whatever is not answered nor in flight (failed lines, an expired batch);
* ``batch status -o out.jsonl`` shows the batches in flight;
* ``batch collect -o out.jsonl`` downloads finished batches, submits the next round if a reading needs one (re-asks
  included) and, once nothing is in flight, writes ``out.jsonl``: the same lines as ``extract``.

Exit codes: 0 ok (collect: every article done), 1 some articles failed, 2 usage error or none done, 3 the endpoint is
unusable, 4 (collect) batches still running: collect again later.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, NoReturn

import openai
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pow_extract.cli.inputs import collect_inputs
from pow_extract.dataset.batch_api import (
    MAX_REQUESTS,
    BatchJob,
    BatchJobError,
    BatchProgress,
    open_client,
    resolve_batch_backend,
    state_dir_for,
)
from pow_extract.model.prompting import DEFAULT_PROMPT_VERSION
from pow_extract.reading.extraction import ExtractionSettings
from pow_extract.records.errors import BackendError

__all__ = ["EXIT_RUNNING", "batch_app"]

EXIT_RUNNING = 4

batch_app = typer.Typer(
    name="batch",
    help="Extract through a Batch API (/v1/files + /v1/batches): submit, status, collect. Half the price of "
    "online requests, results within the completion window; the records equal those of `extract`.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

_err = Console(stderr=True, highlight=False, soft_wrap=True)
_out = Console(highlight=False)

Output = Annotated[
    Path,
    typer.Option("--output", "-o", help="The JSONL output (the job's state is kept in OUTPUT.batch/).",
                 show_default=False, dir_okay=False),
]  # fmt: skip
ApiKey = Annotated[str | None, typer.Option(hidden=True, help="API key (prefer OPENAI_API_KEY).")]


def _fail(message: str, code: int = 2, api_key: str | None = None) -> NoReturn:
    for secret in (api_key or "", os.environ.get("OPENAI_API_KEY", "")):
        if len(secret) >= 8:
            message = message.replace(secret, "[redacted]")
    _err.print(f"[bold red]error:[/] {escape(' '.join(message.split()))}")
    raise typer.Exit(code)


def _report(progress: BatchProgress, output: Path) -> None:
    for batch in progress.collected:
        _err.print(f"collected {batch.id} (round {batch.round}, {batch.status}): {batch.completed} answered, "
                   f"{batch.failed} failed")  # fmt: skip
    for batch in progress.submitted:
        _err.print(f"submitted {batch.id}: round {batch.round}, {batch.requests} request(s) ({batch.file})")
    table = Table(title="pow-extract batch", show_header=False, title_justify="left", box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    rows = [
        ("articles", progress.articles), ("done", progress.done), ("failed", progress.failed),
        ("waiting on a failed batch line", progress.line_failed), ("waiting on a batch in flight", progress.waiting),
        ("requests not yet submitted", progress.to_submit), ("batches in flight", len(progress.running)),
    ]  # fmt: skip
    for name, value in rows:
        table.add_row(name, str(value))
    table.add_row("output", str(progress.output) if progress.output else "- (not yet)")
    _out.print(table)
    for line in progress.errors:
        _err.print(f"[red]failed line[/] {escape(line)}")
    if progress.line_failed:
        _err.print(f"{progress.line_failed} article(s) wait on failed batch lines: send them again with "
                   f"`pow-extract batch submit -o {escape(str(output))}`")  # fmt: skip
    if progress.running:
        _err.print(f"{len(progress.running)} batch(es) in flight: run `pow-extract batch collect -o "
                   f"{escape(str(output))}` again later")  # fmt: skip


def _client(job: BatchJob, api_key: str | None) -> openai.OpenAI:
    return open_client(job, api_key)


def _endpoint_error(exc: openai.OpenAIError, api_key: str | None) -> NoReturn:
    if isinstance(exc, openai.APIStatusError):
        _fail(f"the Batch API answered HTTP {exc.status_code}: {exc.message}", 3, api_key)
    _fail(f"cannot reach the Batch API: {exc}", 3, api_key)


@batch_app.command("submit")
def submit_command(
    output: Output,
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FILES_OR_DIRS_OR_GLOBS...]",
            help="Articles, as for `extract`. Without inputs: "
            "submit again what an existing job has neither answered nor in flight.",
            show_default=False,
        ),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model name (else POW_EXTRACT_MODEL or gpt-4o-mini).")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint (else OPENAI_BASE_URL).")] = None,
    api_key: ApiKey = None,
    published: Annotated[str | None, typer.Option(help="Publication date (YYYY-MM-DD) for undated articles.")] = None,
    prompt_version: Annotated[str, typer.Option(help="Prompt version (folder under prompts/).")] = (
        DEFAULT_PROMPT_VERSION
    ),
    completion_window: Annotated[str, typer.Option(help="The batch completion window.")] = "24h",
    max_requests: Annotated[int, typer.Option(min=1, help="Requests per batch at most.")] = MAX_REQUESTS,
) -> None:
    """Write the requests `extract` would send as a Batch API JSONL file, upload it and create the batch.

    Example:

        pow-extract batch submit articles/ -o out.jsonl --model gpt-4o-mini
    """
    if output.suffix.lower() != ".jsonl":
        _fail(f"--output {output}: the output is JSONL; name it *.jsonl")
    directory = state_dir_for(output)
    try:
        if inputs:
            date = dt.date.fromisoformat(published) if published else None
            articles = collect_inputs(inputs, published=date)
            if not articles:
                _fail("no articles found in the given inputs")
            backend = resolve_batch_backend(model=model, base_url=base_url, api_key=api_key, structured=None)
            settings = ExtractionSettings(prompt_version=prompt_version)
            job = BatchJob.create(directory, articles, output, backend=backend, settings=settings, published=date)
        else:
            job = BatchJob.open(directory)
        with job:
            progress = job.submit(_client(job, api_key), completion_window=completion_window,
                                  max_requests=max_requests)  # fmt: skip
    except openai.OpenAIError as exc:
        _endpoint_error(exc, api_key)
    except (BatchJobError, BackendError) as exc:
        _fail(str(exc), 3 if isinstance(exc, BackendError) else 2, api_key)
    except (ValueError, OSError) as exc:
        _fail(str(exc), 2, api_key)
    if not progress.submitted:
        _err.print("nothing to submit: every request is answered or in flight")
    _report(progress, output)
    raise typer.Exit(0)


@batch_app.command("status")
def status_command(output: Output, api_key: ApiKey = None) -> None:
    """Show the job's batches in flight (status and request counts).

    Example:

        pow-extract batch status -o out.jsonl
    """
    try:
        with BatchJob.open(state_dir_for(output)) as job:
            infos = job.status(_client(job, api_key))
            batches = list(job.batches)
    except openai.OpenAIError as exc:
        _endpoint_error(exc, api_key)
    except (BatchJobError, ValueError, OSError) as exc:
        _fail(str(exc))
    table = Table(title="pow-extract batch status", title_justify="left")
    for column in ("batch", "round", "requests", "status", "completed", "failed", "collected"):
        table.add_column(column)
    live = {info.id: info for info in infos}
    for batch in batches:
        info = live.get(batch.id)
        status = f"{info.status.value} ({info.raw_status})" if info is not None else batch.status
        table.add_row(batch.id, str(batch.round), str(batch.requests), status, str(batch.completed),
                      str(batch.failed), "yes" if batch.collected else "no")  # fmt: skip
    _out.print(table)
    raise typer.Exit(0)


@batch_app.command("collect")
def collect_command(
    output: Output,
    api_key: ApiKey = None,
    no_submit: Annotated[
        bool, typer.Option("--no-submit", help="Do not submit the next round (re-asks, later questions).")
    ] = False,
    completion_window: Annotated[str, typer.Option(help="Completion window of a next round's batch.")] = "24h",
) -> None:
    """Download finished batches, submit the next round if any, and write the output once nothing is in flight.

    Exit codes: 0 every article done, 1 some failed, 2 none done, 3 endpoint unusable, 4 batches still running.

    Example:

        pow-extract batch collect -o out.jsonl
    """
    try:
        with BatchJob.open(state_dir_for(output)) as job:
            progress = job.collect(_client(job, api_key), submit_next=not no_submit,
                                   completion_window=completion_window)  # fmt: skip
    except openai.OpenAIError as exc:
        _endpoint_error(exc, api_key)
    except (BatchJobError, ValueError, OSError) as exc:
        _fail(str(exc))
    _report(progress, output)
    if progress.output is not None:
        _err.print(f"wrote {escape(str(progress.output))}")
    raise typer.Exit(progress.exit_code)
