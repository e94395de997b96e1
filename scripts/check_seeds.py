"""Check the output of the README's first command: every seed article extracted (CI's live step runs this).

Usage: ``python scripts/check_seeds.py seeds.jsonl [--expect 5] [--fresh]``. Prints seconds, requests and completion
tokens per article; exits 1 unless ``--expect`` articles were extracted without an error line (and, with ``--fresh``,
by the model rather than from the response cache).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="the JSONL written by pow-extract extract -o")
    parser.add_argument("--expect", type=int, default=5, help="articles that must be extracted (default 5)")
    parser.add_argument(
        "--fresh", action="store_true", help="also fail when an article was served from the response cache"
    )
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.output.read_text(encoding="utf-8").splitlines() if line.strip()]
    ok = 0
    for row in rows:
        if row.get("error") or row.get("exchanges") is None:
            print(f"  {row.get('article_id')}: FAILED {row.get('error') or row.get('error_message')}")
            continue
        if args.fresh and row.get("cached"):
            print(f"  {row['article_id']}: served from the response cache, not by the model")
            continue
        ok += 1
        usage = row.get("usage") or {}
        print(
            f"  {row['article_id']}: {row.get('seconds')} s, {usage.get('requests')} request(s), "
            f"{usage.get('completion_tokens')} completion tokens, {len(row['exchanges'])} exchange(s)"
        )
    print(f"{ok} of {args.expect} articles extracted")
    return 0 if ok == args.expect else 1


if __name__ == "__main__":
    sys.exit(main())
