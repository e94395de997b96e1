"""Write evals/gold.schema.json, the JSON Schema of a gold file, from ``GoldArticle``: ``python evals/make_schema.py``.

Re-run it whenever pow_extract/records/gold.py changes; editors can then validate gold files as they are written
(add ``"$schema": "../gold.schema.json"`` support in your editor's settings, not in the files: gold files forbid
extra keys).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pow_extract.records.gold import GoldArticle  # noqa: E402

OUT = Path(__file__).resolve().parent / "gold.schema.json"


def main() -> int:
    """Write the schema; return the process exit code."""
    schema = GoldArticle.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "pow_extract gold article"
    OUT.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
