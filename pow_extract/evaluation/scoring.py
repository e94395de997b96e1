"""Score extracted exchanges against hand-labelled gold, field by field.

Normalisation
-------------
Both sides are reduced to comparable values before anything is compared:

* parties, mediators, ``returned_to`` and ``claimant_side`` go through
  :func:`pow_extract.text.normalize.normalize_party` after folding diacritics ("Kyiv", "Ukrainian side" ->
  "Ukraine"); unknown names compare case-insensitively;
* dates are ISO dates truncated to their precision (``2024-01-31``, ``2024-01``, ``2024``; a date without a
  precision counts as a day);
* numbers are integers; qualifiers ("over", "almost", "about", "exact") must agree;
* claimant names are compared by :func:`names_match`: case, punctuation, diacritics, possessives and titles are
  ignored, demonyms are mapped to countries ("Russian" -> "Russia"), and people match at surname level with a
  fuzzy ratio ("Zelensky" = "Zelenskyy" = "Volodymyr Zelensky" = "President Zelensky"). Bodies match on their
  words in any order ("Russian Defence Ministry" = "Russia's Ministry of Defense"), and names of different
  countries never match.

Alignment
---------
Within one article, predicted exchanges are aligned to gold exchanges one-to-one by optimal assignment
(:func:`scipy.optimize.linear_sum_assignment`, maximising the summed similarity). The similarity of a pair
(:func:`exchange_similarity`) is a weighted mean, in [0, 1], of the components that are informative for that
pair:

==========  ======  =====================================================================================
component   weight  value
==========  ======  =====================================================================================
date        3       1 if the dates agree at the coarser of the two precisions, else 0; 0.5 if only one
                    side has a date; left out if neither has one
counts      3       Jaccard overlap of the two sets of count numbers; left out unless both have counts
ordinal     2       1 if the ordinal numbers are equal, else 0; left out unless both have one
parties     1       Jaccard overlap of the normalised party sets; left out unless both name parties
status      1       1 if equal, else 0
mention     1       1 if equal, else 0
kind        1       1 if equal, else 0
==========  ======  =====================================================================================

Pairs whose similarity is below :data:`MATCH_THRESHOLD` (0.5) are never matched: their exchanges stay unmatched.
So two exchanges with different dates *and* different counts do not match, but a wrong date with the right
counts (or the reverse) does, and is then scored as a wrong date.

Facts
-----
Every field is scored as atomic facts, counted as true positives (in both), false positives (predicted only)
and false negatives (gold only):

* ``exchange``: one fact per exchange (detection);
* ``kind``, ``status``, ``mention``: one fact each per exchange;
* ``date``: one fact per dated exchange, the date truncated to its precision; it is right only if value *and*
  precision agree;
* ``parties``, ``mediators``: one fact per normalised name;
* ``ordinal``: one fact (the number) when present;
* ``counts``: one fact per count, ``(number, returned_to, qualifier)``;
* ``counts.claimant``: the same facts, right only when the count is right *and* its attribution is:
  ``claimant_side`` equal (``None`` included) and, when gold names a claimant, the claimant names match. It is a
  derived field, left out of the overall micro-average (the count is already counted under ``counts``);
  :attr:`EvalReport.claimant_accuracy` reports "claimant right for X of the correct counts";
* ``breakdown``: ``(returned_to, category, number)`` (the free-text label is not compared);
* ``ages``: ``(returned_to, bound, age)``;
* ``released_people``: names matched with :func:`names_match`, ``returned_to`` must agree when both give it;
* ``cumulative_totals``: ``(returned_to, number, qualifier)``.

Claimants of ordinals and cumulative totals are not scored. When equal counts could pair up in several ways,
the pairing that keeps the most claimants right is chosen.

List fields are matched as multisets (fuzzy ones by maximum bipartite matching). Inside a matched pair of
exchanges facts are compared; every fact of an unmatched predicted exchange is a false positive and every fact of
an unmatched gold exchange a false negative. The overall score is the micro-average over all non-derived fields.

Headline numbers besides the fields: ``invented`` (predicted exchanges on articles whose gold has none),
``status_errors`` (matched gold exchanges that are planned or postponed/cancelled but predicted completed),
grounding rate (grounded figures / (grounded + flagged)), count precision and claimant accuracy.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel, Field, computed_field
from scipy.optimize import linear_sum_assignment

from pow_extract.records.gold import GoldArticle, GoldExchange
from pow_extract.records.schema import ArticleExtraction, PrisonerExchange
from pow_extract.text.names import fold, names_match
from pow_extract.text.normalize import normalize_party

__all__ = [
    "DERIVED_FIELDS",
    "FIELDS",
    "MATCH_THRESHOLD",
    "ArticleScore",
    "EvalReport",
    "ExchangeMatch",
    "FieldScore",
    "align_exchanges",
    "exchange_similarity",
    "load_report",
    "names_match",
    "score",
    "score_article",
]

FIELDS: tuple[str, ...] = (
    "exchange",
    "kind",
    "status",
    "mention",
    "date",
    "parties",
    "mediators",
    "ordinal",
    "counts",
    "counts.claimant",
    "breakdown",
    "ages",
    "released_people",
    "cumulative_totals",
)
"""Every scored field, in report order."""

DERIVED_FIELDS: frozenset[str] = frozenset({"counts.claimant"})
"""Fields that re-score facts already counted elsewhere; left out of the overall micro-average."""

MATCH_THRESHOLD = 0.5
"""Minimum :func:`exchange_similarity` for a predicted and a gold exchange to be aligned."""

SIMILARITY_WEIGHTS: Mapping[str, float] = {
    "date": 3.0,
    "counts": 3.0,
    "ordinal": 2.0,
    "parties": 1.0,
    "status": 1.0,
    "mention": 1.0,
    "kind": 1.0,
}
"""Weights of the components of :func:`exchange_similarity`."""

_EPS = 1e-9


# --------------------------------------------------------------------------------------------------- results


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


class FieldScore(BaseModel):
    """True positives, false positives and false negatives of one field, with precision, recall and F1.

    A metric is ``None`` when undefined (no facts in its denominator).
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        """TP / (TP + FP)."""
        return _ratio(self.tp, self.tp + self.fp)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        """TP / (TP + FN)."""
        return _ratio(self.tp, self.tp + self.fn)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float | None:
        """2·TP / (2·TP + FP + FN): the harmonic mean of precision and recall."""
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def __add__(self, other: FieldScore) -> FieldScore:
        return FieldScore(tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn)


