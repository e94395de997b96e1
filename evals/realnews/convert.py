"""The real-news dev set in pow_extract's own terms: its gold converted to :class:`~pow_extract.gold.GoldArticle`,
and predictions adjusted to its conventions before they are scored.

The set lives outside the repository (``../shared/realnews``: ``gold/*.json``, ``gold_schema.py``, ``INDEX.md``;
see its README). Its schema module is loaded by path, with ``sys.dont_write_bytecode`` set so that nothing is
ever written into that read-only folder. The article texts are rebuilt by each developer into the git-ignored
``data/realnews/`` (``evals/realnews/README.md``).

Conventions
-----------
The real-news labels and the project's gold differ in form and, in two places, in substance. Each row says how
the real-news value becomes a project value, and which convention :func:`pow_extract.score` then applies.

=============================  ==========================================  ==========================================
real-news field                project field (conversion)                  what the scorer compares
=============================  ==========================================  ==========================================
``article`` ``RNNN_slug.txt``  ``article_id`` = ``RNNN_slug``; ``split``   per article; the realnews split
                               stays ``dev`` (the realnews split           (``ru-ua`` / ``other-exchange`` /
                               ru-ua/other-exchange/negative comes from    ``negative``) is applied by the runner
                               INDEX.md, :attr:`RealnewsArticle.split`)
``published`` day              ``published`` (passed to the extractor)     not scored; resolves "on Thursday"
``published`` month            ``published = None``: the extractor gets    (none of the 24 files has one)
                               no date and guesses one from the text as
                               for any user; relative dates may stay
                               unresolved
exchange index ``[i]``         ``event_id`` = ``realnews-RNNN-i``          alignment labels only; the set has no
                                                                           cross-article identity, so consolidation
                                                                           is not scored on it
``status`` cancelled           ``postponed_or_cancelled``                  equality (completed/planned unchanged)
``primary`` true/false         ``mention`` primary/secondary               equality
``kind``                       ``kind`` (same values)                      equality
``date`` ``YYYY-MM-DD`` /      ``date`` (first of the month/year) and      value truncated to the precision, and
``YYYY-MM`` / ``YYYY``         ``date_precision`` day/month/year (from     the precision must agree
                               the string length)
``parties``, ``mediators``     same names, through ``normalize_party``     ``normalize_party`` on both sides
                               (Houthis, Yemen government, Rapid Support   (aliases such as "Houthi", "Yemeni
                               Forces... are canonical names there)        government", "RSF" added for this set)
``counts[].claimed_by``        ``claimant_side`` = that side or            ``claimant_side`` equality; the claimant
(a side or an organisation)    organisation, ``claimant`` = None (the      name is compared only when gold has one,
                               project itself codes the UAE or Hamas as    so only the side is compared. A
                               their own ``claimant_side``)                prediction naming the ICRC as claimant
                                                                           with no side counts as a wrong claimant
``counts[]`` returned_to /     ``returned_to`` / ``number``, qualifier     (number, returned_to, qualifier)
count                          ``exact``
``composition[]``              ``breakdown[]``: category mapped by         (returned_to, category, number); the
                               :data:`CATEGORY_MAP` (branch / rank /       label (the realnews category name) is
                               civilians / women / minors /                not compared
                               wounded_or_ill / other), label = the
                               realnews category
``ages`` {returned_to, min,    two ``ages``: youngest = min and oldest =   (returned_to, bound, age); for one
max}                           max (also when min == max: the one          person both bounds are facts (R118)
                               person is both; the scorer has no
                               "either")
``named_released``             ``released_people`` (name, returned_to     fuzzy names (``names_match``)
                               None: the set does not say which side)
``ordinal`` {value,            ``ordinal`` {number, claimant None,         the number only (claimants of ordinals
claimed_by}                    claimant_side claimed_by}                   are not scored)
``cumulative_totals[]`` (per   ``cumulative_totals`` of the first primary  (returned_to, number, qualifier):
article) side / count /        exchange (completed first), as the project  qualifier ``about`` for approximate,
approximate (``as_of`` not     gold puts them; returned_to = side,         ``exact`` otherwise; predicted
kept)                          qualifier ``about`` if approximate else     over/about/almost are folded onto
                               ``exact``. An article without any exchange  ``about`` by :func:`adjust_prediction`
                               (R121) has nowhere to put one: dropped and
                               listed in :attr:`RealnewsArticle.unscored`
=============================  ==========================================  ==========================================

Two conventions differ in substance and are handled on the **prediction** side (:func:`adjust_prediction`):

* the real-news labels keep two-way totals ("218 detainees", "478 were exchanged") and hedged figures ("more than
  250", "some 220") **out** of counts, while the project records them (``returned_to`` "both", qualifier
  over/about/almost). Such predicted counts are removed before scoring: neither true nor false positives;
* cumulative totals compare exact vs approximate only (the set has a boolean), so a predicted qualifier other than
  ``exact`` becomes ``about``; a predicted two-way running total ("both") is removed like a two-way count.

The outlet's figure and a side's identical figure are two claims (R106) in both golds since 2026-12-07
(``evals/LABELLING_NOTES.md``; rule ``echo-claims``). A smaller difference is left as it is (it costs recall, and
the report shows it): the project's model has no place for running totals of an article without an exchange.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from pow_extract.records.gold import (
    GoldAge,
    GoldArticle,
    GoldBreakdown,
    GoldCount,
    GoldExchange,
    GoldOrdinal,
    GoldPerson,
    GoldTotal,
)
from pow_extract.records.schema import ArticleExtraction, BreakdownCategory, DatePrecision, ExchangeStatus

__all__ = [
    "CATEGORY_MAP",
    "REALNEWS_ENV",
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

ROOT = Path(__file__).resolve().parents[2]
REALNEWS_ENV = "POW_REALNEWS_DIR"
"""Environment variable naming the real-news folder (default: ``../shared/realnews`` beside the repository)."""

SPLITS: tuple[str, ...] = ("ru-ua", "other-exchange", "negative")
"""The real-news splits, from the Category column of INDEX.md ("ru-ua (bodies)" is ``ru-ua``)."""

STATUS_MAP: Mapping[str, ExchangeStatus] = {
    "completed": "completed",
    "planned": "planned",
    "cancelled": "postponed_or_cancelled",
}

CATEGORY_MAP: Mapping[str, BreakdownCategory] = {
    # the project codes "servicemen"/"military personnel" and "men" as "other" (evals/gold: 102, 123, 000)
    "military": "other",
    "men": "other",
    "civilians": "civilians",
    "women": "women",
    "minors": "minors",
    "wounded_or_ill": "wounded_or_ill",
    # ranks: "officers", "privates and sergeants" are "rank" in the project's gold (003, 101, 125)
    "officers": "rank",
    "privates_and_sergeants": "rank",
    # service branches: "National Guard", "border guards", "naval personnel", "police officers" are "branch"
    "national_guard": "branch",
    "armed_forces": "branch",
    "border_guards": "branch",
    "territorial_defense": "branch",
    "police": "branch",
    "navy": "branch",
    # third-country nationals and the remaining counted groups (defenders of a place, journalists, sentences)
    "foreigners": "other",
    "other": "other",
}
"""Real-news composition category -> project breakdown category."""

_PRECISIONS: Mapping[int, DatePrecision] = {10: "day", 7: "month", 4: "year"}


def default_realnews_dir() -> Path:
    """``$POW_REALNEWS_DIR``, else ``../shared/realnews`` beside the repository."""
    return Path(os.environ.get(REALNEWS_ENV) or ROOT.parent / "shared" / "realnews")


_SCHEMAS: dict[Path, ModuleType] = {}


def load_schema(realnews_dir: str | Path) -> ModuleType:
    """The set's ``gold_schema.py`` loaded by path (once per folder); writes no ``__pycache__`` there."""
    path = (Path(realnews_dir) / "gold_schema.py").resolve()
    if path in _SCHEMAS:
        return _SCHEMAS[path]
    if not path.is_file():
        raise FileNotFoundError(f"no gold_schema.py in {path.parent} (set {REALNEWS_ENV} to the real-news folder)")
    sys.dont_write_bytecode = True  # the folder is read-only: never leave a __pycache__ there
    name = f"realnews_gold_schema_{len(_SCHEMAS)}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    _SCHEMAS[path] = module
    return module


