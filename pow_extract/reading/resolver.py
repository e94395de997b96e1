"""Grounding: find every evidence quote in the article text and check that its number is really there.

The model only copies quotes; offsets are always computed here. A quote is located by, in order:

1. **exact** match of the quote in the text;
2. **normalized** match: case, curly quotes and apostrophes, dashes, bullets and runs of whitespace folded, with
   a map back to the original offsets;
3. **fuzzy** match: the best-aligned window of the normalised text (rapidfuzz ``partial_ratio_alignment``),
   accepted at ``min_fuzzy_score`` (0.90 by default) and recorded with its score;
4. **fuzzy sentence** match: the sentence of the text most like the whole quote (rapidfuzz ``ratio``), accepted at
   the same score. A quote that rewords its sentence a little ("each return 90" for "have each returned 90 ... in a
   swap") is shorter or longer than any window step 3 tries; compared whole with each sentence, it is found.

A figure is *flagged* when its quote is not found, or when its number does not occur in the located text
(digits with or without thousands separators, or a number word). By default flagged figures are dropped from the
record and listed in ``ArticleExtraction.flagged`` with the reason; nothing ungrounded passes silently. A released
person whose quote is not found but whose name is in the text is grounded on the first sentence that names them
(noted in the warnings): the name is the fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from pow_extract.records.schema import (
    AgeBound,
    ArticleExtraction,
    Evidence,
    ExchangeOrdinal,
    FlaggedFigure,
    MatchKind,
    PrisonerExchange,
    ReleasedPerson,
    Span,
)
from pow_extract.text.lexicon import DEMONYMS
from pow_extract.text.normalize import _ALIASES
from pow_extract.text.numbers import find_numbers
from pow_extract.text.sentences import sentence_spans, sentences_naming

_FOLD = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
        "–": "-", "—": "-", "‑": "-", "‒": "-", "−": "-", "―": "-",
        "•": " ", "·": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ",
        "…": ".",
    }
)  # fmt: skip


@dataclass(frozen=True)
class _Normalized:
    text: str
    index: list[int]  # index[i] = offset in the original text of normalised character i


def _normalize(text: str) -> _Normalized:
    out: list[str] = []
    index: list[int] = []
    previous_space = True
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            if previous_space:
                continue
            out.append(" ")
            index.append(i)
            previous_space = True
            continue
        for low in ch.lower():  # "İ".lower() is two characters: keep one index per output character
            out.append(low)
            index.append(i)
        previous_space = False
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return _Normalized("".join(out), index)


class Grounder:
    """Locates quotes in one article text. Build once per article; ``locate`` is cheap after that."""

    def __init__(self, text: str, *, min_fuzzy_score: float = 0.90) -> None:
        self.text = text
        self.min_fuzzy_score = min_fuzzy_score
        self._norm = _normalize(text)
        self._sentences: list[tuple[int, int, str]] | None = None  # (start, end, normalised text), on first use

    def locate(self, quote: str) -> Span | None:
        """Return where ``quote`` stands in the text, or None when it is not there."""
        quote = quote.strip()
        if not quote:
            return None
        start = self.text.find(quote)
        if start >= 0:
            return Span(start=start, end=start + len(quote), match="exact", score=1.0)
        nq = _normalize(quote).text.strip(" .,;:'\"")
        if not nq:
            return None
        pos = self._norm.text.find(nq)
        if pos >= 0:
            return self._span_from_norm(pos, pos + len(nq), "normalized", 1.0)
        if len(nq) < 12:
            return None  # too short for a fuzzy match to mean anything
        alignment = fuzz.partial_ratio_alignment(nq, self._norm.text, score_cutoff=self.min_fuzzy_score * 100)
        if alignment is None or alignment.score <= 0 or alignment.dest_end <= alignment.dest_start:
            return self._locate_sentence(nq)
        if alignment.score < self.min_fuzzy_score * 100:
            return self._locate_sentence(nq)
        span = self._span_from_norm(alignment.dest_start, alignment.dest_end, "fuzzy", round(alignment.score / 100, 4))
        return self._to_word_boundaries(span)

    def _locate_sentence(self, normalized_quote: str) -> Span | None:
        """The sentence most like the whole (normalised) quote, when it is at least ``min_fuzzy_score`` alike."""
        if self._sentences is None:
            self._sentences = [
                (start, end, _normalize(self.text[start:end]).text.strip()) for start, end in sentence_spans(self.text)
            ]
        best: tuple[float, int, int] | None = None
        for start, end, sentence in self._sentences:
            score = fuzz.ratio(normalized_quote, sentence, score_cutoff=self.min_fuzzy_score * 100)
            if score and (best is None or score > best[0]):
                best = (score, start, end)
        if best is None:
            return None
        return Span(start=best[1], end=best[2], match="fuzzy", score=round(best[0] / 100, 4))

    def _to_word_boundaries(self, span: Span) -> Span:
        """Widen a fuzzy span that starts or ends inside a word to the whole word."""
        start, end = span.start, span.end
        while start > 0 and self.text[start - 1].isalnum() and self.text[start].isalnum():
            start -= 1
        while end < len(self.text) and self.text[end].isalnum() and self.text[end - 1].isalnum():
            end += 1
        return Span(start=start, end=end, match=span.match, score=span.score)

    def _span_from_norm(self, start: int, end: int, match: MatchKind, score: float) -> Span:
        index = self._norm.index
        begin = index[start]
        finish = index[end - 1] + 1
        return Span(start=begin, end=finish, match=match, score=score)

    def contains_name(self, name: str) -> bool:
        """True when ``name``, one of its known aliases or its country's nationality word occurs in the text
        (case-insensitive, whole words): "Switzerland" is named by "the Swiss government"."""
        canonical = _ALIASES.get(name.lower(), name)
        candidates = {name.lower(), canonical.lower()} | {a for a, c in _ALIASES.items() if c == canonical}
        candidates |= {word for word, country in DEMONYMS.items() if country in (name, canonical)}
        haystack = self._norm.text
        return any(re.search(rf"(?<!\w){re.escape(c)}(?!\w)", haystack) for c in candidates if len(c) > 1)


def number_in_text(number: int, text: str, cardinal: bool = False) -> bool:
    """True when ``number`` is written in ``text``: 3035, 3,035, 3 035, 3.035, 50th, or in words ("five",
    "ninety-five", "fiftieth": the one number reader). With ``cardinal``, an ordinal ("50th", "first") does not
    count: "the first phase" is no count of 1."""
    digits = str(number)
    grouped = f"{number:,}"
    patterns = {re.escape(digits)}
    if number >= 1000:
        for sep in (",", ".", " ", "\u00a0", "\u202f", "'"):
            patterns.add(re.escape(grouped.replace(",", sep)))
    suffix = r"|st\b|nd\b|rd\b|th\b" if cardinal else ""
    if re.search(rf"(?<![\d.,])(?:{'|'.join(patterns)})(?![\d]|[.,]\d{suffix})", text):
        return True
    return any(
        mention.words and mention.value == number and not (cardinal and mention.ordinal)
        for mention in find_numbers(text)
    )


def _figure_number(figure: Evidence) -> int | None:
    if isinstance(figure, AgeBound):
        return figure.age
    value = getattr(figure, "number", None)
    return value if isinstance(value, int) else None


_LIST_FIELDS = ("counts", "breakdown", "ages", "released_people", "cumulative_totals")


def ground(
    result: ArticleExtraction, *, drop_ungrounded: bool = True, min_fuzzy_score: float = 0.90
) -> ArticleExtraction:
    """Locate every quote of ``result`` in ``result.text``, set spans, and flag (by default drop) what fails.

    Also drops mediators the article never names, dates whose ``date_text`` is not in the article, and whole
    exchanges whose anchor quote is not in the article and that keep no grounded figure.
    """
    if result.text is None:
        raise ValueError("ground() needs the article text on the result")
    grounder = Grounder(result.text, min_fuzzy_score=min_fuzzy_score)
    kept: list[PrisonerExchange] = []
    for index, exchange in enumerate(result.exchanges):
        exchange.span = grounder.locate(exchange.quote)
        for name in ("counts", "breakdown", "ages", "released_people", "cumulative_totals", "ordinal"):
            value = getattr(exchange, name)
            items: list[Evidence] = value if isinstance(value, list) else ([value] if value is not None else [])
            good: list[Evidence] = []
            for figure in items:
                reason = _check(grounder, figure)
                if reason is not None and isinstance(figure, ReleasedPerson) and _ground_by_name(grounder, figure):
                    result.warnings.append(
                        f"exchange {index}: the quote of released person {figure.name!r} is not in the article; "
                        "grounded on the sentence that names them"
                    )
                    reason = None
                if reason is None:
                    good.append(figure)
                    continue
                result.flagged.append(
                    FlaggedFigure(
                        exchange_index=index,
                        field=name,
                        reason=reason,
                        figure=figure.model_dump(mode="json", exclude={"span"}),
                    )
                )
                if not drop_ungrounded:
                    good.append(figure)
            if name in _LIST_FIELDS:
                setattr(exchange, name, good)
            else:
                exchange.ordinal = good[0] if good else None  # type: ignore[assignment]
        if exchange.date_text and grounder.locate(exchange.date_text) is None:
            result.warnings.append(
                f"exchange {index}: date words {exchange.date_text!r} are not in the article; date dropped"
            )
            exchange.date = exchange.date_precision = exchange.date_text = None
        unknown = [m for m in exchange.mediators if not grounder.contains_name(m)]
        if unknown:
            result.warnings.append(f"exchange {index}: mediator(s) {unknown} not named in the article; dropped")
            exchange.mediators = [m for m in exchange.mediators if m not in unknown]
        if exchange.span is None and not exchange.figures():
            result.warnings.append(
                f"exchange {index}: its quote {exchange.quote[:80]!r} is not in the article and no figure of it "
                "is grounded; dropped"
            )
            continue
        kept.append(exchange)
    result.exchanges = kept
    return result


def _ground_by_name(grounder: Grounder, person: ReleasedPerson) -> bool:
    """A released person is the name itself: when the model's quote is not in the text but the name is (whole
    words), the person is grounded on the first sentence that names them, which becomes the quote."""
    name = person.name.strip()
    bounds = next(sentences_naming(grounder.text, name), None) if len(name) > 1 else None
    if bounds is None:
        return False
    person.quote = grounder.text[bounds[0] : bounds[1]]
    person.span = Span(start=bounds[0], end=bounds[1], match="exact", score=1.0)
    return True


def _check(grounder: Grounder, figure: Evidence) -> str | None:
    figure.span = grounder.locate(figure.quote)
    if figure.span is None:
        return "quote not found in the article"
    number = _figure_number(figure)
    if number is not None:
        located = grounder.text[figure.span.start : figure.span.end]
        if not number_in_text(number, located, cardinal=not isinstance(figure, ExchangeOrdinal)):
            figure.span = None
            return f"number {number} does not occur in its quote"
        if isinstance(figure, ExchangeOrdinal) and not any(
            n.ordinal and n.value == number for n in find_numbers(located)
        ):
            figure.span = None
            return f"ordinal {number} is not written as an ordinal in its quote (e.g. '{number}th')"
    return None
