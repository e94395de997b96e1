"""The response cache: it keeps the model's answers keyed on the exact request, so a re-run sends nothing the model
already answered, while parsing, grounding and the coding rules run again (a changed rule shows at once)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakeserver import FakeServer, answer, count, exchange, invalid_json

from pow_extract.dataset.batch import extract_many
from pow_extract.model import prompting
from pow_extract.model.backends import Backend
from pow_extract.model.cache import CACHE_DIR_ENV, ResponseCache, default_cache_dir, public_endpoint, request_key
from pow_extract.model.prompting import DEFAULT_PROMPT_VERSION, load_prompts, prompts_dir
from pow_extract.reading import extraction
from pow_extract.reading.article import Article
from pow_extract.reading.extraction import ExtractionSettings, extract
from pow_extract.records.schema import ArticleExtraction

SECRET = "sk-test-SECRET-in-cache-0123456789"
TEXT = "KYIV. Ukraine and Russia swapped prisoners on Wednesday. More than 400 Ukrainians came home, Zelensky said."
ANSWER = {
    "exchanges": [
        exchange(
            "Ukraine and Russia swapped prisoners on Wednesday.",
            counts=[count("More than 400 Ukrainians came home", 400, claimant="Zelensky", claimant_side="Ukraine")],
        )
    ]
}
REQUEST: dict[str, Any] = {
    "model": "m1",
    "messages": [{"role": "system", "content": "rules"}, {"role": "user", "content": "article"}],
    "temperature": 0.0,
    "max_tokens": 2048,
    "response_format": {"type": "json_object"},
}


@pytest.fixture
def prompt_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str, Path]]:
    """Two prompt versions ``va`` and ``vb`` (copies of the default one, ``vb`` with one more rule) in a temporary
    prompts folder; yields their names and the folder."""
    root = tmp_path / "prompts"
    source = prompts_dir() / DEFAULT_PROMPT_VERSION
    for name in ("va", "vb"):
        shutil.copytree(source, root / name)
    system = root / "vb" / "system.txt"
    system.write_text(system.read_text(encoding="utf-8") + "\nOne more rule.\n", encoding="utf-8")
    monkeypatch.setattr(prompting, "prompts_dir", lambda: root)
    load_prompts.cache_clear()
    yield "va", "vb", root
    load_prompts.cache_clear()


# ------------------------------------------------------------------------------------------------------ the key


@pytest.mark.parametrize(
    "change",
    [
        {"model": "m2"},
        {"messages": [{"role": "system", "content": "rules, edited"}, {"role": "user", "content": "article"}]},
        {"messages": [{"role": "system", "content": "rules"}, {"role": "user", "content": "another article"}]},
        {"temperature": 0.7},
        {"max_tokens": 512},
        {"response_format": {"type": "json_object", "schema": {"type": "object"}}},
        {"extra_body": {"response_format": {"type": "json_object", "schema": {"type": "object"}}}},
    ],
)
def test_key_covers_everything_sent(change: dict[str, Any]) -> None:
    assert request_key("http://h/v1", {**REQUEST, **change}) != request_key("http://h/v1", REQUEST)


def test_key_is_the_request_not_its_spelling() -> None:
    key = request_key("http://h/v1", REQUEST)
    assert len(key) == 64
    assert request_key("http://h/v1", dict(reversed(REQUEST.items()))) == key  # argument order does not matter
    assert request_key("http://other/v1", REQUEST) != key


def test_endpoint_drops_secrets_and_the_embedded_port() -> None:
    backend = Backend(base_url="https://bob:hunter2@api.example.com:8443/v1/?api_key=zzz", model="m")
    assert public_endpoint(backend) == "https://api.example.com:8443/v1"
    assert public_endpoint(Backend(base_url=None, model="m")) == "https://api.openai.com/v1"
    embedded_a = Backend(base_url="http://127.0.0.1:40001/v1", model="q", embedded=True)
    embedded_b = Backend(base_url="http://127.0.0.1:40002/v1", model="q", embedded=True)
    assert public_endpoint(embedded_a) == public_endpoint(embedded_b) == "embedded"


# ---------------------------------------------------------------------------------------------------- storage


def _completion(content: str, *, choices: bool = True) -> Any:
    from openai.types.chat import ChatCompletion

    return ChatCompletion.model_validate(
        {
            "id": "c1", "object": "chat.completion", "created": 0, "model": "m1",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]
            if choices else [],
            "usage": {"prompt_tokens": 100, "completion_tokens": 7, "total_tokens": 107},
        }
    )  # fmt: skip


def test_stores_answers_persistently_and_drops_unreadable_ones(tmp_path: Path) -> None:
    with ResponseCache(tmp_path / "c") as cache:
        assert cache.get("k") is None
        cache.set("k", _completion('{"exchanges": []}'))
        cache.set("empty", _completion("", choices=False))  # an answer without a choice is not kept
        assert len(cache) == 1 and "empty" not in cache
        found = cache.get("k")
        assert found is not None and found.choices[0].message.content == '{"exchanges": []}'
        assert found.usage.prompt_tokens == 100
        cache._cache.set("bad", '{"not": "a completion"}')
        assert cache.get("bad") is None and "bad" not in cache  # an unreadable value is a miss and is dropped
    with ResponseCache(tmp_path / "c") as reopened:  # persistent
        assert len(reopened) == 1


def test_default_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "from-env"))
    assert default_cache_dir() == tmp_path / "from-env"
    with ResponseCache() as cache:
        assert cache.directory == tmp_path / "from-env" and cache.directory.is_dir()
    monkeypatch.delenv(CACHE_DIR_ENV)
    assert default_cache_dir().parts[-2:] == ("pow_extract", "responses")


# ------------------------------------------------------------------------------------------------ one article


def _extract(server: FakeServer, cache: ResponseCache, **settings: Any) -> ArticleExtraction:
    backend = Backend(base_url=server.base_url, model="fake", api_key=SECRET, structured="json_object")
    return extract(
        TEXT, backend=backend, published=dt.date(2024, 1, 31), settings=ExtractionSettings(**settings), cache=cache
    )


def test_a_changed_rule_shows_on_a_cache_hit(fake_server: FakeServer, tmp_path: Path) -> None:
    fake_server.default = answer(ANSWER)
    with ResponseCache(tmp_path / "c") as cache:
        before = _extract(fake_server, cache, coding_rules=False, second_reading=False)
        assert len(fake_server.chat_requests()) == 1
        assert before.exchanges[0].counts[0].qualifier == "exact"  # as the model wrote it
        after = _extract(fake_server, cache)  # the coding rules on: "More than 400" is "over"
        assert len(fake_server.chat_requests()) == 1  # answered from the cache
        assert after.exchanges[0].counts[0].qualifier == "over"
        assert after.usage == before.usage  # what the answer cost when the model produced it


def test_an_edited_rule_shows_on_a_cache_hit(
    fake_server: FakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.default = answer(ANSWER)
    with ResponseCache(tmp_path / "c") as cache:
        first = _extract(fake_server, cache)
        real = extraction.sweep

        def edited(result: ArticleExtraction) -> ArticleExtraction:  # a rule changed in the code
            real(result)
            for claim in result.exchanges[0].counts:
                claim.qualifier = "about"
            return result

        monkeypatch.setattr(extraction, "sweep", edited)
        second = _extract(fake_server, cache)
    assert len(fake_server.chat_requests()) == 1
    assert [c.qualifier for c in first.exchanges[0].counts] == ["over"]
    assert [c.qualifier for c in second.exchanges[0].counts] == ["about"]


def test_re_asks_are_cached_too(fake_server: FakeServer, tmp_path: Path) -> None:
    fake_server.script(invalid_json(), answer(ANSWER))  # the first answer is re-asked
    with ResponseCache(tmp_path / "c") as cache:
        first = _extract(fake_server, cache, max_reasks=1)
        assert len(fake_server.chat_requests()) == 2
        again = _extract(fake_server, cache, max_reasks=1)
    assert len(fake_server.chat_requests()) == 2
    assert again.model_dump(exclude={"seconds"}) == first.model_dump(exclude={"seconds"})
    assert again.usage.requests == 2


def test_a_changed_prompt_misses(
    fake_server: FakeServer, tmp_path: Path, prompt_versions: tuple[str, str, Path]
) -> None:
    va, vb, root = prompt_versions
    fake_server.default = answer(ANSWER)
    with ResponseCache(tmp_path / "c") as cache:
        _extract(fake_server, cache, prompt_version=va)
        _extract(fake_server, cache, prompt_version=vb)
        assert len(fake_server.chat_requests()) == 2
        _extract(fake_server, cache, prompt_version=va)
        assert len(fake_server.chat_requests()) == 2  # the same prompt again: a hit
        user = root / va / "user.txt"
        user.write_text(user.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # edited under the same name
        load_prompts.cache_clear()
        _extract(fake_server, cache, prompt_version=va)
        assert len(fake_server.chat_requests()) == 3


# ------------------------------------------------------------------------------------------------------ batch


def _batch(server: FakeServer, cache: Path, *, model: str = "fake", **kwargs: Any) -> int:
    articles = [Article(text=f"Ukraine and Russia swapped {n} prisoners.", id=f"a{n}") for n in range(3)]
    result = extract_many(
        articles, base_url=server.base_url, model=model, structured="json_object", api_key=SECRET,
        cache=cache, progress=False, **kwargs,
    )  # fmt: skip
    assert result.ok == 3
    return result.model_calls


def test_batch_reuses_answers_only_for_the_same_request(fake_server: FakeServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _batch(fake_server, cache) == 3
    assert _batch(fake_server, cache) == 0  # cached re-run: zero model calls
    assert _batch(fake_server, cache, settings=ExtractionSettings(drop_ungrounded=False)) == 0  # not sent: a hit
    assert _batch(fake_server, cache, model="another-model") == 3
    assert _batch(fake_server, cache, settings=ExtractionSettings(temperature=0.5)) == 3


def test_cache_holds_no_secret(fake_server: FakeServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _batch(fake_server, cache)
    for path in cache.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
