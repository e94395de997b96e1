"""Articles: the input of the pipeline, and how files become articles.

``load_article`` reads a file and refuses clearly what is not an article (empty, whitespace only, binary),
decodes non-UTF-8 text (Windows-1251 is common for this news) with ``charset-normalizer``, and strips HTML to
text. The publication date can be given, or is guessed from the top of the text (a dateline or byline).
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from charset_normalizer import from_bytes

from pow_extract.records.errors import ArticleError
from pow_extract.text.lexicon import ANY_MONTH

_FULL_DATE = re.compile(
    rf"\b(?:(\d{{1,2}})\s+({ANY_MONTH})\.?,?\s+((?:19|20)\d\d)|({ANY_MONTH})\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)|"
    r"((?:19|20)\d\d)-(\d\d)-(\d\d))\b",
    re.IGNORECASE,
)
_SKIP_DATE_LINE = re.compile(r"updat|modif|copyright|©|accessed|retrieved", re.IGNORECASE)
_UNICODE_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HTML_HINT = re.compile(r"<\s*(html|body|p|div|article|br|span|h[1-6])\b", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One news article to extract from.

    Attributes:
        text: The article text. All evidence offsets refer to this exact string.
        id: A stable identifier (defaults to a hash of the text).
        published: Publication date; relative dates ("on Wednesday") are resolved against it.
        source: Where the text came from (a path or URL), kept on the result.
    """

    text: str
    id: str = ""
    published: dt.date | None = None
    source: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.text or not self.text.strip():
            raise ArticleError(f"article {self.id or self.source or '(unnamed)'} is empty")
        if not self.id:
            object.__setattr__(self, "id", hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16])
        if self.published is None:
            object.__setattr__(self, "published", guess_published(self.text))


def guess_published(text: str, *, max_lines: int = 15) -> dt.date | None:
    """Guess the publication date from a dateline or byline near the top of ``text``.

    Takes the first full date (day, month and year) in the first ``max_lines`` non-empty lines, skipping lines
    about updates or copyright. Returns None when there is none: relative dates then stay unresolved.
    """
    lines = [line for line in text.splitlines() if line.strip()][:max_lines]
    for line in lines:
        if _SKIP_DATE_LINE.search(line):
            continue
        match = _FULL_DATE.search(line)
        if match:
            parsed = _date_from_match(match)
            if parsed is not None:
                return parsed
    return None


def _date_from_match(match: re.Match[str]) -> dt.date | None:
    g = match.groups()
    try:
        if g[0]:
            return dt.datetime.strptime(f"{g[0]} {g[1][:3]} {g[2]}", "%d %b %Y").date()
        if g[3]:
            return dt.datetime.strptime(f"{g[4]} {g[3][:3]} {g[5]}", "%d %b %Y").date()
        return dt.date(int(g[6]), int(g[7]), int(g[8]))
    except ValueError:
        return None


class _TextExtractor(HTMLParser):
    _BLOCK: ClassVar[frozenset[str]] = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "tr", "blockquote"}
    )
    _SKIP: ClassVar[frozenset[str]] = frozenset(
        {"script", "style", "noscript", "template", "head", "nav", "footer", "svg"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Strip HTML to readable text: drop scripts/styles/navigation, keep paragraph breaks."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)  # entities are already decoded (convert_charrefs): never unescape twice
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def looks_like_html(text: str) -> bool:
    """True when ``text`` is HTML markup rather than plain text."""
    return len(_HTML_HINT.findall(text[:5000])) >= 2


def decode_bytes(data: bytes, *, name: str = "input") -> str:
    """Decode article bytes: UTF-8 first, else the encoding charset-normalizer detects; refuse binary data."""
    if not data:
        raise ArticleError(f"{name}: file is empty")
    if not data.strip():
        raise ArticleError(f"{name}: file has no text (whitespace only)")
    for bom, codec in _UNICODE_BOMS:  # UTF-16/32 text is full of NUL bytes: recognise it by its byte-order mark
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{name}: starts with a {codec.upper()} byte-order mark but is not {codec}") from exc
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{name}: looks like a binary file (NUL bytes), not an article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ArticleError(f"{name}: not text in any known encoding")
    text = str(best)
    control = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > 0.01 * max(1, len(text[:8192])):
        raise ArticleError(f"{name}: looks like a binary file, not an article")
    return text


def load_article(path: str | Path, *, published: dt.date | None = None, article_id: str | None = None) -> Article:
    """Read an article file (plain text or HTML, any common encoding) into an :class:`Article`.

    Raises:
        ArticleError: the file is missing, empty, whitespace only, binary, or not decodable.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise ArticleError(f"{p}: no such file") from exc
    except IsADirectoryError as exc:
        raise ArticleError(f"{p}: is a directory") from exc
    except OSError as exc:
        raise ArticleError(f"{p}: cannot read ({exc.strerror})") from exc
    text = decode_bytes(data, name=str(p))
    if looks_like_html(text):
        text = html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError(f"{p}: file has no text (whitespace only)")
    return Article(text=text, id=article_id or p.stem, published=published, source=str(p))
