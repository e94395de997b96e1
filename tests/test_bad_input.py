"""Inputs that are not clean UTF-8 articles: refused with a clear ArticleError, or decoded/stripped/chunked right."""

from __future__ import annotations

import codecs
import datetime as dt
import itertools
import random
import re
from pathlib import Path

import pytest
from fakeserver import Behaviour, FakeServer, Recorded, answer, count, exchange, no_exchanges, note_article

from pow_extract.model.backends import Backend
from pow_extract.model.retry import RetryPolicy
from pow_extract.reading.article import decode_bytes, html_to_text, load_article
from pow_extract.reading.chunking import chunk_text
from pow_extract.reading.extraction import ExtractionSettings, extract
from pow_extract.records.errors import ArticleError, PowExtractError

# A news-like paragraph of our own, in Russian: the kind of text that still travels as Windows-1251.
CYRILLIC = (
    "КИЕВ, 31 января 2024 года. Украина и Россия провели обмен пленными при посредничестве "
    "Объединённых Арабских Эмиратов. Домой вернулись 207 украинских военнослужащих и гражданских, "
    "сообщил президент Владимир Зеленский. Министерство обороны России заявило, что из плена "
    "возвращены 195 российских военных. Это был пятидесятый обмен с начала войны; всего, по словам "
    "омбудсмена, из плена освобождены более 3 000 человек.\n\n"
    "«Мы помним о каждом», — написал Зеленский в Telegram. Следующий этап обмена, по его словам, уже готовится.\n"
)
DIRECT = "v1"  # a prompt version whose user message carries the article (chunk) verbatim, quotes and all
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00\x5c\x72\xa8\x66"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path: Path, *needles: str) -> str:
    with pytest.raises(ArticleError) as caught:
        load_article(path)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    assert str(path) in message
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"
    return message


# ------------------------------------------------------------------------------------------------ refused


def test_empty_file_is_refused_as_empty(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "empty.txt", b""), "file is empty")


@pytest.mark.parametrize(
    "data",
    [b"   \n\t\r\n  ", "\u00a0\u3000\u2009\n".encode(), codecs.BOM_UTF8 + b"\n\n"],
    ids=["ascii", "unicode-spaces", "bom-and-newlines"],
)
def test_whitespace_only_file_is_refused_as_whitespace_only(tmp_path: Path, data: bytes) -> None:
    _refused(_write(tmp_path, "blank.txt", data), "whitespace only")


def test_file_with_nul_bytes_is_refused_as_binary(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "data.bin", b"Prisoners were exchanged\x00\x00\x01\x02 on Wednesday"), "binary")


def test_png_image_is_refused_as_binary(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "photo.txt", PNG_HEADER + bytes(range(256)) * 4), "binary")


def test_random_bytes_without_nul_are_refused(tmp_path: Path) -> None:
    rng = random.Random(20240131)
    noise = bytes(rng.randrange(1, 256) for _ in range(4096))
    message = _refused(_write(tmp_path, "noise.dat", noise))
    assert "binary" in message or "not text" in message


def test_html_without_any_text_is_refused_as_whitespace_only(tmp_path: Path) -> None:
    markup = b"<html><head><title>x</title><script>var a = 1;</script></head><body><div> </div><p></p></body></html>"
    _refused(_write(tmp_path, "empty.html", markup), "whitespace only")


def test_directory_is_refused_as_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    _refused(folder, "is a directory")


def test_missing_file_is_refused_as_missing(tmp_path: Path) -> None:
    _refused(tmp_path / "nope.txt", "no such file")


def test_article_error_is_a_pow_extract_error_and_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleError) as caught:
        load_article(tmp_path / "nope.txt")
    assert isinstance(caught.value, PowExtractError) and isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n"])
def test_empty_article_string_is_refused_before_any_request(fake_server: FakeServer, text: str) -> None:
    backend = Backend(base_url=fake_server.base_url, model="fake-model", timeout=5.0)
    with pytest.raises(ArticleError, match="is empty"):
        extract(text, backend=backend)
    assert fake_server.requests == []


# ---------------------------------------------------------------------------------------- decoded correctly


