"""Which model endpoint to talk to: one protocol (OpenAI chat completions), many servers.

Resolution order (first match wins):

1. ``base_url=`` argument or ``OPENAI_BASE_URL``: any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp).
2. ``OPENAI_API_KEY`` alone: OpenAI itself, model ``gpt-4o-mini`` unless ``model=``/``POW_EXTRACT_MODEL`` says
   otherwise.
3. Nothing configured: the embedded default model, served by a llama.cpp server this process starts.

Every path goes through the same client code; only the endpoint, model name and the way the JSON schema is
enforced differ. ``structured`` selects that last part: ``"llama_cpp"`` sends the schema inside
``response_format`` so llama.cpp constrains decoding to it; ``"json_object"`` asks for JSON only (OpenAI, vLLM,
Ollama), the schema then travels in the prompt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

from pow_extract.records.errors import BackendError

Structured = Literal["json_schema", "llama_cpp", "json_object"]
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
_PLACEHOLDER_KEY = "sk-no-key-needed"


@dataclass(frozen=True)
class Backend:
    """A resolved endpoint: where requests go, with which model, and how the JSON schema is enforced.

    ``api_key`` is excluded from ``repr`` so it never lands in logs or tracebacks.
    """

    base_url: str | None
    model: str
    api_key: str = field(default=_PLACEHOLDER_KEY, repr=False)
    structured: Structured = "json_object"
    embedded: bool = False
    timeout: float = 300.0
    context_tokens: int = 8192
    parallel: int = 1
    """How many requests the embedded server answers at once: one (llama-cpp-python's server runs one completion at
    a time), so a batch sends it no more than one. A remote endpoint's requests in flight are capped by the batch's
    ``concurrency`` instead."""
    scaled_timeout: bool = False
    """Scale each request's timeout with the tokens it asks for (a local server: its speed is known to be low);
    else every request gets ``timeout``."""

    def request_timeout(self, max_tokens: int, prompt_tokens: int) -> float | None:
        """The timeout of one request, or None for the client's ``timeout``.

        For a local server the worst case is taken as 1 generated and 10 prompt tokens a second (a loaded 2-core
        machine; measured speeds are 5 to 20 times higher), plus a minute: a long answer gets the time it needs, a
        short question does not wait 300 s on a server that has stopped answering.
        """
        if not self.scaled_timeout:
            return None
        return 60.0 + max_tokens * 1.0 + prompt_tokens / 10.0

    def settle(self, timeout: float) -> float | None:
        """After a request to this endpoint timed out: wait (at most ``timeout`` s) until the server has stopped
        computing it, if it is one that keeps going for a client that has gone (the embedded llama-cpp-python server).
        The seconds waited, or None when there was nothing to wait for or the server stayed busy."""
        if not self.embedded or self.base_url is None:
            return None
        from pow_extract.model.embedded import wait_until_idle

        return wait_until_idle(self.base_url, timeout)

    @property
    def label(self) -> str:
        """A short description without secrets, e.g. ``qwen2.5-coder-1.5b-instruct-q4_k_m @ embedded``."""
        return f"{self.model} @ {'embedded' if self.embedded else (self.base_url or 'api.openai.com')}"


def resolve_backend(
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    model: str | None = None,
    structured: Structured | None = None,
    timeout: float | None = None,
    start_embedded: bool = True,
) -> Backend:
    """Resolve the endpoint from arguments, then the environment, then the embedded default.

    Environment: ``OPENAI_BASE_URL``, ``OPENAI_API_KEY``, ``POW_EXTRACT_MODEL`` (model name),
    ``POW_EXTRACT_STRUCTURED`` (``llama_cpp`` or ``json_object``), ``POW_EXTRACT_GGUF`` (another GGUF for the
    embedded server), ``POW_EXTRACT_TIMEOUT`` (seconds per request).
    """
    env = os.environ
    base_url = base_url or env.get("OPENAI_BASE_URL") or None
    api_key = api_key or env.get("OPENAI_API_KEY") or None
    model = model or env.get("POW_EXTRACT_MODEL") or None
    env_structured = env.get("POW_EXTRACT_STRUCTURED")
    if structured is None and env_structured:
        if env_structured not in ("json_schema", "llama_cpp", "json_object"):
            raise BackendError(
                f"POW_EXTRACT_STRUCTURED must be 'json_schema', 'llama_cpp' or 'json_object', not {env_structured!r}"
            )
        structured = env_structured  # type: ignore[assignment]
    request_timeout = timeout or float(env.get("POW_EXTRACT_TIMEOUT") or 300.0)

    if base_url:
        if not base_url.startswith(("http://", "https://")):
            raise BackendError(f"base URL must start with http:// or https://, got {base_url!r}")
        if not model:
            raise BackendError(
                f"no model name for endpoint {base_url}: pass model= (CLI --model) or set POW_EXTRACT_MODEL"
            )
        return Backend(
            base_url=base_url.rstrip("/"),
            model=model,
            api_key=api_key or _PLACEHOLDER_KEY,
            structured=structured or "json_object",
            timeout=request_timeout,
        )
    if api_key:
        return Backend(
            base_url=None,
            model=model or DEFAULT_OPENAI_MODEL,
            api_key=api_key,
            structured=structured or "json_object",
            timeout=request_timeout,
        )

    from pow_extract.model import embedded

    name = model or embedded.DEFAULT_MODEL
    if not start_embedded:
        return Backend(
            base_url=None,
            model=name,
            structured="llama_cpp",
            embedded=True,
            timeout=request_timeout,
            context_tokens=embedded.DEFAULT_CONTEXT,
        )
    server = embedded.ensure_server(None if os.environ.get("POW_EXTRACT_GGUF") else name)
    return Backend(
        base_url=server.base_url,
        model=server.alias,
        structured=structured or "llama_cpp",
        embedded=True,
        timeout=request_timeout,
        scaled_timeout=not (timeout or env.get("POW_EXTRACT_TIMEOUT")),
        context_tokens=server.n_ctx,
    )
