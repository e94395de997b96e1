"""evals/run_realnews.py end to end against the fake OpenAI server: a live run records cassettes, a replay re-scores
them offline to the same figures, and bad usage exits 2.

The article text here is written for the test (not the page that was labelled), so the runner marks it MISMATCH;
the gold is the set's own (``../shared/realnews``), so these tests are skipped without it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakeserver import FakeServer, answer, count, exchange

from evals.realnews import default_realnews_dir
from evals.run_realnews import main

ARTICLE = "R110_sputnik_205-for-205"
TEXT = (
    "Soldiers swapped\n"
    "Date: 2025-05-06 (inferred from URL)\n"
    "\n"
    "On May 6, 205 soldiers returned to Russia and 205 prisoners of war were handed to Ukraine, a ministry said.\n"
    "In all, 410 people were exchanged.\n"
)
SENTENCE = "On May 6, 205 soldiers returned to Russia and 205 prisoners of war were handed to Ukraine, a ministry said."

pytestmark = pytest.mark.skipif(
    not (default_realnews_dir() / "gold").is_dir(), reason="the real-news set (../shared/realnews) is not here"
)


def _texts(tmp_path: Path) -> Path:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / f"{ARTICLE}.txt").write_text(TEXT, encoding="utf-8")
    return texts


def _answer() -> dict[str, object]:
    return {
        "exchanges": [
            exchange(
                SENTENCE,
                date_text="On May 6",
                counts=[
                    count(SENTENCE, 205, "Russia", claimant_side="Russia"),
                    count(SENTENCE, 205, "Ukraine", claimant_side="Russia"),
                    count("In all, 410 people were exchanged.", 410, "both"),
                ],
            )
        ]
    }


def test_a_live_run_records_cassettes_and_a_replay_scores_the_same(tmp_path: Path, fake_server: FakeServer) -> None:
    texts, out = _texts(tmp_path), tmp_path / "out"
    fake_server.default = answer(_answer())
    common = ["--texts", str(texts), "--articles", "R110", "--run-name", "t", "--out", str(out)]
    assert main([*common, "--base-url", fake_server.base_url, "--model", "fake"]) == 0
    live = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert (texts / "cassettes" / "t" / f"{ARTICLE}.yaml").is_file()
    assert (texts / "cassettes" / "t" / "run.json").is_file()
    requests = len(fake_server.chat_requests())
    assert requests >= 1

    assert main([*common, "--replay"]) == 0
    replay = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(fake_server.chat_requests()) == requests  # the replay asked no server
    summary, again = live["splits"]["all"]["summary"], replay["splits"]["all"]["summary"]
    assert summary["articles"] == 1 and summary["extraction_errors"] == 0
    assert summary["counts"]["p"] == 1.0  # the two 205s are right; the two-way 410 is left out, not a false positive
    assert summary["removed_two_way_counts"] == 1
    assert {k: v for k, v in again.items() if k != "seconds"} == {k: v for k, v in summary.items() if k != "seconds"}
    assert again["seconds"]["max"] == pytest.approx(live["articles"][0]["seconds"], abs=0.01)  # the recording's
    assert replay["articles"][0]["text_check"] == "MISMATCH"
    assert "ru-ua" in replay["splits"] and "negative" not in replay["splits"]
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# pow_extract on the real-news dev set")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--texts", "{tmp}/nowhere"], "rebuild them"),
        (["--articles", "R999"], "no real-news article 'R999'"),
        (["--articles", "R110", "--replay", "--run-name", "never-recorded"], "no cassettes at"),
        (["--articles", "R110", "--settings", "colour=blue"], "expected NAME=VALUE"),
        (["--articles", "R110", "--base-url", "http://127.0.0.1:9/v1"], "no model name"),
    ],
)
def test_bad_usage_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    texts = _texts(tmp_path)
    argv = ["--texts", str(texts), "--out", str(tmp_path / "out"), *[a.format(tmp=tmp_path) for a in args]]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