def test_windows_1251_cyrillic_is_decoded_exactly(tmp_path: Path) -> None:
    path = _write(tmp_path, "kyiv-swap.txt", CYRILLIC.encode("cp1251"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8
    article = load_article(path)
    assert article.text == CYRILLIC
    assert article.id == "kyiv-swap" and article.source == str(path)


def test_short_windows_1251_line_is_decoded_exactly() -> None:
    line = "Украина и Россия провели обмен пленными."
    assert decode_bytes(line.encode("cp1251")) == line


def test_windows_1251_article_is_extracted_with_grounded_cyrillic_quotes(
    tmp_path: Path, fake_server: FakeServer
) -> None:
    article = load_article(_write(tmp_path, "swap.txt", CYRILLIC.encode("cp1251")), published=dt.date(2024, 1, 31))
    fake_server.script(
        answer(
            {
                "exchanges": [
                    exchange(
                        "Украина и Россия провели обмен пленными",
                        counts=[
                            count("Домой вернулись 207 украинских военнослужащих", 207, claimant="Владимир Зеленский"),
                            count("возвращены 195 российских военных", 195, returned_to="Russia"),
                        ],
                    )
                ]
            }
        )
    )
    result = extract(
        article,
        backend=Backend(base_url=fake_server.base_url, model="fake-model", timeout=5.0),
        settings=ExtractionSettings(prompt_version=DIRECT, retry=RetryPolicy(attempts=2, max_wait=0.05)),
    )
    note_article("ok")
    [record] = result.exchanges
    assert [c.number for c in record.counts] == [207, 195] and result.flagged == []
    for claim in record.counts:
        assert claim.span is not None and CYRILLIC[claim.span.start : claim.span.end] == claim.quote
    assert "Домой вернулись 207" in fake_server.chat_requests()[0].text  # the model saw real Cyrillic


def test_utf8_with_bom_is_decoded_without_the_bom(tmp_path: Path) -> None:
    article = load_article(_write(tmp_path, "bom.txt", codecs.BOM_UTF8 + CYRILLIC.encode("utf-8")))
    assert article.text == CYRILLIC


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_byte_order_mark_are_decoded_not_called_binary(tmp_path: Path, codec: str) -> None:
    data = CYRILLIC.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert load_article(_write(tmp_path, "unicode.txt", data)).text == CYRILLIC


def test_windows_line_endings_are_normalised(tmp_path: Path) -> None:
    article = load_article(_write(tmp_path, "crlf.txt", b"First line.\r\nSecond line.\r\rThird."))
    assert article.text == "First line.\nSecond line.\n\nThird."


# ---------------------------------------------------------------------------------------------------- HTML

HTML = """<!DOCTYPE html>
<html lang="en"><head><title>Swap | Example News</title>
<style>body { font-family: serif; } .ad { display: none; }</style>
<script>window.dataLayer = []; function track() { alert("tracking"); }</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Ukraine and Russia swap prisoners</h1>
<p class="byline">By A. Reporter, 31 January 2024</p>
<p>Ukraine and Russia exchanged prisoners on Wednesday.&nbsp;A total of <b>207</b> Ukrainians came home,
President Volodymyr Zelensky said &mdash; &ldquo;we remember everyone&rdquo;.</p>
<script type="text/javascript">document.write("<p>injected</p>");</script>
<p>Talks were held in Abu Dhabi &amp; Istanbul.</p>
</article>
<footer>&copy; Example News. All rights reserved.</footer>
</body></html>
"""


def test_html_file_is_stripped_to_text_without_scripts_styles_or_navigation(tmp_path: Path) -> None:
    article = load_article(_write(tmp_path, "page.html", HTML.encode("utf-8")))
    text = article.text
    assert "Ukraine and Russia exchanged prisoners on Wednesday." in text
    assert "A total of 207 Ukrainians came home" in text
    assert "Abu Dhabi & Istanbul" in text and "— “we remember everyone”" in text
    for leftover in (
        "<",
        ">",
        "alert",
        "dataLayer",
        "font-family",
        "injected",
        "Home",
        "All rights reserved",
        "&amp;",
        "&nbsp;",
        "Example News",
    ):
        assert leftover not in text, leftover
    assert "\n\n" in text  # paragraphs stay apart
    assert article.published == dt.date(2024, 1, 31)  # the byline survives stripping


def test_html_entities_are_decoded_exactly_once() -> None:
    markup = "<html><body><p>The page wrote &amp;lt;b&amp;gt; literally.</p><p>R&amp;D &lt;3</p></body></html>"
    assert html_to_text(markup) == "The page wrote &lt;b&gt; literally.\n\nR&D <3"


def test_plain_text_with_a_stray_tag_is_not_treated_as_html(tmp_path: Path) -> None:
    text = "Officials said the <p> tag story was unrelated. 207 came home.\n"
    assert load_article(_write(tmp_path, "plain.txt", text.encode())).text == text


# --------------------------------------------------------------------------------------------- long article


def _long_article(size: int = 200_000) -> str:
    rng = random.Random(7)
    paragraphs = ["KYIV, 31 January 2024. Ukraine and Russia exchanged prisoners on Wednesday."]
    i = 0
    while sum(len(p) + 2 for p in paragraphs) < size:
        i += 1
        sentences = [
            f"Paragraph {i}, sentence {j}: officials discussed item {rng.randrange(10_000)} at length."
            for j in range(rng.randrange(1, 9))
        ]
        paragraphs.append(" ".join(sentences))
    paragraphs.append("In the end, a total of 3,035 Ukrainians have come home since 2022, the ombudsman said.")
    return "\n\n".join(paragraphs)


def test_200kb_article_is_chunked_into_overlapping_exact_substrings_covering_everything() -> None:
    text = _long_article()
    assert len(text) >= 200_000
    chunks = chunk_text(text, max_tokens=4000)
    assert 10 <= len(chunks) <= 25
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert len(chunk.text) <= 4000 * 3.5
    for before, after in itertools.pairwise(chunks):
        assert before.start < after.start < before.end  # progress, and overlap
    # chunks end on paragraph or sentence boundaries, not mid-word
    assert all(text[c.end - 2 : c.end] in (".\n", "\n\n", ". ") or c.end == len(text) for c in chunks)


def _article_in(request: Recorded) -> str:
    user = request.messages[-1]["content"]
    match = re.search(r'"""\n(.*)\n"""', user, re.DOTALL)
    assert match, "article block not found in the user message"
    return match.group(1)


def test_200kb_article_is_extracted_chunk_by_chunk_and_grounded_in_the_full_text(fake_server: FakeServer) -> None:
    text = _long_article()
    total_quote = "a total of 3,035 Ukrainians have come home since 2022"

    def respond(request: Recorded) -> Behaviour:
        if total_quote in _article_in(request):
            return answer(
                {
                    "exchanges": [
                        exchange(
                            "Ukraine and Russia exchanged prisoners on Wednesday",
                            date_text="on Wednesday",
                            cumulative_totals=[{"quote": total_quote, "returned_to": "Ukraine", "number": 3035}],
                        )
                    ]
                }
            )
        return no_exchanges()

    fake_server.responder = respond
    backend = Backend(base_url=fake_server.base_url, model="fake-model", timeout=5.0, context_tokens=16_384)
    settings = ExtractionSettings(prompt_version=DIRECT, retry=RetryPolicy(attempts=2, max_wait=0.05))
    result = extract(text, backend=backend, settings=settings)
    note_article("ok")

    requests = fake_server.chat_requests()
    assert result.chunks == len(requests) >= 5
    position = 0
    for request in requests:  # every chunk sent is an exact piece of the article, in order, overlapping
        piece = _article_in(request)
        start = text.find(piece, max(0, position - 5_000))
        assert 0 <= start <= position
        position = start + len(piece)
    assert position >= len(text.rstrip())
    [record] = result.exchanges
    [total] = record.cumulative_totals
    assert total.span is not None and text[total.span.start : total.span.end] == total_quote
    assert total.span.start > 190_000  # offsets are in the full article, not in the last chunk
