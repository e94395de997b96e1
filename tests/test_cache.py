"""The response cache: what its key covers, how it stores, and that a cached re-run costs no model call."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakeserver import FakeServer

from pow_extract.dataset.batch import extract_many
from pow_extract.model import cache as cache_module
from pow_extract.model import prompting
from pow_extract.model.backends import Backend
from pow_extract.model.cache import CACHE_DIR_ENV, ResponseCache, cache_key, default_cache_dir, public_endpoint
from pow_extract.model.prompting import DEFAULT_PROMPT_VERSION, load_prompts, prompts_dir
from pow_extract.model.retry import RetryPolicy
from pow_extract.reading.article import Article
from pow_extract.reading.extraction import ExtractionSettings
from pow_extract.records.schema import ArticleExtraction

SECRET = "sk-test-SECRET-in-cache-0123456789"
ARTICLE = Article(
    text="KYIV. Ukraine and Russia swapped 207 for 195 prisoners.", id="a", published=dt.date(2024, 1, 31)
)
BACKEND = Backend(base_url="http://127.0.0.1:8080/v1", model="m1", api_key=SECRET)


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
    cache_module._prompt_hash.cache_clear()
    yield "va", "vb", root
    load_prompts.cache_clear()
    cache_module._prompt_hash.cache_clear()


def _key(article: Article = ARTICLE, backend: Backend = BACKEND, **settings: object) -> str:
    return cache_key(article, backend, ExtractionSettings(**settings))  # type: ignore[arg-type]


def test_key_is_stable() -> None:
    assert _key() == _key()
    assert len(_key()) == 64


def test_key_changes_with_prompt_version_and_prompt_text(prompt_versions: tuple[str, str, Path]) -> None:
    va, vb, root = prompt_versions
    before = _key(prompt_version=va)
    assert before != _key(prompt_version=vb)
    (root / va / "user.txt").write_text((root / va / "user.txt").read_text() + "\n", encoding="utf-8")
    load_prompts.cache_clear()
    cache_module._prompt_hash.cache_clear()
    assert _key(prompt_version=va) != before  # an edited prompt never reuses an answer, even under the same name


@pytest.mark.parametrize(
    "change",
    [
        {"backend": dataclasses.replace(BACKEND, model="m2")},
        {"backend": dataclasses.replace(BACKEND, base_url="http://10.0.0.2:8080/v1")},
        {"backend": dataclasses.replace(BACKEND, structured="llama_cpp")},
        {"backend": dataclasses.replace(BACKEND, context_tokens=4096)},
        {"article": Article(text=ARTICLE.text + " More.", id="a", published=ARTICLE.published)},
        {"article": Article(text=ARTICLE.text, id="a", published=dt.date(2024, 2, 1))},
        {"temperature": 0.7},
        {"max_tokens": 512},
        {"drop_ungrounded": False},
    ],
)
def test_key_changes_with_what_changes_the_answer(change: dict[str, object]) -> None:
    assert _key(**change) != _key()  # type: ignore[arg-type]


def test_key_ignores_what_does_not_change_the_answer() -> None:
    assert _key(article=Article(text=ARTICLE.text, id="other-id", published=ARTICLE.published)) == _key()
    assert _key(retry=RetryPolicy(attempts=1)) == _key()
    assert _key(backend=dataclasses.replace(BACKEND, api_key="sk-another-key-000000", timeout=5.0)) == _key()
    with_credentials = dataclasses.replace(BACKEND, base_url="http://user:pw@127.0.0.1:8080/v1/?key=x")
    assert _key(backend=with_credentials) == _key()
    embedded_a = Backend(base_url="http://127.0.0.1:40001/v1", model="q", embedded=True)
    embedded_b = Backend(base_url="http://127.0.0.1:40002/v1", model="q", embedded=True)
    assert _key(backend=embedded_a) == _key(backend=embedded_b)  # the embedded server's port changes every run


def test_public_endpoint_drops_secrets() -> None:
    backend = Backend(base_url="https://bob:hunter2@api.example.com:8443/v1/?api_key=zzz", model="m")
    assert public_endpoint(backend) == "https://api.example.com:8443/v1"
    assert public_endpoint(Backend(base_url=None, model="m")) == "https://api.openai.com/v1"


def test_store_lookup_relabel_and_corrupt_entries(tmp_path: Path) -> None:
    result = ArticleExtraction(article_id="a", source="x.txt", text=ARTICLE.text, model="m1")
    settings = ExtractionSettings()
    with ResponseCache(tmp_path / "c") as cache:
        assert cache.lookup(ARTICLE, BACKEND, settings) is None
        cache.store(ARTICLE, BACKEND, settings, result)
        assert len(cache) == 1
        renamed = Article(text=ARTICLE.text, id="b", published=ARTICLE.published, source="y.txt")
        found = cache.lookup(renamed, BACKEND, settings)
        assert found is not None and (found.article_id, found.source, found.model) == ("b", "y.txt", "m1")
        key = cache.key(ARTICLE, BACKEND, settings)
        cache._cache.set(key, '{"not": "an extraction"}')
        assert cache.get(key) is None and key not in cache  # an unreadable value is a miss and is dropped
    with ResponseCache(tmp_path / "c") as reopened:  # persistent
        assert len(reopened) == 0


def test_default_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "from-env"))
    assert default_cache_dir() == tmp_path / "from-env"
    with ResponseCache() as cache:
        assert cache.directory == tmp_path / "from-env" and cache.directory.is_dir()
    monkeypatch.delenv(CACHE_DIR_ENV)
    assert default_cache_dir().parts[-2:] == ("pow_extract", "responses")


def _batch(server: FakeServer, cache: Path, *, model: str = "fake", **kwargs: object) -> int:
    articles = [Article(text=f"Ukraine and Russia swapped {n} prisoners.", id=f"a{n}") for n in range(3)]
    result = extract_many(
        articles, base_url=server.base_url, model=model, structured="json_object", api_key=SECRET,
        cache=cache, progress=False, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip
    assert result.ok == 3
    return result.model_calls


def test_batch_reuses_answers_only_for_the_same_configuration(fake_server: FakeServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _batch(fake_server, cache) == 3
    assert _batch(fake_server, cache) == 0  # cached re-run: zero model calls
    assert _batch(fake_server, cache, model="another-model") == 3
    assert _batch(fake_server, cache, settings=ExtractionSettings(temperature=0.5)) == 3


def test_batch_misses_the_cache_after_a_prompt_version_change(
    fake_server: FakeServer, tmp_path: Path, prompt_versions: tuple[str, str, Path]
) -> None:
    cache = tmp_path / "cache"
    first, second = (ExtractionSettings(prompt_version=v) for v in prompt_versions[:2])
    assert _batch(fake_server, cache, settings=first) == 3
    assert _batch(fake_server, cache, settings=second) == 3
    assert _batch(fake_server, cache, settings=first) == 0


def test_cache_holds_no_secret(fake_server: FakeServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _batch(fake_server, cache)
    for path in cache.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