# ------------------------------------------------------------------------------------------------ INDEX.md


@dataclass(frozen=True)
class IndexRow:
    """One row of INDEX.md: how to find the page again and what the rebuilt text must hash to."""

    file: str
    outlet: str
    url: str
    pub_date: str  # the Pub. date column verbatim: the text's Date line without "Date: "
    category: str
    query: str  # the Query column without its "(rank N ...)" note
    sha256: str
    sha256_titleless: str | None  # for the T* rows, whose title line is a reconstruction
    notes: str

    @property
    def split(self) -> str:
        """``ru-ua``, ``other-exchange`` or ``negative``."""
        return self.category.split()[0]

    @property
    def article_id(self) -> str:
        return Path(self.file).stem


_RANK_NOTE = re.compile(r"\s*\(rank\b[^)]*\)\s*$")


def read_index(realnews_dir: str | Path) -> dict[str, IndexRow]:
    """The rows of INDEX.md keyed by article_id (``RNNN_slug``)."""
    path = Path(realnews_dir) / "INDEX.md"
    cells_by_file: dict[str, dict[str, str]] = {}
    header: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells if cells and cells[0] == "File" else []
            continue
        if not header or set("".join(cells)) <= set("-: ") or len(cells) != len(header):
            continue
        cells_by_file.setdefault(cells[0], {}).update(zip(header, cells, strict=True))
    rows: dict[str, IndexRow] = {}
    for file, found in cells_by_file.items():
        if "sha256" not in found:
            continue
        query_column = next((k for k in found if k.startswith("Query")), "")
        titleless = found.get("sha256 without the title line", "").strip("`") or None
        row = IndexRow(
            file=file,
            outlet=found.get("Outlet", ""),
            url=found.get("URL", ""),
            pub_date=found.get("Pub. date", ""),
            category=found.get("Category", ""),
            query=_RANK_NOTE.sub("", found.get(query_column, "")),
            sha256=found["sha256"].strip("`"),
            sha256_titleless=titleless,
            notes=found.get("Notes", ""),
        )
        rows[row.article_id] = row
    if not rows:
        raise ValueError(f"{path}: no index table with File and sha256 columns")
    return rows


