"""Killing a batch run (``pow-extract extract``) mid-way loses nothing, and ``--resume`` finishes the job.

The CLI runs as a real subprocess against the fake server, which answers every request after a delay so the run
is still going when the test interrupts it: first with SIGINT (Ctrl-C), then, resumed, with SIGKILL. A last
``--resume`` completes it. After every stop the output must be valid JSONL (after SIGKILL, at most one partial
last line); at the end every article must be in it exactly once, with its own answer, and no article already
written may have been sent to the model again.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakeserver import Behaviour, FakeServer, Recorded, grounded_answer, no_exchanges, note_article

ARTICLES = 12
DELAY = 0.2  # seconds the server takes per request
EXCHANGE = "Ukraine and Russia exchanged prisoners on Wednesday"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]


def _article(i: int) -> str:
    return f"KYIV, 6 March 2024. {EXCHANGE}, officials said.\n\nIn all {100 + i} Ukrainians came home after the swap."


def _cli() -> list[str]:
    script = shutil.which("pow-extract", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-c", "from pow_extract.cli import app; app()"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "POW_EXTRACT_"))}
    env.update(
        OPENAI_API_KEY="sk-test-interrupt",
        POW_EXTRACT_CACHE_DIR=str(tmp_path / "cache"),
        POW_EXTRACT_TIMEOUT="10",
        PYTHONUNBUFFERED="1",
        NO_COLOR="1",
    )
    return env


def _lines(path: Path) -> tuple[list[dict[str, object]], str]:
    """The complete lines of ``path`` (each must be a JSON object) and the partial last line, if any."""
    if not path.exists():
        return [], ""
    data = path.read_text(encoding="utf-8")
    *complete, partial = data.split("\n")
    return [json.loads(line) for line in complete], partial


def _done(path: Path) -> set[str]:
    records, _ = _lines(path)
    return {str(r["article_id"]) for r in records if "error" not in r}


class _Run:
    """A folder of articles, its output file and the fake server; runs of the CLI on them."""

    def __init__(self, root: Path, server: FakeServer) -> None:
        self.root, self.server = root, server
        self.out = root / "out.jsonl"
        (root / "articles").mkdir(parents=True)
        answers: dict[str, Behaviour] = {}
        for i in range(ARTICLES):
            (root / "articles" / f"a{i:02d}.txt").write_text(_article(i), encoding="utf-8")
            answers[f"a{i:02d}"] = grounded_answer(_article(i), sentence=EXCHANGE, number=100 + i)
        server.delay = DELAY
        server.responder = lambda request: answers.get(_article_of(request) or "", no_exchanges())
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, resume: bool) -> None:
        command = [
            *_cli(),
            "extract",
            str(self.root / "articles"),
            "-o",
            str(self.out),
            "--base-url",
            self.server.base_url,
            "--model",
            "fake-model",
            "-c",
            "2",
            "--no-cache",
            "-q",
        ]
        if resume:
            command.append("--resume")
        self.process = subprocess.Popen(command, env=_env(self.root), stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def ready(self, at_least: int) -> bool:
        """True once ``at_least`` articles are written; fails the test if the run ended first."""
        assert self.process is not None
        if len(_done(self.out)) >= at_least:
            return True
        if self.process.poll() is not None:
            _, err = self.process.communicate()
            pytest.fail(f"the run ended early (exit {self.process.returncode}): {err.decode(errors='replace')[-2000:]}")
        return False

    def finish(self, timeout: float = 60.0) -> tuple[int, str]:
        assert self.process is not None
        _, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, err.decode(errors="replace")

    def sent(self, since: int = 0) -> set[str | None]:
        """The articles of the chat requests the server got since request number ``since``."""
        return {_article_of(r) for r in self.server.chat_requests()[since:]}


def _wait(runs: list[tuple[_Run, int]], timeout: float = 30.0) -> None:
    """Wait until every run has written at least its number of articles."""
    deadline = time.monotonic() + timeout
    pending = list(runs)
    while pending:
        pending = [(run, n) for run, n in pending if not run.ready(n)]
        if pending and time.monotonic() > deadline:
            for run, _ in pending:
                assert run.process is not None
                run.process.kill()
            pytest.fail(f"runs too slow to write their first results within {timeout}s")
        time.sleep(0.02)


def _article_of(request: Recorded) -> str | None:
    for i in range(ARTICLES):
        if f"In all {100 + i} Ukrainians" in request.text:
            return f"a{i:02d}"
    return None


def test_interrupted_and_killed_runs_resume_to_every_article_exactly_once(
    tmp_path: Path, fake_server: FakeServer
) -> None:
    run = _Run(tmp_path, fake_server)

    # 1. Ctrl-C (SIGINT) after a few articles: exit 130, every finished result written, every line whole
    run.start(resume=False)
    _wait([(run, 3)])
    assert run.process is not None
    run.process.send_signal(signal.SIGINT)
    code, err = run.finish()
    assert code == 130, err[-2000:]
    assert "Traceback" not in err
    _, partial = _lines(run.out)
    assert partial == ""
    after_sigint = _done(run.out)
    assert 3 <= len(after_sigint) < ARTICLES
    sent = len(fake_server.chat_requests())

    # 2. --resume, then SIGKILL (no chance to clean up): the lines written still parse
    run.start(resume=True)
    _wait([(run, len(after_sigint) + 2)])
    run.process.kill()
    assert run.finish()[0] == -signal.SIGKILL
    _lines(run.out)  # every complete line parses; a partial last line may remain after SIGKILL
    after_sigkill = _done(run.out)
    assert after_sigint < after_sigkill and len(after_sigkill) < ARTICLES
    assert not run.sent(sent) & after_sigint, "a finished article was sent to the model again"
    sent = len(fake_server.chat_requests())

    # 3. --resume to the end: every article exactly once, each with its own answer
    run.start(resume=True)
    code, err = run.finish()
    assert code == 0, err[-2000:]
    records, partial = _lines(run.out)
    assert partial == ""
    ids = [str(r["article_id"]) for r in records]
    assert sorted(ids) == [f"a{i:02d}" for i in range(ARTICLES)], "every article exactly once, no error lines"
    for record in records:
        [exchange] = record["exchanges"]  # type: ignore[index]
        [claim] = exchange["counts"]
        assert claim["number"] == 100 + int(str(record["article_id"])[1:])  # its own answer, not a neighbour's
    assert not run.sent(sent) & after_sigkill, "a finished article was sent to the model again"
    for _ in range(ARTICLES):
        note_article("ok")
