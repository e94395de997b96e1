"""Review view: one self-contained HTML page showing each article with its evidence highlighted.

For every article the page shows the article text with each grounded figure's span wrapped in ``<mark>``
(colour-coded by field), and a side panel listing the extracted exchanges, their claims and the figures that
were flagged as ungrounded. Clicking a record in the panel scrolls to its evidence and briefly emphasises it;
clicking a highlight shows its record in the panel. The page carries its CSS and JavaScript inline and
references no network asset, so it can be opened offline, attached to an issue or archived next to the
extraction results.

Spans may overlap (an exchange's anchor sentence contains its counts, two claims can share words): the text is
split at every span boundary into non-overlapping segments, and each segment lists every figure it belongs to
in ``data-figs`` (space separated, most specific first), so ``mark[data-figs~="<id>"]`` selects all segments of
one figure. Figures without a usable span are still listed in the panel, marked "not located".

Every piece of article text and every model-produced string is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pow_extract.records.schema import (
    AgeBound,
    ArticleExtraction,
    BreakdownItem,
    CountClaim,
    CumulativeTotal,
    Evidence,
    ExchangeOrdinal,
    FlaggedFigure,
    PrisonerExchange,
    ReleasedPerson,
    Span,
)

__all__ = ["DEFAULT_TITLE", "FIELDS", "render", "to_html"]

DEFAULT_TITLE = "pow_extract review"

#: Highlighted fields in legend order: (key, legend label, colour). The key is used in CSS classes
#: (``f-<key>``), in ``data-fields`` and in figure ids.
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("counts", "Counts", "#ffd54f"),
    ("breakdown", "Breakdown", "#90caf9"),
    ("ages", "Ages", "#ce93d8"),
    ("people", "Released people", "#a5d6a7"),
    ("totals", "Cumulative totals", "#ffab91"),
    ("ordinal", "Ordinal", "#80deea"),
    ("date", "Date", "#f48fb1"),
    ("exchange", "Exchange anchor", "#cfd8dc"),
)
_FIELD_RANK = {key: rank for rank, (key, _, _) in enumerate(FIELDS)}


@dataclass(frozen=True)
class _Mark:
    """One highlight request: a figure's span in the article text."""

    fig_id: str
    field: str
    start: int
    end: int
    label: str
    match: str


# --------------------------------------------------------------------------------------------------------------
# public API


def to_html(extractions: ArticleExtraction | Iterable[ArticleExtraction], *, title: str = DEFAULT_TITLE) -> str:
    """Render one or several extraction results as a self-contained HTML review page.

    ``extractions`` is one :class:`~pow_extract.records.schema.ArticleExtraction` or any iterable of them. The page
    inlines its CSS and JavaScript and loads nothing from the network. Usable as a method:
    ``ArticleExtraction.to_html = to_html`` makes ``result.to_html()`` work.
    """
    articles = _as_list(extractions)
    sections = "\n".join(_article_section(index, article) for index, article in enumerate(articles))
    if not articles:
        sections = '<p class="empty">No articles to show.</p>'
    return _PAGE.format(
        title=html.escape(title),
        css=_CSS,
        js=_JS,
        summary=_summary(articles),
        legend=_legend(),
        nav=_nav(articles),
        sections=sections,
    )


