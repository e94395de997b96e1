"""Split an article that does not fit the model's context into overlapping chunks, and merge their records.

Chunks follow paragraph boundaries (a paragraph longer than a chunk is cut at sentence ends, then hard-cut), and
each chunk repeats the end of the previous one (``overlap_chars``) so a sentence on the border is seen whole by
one of them. Every chunk is an exact substring of the article, so grounding against the full text still works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pow_extract.records.schema import PrisonerExchange

CHARS_PER_TOKEN = 3.5  # English news text with the Qwen/GPT tokenisers: about 3.5-4.5 characters a token


@dataclass(frozen=True)
class Chunk:
    """A slice ``text[start:end]`` of the article."""

    start: int
    end: int
    text: str


def estimate_tokens(text: str) -> int:
    """A conservative token estimate for budgeting (over- rather than under-estimates)."""
    return int(len(text) / CHARS_PER_TOKEN) + 1


def chunk_text(text: str, max_tokens: int, *, overlap_chars: int = 400) -> list[Chunk]:
    """Cut ``text`` into chunks of at most ``max_tokens`` (estimated), overlapping by about ``overlap_chars``."""
    if max_tokens <= 0:
        raise ValueError("max_tokens must be positive")
    limit = int(max_tokens * CHARS_PER_TOKEN)
    if len(text) <= limit:
        return [Chunk(0, len(text), text)]
    overlap = min(overlap_chars, limit // 4)
    cuts = _boundaries(text)
    chunks: list[Chunk] = []
    start = 0
    while start < len(text):
        hard_end = min(len(text), start + limit)
        if hard_end >= len(text):
            end = len(text)
        else:
            candidates = [c for c in cuts if start + limit // 2 < c <= hard_end]
            end = max(candidates) if candidates else hard_end
        chunks.append(Chunk(start, end, text[start:end]))
        if end >= len(text):
            break
        next_start = end - overlap
        starts = [c for c in cuts if next_start <= c < end]
        start = min(starts) if starts else max(next_start, start + 1)
    return chunks


def _boundaries(text: str) -> list[int]:
    paragraph = [m.end() for m in re.finditer(r"\n\s*\n", text)]
    sentence = [m.end() for m in re.finditer(r"[.!?][\"'”’)]?\s+", text)]
    return sorted(set(paragraph + sentence))


def _key(exchange: PrisonerExchange) -> tuple[object, ...]:
    when = exchange.date.isoformat() if exchange.date else (exchange.date_text or "").lower().strip()
    return (exchange.status, exchange.kind, when, exchange.date_precision, tuple(sorted(exchange.parties)))


def merge_chunk_exchanges(per_chunk: list[list[PrisonerExchange]]) -> list[PrisonerExchange]:
    """Merge the records of one article (of all its chunks, or one list that names an exchange twice): records
    with the same status, kind, date (and its precision) and parties become one - the one merge of same-exchange
    records within an article.

    Figures are united and exact duplicates (same kind of figure, values and quote) removed. A record seen as
    primary in any chunk stays primary.
    """
    merged: dict[tuple[object, ...], PrisonerExchange] = {}
    order: list[tuple[object, ...]] = []
    for exchanges in per_chunk:
        for exchange in exchanges:
            key = _key(exchange)
            if key not in merged:
                merged[key] = exchange.model_copy(deep=True)
                order.append(key)
                continue
            target = merged[key]
            if exchange.mention == "primary":
                target.mention = "primary"
            for name in ("counts", "breakdown", "ages", "released_people", "cumulative_totals"):
                existing = getattr(target, name)
                seen = {item.model_dump_json(exclude={"span"}) for item in existing}
                for item in getattr(exchange, name):
                    dump = item.model_dump_json(exclude={"span"})
                    if dump not in seen:
                        existing.append(item)
                        seen.add(dump)
            target.mediators = list(dict.fromkeys([*target.mediators, *exchange.mediators]))
            if target.ordinal is None and exchange.ordinal is not None:
                target.ordinal = exchange.ordinal
    return [merged[k] for k in order]
