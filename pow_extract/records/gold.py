"""Hand-labelled gold records: the values a careful human coder reads off an article (no quotes, no offsets).

One JSON file per article (``evals/gold/<article_id>.json``) validates as :class:`GoldArticle`. The fields mirror
:mod:`pow_extract.records.schema`, minus evidence; ``event_id`` says which real-world exchange a record describes, so
that consolidation across articles can be scored.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pow_extract.records.schema import (
    BreakdownCategory,
    DatePrecision,
    ExchangeKind,
    ExchangeStatus,
    Mention,
    Qualifier,
)
from pow_extract.text.normalize import normalize_parties, normalize_party


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Receiver(_Gold):
    @field_validator("returned_to", mode="before", check_fields=False)
    @classmethod
    def _side(cls, value: str | None) -> str | None:
        return normalize_party(value) if value else value


class _Claimed(_Receiver):
    claimant: str | None = None
    claimant_side: str | None = None

    @field_validator("claimant_side")
    @classmethod
    def _claimant_side(cls, value: str | None) -> str | None:
        return normalize_party(value) if value else None


class GoldCount(_Claimed):
    returned_to: str
    number: int = Field(ge=0)
    qualifier: Qualifier = "exact"


class GoldBreakdown(_Receiver):
    returned_to: str
    category: BreakdownCategory
    label: str
    number: int = Field(ge=0)


class GoldAge(_Receiver):
    returned_to: str
    bound: Literal["youngest", "oldest"]
    age: int = Field(ge=0, le=120)


class GoldPerson(_Receiver):
    name: str
    returned_to: str | None = None


class GoldTotal(_Claimed):
    returned_to: str
    number: int = Field(ge=0)
    qualifier: Qualifier = "exact"


class GoldOrdinal(_Claimed):
    number: int = Field(ge=1)


class GoldExchange(_Gold):
    """One exchange as a human coder labelled it."""

    event_id: str = Field(
        description="Key of the real-world exchange, shared by every record of it across articles, "
        "e.g. 'ru-ua-2024-01-31'."
    )
    kind: ExchangeKind = "prisoners"
    status: ExchangeStatus
    mention: Mention = "primary"
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    parties: list[str] = Field(default_factory=list)
    mediators: list[str] = Field(default_factory=list)
    ordinal: GoldOrdinal | None = None
    counts: list[GoldCount] = Field(default_factory=list)
    breakdown: list[GoldBreakdown] = Field(default_factory=list)
    ages: list[GoldAge] = Field(default_factory=list)
    released_people: list[GoldPerson] = Field(default_factory=list)
    cumulative_totals: list[GoldTotal] = Field(default_factory=list)

    @field_validator("parties", "mediators")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        return normalize_parties(value)


class GoldArticle(_Gold):
    """The gold file of one article."""

    article_id: str
    published: dt.date | None = Field(default=None, description="Publication date (input metadata for extraction).")
    outlet: str | None = None
    split: Literal["dev", "test"] = "dev"
    exchanges: list[GoldExchange] = Field(default_factory=list)
    notes: str | None = Field(default=None, description="Labelling decisions worth knowing.")


def load_gold(path: str | Path) -> GoldArticle:
    """Read and validate one gold JSON file."""
    return GoldArticle.model_validate_json(Path(path).read_text(encoding="utf-8"))


def load_gold_dir(directory: str | Path) -> list[GoldArticle]:
    """Read every ``*.json`` gold file in ``directory``, sorted by name."""
    return [load_gold(p) for p in sorted(Path(directory).glob("*.json"))]