def render(
    extractions: ArticleExtraction | Iterable[ArticleExtraction], path: str | Path, *, title: str = DEFAULT_TITLE
) -> Path:
    """Write the review page for ``extractions`` to ``path`` (UTF-8; parent folders are created); return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_html(extractions, title=title), encoding="utf-8")
    return target


# --------------------------------------------------------------------------------------------------------------
# page parts


def _as_list(extractions: ArticleExtraction | Iterable[ArticleExtraction]) -> list[ArticleExtraction]:
    # pydantic models are themselves iterable (over their fields): test for the single-record case first
    if isinstance(extractions, ArticleExtraction):
        return [extractions]
    articles = list(extractions)
    for item in articles:
        if not isinstance(item, ArticleExtraction):
            raise TypeError(f"expected ArticleExtraction records, got {type(item).__name__}")
    return articles


def _summary(articles: Sequence[ArticleExtraction]) -> str:
    exchanges = sum(len(a.exchanges) for a in articles)
    figures = sum(len(x.figures()) for a in articles for x in a.exchanges)
    flagged = sum(len(a.flagged) for a in articles)
    return (
        f"{len(articles)} article{'s' if len(articles) != 1 else ''} · {exchanges} exchange"
        f"{'s' if exchanges != 1 else ''} · {figures} figure{'s' if figures != 1 else ''} · "
        f"{flagged} flagged"
    )


def _legend() -> str:
    items = "".join(
        f'<button type="button" class="legend-item" data-toggle-field="{key}" title="Show or hide {label.lower()}">'
        f'<span class="sw f-{key}"></span>{html.escape(label)}</button>'
        for key, label, _ in FIELDS
    )
    return f'<div class="legend" aria-label="Legend (click to show or hide a field)">{items}</div>'


def _nav(articles: Sequence[ArticleExtraction]) -> str:
    if len(articles) < 2:
        return ""
    links = "".join(
        f'<li><a href="#art-{i}">{html.escape(a.article_id)}</a> <span class="muted">'
        f"({len(a.exchanges)} exch., {len(a.flagged)} flagged)</span></li>"
        for i, a in enumerate(articles)
    )
    return f'<nav class="toc"><ol>{links}</ol></nav>'


def _article_section(index: int, article: ArticleExtraction) -> str:
    prefix = f"a{index}"
    marks = _collect_marks(prefix, article)
    located = {m.fig_id for m in marks}
    meta_parts = [
        part
        for part in (
            article.source,
            article.published.isoformat() if article.published else None,
            f"model {article.model}" if article.model else None,
            f"prompt {article.prompt_version}" if article.prompt_version else None,
        )
        if part
    ]
    meta = " · ".join(html.escape(part) for part in meta_parts)
    if article.text is None:
        body = '<p class="notext">The article text is not included in this result: nothing can be highlighted.</p>'
    else:
        body = f'<div class="article-text">{_highlight(article.text, marks)}</div>'
    return (
        f'<section class="article" id="art-{index}" data-article-id="{html.escape(article.article_id)}">'
        f'<div class="text-col"><h2>{html.escape(article.article_id)}</h2>'
        f'<p class="meta">{meta}</p>{body}</div>'
        f'<aside class="panel">{_panel(prefix, article, located)}</aside></section>'
    )


# --------------------------------------------------------------------------------------------------------------
# highlights


def _usable(span: Span | None, text: str | None) -> bool:
    return span is not None and text is not None and 0 <= span.start < span.end <= len(text)


def _figure_id(prefix: str, x_index: int, field: str, f_index: int | None = None) -> str:
    base = f"{prefix}-x{x_index}-{field}"
    return base if f_index is None else f"{base}-{f_index}"


def _exchange_figures(exchange: PrisonerExchange) -> list[tuple[str, list[Evidence]]]:
    return [
        ("counts", list(exchange.counts)),
        ("breakdown", list(exchange.breakdown)),
        ("ages", list(exchange.ages)),
        ("people", list(exchange.released_people)),
        ("totals", list(exchange.cumulative_totals)),
    ]


def _collect_marks(prefix: str, article: ArticleExtraction) -> list[_Mark]:
    text = article.text
    marks: list[_Mark] = []
    if text is None:
        return marks
    for x_index, exchange in enumerate(article.exchanges):
        title = f"Exchange {x_index + 1} ({exchange.status})"
        if exchange.span is not None and _usable(exchange.span, text):
            marks.append(
                _Mark(
                    f"{prefix}-x{x_index}",
                    "exchange",
                    exchange.span.start,
                    exchange.span.end,
                    title,
                    exchange.span.match,
                )
            )
        date_span = _locate_date(text, exchange)
        if date_span is not None:
            marks.append(
                _Mark(
                    _figure_id(prefix, x_index, "date"),
                    "date",
                    date_span[0],
                    date_span[1],
                    f"{title}: date {_date_label(exchange)}",
                    "exact",
                )
            )
        ordinal = exchange.ordinal
        if ordinal is not None and ordinal.span is not None and _usable(ordinal.span, text):
            marks.append(
                _Mark(
                    _figure_id(prefix, x_index, "ordinal"),
                    "ordinal",
                    ordinal.span.start,
                    ordinal.span.end,
                    f"{title}: {_figure_summary(ordinal)}",
                    ordinal.span.match,
                )
            )
        for field, figures in _exchange_figures(exchange):
            for f_index, figure in enumerate(figures):
                fspan = figure.span
                if fspan is not None and _usable(fspan, text):
                    marks.append(
                        _Mark(
                            _figure_id(prefix, x_index, field, f_index),
                            field,
                            fspan.start,
                            fspan.end,
                            f"{title}: {_figure_summary(figure)}",
                            fspan.match,
                        )
                    )
    return marks


def _locate_date(text: str, exchange: PrisonerExchange) -> tuple[int, int] | None:
    """Find ``date_text`` in the article: inside the exchange's sentence if possible, else nearest to it.

    The schema stores no span for the date, so the renderer looks the words up itself (verbatim, else ignoring
    case); ``None`` when they are not in the text.
    """
    needle = (exchange.date_text or "").strip()
    if not needle:
        return None
    pattern = re.escape(needle)
    hits = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    if not hits:
        hits = [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
    if not hits:
        return None
    usable = exchange.span is not None and _usable(exchange.span, text)
    anchor, anchor_end = (exchange.span.start, exchange.span.end) if usable and exchange.span else (0, 0)
    inside = [hit for hit in hits if anchor <= hit[0] and hit[1] <= anchor_end]
    return inside[0] if inside else min(hits, key=lambda hit: abs(hit[0] - anchor))


def _highlight(text: str, marks: Sequence[_Mark]) -> str:
    """Escape ``text`` and wrap every marked stretch in ``<mark>``; overlaps become non-overlapping segments."""
    if not marks:
        return html.escape(text)
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    pieces: list[str] = []
    for seg_start, seg_end in itertools.pairwise(bounds):
        piece = html.escape(text[seg_start:seg_end])
        covering = [m for m in marks if m.start <= seg_start and seg_end <= m.end]
        if not covering:
            pieces.append(piece)
            continue
        # most specific first: figures before the exchange anchor, then the shortest span, then legend order
        covering.sort(key=lambda m: (m.field == "exchange", m.end - m.start, _FIELD_RANK[m.field], m.fig_id))
        primary = covering[0]
        fields = list(dict.fromkeys(m.field for m in covering))
        classes = ["hl", f"f-{primary.field}"]
        if primary.field != "exchange" and "exchange" in fields:
            classes.append("anchored")
        if sum(1 for m in covering if m.field != "exchange") > 1:
            classes.append("multi")
        if any(m.match == "fuzzy" for m in covering):
            classes.append("fuzzy")
        label = "\n".join(m.label for m in covering)
        pieces.append(
            f'<mark class="{" ".join(classes)}" data-figs="{" ".join(m.fig_id for m in covering)}" '
            f'data-fields="{" ".join(fields)}" title="{html.escape(label)}">{piece}</mark>'
        )
    return "".join(pieces)


# --------------------------------------------------------------------------------------------------------------
# side panel


def _esc(value: object) -> str:
    return html.escape(str(value))


def _number(number: int, qualifier: str = "exact") -> str:
    words = {"over": "over ", "almost": "almost ", "about": "about "}
    return f"{words.get(qualifier, '')}{number:,}"


def _claimant(figure: CountClaim | CumulativeTotal | ExchangeOrdinal) -> str:
    if not figure.claimant and not figure.claimant_side:
        return "article's own voice"
    who = figure.claimant or "unnamed"
    return f"{who} ({figure.claimant_side})" if figure.claimant_side else who


def _figure_summary(figure: Evidence) -> str:
    """Plain-text one-line description of a figure (used for tooltips)."""
    if isinstance(figure, CountClaim):
        return f"count {_number(figure.number, figure.qualifier)} → {figure.returned_to}, per {_claimant(figure)}"
    if isinstance(figure, BreakdownItem):
        return f"breakdown {figure.number:,} {figure.label} [{figure.category}] → {figure.returned_to}"
    if isinstance(figure, AgeBound):
        return f"{figure.bound} aged {figure.age} → {figure.returned_to}"
    if isinstance(figure, ReleasedPerson):
        extra = f", {figure.description}" if figure.description else ""
        to = f" → {figure.returned_to}" if figure.returned_to else ""
        return f"released {figure.name}{extra}{to}"
    if isinstance(figure, CumulativeTotal):
        as_of = f" as of {figure.as_of.isoformat()}" if figure.as_of else ""
        return (
            f"total {_number(figure.number, figure.qualifier)} → {figure.returned_to}{as_of}, per {_claimant(figure)}"
        )
    if isinstance(figure, ExchangeOrdinal):
        return f"ordinal #{figure.number}, per {_claimant(figure)}"
    return figure.quote


def _figure_html(figure: Evidence) -> str:
    """HTML body of a panel entry for one figure (all model strings escaped)."""
    if isinstance(figure, CountClaim):
        return (
            f'<b class="num">{_esc(_number(figure.number, figure.qualifier))}</b> → {_esc(figure.returned_to)}'
            f'<span class="who">per {_esc(_claimant(figure))}</span>'
        )
    if isinstance(figure, BreakdownItem):
        return (
            f'<b class="num">{figure.number:,}</b> {_esc(figure.label)} '
            f'<span class="cat">{_esc(figure.category)}</span> → {_esc(figure.returned_to)}'
        )
    if isinstance(figure, AgeBound):
        return f"{_esc(figure.bound)} aged <b class='num'>{figure.age}</b> → {_esc(figure.returned_to)}"
    if isinstance(figure, ReleasedPerson):
        desc = f", {_esc(figure.description)}" if figure.description else ""
        to = f" → {_esc(figure.returned_to)}" if figure.returned_to else ""
        return f"<b>{_esc(figure.name)}</b>{desc}{to}"
    if isinstance(figure, CumulativeTotal):
        as_of = f" as of {figure.as_of.isoformat()}" if figure.as_of else ""
        return (
            f'<b class="num">{_esc(_number(figure.number, figure.qualifier))}</b> → {_esc(figure.returned_to)}{as_of}'
            f'<span class="who">per {_esc(_claimant(figure))}</span>'
        )
    if isinstance(figure, ExchangeOrdinal):
        return f'<b class="num">#{figure.number}</b><span class="who">per {_esc(_claimant(figure))}</span>'
    return _esc(figure.quote)


def _match_badge(span: Span | None) -> str:
    if span is None or span.match == "exact":
        return ""
    return f'<span class="badge match-{span.match}" title="match kind and score">{span.match} {span.score:.2f}</span>'


def _entry(fig_id: str, field: str, body: str, quote: str, span: Span | None, located: set[str]) -> str:
    """A clickable panel entry when the figure is highlighted, a plain one flagged 'not located' otherwise."""
    if fig_id in located:
        return (
            f'<button type="button" class="rec f-{field}" data-target="{fig_id}" title="{_esc(quote)}">'
            f'<span class="sw f-{field}"></span><span class="body">{body}</span>{_match_badge(span)}</button>'
        )
    return (
        f'<div class="rec unlocated f-{field}" data-figure="{fig_id}"><span class="sw f-{field}"></span>'
        f'<span class="body">{body} <span class="badge warn">not located</span>'
        f'<q class="quote">{_esc(quote)}</q></span></div>'
    )


def _date_label(exchange: PrisonerExchange) -> str:
    if exchange.date is not None:
        formats = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
        return exchange.date.strftime(formats.get(exchange.date_precision or "day", "%Y-%m-%d"))
    return "unresolved"


def _exchange_html(prefix: str, x_index: int, exchange: PrisonerExchange, located: set[str]) -> str:
    x_id = f"{prefix}-x{x_index}"
    head_body = (
        f'<span class="xtitle">Exchange {x_index + 1}</span>'
        f'<span class="badge status-{_esc(exchange.status)}">{_esc(exchange.status.replace("_", " "))}</span>'
        f'<span class="badge">{_esc(exchange.mention)}</span><span class="badge">{_esc(exchange.kind)}</span>'
    )
    head = _entry(x_id, "exchange", head_body, exchange.quote, exchange.span, located)
    facts: list[str] = []
    if exchange.date_text or exchange.date:
        date_body = f"<b>{_esc(_date_label(exchange))}</b>"
        if exchange.date_text:
            date_body += f' <span class="muted">“{_esc(exchange.date_text)}”</span>'
        date_id = _figure_id(prefix, x_index, "date")
        date_entry = _entry(date_id, "date", date_body, exchange.date_text or "", None, located)
        facts.append(f"<dt>Date</dt><dd>{date_entry}</dd>")
    else:
        facts.append('<dt>Date</dt><dd class="muted">not stated</dd>')
    facts.append(f"<dt>Parties</dt><dd>{_esc(', '.join(exchange.parties)) or '<span class=muted>—</span>'}</dd>")
    facts.append(f"<dt>Mediators</dt><dd>{_esc(', '.join(exchange.mediators)) or '<span class=muted>—</span>'}</dd>")
    if exchange.ordinal is not None:
        ord_id = _figure_id(prefix, x_index, "ordinal")
        entry = _entry(
            ord_id, "ordinal", _figure_html(exchange.ordinal), exchange.ordinal.quote, exchange.ordinal.span, located
        )
        facts.append(f"<dt>Ordinal</dt><dd>{entry}</dd>")
    groups: list[str] = []
    titles = {
        "counts": "Counts (claims)",
        "breakdown": "Breakdown",
        "ages": "Ages",
        "people": "Released people",
        "totals": "Cumulative totals",
    }
    for field, figures in _exchange_figures(exchange):
        if not figures:
            continue
        items = "".join(
            "<li>"
            + _entry(_figure_id(prefix, x_index, field, i), field, _figure_html(f), f.quote, f.span, located)
            + "</li>"
            for i, f in enumerate(figures)
        )
        groups.append(
            f'<h4>{titles[field]} <span class="muted">({len(figures)})</span></h4><ul class="claims">{items}</ul>'
        )
    return (
        f'<li class="exchange mention-{_esc(exchange.mention)}">{head}<dl class="facts">{"".join(facts)}</dl>'
        f"{''.join(groups)}</li>"
    )


def _flagged_value(figure: dict[str, Any]) -> str:
    parts: list[str] = []
    for key in ("number", "age", "name", "label", "returned_to", "claimant"):
        value = figure.get(key)
        if value not in (None, ""):
            parts.append(f"{key}={value}")
    return ", ".join(parts)


def _flagged_html(flagged: Sequence[FlaggedFigure]) -> str:
    if not flagged:
        return '<p class="muted">None: every extracted figure was found in the text.</p>'
    items: list[str] = []
    for item in flagged:
        quote = item.figure.get("quote")
        value = _flagged_value(item.figure)
        items.append(
            f'<li><span class="badge warn">{_esc(item.field)}</span> exchange {item.exchange_index + 1}'
            f'{": " + _esc(value) if value else ""}<div class="reason">{_esc(item.reason)}</div>'
            f"{f'<q class=quote>{_esc(quote)}</q>' if quote else ''}</li>"
        )
    return f'<ul class="flagged">{"".join(items)}</ul>'


def _panel(prefix: str, article: ArticleExtraction, located: set[str]) -> str:
    parts = [f'<h3>Records <span class="muted">({len(article.exchanges)})</span></h3>']
    if article.exchanges:
        parts.append(
            '<ol class="exchanges">'
            + "".join(_exchange_html(prefix, i, x, located) for i, x in enumerate(article.exchanges))
            + "</ol>"
        )
    else:
        parts.append('<p class="muted">No exchange extracted from this article.</p>')
    parts.append(
        f'<h3 class="flagged-title">Flagged (ungrounded) <span class="muted">({len(article.flagged)})</span></h3>'
    )
    parts.append(_flagged_html(article.flagged))
    if article.warnings:
        warnings = "".join(f"<li>{_esc(w)}</li>" for w in article.warnings)
        parts.append(
            f'<h3>Warnings <span class="muted">({len(article.warnings)})</span></h3>'
            f'<ul class="warnings">{warnings}</ul>'
        )
    usage = article.usage
    stats = [f"{usage.total_tokens:,} tokens", f"{usage.requests} request{'s' if usage.requests != 1 else ''}"]
    if article.seconds is not None:
        stats.append(f"{article.seconds:.1f} s")
    if article.chunks != 1:
        stats.append(f"{article.chunks} chunks")
    parts.append(f'<p class="usage muted">{_esc(" · ".join(stats))}</p>')
    return "".join(parts)


# --------------------------------------------------------------------------------------------------------------
# static assets (no interpolation of data: everything dynamic lives in escaped HTML)

_CSS = (
    """
