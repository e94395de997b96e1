"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakeserver import FakeServer


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    """A fresh OpenAI-compatible fake server on 127.0.0.1 (see ``tests/fakeserver.py``), stopped after the test."""
    with FakeServer() as server:
        yield server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report what the fake OpenAI server went through in this session."""
    from fakeserver import TOTALS

    if TOTALS["servers"]:
        terminalreporter.write_line(
            f"fake OpenAI server: {TOTALS['servers']} servers, {TOTALS['requests']} requests, "
            f"{TOTALS['faults']} faults injected; articles noted by tests: {TOTALS['articles_ok']} extracted, "
            f"{TOTALS['articles_failed']} ended in a clear error, {TOTALS['articles_lost']} lost"
        )