class ExchangeMatch(BaseModel):
    """One aligned pair: predicted exchange ``pred_index`` is gold exchange ``gold_index`` (``event_id``)."""

    pred_index: int
    gold_index: int
    event_id: str
    similarity: float


def _empty_fields() -> dict[str, FieldScore]:
    return {name: FieldScore() for name in FIELDS}


def _micro(fields: Mapping[str, FieldScore]) -> FieldScore:
    total = FieldScore()
    for name, value in fields.items():
        if name not in DERIVED_FIELDS:
            total = total + value
    return total


class ArticleScore(BaseModel):
    """The score of one article, with enough detail to trace a regression to its exchanges and facts."""

    article_id: str
    split: str | None = None
    gold_exchanges: int = 0
    pred_exchanges: int = 0
    matches: list[ExchangeMatch] = Field(default_factory=list)
    unmatched_pred: list[int] = Field(default_factory=list, description="Indices of unmatched predicted exchanges.")
    unmatched_gold: list[str] = Field(default_factory=list, description="event_ids of unmatched gold exchanges.")
    fields: dict[str, FieldScore] = Field(default_factory=_empty_fields)
    invented: int = Field(default=0, description="Predicted exchanges, when the gold has none.")
    status_errors: int = Field(default=0, description="Planned/cancelled gold exchanges predicted as completed.")
    status_checked: int = Field(default=0, description="Matched gold exchanges that are planned or cancelled.")
    grounded_figures: int = 0
    flagged_figures: int = 0
    claimant_right: int = 0
    claimant_checked: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float | None = None
    extraction_error: str | None = Field(default=None, description="Set when extraction failed for this article.")
    errors: list[str] = Field(default_factory=list, description="Human-readable false positives and negatives.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overall(self) -> FieldScore:
        """Micro-average over the non-derived fields of this article."""
        return _micro(self.fields)


class EvalReport(BaseModel):
    """Scores of a set of articles: per field, overall, headline numbers and per article.

    ``extra`` is the slot for scores computed outside this module (e.g. ``score_consolidation``); its values
    are shown in the Markdown report but not compared by :meth:`compare`.
    """

    meta: dict[str, str] = Field(default_factory=dict, description="Split, model, prompt version, date...")
    fields: dict[str, FieldScore] = Field(default_factory=_empty_fields)
    articles: list[ArticleScore] = Field(default_factory=list)
    invented: int = 0
    no_exchange_articles: int = Field(default=0, description="Articles whose gold has no exchange.")
    status_errors: int = 0
    status_checked: int = 0
    grounded_figures: int = 0
    flagged_figures: int = 0
    claimant_right: int = 0
    claimant_checked: int = 0
    extraction_errors: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    extra: dict[str, float] = Field(
        default_factory=dict,
        description="Optional scores from other scorers, e.g. consolidation (score_consolidation).",
    )
    warnings: list[str] = Field(default_factory=list)

    # ---------------------------------------------------------------------------------------- derived numbers

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overall(self) -> FieldScore:
        """Micro-average over every non-derived field."""
        return _micro(self.fields)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def detection_precision(self) -> float | None:
        """Share of predicted exchanges matched to a gold exchange."""
        return self.fields["exchange"].precision if "exchange" in self.fields else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def detection_recall(self) -> float | None:
        """Share of gold exchanges matched to a predicted exchange."""
        return self.fields["exchange"].recall if "exchange" in self.fields else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def grounding_rate(self) -> float | None:
        """Grounded figures / (grounded + flagged figures)."""
        return _ratio(self.grounded_figures, self.grounded_figures + self.flagged_figures)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def count_precision(self) -> float | None:
        """Share of predicted counts that are correct (number, receiver and qualifier)."""
        return self.fields["counts"].precision if "counts" in self.fields else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def claimant_accuracy(self) -> float | None:
        """Of the correct counts, the share whose claimant is right too."""
        return _ratio(self.claimant_right, self.claimant_checked)

    # ---------------------------------------------------------------------------------------- construction

    @classmethod
    def from_articles(
        cls,
        articles: Sequence[ArticleScore],
        *,
        meta: Mapping[str, str] | None = None,
        extra: Mapping[str, float] | None = None,
        warnings: Sequence[str] = (),
    ) -> EvalReport:
        """Aggregate per-article scores (sums of counts; micro-averages)."""
        fields = _empty_fields()
        for article in articles:
            for name, value in article.fields.items():
                fields[name] = fields.get(name, FieldScore()) + value
        return cls(
            meta=dict(meta or {}),
            fields=fields,
            articles=list(articles),
            invented=sum(a.invented for a in articles),
            no_exchange_articles=sum(1 for a in articles if a.gold_exchanges == 0),
            status_errors=sum(a.status_errors for a in articles),
            status_checked=sum(a.status_checked for a in articles),
            grounded_figures=sum(a.grounded_figures for a in articles),
            flagged_figures=sum(a.flagged_figures for a in articles),
            claimant_right=sum(a.claimant_right for a in articles),
            claimant_checked=sum(a.claimant_checked for a in articles),
            extraction_errors=sum(1 for a in articles if a.extraction_error),
            prompt_tokens=sum(a.prompt_tokens for a in articles),
            completion_tokens=sum(a.completion_tokens for a in articles),
            extra=dict(extra or {}),
            warnings=list(warnings),
        )

    # ---------------------------------------------------------------------------------------- serialisation

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON (derived metrics included, so the file reads on its own)."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> EvalReport:
        """Read a report written by :meth:`to_json` (derived metrics are recomputed)."""
        return cls.model_validate_json(text)

    def to_markdown(self, *, max_errors_per_article: int = 25) -> str:
        """A human-readable report: headline numbers, per-field table, extra scores, per-article table, errors."""
        out: list[str] = ["# pow_extract evaluation", ""]
        if self.meta:
            out += [" · ".join(f"{k}: {v}" for k, v in self.meta.items()), ""]
        overall = self.overall
        out += [
            "## Headline",
            "",
            "| metric | value |",
            "|---|---|",
            f"| overall micro-F1 | {_fmt(overall.f1)} (P {_fmt(overall.precision)}, R {_fmt(overall.recall)}) |",
            f"| exchange detection | P {_fmt(self.detection_precision)} · R {_fmt(self.detection_recall)} |",
            f"| invented exchanges (on articles without any) | {self.invented} "
            f"over {self.no_exchange_articles} articles |",
            f"| status errors (planned/cancelled predicted completed) | {self.status_errors} "
            f"of {self.status_checked} |",
            f"| grounding rate | {_pct(self.grounding_rate)} ({self.grounded_figures} grounded, "
            f"{self.flagged_figures} flagged) |",
            f"| count precision | {_fmt(self.count_precision)} |",
            f"| claimant accuracy | claimant right for {self.claimant_right} of {self.claimant_checked} correct counts "
            f"({_pct(self.claimant_accuracy)}) |",
            f"| articles | {len(self.articles)} ({self.extraction_errors} extraction errors) |",
            f"| tokens | {self.prompt_tokens} prompt + {self.completion_tokens} completion |",
            "",
            "## Fields",
            "",
            "| field | P | R | F1 | TP | FP | FN |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, value in self.fields.items():
            label = f"{name} (derived)" if name in DERIVED_FIELDS else name
            out.append(_field_row(label, value))
        out.append(_field_row("**overall (micro)**", overall))
        out.append("")
        if self.extra:
            out += ["## Extra scores", "", "| score | value |", "|---|---:|"]
            out += [f"| {k} | {_fmt(v)} |" for k, v in self.extra.items()]
            out.append("")
        out += [
            "## Articles",
            "",
            "| article | split | gold | pred | matched | F1 | counts F1 | status err | flagged | note |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for a in self.articles:
            if a.extraction_error:
                note = "extraction failed"
            elif a.invented:
                note = f"{a.invented} invented"
            elif not a.gold_exchanges and not a.pred_exchanges:
                note = "no exchange, none predicted"
            else:
                note = ""
            out.append(
                f"| {a.article_id} | {a.split or ''} | {a.gold_exchanges} | {a.pred_exchanges} | {len(a.matches)} | "
                f"{_fmt(a.overall.f1)} | {_fmt(a.fields['counts'].f1 if 'counts' in a.fields else None)} | "
                f"{a.status_errors} | {a.flagged_figures} | {note} |"
            )
        out.append("")
        with_errors = [a for a in self.articles if a.errors or a.extraction_error]
        if with_errors:
            out += ["## Errors by article", ""]
            for a in with_errors:
                out += [f"### {a.article_id}", ""]
                if a.extraction_error:
                    out.append(f"- extraction error: {_md_escape(a.extraction_error)}")
                out += [f"- {_md_escape(e)}" for e in a.errors[:max_errors_per_article]]
                if len(a.errors) > max_errors_per_article:
                    out.append(f"- … {len(a.errors) - max_errors_per_article} more (see report.json)")
                out.append("")
        if self.warnings:
            out += ["## Warnings", ""] + [f"- {_md_escape(w)}" for w in self.warnings] + [""]
        return "\n".join(out)

    # ---------------------------------------------------------------------------------------- regressions

    def compare(self, baseline: EvalReport | Mapping[str, Any], margin: float = 0.02) -> list[str]:
        """Regressions against ``baseline``: overall F1, or any field's F1, more than ``margin`` below it.

        ``baseline`` is a report or the dict of a report's JSON. Fields undefined on either side (no facts) are
        skipped. Returns human-readable messages, empty when nothing regressed.
        """
        base = _f1_table(baseline)
        current = _f1_table(self)
        problems: list[str] = []
        for name, before in base.items():
            after = current.get(name)
            if before is None or after is None:
                continue
            if before - after > margin + _EPS:
                label = "overall micro-F1" if name == "overall" else f"field '{name}' F1"
                problems.append(
                    f"{label} fell from {before:.3f} to {after:.3f} ({after - before:+.3f}, margin {margin:.3f})"
                )
        return problems


def _f1_table(report: EvalReport | Mapping[str, Any]) -> dict[str, float | None]:
    """``{"overall": f1, field: f1, ...}`` from a report or its JSON dict (F1 recomputed from TP/FP/FN)."""
    if isinstance(report, EvalReport):
        table: dict[str, float | None] = {"overall": report.overall.f1}
        table.update({name: value.f1 for name, value in report.fields.items()})
        return table
    fields_raw = report.get("fields", {})
    fields = {name: _field_from_raw(raw) for name, raw in fields_raw.items()} if isinstance(fields_raw, dict) else {}
    table = {"overall": _micro(fields).f1}
    table.update({name: value.f1 for name, value in fields.items()})
    return table


def _field_from_raw(raw: Any) -> FieldScore:
    if isinstance(raw, dict):
        return FieldScore(tp=int(raw.get("tp", 0)), fp=int(raw.get("fp", 0)), fn=int(raw.get("fn", 0)))
    return FieldScore()


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _field_row(label: str, value: FieldScore) -> str:
    return (
        f"| {label} | {_fmt(value.precision)} | {_fmt(value.recall)} | {_fmt(value.f1)} | "
        f"{value.tp} | {value.fp} | {value.fn} |"
    )


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --------------------------------------------------------------------------------------------------- values


_PRECISION_RANK: Mapping[str, int] = {"day": 0, "report": 1, "month": 1, "year": 2}
_SINGLE_VALUED = frozenset({"exchange", "kind", "status", "mention", "date", "ordinal"})


def _party(name: str) -> str:
    """Canonical party name; unknown names are title-cased so that case never matters."""
    canonical = normalize_party(fold(name).strip())
    if canonical == "both" or canonical != canonical.lower():  # known canonical names are capitalised
        return canonical
    return canonical.title()


def _side(name: str | None) -> str | None:
    return _party(name) if name and name.strip() else None


def _truncate(date: dt.date, precision: str | None) -> str:
    """ISO date cut to its precision: '2024-01-31', '2024-01' or '2024'."""
    rank = _PRECISION_RANK.get(precision or "day", 0)
    return date.isoformat()[: (10, 7, 4)[rank]]


def _qualified(number: int, qualifier: str) -> str:
    return str(number) if qualifier == "exact" else f"{qualifier} {number}"


@dataclass(frozen=True)
class _Fact:
    """One atomic fact: ``key`` decides equality; ``text`` is how errors show it; ``who`` carries attribution."""

    key: tuple[Any, ...]
    text: str
    who: tuple[str | None, str | None] = (None, None)  # (claimant, claimant_side), counts only


@dataclass(frozen=True)
class _View:
    """An exchange (predicted or gold) reduced to normalised, comparable values."""

    label: str
    kind: str
    status: str
    mention: str
    date: dt.date | None
    precision: str | None
    parties: frozenset[str]
    count_numbers: frozenset[int]
    ordinal: int | None
    facts: Mapping[str, list[_Fact]]

    def summary(self) -> str:
        date = _truncate(self.date, self.precision) if self.date else "undated"
        counts = ", ".join(str(n) for n in sorted(self.count_numbers)) or "no counts"
        return f"{self.label} ({self.status}, {self.mention}, {self.kind}, {date}, counts: {counts})"


def _view(exchange: PrisonerExchange | GoldExchange, label: str) -> _View:
    parties = [_party(p) for p in exchange.parties if p.strip()]
    mediators = [_party(m) for m in exchange.mediators if m.strip()]
    facts: dict[str, list[_Fact]] = {
        "exchange": [_Fact(("exchange",), "exchange")],
        "kind": [_Fact((exchange.kind,), exchange.kind)],
        "status": [_Fact((exchange.status,), exchange.status)],
        "mention": [_Fact((exchange.mention,), exchange.mention)],
        "date": [],
        "parties": [_Fact((p,), p) for p in dict.fromkeys(parties)],
        "mediators": [_Fact((m,), m) for m in dict.fromkeys(mediators)],
        "ordinal": [],
        "counts": [],
        "breakdown": [],
        "ages": [],
        "released_people": [],
        "cumulative_totals": [],
    }
    if exchange.date is not None:
        iso = _truncate(exchange.date, exchange.date_precision)
        facts["date"].append(_Fact((iso,), iso))
    if exchange.ordinal is not None:
        facts["ordinal"].append(_Fact((exchange.ordinal.number,), f"#{exchange.ordinal.number}"))
    for c in exchange.counts:
        receiver = _party(c.returned_to)
        who = (c.claimant.strip() if c.claimant and c.claimant.strip() else None, _side(c.claimant_side))
        facts["counts"].append(
            _Fact((c.number, receiver, c.qualifier), f"{_qualified(c.number, c.qualifier)} to {receiver}", who)
        )
    for b in exchange.breakdown:
        receiver = _party(b.returned_to)
        facts["breakdown"].append(
            _Fact((receiver, b.category, b.number), f"{b.number} {b.category} ({b.label}) to {receiver}")
        )
    for a in exchange.ages:
        receiver = _party(a.returned_to)
        facts["ages"].append(_Fact((receiver, a.bound, a.age), f"{a.bound} aged {a.age} to {receiver}"))
    for person in exchange.released_people:
        to = _side(person.returned_to)
        facts["released_people"].append(_Fact((person.name, to), person.name + (f" to {to}" if to else "")))
    for t in exchange.cumulative_totals:
        receiver = _party(t.returned_to)
        facts["cumulative_totals"].append(
            _Fact((receiver, t.number, t.qualifier), f"{_qualified(t.number, t.qualifier)} to {receiver} in total")
        )
    return _View(
        label=label,
        kind=exchange.kind,
        status=exchange.status,
        mention=exchange.mention,
        date=exchange.date,
        precision=exchange.date_precision,
        parties=frozenset(parties),
        count_numbers=frozenset(c.number for c in exchange.counts),
        ordinal=exchange.ordinal.number if exchange.ordinal is not None else None,
        facts=facts,
    )


def _who(claim: tuple[str | None, str | None]) -> str:
    claimant, side = claim
    if claimant is None and side is None:
        return "the article itself"
    return f"{claimant or '?'} ({side or 'no side'})"


def _claimant_right(pred: _Fact, gold: _Fact) -> bool:
    """Side equal (None included) and, when gold names a claimant, names matching."""
    (p_name, p_side), (g_name, g_side) = pred.who, gold.who
    if p_side != g_side:
        return False
    return g_name is None or names_match(p_name, g_name)


# --------------------------------------------------------------------------------------------------- matching


def _assign(n: int, m: int, weight: Callable[[int, int], float]) -> list[tuple[int, int, float]]:
    """Optimal one-to-one assignment maximising the summed weight; pairs of weight 0 are not pairs."""
    if n == 0 or m == 0:
        return []
    matrix = np.zeros((n, m), dtype=float)
    for i in range(n):
        for j in range(m):
            matrix[i, j] = weight(i, j)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return [(int(i), int(j), float(matrix[i, j])) for i, j in zip(rows, cols, strict=True) if matrix[i, j] > 0]


def _jaccard(a: frozenset[Any], b: frozenset[Any]) -> float:
    return len(a & b) / len(a | b)


def _view_similarity(p: _View, g: _View) -> float:
    parts: list[tuple[float, float]] = []  # (weight, agreement)
    w = SIMILARITY_WEIGHTS
    if p.date is not None and g.date is not None:
        coarser = max(_PRECISION_RANK.get(p.precision or "day", 0), _PRECISION_RANK.get(g.precision or "day", 0))
        precision = ("day", "month", "year")[coarser]
        parts.append((w["date"], float(_truncate(p.date, precision) == _truncate(g.date, precision))))
    elif p.date is not None or g.date is not None:
        parts.append((w["date"], 0.5))
    if p.count_numbers and g.count_numbers:
        parts.append((w["counts"], _jaccard(p.count_numbers, g.count_numbers)))
    if p.ordinal is not None and g.ordinal is not None:
        parts.append((w["ordinal"], float(p.ordinal == g.ordinal)))
    if p.parties and g.parties:
        parts.append((w["parties"], _jaccard(p.parties, g.parties)))
    parts.append((w["status"], float(p.status == g.status)))
    parts.append((w["mention"], float(p.mention == g.mention)))
    parts.append((w["kind"], float(p.kind == g.kind)))
    return sum(weight * value for weight, value in parts) / sum(weight for weight, _ in parts)


def _align_views(pred: Sequence[_View], gold: Sequence[_View], threshold: float) -> list[tuple[int, int, float]]:
    sims = [[_view_similarity(p, g) for g in gold] for p in pred]

    def weight(i: int, j: int) -> float:
        return sims[i][j] if sims[i][j] >= threshold else 0.0

    return sorted(_assign(len(pred), len(gold), weight))


def exchange_similarity(pred: PrisonerExchange, gold: GoldExchange) -> float:
    """Similarity in [0, 1] of a predicted and a gold exchange (the weighted mean described in the module doc)."""
    return _view_similarity(_view(pred, "pred"), _view(gold, gold.event_id))


def align_exchanges(
    pred: Sequence[PrisonerExchange], gold: Sequence[GoldExchange], *, threshold: float = MATCH_THRESHOLD
) -> list[ExchangeMatch]:
    """Align predicted to gold exchanges one-to-one, maximising summed similarity; pairs below threshold drop."""
    p_views = [_view(e, f"pred#{i}") for i, e in enumerate(pred)]
    g_views = [_view(e, e.event_id) for e in gold]
    return [
        ExchangeMatch(pred_index=i, gold_index=j, event_id=gold[j].event_id, similarity=round(s, 6))
        for i, j, s in _align_views(p_views, g_views, threshold)
    ]


# --------------------------------------------------------------------------------------------------- facts


@dataclass
class _Tally:
    fields: dict[str, FieldScore]
    errors: list[str]
    claimant_right: int = 0
    claimant_checked: int = 0

    def add(self, name: str, tp: int, fp: int, fn: int) -> None:
        self.fields[name] = self.fields[name] + FieldScore(tp=tp, fp=fp, fn=fn)


def _fact_weight(name: str, pred: list[_Fact], gold: list[_Fact]) -> Callable[[int, int], float]:
    bonus = 1.0 / (min(len(pred), len(gold)) + 1)  # prefers right claimants without trading away a match

    def weight(i: int, j: int) -> float:
        p, g = pred[i], gold[j]
        if name == "released_people":
            (p_name, p_to), (g_name, g_to) = p.key, g.key
            receivers_ok = p_to is None or g_to is None or p_to == g_to
            return 1.0 if receivers_ok and names_match(p_name, g_name) else 0.0
        if p.key != g.key:
            return 0.0
        if name == "counts" and _claimant_right(p, g):
            return 1.0 + bonus
        return 1.0

    return weight


def _compare(p: _View | None, g: _View | None, tally: _Tally) -> None:
    """Add the facts of a matched pair (both given) or of an unmatched exchange (one given) to ``tally``."""
    matched = p is not None and g is not None
    where = f"[{g.label} ~ {p.label}] " if p is not None and g is not None else ""
    for name in FIELDS:
        if name in DERIVED_FIELDS:
            continue
        pf = p.facts[name] if p is not None else []
        gf = g.facts[name] if g is not None else []
        pairs = _assign(len(pf), len(gf), _fact_weight(name, pf, gf))
        tp = len(pairs)
        tally.add(name, tp, len(pf) - tp, len(gf) - tp)
        if name == "counts":
            right = 0
            for i, j, _ in pairs:
                if _claimant_right(pf[i], gf[j]):
                    right += 1
                else:
                    tally.errors.append(
                        f"{where}counts.claimant: {pf[i].text} attributed to {_who(pf[i].who)}, "
                        f"gold says {_who(gf[j].who)}"
                    )
            tally.claimant_right += right
            tally.claimant_checked += tp
            tally.add("counts.claimant", right, len(pf) - right, len(gf) - right)
        if not matched:
            continue
        extra = [pf[i].text for i in sorted(set(range(len(pf))) - {i for i, _, _ in pairs})]
        missing = [gf[j].text for j in sorted(set(range(len(gf))) - {j for _, j, _ in pairs})]
        if name in _SINGLE_VALUED and (extra or missing):
            tally.errors.append(
                f"{where}{name}: predicted {extra[0] if extra else 'none'}, gold {missing[0] if missing else 'none'}"
            )
            continue
        tally.errors += [f"{where}{name}: extra {text}" for text in extra]
        tally.errors += [f"{where}{name}: missing {text}" for text in missing]


# --------------------------------------------------------------------------------------------------- scoring


def score_article(
    pred: ArticleExtraction | None,
    gold: GoldArticle,
    *,
    extraction_error: str | None = None,
    threshold: float = MATCH_THRESHOLD,
) -> ArticleScore:
    """Score one article's extraction against its gold (``pred=None``: nothing extracted, every fact missed)."""
    exchanges = pred.exchanges if pred is not None else []
    p_views = [_view(e, f"pred#{i}") for i, e in enumerate(exchanges)]
    g_views = [_view(e, e.event_id) for e in gold.exchanges]
    alignment = _align_views(p_views, g_views, threshold)
    tally = _Tally(fields=_empty_fields(), errors=[])
    status_errors = status_checked = 0
    for i, j, _ in alignment:
        _compare(p_views[i], g_views[j], tally)
        if g_views[j].status != "completed":
            status_checked += 1
            if p_views[i].status == "completed":
                status_errors += 1
    matched_pred = {i for i, _, _ in alignment}
    matched_gold = {j for _, j, _ in alignment}
    unmatched_pred = [i for i in range(len(p_views)) if i not in matched_pred]
    unmatched_gold = [j for j in range(len(g_views)) if j not in matched_gold]
    for i in unmatched_pred:
        _compare(p_views[i], None, tally)
        tally.errors.append(f"exchange: extra {p_views[i].summary()}")
    for j in unmatched_gold:
        _compare(None, g_views[j], tally)
        tally.errors.append(f"exchange: missed {g_views[j].summary()}")
    grounded = sum(1 for e in exchanges for figure in e.figures() if figure.span is not None)
    return ArticleScore(
        article_id=gold.article_id,
        split=gold.split,
        gold_exchanges=len(g_views),
        pred_exchanges=len(p_views),
        matches=[
            ExchangeMatch(pred_index=i, gold_index=j, event_id=g_views[j].label, similarity=round(s, 6))
            for i, j, s in alignment
        ],
        unmatched_pred=unmatched_pred,
        unmatched_gold=[g_views[j].label for j in unmatched_gold],
        fields=tally.fields,
        invented=len(p_views) if not g_views else 0,
        status_errors=status_errors,
        status_checked=status_checked,
        grounded_figures=grounded,
        flagged_figures=len(pred.flagged) if pred is not None else 0,
        claimant_right=tally.claimant_right,
        claimant_checked=tally.claimant_checked,
        prompt_tokens=pred.usage.prompt_tokens if pred is not None else 0,
        completion_tokens=pred.usage.completion_tokens if pred is not None else 0,
        seconds=pred.seconds if pred is not None else None,
        extraction_error=extraction_error,
        errors=tally.errors,
    )


def score(
    predictions: Mapping[str, ArticleExtraction] | Iterable[ArticleExtraction],
    gold: Mapping[str, GoldArticle] | Iterable[GoldArticle],
    *,
    extraction_errors: Mapping[str, str] | None = None,
    meta: Mapping[str, str] | None = None,
    extra: Mapping[str, float] | None = None,
    threshold: float = MATCH_THRESHOLD,
) -> EvalReport:
    """Score predictions against gold, article by article, and aggregate them into an :class:`EvalReport`.

    Articles are paired by ``article_id``. A gold article without a prediction scores as an empty extraction
    (every gold fact missed); ``extraction_errors`` (article_id -> message) records why. Predictions without gold
    are ignored and reported in ``warnings``. ``extra`` fills the report's slot for other scorers' numbers
    (e.g. consolidation).
    """
    preds = dict(predictions) if isinstance(predictions, Mapping) else {p.article_id: p for p in predictions}
    golds = list(gold.values()) if isinstance(gold, Mapping) else list(gold)
    errors = dict(extraction_errors or {})
    articles = [
        score_article(preds.get(g.article_id), g, extraction_error=errors.get(g.article_id), threshold=threshold)
        for g in golds
    ]
    gold_ids = {g.article_id for g in golds}
    warnings = [f"prediction for {aid} has no gold file; not scored" for aid in sorted(set(preds) - gold_ids)]
    return EvalReport.from_articles(articles, meta=meta, extra=extra, warnings=warnings)


def load_report(data: str | bytes | Mapping[str, Any]) -> EvalReport:
    """Read a report from JSON text or from its parsed dict."""
    if isinstance(data, Mapping):
        return EvalReport.model_validate(dict(data))
    return EvalReport.model_validate(json.loads(data))
