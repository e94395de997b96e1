"""Backend selection: arguments, then environment, then the embedded model; secrets never in reprs."""

from __future__ import annotations

import pytest

from pow_extract.model.backends import Backend, resolve_backend
from pow_extract.records.errors import BackendError


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "OPENAI_BASE_URL",
        "OPENAI_API_KEY",
        "POW_EXTRACT_MODEL",
        "POW_EXTRACT_STRUCTURED",
        "POW_EXTRACT_GGUF",
    ):
        monkeypatch.delenv(name, raising=False)


def test_explicit_endpoint_wins_and_needs_a_model_name() -> None:
    backend = resolve_backend(base_url="http://localhost:11434/v1/", model="qwen2.5:1.5b")
    assert (backend.base_url, backend.model, backend.structured, backend.embedded) == (
        "http://localhost:11434/v1",
        "qwen2.5:1.5b",
        "json_object",
        False,
    )
    with pytest.raises(BackendError, match="no model name"):
        resolve_backend(base_url="http://localhost:8000/v1")


def test_environment_endpoint_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    monkeypatch.setenv("POW_EXTRACT_MODEL", "local")
    monkeypatch.setenv("POW_EXTRACT_STRUCTURED", "llama_cpp")
    backend = resolve_backend()
    assert (backend.base_url, backend.model, backend.structured) == ("http://127.0.0.1:8080/v1", "local", "llama_cpp")


def test_api_key_alone_means_openai_with_a_default_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-abcdefghijklmnop")
    backend = resolve_backend()
    assert backend.base_url is None and backend.model == "gpt-4o-mini" and not backend.embedded
    assert "sk-test" not in repr(backend) and "sk-test" not in backend.label


def test_nothing_configured_means_the_embedded_model() -> None:
    backend = resolve_backend(start_embedded=False)
    assert backend.embedded and backend.structured == "llama_cpp"
    assert backend.model == "qwen2.5-coder-1.5b-instruct-q4_k_m"


def test_bad_settings_give_clear_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BackendError, match="must start with http"):
        resolve_backend(base_url="localhost:8000", model="m")
    monkeypatch.setenv("POW_EXTRACT_STRUCTURED", "grammar")
    with pytest.raises(BackendError, match="POW_EXTRACT_STRUCTURED"):
        resolve_backend(base_url="http://x/v1", model="m")


def test_missing_gguf_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("POW_EXTRACT_GGUF", "/nonexistent/model.gguf")
    with pytest.raises(BackendError, match="GGUF model file not found"):
        resolve_backend()


def test_backend_repr_hides_the_key() -> None:
    assert "supersecret" not in repr(Backend(base_url="http://x/v1", model="m", api_key="supersecret-key"))