_NO_BREAK = {"\u00a0": " ", "\u202f": " ", "\u2007": " "}


def _normalise_text(text: str) -> str:
    """The whitespace rules of INDEX.md (as ``check_gold.py`` applies them before hashing)."""
    text = text.removeprefix("\ufeff")
    for nbsp, space in _NO_BREAK.items():
        text = text.replace(nbsp, space)
    lines: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def text_check(text: str, row: IndexRow) -> str:
    """``ok``, ``title differs`` (a T* row whose body matches) or ``MISMATCH`` against the INDEX sha256."""
    normal = _normalise_text(text)
    if hashlib.sha256(normal.encode("utf-8")).hexdigest() == row.sha256:
        return "ok"
    rest = normal.split("\n", 1)[1] if "\n" in normal else ""
    if row.sha256_titleless and hashlib.sha256(rest.encode("utf-8")).hexdigest() == row.sha256_titleless:
        return "title differs"
    return "MISMATCH"


# ------------------------------------------------------------------------------------------------ conversion


def parse_date(value: str) -> tuple[dt.date, DatePrecision]:
    """``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY`` -> (the date, or the first of its month/year; its precision)."""
    precision = _PRECISIONS.get(len(value))
    if precision is None or not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value):
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2]), precision


def _as_dict(gold: Any) -> dict[str, Any]:
    if isinstance(gold, Mapping):
        return dict(gold)
    dump = getattr(gold, "model_dump", None)
    if dump is None:
        raise TypeError(f"expected a realnews GoldFile or its dict, not {type(gold).__name__}")
    result: dict[str, Any] = dump()
    return result


def _convert_exchange(ex: Mapping[str, Any], event_id: str) -> GoldExchange:
    date, precision = parse_date(ex["date"]) if ex.get("date") else (None, None)
    ordinal = ex.get("ordinal")
    ages = ex.get("ages")
    return GoldExchange(
        event_id=event_id,
        kind=ex["kind"],
        status=STATUS_MAP[ex["status"]],
        mention="primary" if ex["primary"] else "secondary",
        date=date,
        date_precision=precision,
        parties=list(ex["parties"]),
        mediators=list(ex["mediators"]),
        ordinal=GoldOrdinal(number=ordinal["value"], claimant_side=ordinal["claimed_by"]) if ordinal else None,
        counts=[
            GoldCount(returned_to=c["returned_to"], number=c["count"], claimant_side=c["claimed_by"])
            for c in ex["counts"]
        ],
        breakdown=[
            GoldBreakdown(
                returned_to=c["returned_to"],
                category=CATEGORY_MAP[c["category"]],
                label=c["category"],
                number=c["count"],
            )
            for c in ex["composition"]
        ],
        ages=(
            [
                GoldAge(returned_to=ages["returned_to"], bound="youngest", age=ages["min"]),
                GoldAge(returned_to=ages["returned_to"], bound="oldest", age=ages["max"]),
            ]
            if ages
            else []
        ),
        released_people=[GoldPerson(name=name) for name in ex["named_released"]],
    )


def _total(t: Mapping[str, Any]) -> GoldTotal:
    return GoldTotal(
        returned_to=t["side"],
        number=t["count"],
        qualifier="about" if t["approximate"] else "exact",
        claimant_side=t["claimed_by"],
    )


@dataclass
class RealnewsArticle:
    """One converted article: the project gold, its realnews split, and what the conversion could not keep."""

    gold: GoldArticle
    split: str
    row: IndexRow | None = None
    unscored: list[str] = field(default_factory=list)

    @property
    def article_id(self) -> str:
        return self.gold.article_id

    @property
    def has_completed(self) -> bool:
        """Whether the gold reports a completed exchange (negatives do not)."""
        return any(e.status == "completed" for e in self.gold.exchanges)