:root { --fg:#1d2327; --muted:#6b7780; --line:#dde3e8; --bg:#f6f8fa; --panel:#ffffff; --accent:#d32f2f; }
* { box-sizing: border-box; }
html { scroll-behavior: auto; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
  color:var(--fg); background:var(--bg); }
header.top { padding:14px 24px 10px; background:#fff; border-bottom:1px solid var(--line); }
header.top h1 { margin:0 0 2px; font-size:20px; }
.stats, .muted { color:var(--muted); }
.stats { margin:0 0 8px; font-size:13px; }
.legend { display:flex; flex-wrap:wrap; gap:6px; }
.legend-item { display:inline-flex; align-items:center; gap:6px; font:inherit; font-size:13px; padding:3px 9px;
  border:1px solid var(--line); border-radius:14px; background:#fff; cursor:pointer; }
.legend-item.off { opacity:.45; text-decoration:line-through; }
.sw { display:inline-block; width:12px; height:12px; border-radius:3px; flex:none; border:1px solid rgba(0,0,0,.15); }
nav.toc ol { margin:8px 0 0; padding-left:22px; columns:2; font-size:13px; }
section.article { display:grid; grid-template-columns:minmax(0,1fr) 440px; gap:20px; padding:20px 24px;
  border-bottom:3px solid var(--line); align-items:start; }
.text-col h2 { margin:0; font-size:17px; word-break:break-all; }
.meta { margin:2px 0 10px; color:var(--muted); font-size:13px; }
.article-text { white-space:pre-wrap; overflow-wrap:anywhere; background:#fff; border:1px solid var(--line);
  border-radius:8px; padding:18px 22px; font:16px/1.75 Georgia,"Times New Roman",serif; }
.notext { background:#fff3e0; border:1px solid #ffcc80; border-radius:8px; padding:12px; }
aside.panel { position:sticky; top:0; max-height:100vh; overflow:auto; background:var(--panel);
  border:1px solid var(--line); border-radius:8px; padding:10px 14px; font-size:14px; }
aside.panel h3 { margin:10px 0 6px; font-size:15px; }
aside.panel h4 { margin:8px 0 3px; font-size:12px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
ol.exchanges { list-style:none; margin:0; padding:0; }
li.exchange { border:1px solid var(--line); border-radius:6px; padding:8px; margin-bottom:10px; }
li.exchange.mention-secondary { background:#fafafa; }
.xtitle { font-weight:600; margin-right:4px; }
ul.claims, ul.flagged, ul.warnings { list-style:none; margin:0; padding:0; }
.rec { display:flex; align-items:flex-start; gap:7px; width:100%; text-align:left; font:inherit; color:inherit;
  background:none; border:1px solid transparent; border-radius:5px; padding:3px 5px; margin:1px 0; }
button.rec { cursor:pointer; }
button.rec:hover, button.rec:focus-visible { background:#eef3f7; border-color:var(--line); outline:none; }
.rec .sw { margin-top:4px; }
.rec .body { flex:1; }
.rec.unlocated { color:#555; }
.who { display:block; color:var(--muted); font-size:12.5px; }
.cat { font-size:11px; color:var(--muted); border:1px solid var(--line); border-radius:8px; padding:0 5px; }
.badge { display:inline-block; font-size:11px; line-height:16px; padding:0 6px; border-radius:8px; margin-left:3px;
  background:#eceff1; color:#37474f; white-space:nowrap; }
.badge.status-completed { background:#c8e6c9; color:#1b5e20; }
.badge.status-planned { background:#bbdefb; color:#0d47a1; }
.badge.status-postponed_or_cancelled { background:#ffe0b2; color:#e65100; }
.badge.warn { background:#ffcdd2; color:#b71c1c; }
.badge.match-fuzzy { background:#fff9c4; color:#827717; }
.badge.match-normalized { background:#e1f5fe; color:#01579b; }
dl.facts { display:grid; grid-template-columns:80px 1fr; gap:2px 8px; margin:6px 0 0; }
dl.facts dt { color:var(--muted); font-size:13px; padding-top:3px; }
dl.facts dd { margin:0; padding-top:3px; }
dl.facts dd .rec { padding:0 5px; margin:-1px 0 0 -6px; }
q.quote { display:block; font-size:12.5px; color:#555; font-style:italic; margin-top:2px; }
ul.flagged li { border-left:3px solid #e57373; padding:3px 8px; margin:4px 0; background:#fff8f8; }
.reason { font-size:13px; }
.usage { font-size:12px; margin:10px 0 0; }
mark.hl { color:inherit; border-radius:2px; padding:1px 0; scroll-margin:30vh; transition:box-shadow .2s; }
mark.f-exchange { background:rgba(176,190,197,.32); border-bottom:2px solid #90a4ae; }
mark.anchored { border-bottom:2px solid #90a4ae; }
mark.multi { box-shadow:inset 0 -3px 0 rgba(0,0,0,.35); }
mark.fuzzy { outline:1px dashed #9e9d24; }
mark.flash, .rec.flash { animation:flash 2.4s ease-out; box-shadow:0 0 0 3px var(--accent); }
@keyframes flash { 0% { box-shadow:0 0 0 5px var(--accent); } 60% { box-shadow:0 0 0 3px var(--accent); }
  100% { box-shadow:0 0 0 0 transparent; } }
"""
    + "".join(
        f".sw.f-{key}, mark.f-{key} {{ background:{colour}; }}\n"
        f"body.hide-{key} mark.f-{key} {{ background:transparent; box-shadow:none; }}\n"
        f"body.hide-{key} mark.f-{key}.anchored {{ background:rgba(176,190,197,.32); }}\n"
        for key, _, colour in FIELDS
        if key != "exchange"
    )
    + """.sw.f-exchange { background:#cfd8dc; }
body.hide-exchange mark.f-exchange { background:transparent; }
body.hide-exchange mark.f-exchange, body.hide-exchange mark.anchored { border-bottom-color:transparent; }
@media (max-width: 900px) {
  section.article { grid-template-columns:1fr; } aside.panel { position:static; max-height:none; } }
@media (prefers-reduced-motion: reduce) { mark.flash, .rec.flash { animation:none; } }
"""
)

_JS = """
(function () {
  "use strict";
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function marksFor(id) {
    var all = document.querySelectorAll("mark[data-figs]"), out = [];
    for (var i = 0; i < all.length; i++) {
      if ((" " + all[i].getAttribute("data-figs") + " ").indexOf(" " + id + " ") !== -1) { out.push(all[i]); }
    }
    return out;
  }
  function flash(elements) {
    elements.forEach(function (el) {
      if (el.powFlashTimer) { window.clearTimeout(el.powFlashTimer); }
      el.classList.remove("flash");
      void el.offsetWidth;  // restart the animation
      el.classList.add("flash");
      el.powFlashTimer = window.setTimeout(function () { el.classList.remove("flash"); el.powFlashTimer = 0; }, 2500);
    });
  }
  function showFigure(id, item) {
    var marks = marksFor(id);
    if (!marks.length) { return false; }
    marks[0].scrollIntoView({ behavior: reduced ? "auto" : "smooth", block: "center", inline: "nearest" });
    flash(item ? marks.concat([item]) : marks);
    return true;
  }
  function panelEntry(id) {
    var items = document.querySelectorAll("[data-target]");
    for (var i = 0; i < items.length; i++) { if (items[i].getAttribute("data-target") === id) { return items[i]; } }
    return null;
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var item = target.closest("[data-target]");
    if (item) { showFigure(item.getAttribute("data-target"), item); return; }
    var toggle = target.closest("[data-toggle-field]");
    if (toggle) {
      document.body.classList.toggle("hide-" + toggle.getAttribute("data-toggle-field"));
      toggle.classList.toggle("off");
      return;
    }
    var mark = target.closest("mark[data-figs]");
    if (mark) {
      var entry = panelEntry(mark.getAttribute("data-figs").split(" ")[0]);
      if (entry) {
        var panel = entry.closest("aside");
        if (panel) {
          var top = entry.offsetTop - panel.clientHeight / 2;
          panel.scrollTo({ top: Math.max(0, top), behavior: reduced ? "auto" : "smooth" });
        }
        flash([entry]);
      }
    }
  });
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pow_extract">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header class="top">
<h1>{title}</h1>
<p class="stats">{summary}</p>
{legend}
{nav}
</header>
<main>
{sections}
</main>
<script>{js}</script>
</body>
</html>
"""
