"""Record/replay: cassettes hold no secrets, replay is offline, and any change to the request is a loud miss."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakeserver import FakeServer, grounded_answer

from pow_extract.model import prompting, recording
from pow_extract.reading.extraction import ExtractionSettings, extract
from pow_extract.records.gold import load_gold

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-test-CASSETTE-SECRET-0123456789abcdef"
ARTICLE = "KYIV, 31 January 2024. Ukraine and Russia exchanged prisoners on Wednesday. 207 Ukrainians came home."
SEED = "001_ed58aa1eb257d2f6"


def test_no_secret_from_the_environment_reaches_a_cassette(
    fake_server: FakeServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_server.base_url)
    monkeypatch.setenv("POW_EXTRACT_MODEL", "fake-model")
    fake_server.default = grounded_answer(ARTICLE, sentence="Ukraine and Russia exchanged prisoners", number=207)
    path = tmp_path / "recorded.yaml"
    with recording.cassette(path, record_mode="all") as tape:
        extract(ARTICLE, backend=tape.backend, article_id="a")
    assert fake_server.chat_requests()[0].headers.get("authorization") == f"Bearer {SECRET}"  # it was sent
    written = path.read_text(encoding="utf-8")
    assert SECRET not in written and "sk-test" not in written
    assert "authorization" not in written.lower()
    assert "fake-model" in written  # the model name is recorded, readable


def test_recorded_cassette_replays_offline_to_the_same_result(
    fake_server: FakeServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_server.base_url)
    monkeypatch.setenv("POW_EXTRACT_MODEL", "fake-model")
    fake_server.default = grounded_answer(ARTICLE, sentence="Ukraine and Russia exchanged prisoners", number=207)
    path = tmp_path / "tape.yaml"
    with recording.cassette(path, record_mode="all") as tape:
        live = extract(ARTICLE, backend=tape.backend, article_id="a")
    fake_server.stop()
    with recording.cassette(path) as tape:  # default mode: replay only
        replayed = extract(ARTICLE, backend=tape.backend, article_id="a")
        assert tape.backend.base_url == recording.REPLAY_BASE_URL
    assert replayed.model_dump(exclude={"seconds"}) == live.model_dump(exclude={"seconds"})


def test_changing_one_word_of_the_prompt_fails_with_the_record_me_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(prompting.prompts_dir(), prompts)
    system = prompts / "v1" / "system.txt"
    system.write_text(system.read_text(encoding="utf-8").replace("careful", "meticulous", 1), encoding="utf-8")
    monkeypatch.setattr(prompting, "prompts_dir", lambda: prompts)
    prompting.load_prompts.cache_clear()
    gold = load_gold(ROOT / "evals" / "gold" / f"{SEED}.json")
    text = (ROOT / "evals" / "articles" / f"{SEED}.txt").read_text(encoding="utf-8")
    cassette = ROOT / "evals" / "cassettes" / f"{SEED}.yaml"
    try:
        with pytest.raises(recording.CassetteMiss) as caught, recording.cassette(cassette) as tape:
            extract(
                text,
                backend=tape.backend,
                published=gold.published,
                article_id=SEED,
                settings=ExtractionSettings(prompt_version="v1"),
            )
    finally:
        prompting.load_prompts.cache_clear()
    message = str(caught.value)
    assert str(cassette) in message and recording.RECORD_COMMAND in message


def test_missing_cassette_names_itself_and_the_record_command(tmp_path: Path) -> None:
    miss = r"no cassette at .*nothing\.yaml; record it with: bash scripts"
    with pytest.raises(recording.CassetteMiss, match=miss), recording.cassette(tmp_path / "nothing.yaml"):
        pass


def test_unknown_record_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="record mode must be one of"):
        recording.record_mode("sometimes")