def convert_gold(gold: Any, *, row: IndexRow | None = None) -> RealnewsArticle:
    """Convert one realnews gold file (a ``GoldFile`` or its dict) into a :class:`RealnewsArticle`."""
    data = _as_dict(gold)
    article_id = Path(data["article"]).stem
    number = article_id.split("_", 1)[0]
    exchanges = [_convert_exchange(ex, f"realnews-{number}-{i}") for i, ex in enumerate(data["exchanges"])]
    unscored: list[str] = []
    published: dt.date | None = None
    if data.get("published"):
        day, precision = parse_date(data["published"])
        if precision == "day":
            published = day
        else:
            unscored.append(f"published {data['published']} has no day: the extractor gets no date")
    totals = [_total(t) for t in data["cumulative_totals"]]
    if totals:
        primaries = [e for e in exchanges if e.mention == "primary"]
        home = next((e for e in primaries if e.status == "completed"), primaries[0] if primaries else None)
        if home is None and exchanges:
            home = exchanges[0]
        if home is None:
            unscored += [f"cumulative total {t.number} to {t.returned_to}: no exchange to hold it" for t in totals]
        else:
            home.cumulative_totals.extend(totals)
    article = GoldArticle(
        article_id=article_id,
        published=published,
        outlet=row.outlet if row else None,
        split="dev",
        exchanges=exchanges,
        notes=data.get("notes") or None,
    )
    split = row.split if row else _split_from_number(number)
    return RealnewsArticle(gold=article, split=split, row=row, unscored=unscored)


def _split_from_number(number: str) -> str:
    """The split of the 24 files by their number, when INDEX.md is not at hand (R101-114, R115-120, R121-124)."""
    n = int(number.lstrip("R"))
    return "ru-ua" if n <= 114 else ("other-exchange" if n <= 120 else "negative")


def load_realnews(realnews_dir: str | Path | None = None) -> list[RealnewsArticle]:
    """Every gold file of the set, validated by its own schema, converted, sorted by name."""
    base = Path(realnews_dir) if realnews_dir is not None else default_realnews_dir()
    gold_dir = base / "gold"
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"no real-news gold at {gold_dir} (set {REALNEWS_ENV} or pass the folder)")
    schema = load_schema(base)
    index = read_index(base)
    articles: list[RealnewsArticle] = []
    for path in sorted(gold_dir.glob("*.json")):
        gold = schema.GoldFile.model_validate_json(path.read_text(encoding="utf-8"))
        articles.append(convert_gold(gold, row=index.get(path.stem)))
    return articles


# ------------------------------------------------------------------------------------------------ predictions


@dataclass
class Adjustment:
    """What :func:`adjust_prediction` changed in one prediction (for the report)."""

    two_way_counts: int = 0
    hedged_counts: int = 0
    two_way_totals: int = 0
    folded_total_qualifiers: int = 0

    @property
    def removed_counts(self) -> int:
        return self.two_way_counts + self.hedged_counts


def adjust_prediction(pred: ArticleExtraction) -> tuple[ArticleExtraction, Adjustment]:
    """The prediction in the realnews conventions (see the module doc): two-way ("both") and hedged counts and
    two-way running totals removed (neither TP nor FP), running-total qualifiers folded to exact/``about``."""
    adjustment = Adjustment()
    exchanges = []
    for exchange in pred.exchanges:
        counts = []
        for c in exchange.counts:
            if c.returned_to == "both":
                adjustment.two_way_counts += 1
            elif c.qualifier != "exact":
                adjustment.hedged_counts += 1
            else:
                counts.append(c)
        totals = []
        for t in exchange.cumulative_totals:
            if t.returned_to == "both":
                adjustment.two_way_totals += 1
                continue
            if t.qualifier not in ("exact", "about"):
                adjustment.folded_total_qualifiers += 1
                t = t.model_copy(update={"qualifier": "about"})
            totals.append(t)
        exchanges.append(exchange.model_copy(update={"counts": counts, "cumulative_totals": totals}))
    return pred.model_copy(update={"exchanges": exchanges}), adjustment


def select(articles: Sequence[RealnewsArticle], wanted: Sequence[str]) -> list[RealnewsArticle]:
    """The articles named by ``wanted`` (``R101`` or the full ``R101_slug``), in set order; unknown names raise."""
    chosen: list[RealnewsArticle] = []
    for name in wanted:
        hits = [a for a in articles if a.article_id == name or a.article_id.split("_", 1)[0] == name]
        if not hits:
            raise KeyError(name)
        chosen += [a for a in hits if a not in chosen]
    return [a for a in articles if a in chosen]
