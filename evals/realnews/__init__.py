"""The real-news dev set (``../shared/realnews``) for pow_extract's evaluation: gold conversion, prediction-side
adjustments and the rebuild guide. Not part of the library package. See ``README.md`` here."""

from evals.realnews.convert import (
    CATEGORY_MAP,
    SPLITS,
    STATUS_MAP,
    Adjustment,
    IndexRow,
    RealnewsArticle,
    adjust_prediction,
    convert_gold,
    default_realnews_dir,
    load_realnews,
    load_schema,
    parse_date,
    read_index,
    select,
    text_check,
)

__all__ = [
    "CATEGORY_MAP",
    "SPLITS",
    "STATUS_MAP",
    "Adjustment",
    "IndexRow",
    "RealnewsArticle",
    "adjust_prediction",
    "convert_gold",
    "default_realnews_dir",
    "load_realnews",
    "load_schema",
    "parse_date",
    "read_index",
    "select",
    "text_check",
]
