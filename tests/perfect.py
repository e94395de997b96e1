"""What a perfect extractor would return for a gold file: shared by the scorer's example and property tests."""

from __future__ import annotations

from pow_extract.records.gold import GoldArticle, GoldExchange
from pow_extract.records.schema import (
    AgeBound,
    ArticleExtraction,
    BreakdownItem,
    CountClaim,
    CumulativeTotal,
    ExchangeOrdinal,
    PrisonerExchange,
    ReleasedPerson,
)

Q = "quoted words"


def perfect_exchange(g: GoldExchange) -> PrisonerExchange:
    """The predicted record carrying exactly the gold record's values (every quote ``Q``)."""
    return PrisonerExchange(
        quote=Q,
        kind=g.kind,
        status=g.status,
        mention=g.mention,
        date=g.date,
        date_precision=g.date_precision,
        parties=g.parties,
        mediators=g.mediators,
        ordinal=ExchangeOrdinal(quote=Q, **g.ordinal.model_dump()) if g.ordinal else None,
        counts=[CountClaim(quote=Q, **c.model_dump()) for c in g.counts],
        breakdown=[BreakdownItem(quote=Q, **b.model_dump()) for b in g.breakdown],
        ages=[AgeBound(quote=Q, **a.model_dump()) for a in g.ages],
        released_people=[ReleasedPerson(quote=Q, **p.model_dump()) for p in g.released_people],
        cumulative_totals=[CumulativeTotal(quote=Q, **t.model_dump()) for t in g.cumulative_totals],
    )


def perfect_extraction(gold: GoldArticle) -> ArticleExtraction:
    """The extraction a perfect extractor would return for ``gold``."""
    return ArticleExtraction(
        article_id=gold.article_id, published=gold.published, exchanges=[perfect_exchange(g) for g in gold.exchanges]
    )
