"""pow_extract: grounded, auditable records of prisoner exchanges from news articles.

The package is layered; a layer imports only the layers below it (``lint-imports`` checks it, see
``[tool.importlinter]`` in ``pyproject.toml``)::

    cli/         the pow-extract command line: app.py (extract), merge.py, render.py, evaluate.py (eval), batch.py,
                 ray_engine.py (--engine ray), inputs.py
    evaluation/  scoring.py (against hand-labelled gold), consolidation.py (grouping against gold), runner.py
    dataset/     many articles: batch.py (concurrent, resumable, cached), jsonl.py; consolidate.py (one event per
                 exchange: events.py, grouping.py, consensus.py, ids.py, export.py); past one machine:
                 distributed.py (Ray Data), batch_api.py + batch_reading.py (the Batch API, readings in rounds)
      | review/  page.py (the HTML review page)
    reading/     one article: article.py -> extraction.py (prompt, model, re-asks) -> resolver.py (grounding);
                 chunking.py
    model/       talking to the model: backends.py, embedded.py, prompting.py, retry.py, cache.py (answers on
                 disk), traffic.py (requests and tokens), recording.py (cassettes)
      | rules/   coding rules after grounding: checks.py, sweep.py, parts.py
    records/     the records: schema.py (what extraction produces), gold.py (hand labels), errors.py
    text/        words of news text: normalize.py (party names), dates.py, sentences.py

The data path of one article::

    reading/article.py -> model/prompting.py -> reading/extraction.py (openai + instructor, model/retry.py)
        -> records/schema.py (validated record) -> reading/resolver.py (grounding) -> rules/ -> ArticleExtraction

Typical use::

    import pow_extract as pe

    result = pe.extract(pe.load_article("article.txt"))     # embedded local model by default
    for exchange in result.exchanges:
        for claim in exchange.counts:
            print(claim.number, "->", claim.returned_to, "per", claim.claimant, claim.span)

Importing the package is cheap: each public name is imported from its module on first use (PEP 562).
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from pow_extract.records import schema as _schema

if TYPE_CHECKING:
    from pow_extract.dataset.batch import (
        BatchError,
        BatchRecord,
        BatchResult,
        Prices,
        aextract_many,
        extract_many,
        read_batch,
    )
    from pow_extract.dataset.consolidate import (
        Conflict,
        ExchangeEvent,
        MergeRules,
        SourcedClaim,
        consolidate,
        events_to_csv,
        events_to_jsonl,
        events_to_parquet,
        to_dataframe,
    )
    from pow_extract.dataset.jsonl import read_extractions
    from pow_extract.evaluation.consolidation import score_consolidation
    from pow_extract.evaluation.runner import run_eval
    from pow_extract.evaluation.scoring import EvalReport, score
    from pow_extract.model.backends import Backend, resolve_backend
    from pow_extract.model.cache import ResponseCache
    from pow_extract.model.recording import CassetteMiss, cassette
    from pow_extract.model.retry import RetryPolicy
    from pow_extract.reading.article import Article, load_article
    from pow_extract.reading.extraction import ExtractionSettings, aextract, extract
    from pow_extract.records.errors import ArticleError, BackendError, ExtractionError, PowExtractError
    from pow_extract.records.gold import GoldArticle, load_gold, load_gold_dir
    from pow_extract.records.schema import (
        AgeBound,
        ArticleExtraction,
        BreakdownItem,
        CountClaim,
        CumulativeTotal,
        ExchangeOrdinal,
        FlaggedFigure,
        PrisonerExchange,
        ReleasedPerson,
        Span,
        Usage,
    )
    from pow_extract.review.page import render, to_html

__version__ = "0.1.0"

#: Where each public name lives. A name is imported on first access, so ``import pow_extract`` loads no model
#: client, scipy or pandas.
_MODULES: dict[str, tuple[str, ...]] = {
    "pow_extract.dataset.batch": (
        "BatchError", "BatchRecord", "BatchResult", "Prices", "aextract_many", "extract_many", "read_batch",
    ),
    "pow_extract.dataset.consolidate": (
        "Conflict", "ExchangeEvent", "MergeRules", "SourcedClaim", "consolidate", "events_to_csv", "events_to_jsonl",
        "events_to_parquet", "to_dataframe",
    ),
    "pow_extract.dataset.jsonl": ("read_extractions",),
    "pow_extract.evaluation.consolidation": ("score_consolidation",),
    "pow_extract.evaluation.runner": ("run_eval",),
    "pow_extract.evaluation.scoring": ("EvalReport", "score"),
    "pow_extract.model.backends": ("Backend", "resolve_backend"),
    "pow_extract.model.cache": ("ResponseCache",),
    "pow_extract.model.recording": ("CassetteMiss", "cassette"),
    "pow_extract.model.retry": ("RetryPolicy",),
    "pow_extract.reading.article": ("Article", "load_article"),
    "pow_extract.reading.extraction": ("ExtractionSettings", "aextract", "extract"),
    "pow_extract.records.errors": ("ArticleError", "BackendError", "ExtractionError", "PowExtractError"),
    "pow_extract.records.gold": ("GoldArticle", "load_gold", "load_gold_dir"),
    "pow_extract.records.schema": (
        "AgeBound", "ArticleExtraction", "BreakdownItem", "CountClaim", "CumulativeTotal", "ExchangeOrdinal",
        "FlaggedFigure", "PrisonerExchange", "ReleasedPerson", "Span", "Usage",
    ),
    "pow_extract.review.page": ("render", "to_html"),
}  # fmt: skip
_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "AgeBound",
    "Article",
    "ArticleError",
    "ArticleExtraction",
    "Backend",
    "BackendError",
    "BatchError",
    "BatchRecord",
    "BatchResult",
    "BreakdownItem",
    "CassetteMiss",
    "Conflict",
    "CountClaim",
    "CumulativeTotal",
    "EvalReport",
    "ExchangeEvent",
    "ExchangeOrdinal",
    "ExtractionError",
    "ExtractionSettings",
    "FlaggedFigure",
    "GoldArticle",
    "MergeRules",
    "PowExtractError",
    "Prices",
    "PrisonerExchange",
    "ReleasedPerson",
    "ResponseCache",
    "RetryPolicy",
    "SourcedClaim",
    "Span",
    "Usage",
    "aextract",
    "aextract_many",
    "cassette",
    "consolidate",
    "events_to_csv",
    "events_to_jsonl",
    "events_to_parquet",
    "extract",
    "extract_many",
    "load_article",
    "load_gold",
    "load_gold_dir",
    "read_batch",
    "read_extractions",
    "render",
    "resolve_backend",
    "run_eval",
    "score",
    "score_consolidation",
    "to_dataframe",
    "to_html",
]


def __getattr__(name: str) -> Any:
    """PEP 562: import a public name from its module the first time it is used."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pow_extract' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _review_page(result: ArticleExtraction, *, title: str) -> str:
    from pow_extract.review.page import to_html

    return to_html(result, title=title)


# records import no layer above them: the package plugs the review page into ArticleExtraction.to_html()
_schema.use_html_renderer(_review_page)

# instructor logs every failed attempt at ERROR; a library must not print to stderr unless asked to.
logging.getLogger("instructor").addHandler(logging.NullHandler())
