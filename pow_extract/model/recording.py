"""Record model traffic once, replay it offline bit-for-bit: vcrpy cassettes for tests, evals and user pipelines.

A cassette is a readable YAML file holding each request (method, path, JSON body with model name, prompt and
schema) and the model's real answer. Replay matches on **method, path and the parsed JSON body**, so a changed
prompt, schema or model is a miss that fails loudly, never a stale answer replayed silently. Secrets never reach
a cassette: ``Authorization``, ``api-key``, organisation/project headers and cookies are dropped, and the values
of ``OPENAI_API_KEY`` (and any other key given) are replaced in whatever is left.

Record modes follow vcrpy: ``none`` (default: replay only), ``once``, ``new_episodes``, ``all``. Set
``POW_EXTRACT_RECORD=all`` (or pass ``record_mode=``) to re-record against a live endpoint.

Example (your own pipeline in record/replay mode)::

    from pow_extract import extract
    from pow_extract.model import recording

    with recording.cassette("cassettes/my_article.yaml", record_mode="once") as tape:
        result = extract(text, backend=tape.backend)

The first run talks to the endpoint (embedded model, or ``OPENAI_BASE_URL``) and writes the cassette; later runs
replay it offline, with no server and no key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pow_extract.model.backends import Backend, resolve_backend
from pow_extract.records.errors import PowExtractError

RECORD_ENV = "POW_EXTRACT_RECORD"
RECORD_MODES = ("none", "once", "new_episodes", "all")
RECORD_COMMAND = "bash scripts/record-cassettes.sh"
#: Where replayed requests are sent: nothing listens there, and vcrpy answers before any connection is made.
REPLAY_BASE_URL = "http://127.0.0.1:9/v1"

_SECRET_HEADERS = (
    "authorization", "api-key", "x-api-key", "openai-organization", "openai-project", "cookie", "set-cookie",
    "x-stainless-arch", "x-stainless-os", "x-stainless-runtime-version", "x-stainless-package-version",
)  # fmt: skip


class CassetteMiss(PowExtractError):
    """A request has no recorded answer in the cassette (the prompt, schema or model changed, or it is new)."""


def record_mode(explicit: str | None = None) -> str:
    """The record mode to use: the argument, else ``POW_EXTRACT_RECORD``, else ``none``."""
    mode = (explicit or os.environ.get(RECORD_ENV) or "none").strip().lower()
    if mode in ("1", "true", "yes"):
        mode = "all"
    if mode not in RECORD_MODES:
        raise ValueError(f"record mode must be one of {', '.join(RECORD_MODES)}, not {mode!r}")
    return mode


def _secrets(extra: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    values = [os.environ.get("OPENAI_API_KEY", ""), *extra]
    return [(v, "<REDACTED>") for v in values if v and len(v) >= 8]


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers") or {}
    for name in list(headers):
        if name.lower() in _SECRET_HEADERS:
            del headers[name]
    return response


def make_vcr(*, mode: str | None = None, secrets: tuple[str, ...] = ()) -> Any:
    """A configured ``vcr.VCR``: JSON-body matching, secret scrubbing, readable YAML."""
    import vcr
    from vcr.patch import PATCHER_NAMES

    return vcr.VCR(
        # openai talks through httpx; leaving the other libraries unpatched avoids their patchers' quirks
        skip_patchers=tuple(name for name in PATCHER_NAMES if "httpx" not in name),
        record_mode=record_mode(mode),
        match_on=("method", "path", "body"),
        filter_headers=[(h, None) for h in _SECRET_HEADERS],
        before_record_response=_scrub_response,
        filter_sensitive_data=_secrets(secrets),
        decode_compressed_response=True,
        serializer="yaml",
        record_on_exception=True,  # a failed extraction replays to the same error
    )


def recorded_backend(path: str | Path) -> Backend:
    """The backend a cassette was recorded with (model name and schema enforcement read from its first request),
    pointed at a dead loopback address so that replay can never reach a real server."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    for interaction in data.get("interactions", []):
        body = interaction.get("request", {}).get("body")
        if isinstance(body, dict):
            body = body.get("string")
        if not body:
            continue
        payload = json.loads(body)
        fmt = payload.get("response_format") or {}
        structured = "llama_cpp" if isinstance(fmt, dict) and "schema" in fmt else "json_object"
        return Backend(
            base_url=REPLAY_BASE_URL,
            model=str(payload["model"]),
            structured=structured,  # type: ignore[arg-type]
            timeout=10.0,
        )
    raise CassetteMiss(f"cassette {path} holds no request; record it with: {RECORD_COMMAND}")


@dataclass
class Tape:
    """An open cassette: use ``backend`` for every call that should be recorded or replayed."""

    path: Path
    mode: str
    backend: Backend
    cassette: Any

    @property
    def play_count(self) -> int:
        """How many recorded answers were replayed so far."""
        return int(self.cassette.play_count)


@contextmanager
def cassette(
    path: str | Path, *, record_mode: str | None = None, backend: Backend | None = None, secrets: tuple[str, ...] = ()
) -> Iterator[Tape]:
    """Record or replay the model traffic inside the ``with`` block to/from the YAML cassette at ``path``.

    In replay mode (``none``) the backend is rebuilt from the cassette, so no server, key or model is needed; a
    request without a recorded answer raises :class:`CassetteMiss` naming the cassette and the record command.
    In a recording mode the backend is ``backend`` or the configured endpoint (embedded model by default).
    """
    mode = globals()["record_mode"](record_mode)
    path = Path(path)
    if mode == "none":
        if not path.exists():
            raise CassetteMiss(f"no cassette at {path}; record it with: {RECORD_COMMAND}")
        chosen = recorded_backend(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        chosen = backend or resolve_backend()
    recorder = make_vcr(mode=mode, secrets=secrets)
    try:
        with recorder.use_cassette(str(path)) as tape:
            yield Tape(path=path, mode=mode, backend=chosen, cassette=tape)
    except Exception as exc:
        miss = _find_miss(exc)
        if miss is None:
            raise
        raise CassetteMiss(
            f"cassette {path} has no recorded answer for a request ({miss}); the prompt, schema or model probably "
            f"changed. Re-record with: {RECORD_COMMAND}"
        ) from exc


def _find_miss(exc: BaseException | None) -> str | None:
    from vcr.errors import CannotOverwriteExistingCassetteException

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, CannotOverwriteExistingCassetteException):
            return str(getattr(exc, "reason", "no match"))
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def is_replay_miss(exc: BaseException) -> bool:
    """True when ``exc`` was caused by a cassette miss (such faults must not be retried as transient)."""
    try:
        return _find_miss(exc) is not None
    except ImportError:  # vcrpy not installed: cannot be a miss
        return False
