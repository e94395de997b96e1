"""``import pow_extract`` is cheap: public names are imported on first use, so no heavy dependency loads up front.

(The import time itself is measured by ``benchmarks/bench.py``, section 0; a test checks what is loaded, not how
long it takes.)
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import pow_extract

HEAVY = ("scipy", "numpy", "pandas", "pyarrow", "instructor", "openai", "httpx", "dateparser", "rich", "typer", "vcr")


def test_import_loads_no_heavy_dependency() -> None:
    probe = f"import sys, json, pow_extract; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_every_public_name_resolves() -> None:
    for name in pow_extract.__all__:
        assert getattr(pow_extract, name) is not None, name
    assert set(pow_extract.__all__) <= set(dir(pow_extract))


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        pow_extract.no_such_name  # type: ignore[attr-defined]  # noqa: B018
