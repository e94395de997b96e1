"""pow_extract: grounded, auditable records of prisoner exchanges from news articles.

The data path, one module per step::

    article.py -> prompting.py -> extraction.py (openai + instructor, retry.py) -> schema.py (validated record)
               -> resolver.py (grounding) -> ArticleExtraction

Typical use::

    import pow_extract as pe

    result = pe.extract(pe.load_article("article.txt"))     # embedded local model by default
    for exchange in result.exchanges:
        for claim in exchange.counts:
            print(claim.number, "->", claim.returned_to, "per", claim.claimant, claim.span)
"""

import logging

from pow_extract.article import Article, load_article
from pow_extract.backends import Backend, resolve_backend
from pow_extract.batch import BatchError, BatchRecord, BatchResult, Prices, aextract_many, extract_many, read_batch
from pow_extract.cache import ResponseCache
from pow_extract.consolidate import (
    Conflict,
    ExchangeEvent,
    MergeRules,
    SourcedClaim,
    consolidate,
    events_to_csv,
    events_to_jsonl,
    events_to_parquet,
    score_consolidation,
    to_dataframe,
)
from pow_extract.errors import ArticleError, BackendError, ExtractionError, PowExtractError
from pow_extract.evaluation import run_eval
from pow_extract.extraction import ExtractionSettings, aextract, extract
from pow_extract.gold import GoldArticle, load_gold, load_gold_dir
from pow_extract.jsonl import read_extractions
from pow_extract.recording import CassetteMiss, cassette
from pow_extract.retry import RetryPolicy
from pow_extract.schema import (
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
from pow_extract.scoring import EvalReport, score
from pow_extract.visualization import render, to_html

__version__ = "0.1.0"

# instructor logs every failed attempt at ERROR; a library must not print to stderr unless asked to.
logging.getLogger("instructor").addHandler(logging.NullHandler())

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
