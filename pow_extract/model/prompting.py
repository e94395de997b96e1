"""Prompt templates: plain text files under ``prompts/<version>/``, rendered with ``string.Template``.

``system.txt`` holds the coding rules and a worked example; ``user.txt`` wraps one article (``$article``,
``$published``). The version is part of every result and of every cache key, so a changed prompt never reuses
an old answer. In a source checkout the templates are read from the top-level ``prompts/`` folder; an installed
wheel carries them as ``pow_extract/prompts``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

DEFAULT_PROMPT_VERSION = "v1"


def prompts_dir() -> Path:
    """The folder holding the prompt versions (packaged copy first, then the source checkout's)."""
    package = Path(__file__).resolve().parents[1]  # pow_extract/
    for candidate in (package / "prompts", package.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("prompt templates not found (expected pow_extract/prompts or ./prompts)")


@dataclass(frozen=True)
class PromptSet:
    """The templates of one prompt version."""

    version: str
    system: str
    user: Template

    def messages(self, published: dt.date | None, **fields: str) -> list[dict[str, Any]]:
        """Chat messages for one article (or one chunk of it); ``fields`` fill the user template."""
        values = {k: v.strip() for k, v in fields.items()}
        user = self.user.substitute(published=published.isoformat() if published else "unknown", **values)
        return [{"role": "system", "content": self.system.strip()}, {"role": "user", "content": user}]


def check_version(version: str) -> None:
    """Raise FileNotFoundError, naming the known versions, when ``prompts/<version>/`` does not exist."""
    if not (prompts_dir() / version).is_dir():
        known = sorted(p.name for p in prompts_dir().iterdir() if p.is_dir())
        raise FileNotFoundError(f"unknown prompt version {version!r}; known: {', '.join(known)}")


@cache
def load_prompts(version: str = DEFAULT_PROMPT_VERSION) -> PromptSet:
    """Load prompt ``version`` (a folder name under ``prompts/``)."""
    folder = prompts_dir() / version
    if not folder.is_dir():
        known = sorted(p.name for p in prompts_dir().iterdir() if p.is_dir())
        raise FileNotFoundError(f"unknown prompt version {version!r}; known: {', '.join(known)}")
    return PromptSet(
        version=version,
        system=(folder / "system.txt").read_text(encoding="utf-8"),
        user=Template((folder / "user.txt").read_text(encoding="utf-8")),
    )


class CompactSchema(GenerateJsonSchema):
    """The model-facing JSON schema: no titles or descriptions (the rules live in the prompt), no defaults, and
    every property required, so constrained decoding makes the model decide each field (``null`` or ``[]`` when
    the article says nothing) instead of silently skipping it. Python callers still get the models' defaults."""

    def generate(self, schema: Any, mode: Any = "validation") -> JsonSchemaValue:
        stripped: JsonSchemaValue = _strip(super().generate(schema, mode=mode))
        return stripped


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _strip(v) for k, v in node.items() if k not in ("title", "description", "default")}
        if isinstance(out.get("properties"), dict):
            out["required"] = list(out["properties"])
        return out
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def compact_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The compact JSON schema of ``model`` (used in the prompt and for constrained decoding).

    Generated once per model class (it costs milliseconds, a large share of client CPU per article in a fast batch);
    each caller gets its own copy.
    """
    schema: dict[str, Any] = json.loads(_compact_schema_json(model))
    return schema


@cache
def _compact_schema_json(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(schema_generator=CompactSchema))
