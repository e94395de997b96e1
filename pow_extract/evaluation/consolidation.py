"""Scoring consolidation against gold: pairwise precision and recall of "same exchange" decisions, using the
``event_id`` that labels each gold record with its real-world exchange."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from pow_extract.dataset.consolidate import consolidate
from pow_extract.dataset.events import MergeRules
from pow_extract.dataset.grouping import (
    Record,
    collect_records,
    date_interval,
    gap_days,
    kind_compatible,
    status_compatible,
)
from pow_extract.records.gold import GoldArticle, GoldExchange
from pow_extract.records.schema import ArticleExtraction

__all__ = ["ConsolidationScore", "score_consolidation"]


class ConsolidationScore(BaseModel):
    """Pairwise precision/recall of "same exchange" decisions against gold ``event_id`` labels."""

    precision: float
    recall: float
    f1: float
    true_positive_pairs: int
    false_positive_pairs: int
    false_negative_pairs: int
    mapped_records: int = Field(description="Predicted records matched to a gold record (the ones scored).")
    unmapped_records: int = Field(description="Predicted records with no matching gold record (ignored).")
    unmapped: list[str] = Field(default_factory=list, description="'article_id#index' of every unmapped record.")
    gold_records: int = 0
    unmatched_gold_records: int = Field(default=0, description="Gold records no predicted record matched.")
    articles_without_gold: list[str] = Field(default_factory=list)
    predicted_events: int = 0
    gold_events: int = 0


def _gold_similarity(record: Record, gold: GoldExchange, rules: MergeRules) -> float | None:
    """How well a predicted record matches a gold record of the same article; None when they cannot match."""
    ex = record.exchange
    if not status_compatible(ex.status, gold.status, rules) or not kind_compatible(ex.kind, gold.kind):
        return None
    gold_interval = date_interval(gold.date, gold.date_precision or "day")
    evidence = False
    score = 0.0
    if record.interval is not None and gold_interval is not None:
        gap = gap_days(record.interval, gold_interval)
        if gap > rules.day_tolerance:
            return None
        evidence = True
        score += 2.0 + (gap == 0 and record.precision == (gold.date_precision or "day"))
    shared = {(c.returned_to, c.number) for c in ex.counts} & {(c.returned_to, c.number) for c in gold.counts}
    if shared:
        evidence = True
        score += 2.0 * len(shared)
    if ex.ordinal is not None and gold.ordinal is not None:
        if ex.ordinal.number == gold.ordinal.number:
            evidence = True
            score += 2.0
        else:
            score -= 1.0
    if not evidence:
        return None
    score += 1.0 * (ex.status == gold.status) + 0.5 * (ex.mention == gold.mention)
    score += 0.5 * (record.parties == frozenset(gold.parties))
    return score


def _map_article(records: Sequence[Record], golds: Sequence[GoldExchange], rules: MergeRules) -> dict[int, int]:
    """Map predicted record positions to gold indexes within one article (maximum-similarity assignment)."""
    if not records or not golds:
        return {}
    from scipy.optimize import linear_sum_assignment

    forbidden = 1e6
    cost = [[forbidden] * len(golds) for _ in records]
    for i, record in enumerate(records):
        for j, gold in enumerate(golds):
            sim = _gold_similarity(record, gold, rules)
            if sim is not None:
                cost[i][j] = -sim
    rows, cols = linear_sum_assignment(cost)
    pairs = [(int(i), int(j)) for i, j in zip(rows, cols, strict=True)]
    return {records[i].position: j for i, j in pairs if cost[i][j] < forbidden}


def _pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def score_consolidation(
    extractions: Iterable[ArticleExtraction],
    gold_articles: Iterable[GoldArticle],
    *,
    rules: MergeRules | None = None,
) -> ConsolidationScore:
    """Pairwise precision, recall and F1 of :func:`consolidate`'s "same exchange" decisions against gold labels.

    Each predicted record is first mapped to at most one gold record **of the same article**: a similarity rewards
    a compatible date (given both precisions and ``day_tolerance``), equal figures for the same receiving party, an
    equal ordinal, equal status, mention and parties; pairs with incompatible status (completed vs
    postponed_or_cancelled), kind or date, or with no shared evidence at all (no date on both sides, no equal figure,
    no equal ordinal), never match. ``scipy.optimize.linear_sum_assignment`` picks the best one-to-one mapping.

    Then, over every pair of mapped records (across all articles, within one article too), "grouped together by
    consolidate()" is compared with "same gold ``event_id``". Unmapped predicted records are left out of the pairs
    but counted and listed. With no predicted (or gold) positive pair, precision (or recall) is 1.0.
    """
    rules = rules or MergeRules()
    extraction_list = list(extractions)
    gold_by_id = {g.article_id: g for g in gold_articles}
    events = consolidate(extraction_list, rules=rules)
    event_of: dict[tuple[str, int], str] = {
        (m.article_id, m.exchange_index): e.event_id for e in events for m in e.mentions
    }
    records = collect_records(extraction_list)
    by_article: dict[str, list[Record]] = {}
    for record in records:
        by_article.setdefault(record.article_id, []).append(record)

    labelled: list[tuple[str, str]] = []  # (predicted event id, gold event id)
    unmapped: list[str] = []
    articles_without_gold: list[str] = []
    gold_records = 0
    matched_gold = 0
    for article in extraction_list:
        article_records = by_article.get(article.article_id, [])
        gold = gold_by_id.get(article.article_id)
        if gold is None:
            articles_without_gold.append(article.article_id)
            unmapped.extend(f"{r.article_id}#{r.exchange_index}" for r in article_records)
            continue
        gold_records += len(gold.exchanges)
        mapping = _map_article(article_records, gold.exchanges, rules)
        matched_gold += len(mapping)
        for r in article_records:
            if r.position in mapping:
                labelled.append((event_of[r.key], gold.exchanges[mapping[r.position]].event_id))
            else:
                unmapped.append(f"{r.article_id}#{r.exchange_index}")

    both = Counter(labelled)
    predicted = Counter(p for p, _ in labelled)
    actual = Counter(g for _, g in labelled)
    tp = _pairs(both.values())
    fp = _pairs(predicted.values()) - tp
    fn = _pairs(actual.values()) - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ConsolidationScore(
        precision=precision,
        recall=recall,
        f1=f1,
        true_positive_pairs=tp,
        false_positive_pairs=fp,
        false_negative_pairs=fn,
        mapped_records=len(labelled),
        unmapped_records=len(unmapped),
        unmapped=unmapped,
        gold_records=gold_records,
        unmatched_gold_records=gold_records - matched_gold,
        articles_without_gold=articles_without_gold,
        predicted_events=len(events),
        gold_events=len({x.event_id for g in gold_by_id.values() for x in g.exchanges}),
    )
