"""Run the extractor over the evaluation articles, score it against gold, write reports.

``run_eval`` takes the extraction function by injection (``extract_fn(text, article_id, published)``), so tests
and experiments can score anything that returns an :class:`~pow_extract.records.schema.ArticleExtraction`; by default
it wraps :func:`pow_extract.reading.extraction.extract`, imported when the first article is extracted. The command
line (``pow-extract eval``, ``evals/run_eval.py``) is :mod:`pow_extract.cli.evaluate`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pow_extract.evaluation.scoring import EvalReport, score
from pow_extract.records.gold import GoldArticle, load_gold_dir
from pow_extract.records.schema import ArticleExtraction

__all__ = [
    "ExtraScorer",
    "ExtractFn",
    "consolidation_scorer",
    "default_extract_fn",
    "run_eval",
    "write_reports",
]

ExtractFn = Callable[[str, str, dt.date | None], ArticleExtraction]
"""``extract_fn(text, article_id, published) -> ArticleExtraction``."""

ExtraScorer = Callable[[Mapping[str, ArticleExtraction], Sequence[GoldArticle]], Mapping[str, float]]
"""A scorer whose numbers go into ``EvalReport.extra``: ``(predictions by article_id, gold) -> {name: value}``.

This is the slot for consolidation scoring: :func:`consolidation_scorer` wraps ``score_consolidation``.
"""


def consolidation_scorer(
    predictions: Mapping[str, ArticleExtraction], gold: Sequence[GoldArticle]
) -> Mapping[str, float]:
    """``consolidation.precision/recall/f1`` from :func:`~pow_extract.evaluation.consolidation.score_consolidation`."""
    from pow_extract.evaluation.consolidation import score_consolidation

    result = score_consolidation(list(predictions.values()), list(gold))
    return {f"consolidation.{name}": float(getattr(result, name)) for name in ("precision", "recall", "f1")}


def default_extract_fn(
    *, model: str | None = None, client: Any = None, backend: Any = None, prompt_version: str | None = None
) -> ExtractFn:
    """An ``extract_fn`` calling ``extract(text, client=..., model=..., backend=..., published=...)``
    (with ``settings=ExtractionSettings(prompt_version=...)`` when ``prompt_version`` is given).

    :mod:`pow_extract.reading.extraction` is imported when the first article is extracted, not before.
    """

    def extract_fn(text: str, article_id: str, published: dt.date | None) -> ArticleExtraction:
        from pow_extract.reading.extraction import ExtractionSettings, extract

        options: dict[str, Any] = {}
        if prompt_version is not None:
            options["settings"] = ExtractionSettings(prompt_version=prompt_version)
        return extract(
            text, client=client, model=model, backend=backend, published=published, article_id=article_id, **options
        )

    return extract_fn


CASSETTE_DIR = Path(__file__).resolve().parents[2] / "evals" / "cassettes"


@contextlib.contextmanager
def _cassette_context(
    live: bool,
    name: str = "run_eval",
    *,
    record: bool | str = False,
    cassette_dir: str | Path | None = None,
    model: str | None = None,
) -> Iterator[Any]:
    """Context in which one article (``name`` = its article_id) is extracted; yields the backend to use.

    Default: replay ``<cassette_dir>/<name>.yaml`` offline (a missing answer fails with the record command).
    ``record``: call the configured endpoint and (re)write the cassette (``"missing"``: only articles that have
    none yet). ``live``: call the endpoint, no cassette.
    """
    if live and not record:
        yield None
        return
    from pow_extract.model import recording

    path = Path(cassette_dir or CASSETTE_DIR) / f"{name}.yaml"
    mode = "once" if record == "missing" else ("all" if record else "none")
    backend = None
    if mode != "none" and model is not None:
        from pow_extract.model.backends import resolve_backend

        backend = resolve_backend(model=model)
    with recording.cassette(path, record_mode=mode, backend=backend) as tape:
        yield tape.backend


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not enabled,
    )
    with progress:
        yield progress


def _select_gold(gold_dir: str | Path, split: str | None, article_ids: Sequence[str] | None) -> list[GoldArticle]:
    gold = load_gold_dir(gold_dir)
    if split is not None:
        gold = [g for g in gold if g.split == split]
    if article_ids:
        wanted = set(article_ids)
        unknown = wanted - {g.article_id for g in gold}
        if unknown:
            raise ValueError(f"no gold for article(s) {', '.join(sorted(unknown))} in {gold_dir} (split {split})")
        gold = [g for g in gold if g.article_id in wanted]
    return gold


def _distinct(values: Sequence[str | None]) -> str:
    found = sorted({v for v in values if v})
    return ", ".join(found) if found else "unknown"


def run_eval(
    articles_dir: str | Path,
    gold_dir: str | Path,
    *,
    split: str | None = None,
    extract_fn: ExtractFn | None = None,
    model: str | None = None,
    client: Any = None,
    prompt_version: str | None = None,
    live: bool = False,
    record: bool | str = False,
    cassette_dir: str | Path | None = None,
    article_ids: Sequence[str] | None = None,
    extra_scorers: Sequence[ExtraScorer] = (),
    predictions_dir: str | Path | None = None,
    progress: bool = True,
    fail_fast: bool = False,
) -> EvalReport:
    """Extract every gold article of ``split`` (``None``: all) and score the results.

    Each article ``<article_id>.txt`` of ``articles_dir`` is passed to ``extract_fn(text, article_id, published)``
    (default: :func:`default_extract_fn` with ``model`` and ``client``), inside ``_cassette_context(live, id)``.
    An exception while extracting one article is recorded in the report (the article scores as empty) unless
    ``fail_fast``. A missing article text is an error. ``extra_scorers`` fill ``EvalReport.extra``; with
    ``predictions_dir`` every extraction is also written there as ``<article_id>.json``.
    """
    gold = _select_gold(gold_dir, split, article_ids)
    texts: dict[str, str] = {}
    for g in gold:
        path = Path(articles_dir) / f"{g.article_id}.txt"
        if not path.is_file():
            raise FileNotFoundError(f"gold {g.article_id} has no article text at {path}")
        texts[g.article_id] = path.read_text(encoding="utf-8")
    predictions: dict[str, ArticleExtraction] = {}
    errors: dict[str, str] = {}
    with _progress(progress) as bar:
        task = bar.add_task("extracting", total=len(gold))
        for g in gold:
            bar.update(task, description=f"extracting {g.article_id}")
            try:
                context = (
                    _cassette_context(live, g.article_id, record=record, cassette_dir=cassette_dir, model=model)
                    if extract_fn is None
                    else contextlib.nullcontext(None)  # an injected extractor brings its own model access
                )
                with context as backend:
                    fn = extract_fn or default_extract_fn(
                        model=model, client=client, backend=backend, prompt_version=prompt_version
                    )
                    result = fn(texts[g.article_id], g.article_id, g.published)
            except Exception as exc:
                if fail_fast:
                    raise
                errors[g.article_id] = f"{type(exc).__name__}: {exc}"
            else:
                if result.article_id != g.article_id:
                    result = result.model_copy(update={"article_id": g.article_id})
                predictions[g.article_id] = result
            bar.advance(task)
    if predictions_dir is not None:
        out = Path(predictions_dir)
        out.mkdir(parents=True, exist_ok=True)
        for article_id, prediction in predictions.items():
            (out / f"{article_id}.json").write_text(prediction.model_dump_json(indent=2), encoding="utf-8")
    extra: dict[str, float] = {}
    for scorer in extra_scorers:
        extra.update(scorer(predictions, gold))
    meta = {
        "split": split or "all",
        "model": model or _distinct([p.model for p in predictions.values()]),
        "prompt_version": _distinct([p.prompt_version for p in predictions.values()]),
        "mode": "record" if record else ("live" if live else "replay"),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return score(predictions, gold, extraction_errors=errors, meta=meta, extra=extra)


def write_reports(report: EvalReport, out_dir: str | Path) -> tuple[Path, Path]:
    """Write ``report.json`` and ``report.md`` into ``out_dir`` (created if needed); return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "report.json", out / "report.md"
    json_path.write_text(report.to_json() + "\n", encoding="utf-8")
    md_path.write_text(report.to_markdown(), encoding="utf-8")
    return json_path, md_path
