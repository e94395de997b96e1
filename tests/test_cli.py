"""The pow-extract command line: exit codes, one-line errors, help, resume/cache, merge/render wiring, secrets."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakeserver import FakeServer, no_exchanges, status
from typer.testing import CliRunner, Result

from pow_extract.cli import app

SECRET = "sk-test-SECRET-cli-0123456789abcdef"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("POW_EXTRACT_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("OPENAI_BASE_URL", "POW_EXTRACT_MODEL", "POW_EXTRACT_STRUCTURED"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    for i in range(3):
        (folder / f"a{i}.txt").write_text(f"KYIV, 31 January 2024. Ukraine and Russia swapped {100 + i} prisoners.")
    (folder / "sub" / "page.html").write_text("<html><body><p>Russia returned 10 bodies.</p><p>Kyiv.</p></body></html>")
    (folder / "notes.csv").write_text("not,an,article")  # not an article suffix: ignored when walking
    return folder


def _extract(runner: CliRunner, server: FakeServer, *args: str) -> Result:
    return runner.invoke(app, ["extract", *args, "--base-url", server.base_url, "--model", "fake", "--quiet"])


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, stderr
    assert "Traceback" not in stderr
    return errors[0]


def test_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("extract", "merge", "render", "eval"):
        assert command in result.stdout
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0, sub.output
        assert "Example" in sub.stdout
    assert "--api-key" not in runner.invoke(app, ["extract", "--help"]).stdout  # hidden: prefer the environment
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout.startswith("pow-extract ")


def test_extract_ok_walks_directories(
    runner: CliRunner, fake_server: FakeServer, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["extract", str(articles), "-o", str(out), "--base-url", fake_server.base_url, "--model", "fake"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(line["article_id"] for line in lines) == ["a0", "a1", "a2", "page"]
    assert "s/article" in result.stdout and "model calls" in result.stdout  # the summary table


def test_extract_jsonl_input_glob_and_published(
    runner: CliRunner, fake_server: FakeServer, articles: Path, tmp_path: Path
) -> None:
    source = tmp_path / "batch.jsonl"
    source.write_text(json.dumps({"id": "j1", "text": "Russia and Ukraine swapped 5 prisoners."}) + "\n")
    out = tmp_path / "out.jsonl"
    result = _extract(runner, fake_server, str(source), str(articles / "a*.txt"), "-o", str(out),
                      "--published", "2024-02-01")  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = {json.loads(line)["article_id"]: json.loads(line) for line in out.read_text().splitlines()}
    assert set(lines) == {"j1", "a0", "a1", "a2"}
    assert lines["j1"]["published"] == "2024-02-01" and lines["a0"]["published"] == "2024-02-01"


def test_partial_failure_exits_1(runner: CliRunner, fake_server: FakeServer, articles: Path, tmp_path: Path) -> None:
    (articles / "empty.txt").write_text("")
    out = tmp_path / "out.jsonl"
    result = _extract(runner, fake_server, str(articles), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "1 of 5 article(s) failed" in _one_error_line(result.stderr)
    assert len(out.read_text().splitlines()) == 5


def test_total_failure_exits_2(runner: CliRunner, fake_server: FakeServer, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text(" ")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    result = _extract(runner, fake_server, str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt"),
                      "-o", str(tmp_path / "out.jsonl"))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert len(fake_server.chat_requests()) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{dir}/nothing-*.txt", "-o", "{dir}/o.jsonl"], "no file matches"),
        (["{dir}/articles", "-o", "{dir}/o.txt"], "JSONL"),
        (["{dir}/articles", "-o", "{dir}/o.jsonl", "--merge", "{dir}/m.xlsx"], "unknown output format"),
        (["{dir}/articles", "-o", "{dir}/o.jsonl", "--published", "31/01/2024"], "not a date"),
        (["{dir}/articles", "-o", "{dir}/o.jsonl", "--prompt-version", "no-such"], "unknown prompt version"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    runner: CliRunner, fake_server: FakeServer, articles: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = _extract(runner, fake_server, *[a.format(dir=tmp_path) for a in args])
    assert result.exit_code == 2, result.output
    assert message in _one_error_line(result.stderr)


def test_missing_output_option_is_a_usage_error(runner: CliRunner, articles: Path) -> None:
    assert runner.invoke(app, ["extract", str(articles)]).exit_code == 2


def test_unusable_endpoint_exits_3(runner: CliRunner, fake_server: FakeServer, articles: Path, tmp_path: Path) -> None:
    body = json.dumps({"error": {"message": f"Incorrect API key provided: {SECRET}"}})
    fake_server.default = status(401, body=body)
    out = tmp_path / "out.jsonl"
    result = _extract(runner, fake_server, str(articles), "-o", str(out), "--no-cache")
    assert result.exit_code == 3, result.output
    line = _one_error_line(result.stderr)
    assert "unusable" in line and "401" in line
    assert SECRET not in result.output


def test_bad_base_url_exits_3(runner: CliRunner, articles: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["extract", str(articles), "-o", str(tmp_path / "o.jsonl"), "--base-url", "ftp://x", "--model", "m"]
    )
    assert result.exit_code == 3
    assert "http://" in _one_error_line(result.stderr)


def test_api_key_never_printed_or_written(
    runner: CliRunner, fake_server: FakeServer, articles: Path, tmp_path: Path
) -> None:
    fake_server.responder = lambda r: (
        status(400, body=json.dumps({"error": {"message": f"rejected for {SECRET}"}}))
        if "101 prisoners" in r.text
        else no_exchanges()
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app,
        ["extract", str(articles), "-o", str(out), "--base-url", fake_server.base_url, "--model", "fake",
         "--api-key", SECRET + "-flag"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "failed a1" in result.stderr  # the failure is reported as it happens
    for text in (result.stdout, result.stderr, out.read_text()):
        assert SECRET not in text
    auth = {r.headers.get("authorization") for r in fake_server.chat_requests()}
    assert auth == {f"Bearer {SECRET}-flag"}  # the key was used, just never shown


def test_resume_and_cache(runner: CliRunner, fake_server: FakeServer, articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert _extract(runner, fake_server, str(articles), "-o", str(out)).exit_code == 0
    sent = len(fake_server.chat_requests())
    assert sent == 4
    resumed = runner.invoke(
        app, ["extract", str(articles), "-o", str(out), "--base-url", fake_server.base_url, "--model", "fake",
              "--resume"],
    )  # fmt: skip
    assert resumed.exit_code == 0
    assert "skipped (already done)" in resumed.stdout
    cached = runner.invoke(
        app, ["extract", str(articles), "-o", str(tmp_path / "again.jsonl"), "--base-url", fake_server.base_url,
              "--model", "fake"],
    )  # fmt: skip
    assert cached.exit_code == 0
    assert len(fake_server.chat_requests()) == sent  # resume and the cached re-run made no model call
    summary = dict(line.rsplit(None, 1) for line in cached.stdout.splitlines()[1:] if line.strip() and " " in line)
    assert summary["cached"].strip() == "4" and summary["model calls"].strip() == "0"
    no_cache = _extract(runner, fake_server, str(articles), "-o", str(tmp_path / "third.jsonl"), "--no-cache")
    assert no_cache.exit_code == 0 and len(fake_server.chat_requests()) == sent + 4


def test_cache_dir_option(runner: CliRunner, fake_server: FakeServer, articles: Path, tmp_path: Path) -> None:
    cache = tmp_path / "my-cache"
    args = [str(articles), "-o", str(tmp_path / "o.jsonl"), "--cache-dir", str(cache)]
    assert _extract(runner, fake_server, *args).exit_code == 0
    assert cache.is_dir() and not (tmp_path / "cache").exists()


def test_merge_and_render_skip_failed_lines(
    runner: CliRunner, fake_server: FakeServer, articles: Path, tmp_path: Path
) -> None:
    (articles / "empty.txt").write_text("")
    out = tmp_path / "out.jsonl"
    merged = tmp_path / "events.csv"
    result = _extract(runner, fake_server, str(articles), "-o", str(out), "--merge", str(merged))
    assert result.exit_code == 1 and merged.is_file()
    assert runner.invoke(app, ["merge", str(out), "-o", str(tmp_path / "e.jsonl")]).exit_code == 0
    assert runner.invoke(app, ["merge", str(out), "-o", str(tmp_path / "c.csv"), "--level", "claim"]).exit_code == 0
    page = tmp_path / "review.html"
    rendered = runner.invoke(app, ["render", str(out), "-o", str(page)])
    assert rendered.exit_code == 0, rendered.output
    assert "<html" in page.read_text(encoding="utf-8").lower()


def test_merge_and_render_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["merge", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "e.csv")])
    assert missing.exit_code == 2 and "nope.jsonl" in _one_error_line(missing.stderr)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article_id": 5, "exchanges": "no"}\n')
    rendered = runner.invoke(app, ["render", str(bad), "-o", str(tmp_path / "r.html")])
    assert rendered.exit_code == 2
    _one_error_line(rendered.stderr)


def test_eval_passes_its_options_through(runner: CliRunner, tmp_path: Path) -> None:
    baseline = tmp_path / "base" / "baseline.json"
    result = runner.invoke(
        app,
        ["eval", "--gold", str(tmp_path / "no-gold"), "--articles", str(tmp_path), "--out", str(tmp_path / "o"),
         "--no-progress", "--split", "dev", "--baseline", str(baseline), "--update-baseline", "--margin", "0.05"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert baseline.is_file() and (tmp_path / "o" / "report.json").is_file()
    assert json.loads(baseline.read_text())["meta"]["split"] == "dev"


def test_eval_missing_article_text_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    sample = next(p for p in sorted((Path(__file__).parent.parent / "evals" / "gold").glob("*.json")))
    (gold_dir / sample.name).write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(
        app, ["eval", "--gold", str(gold_dir), "--articles", str(tmp_path / "none"), "--out", str(tmp_path / "o"),
              "--no-progress"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "no article text" in _one_error_line(result.stderr)


def test_ctrl_c_writes_finished_results_and_exits_130(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(4):
        (folder / f"a{i}.txt").write_text(f"Ukraine and Russia swapped {100 + i} prisoners.")
    out = tmp_path / "out.jsonl"
    with FakeServer() as server:
        server.responder = lambda r: no_exchanges(delay=0.0 if "100 prisoners" in r.text else 30.0)
        env = {**os.environ, "OPENAI_API_KEY": SECRET, "POW_EXTRACT_CACHE_DIR": str(tmp_path / "cache")}
        proc = subprocess.Popen(
            [sys.executable, "-m", "pow_extract.cli", "extract", str(folder), "-o", str(out), "--base-url",
             server.base_url, "--model", "fake", "-c", "4"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (out.exists() and out.read_text().strip()):
            time.sleep(0.05)
        while len(server.chat_requests()) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["article_id"] for line in lines] == ["a0"]
    assert SECRET not in stdout + stderr
