"""Print, for every article of the real-news set, what rebuilding its text takes (no page text is stored here).

    python evals/realnews/rebuild.py            # every article: file, URL, query, Date line, what was removed
    python evals/realnews/rebuild.py R102 R107  # only these
    python evals/realnews/rebuild.py --check    # run the set's checker on data/realnews

The procedure is in evals/realnews/README.md: query the ``search`` tool's ``pages`` corpus with the query shown,
take the result whose URL is exactly the one shown, clean it by the rules of INDEX.md ("How the texts were made")
and the removals listed in the gold notes, and save it as ``data/realnews/<file>``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evals.realnews.convert import default_realnews_dir, read_index, text_check  # noqa: E402

TEXTS = ROOT / "data" / "realnews"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rebuild", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("articles", nargs="*", help="R101 ... (default: all)")
    parser.add_argument("--realnews-dir", type=Path, default=None, help="default: ../shared/realnews")
    parser.add_argument("--texts", type=Path, default=TEXTS, help="rebuilt texts (default: data/realnews)")
    parser.add_argument("--check", action="store_true", help="run the set's check_gold.py --texts on the texts")
    args = parser.parse_args(argv)
    base: Path = args.realnews_dir or default_realnews_dir()
    if not (base / "INDEX.md").is_file():
        print(f"rebuild: no INDEX.md in {base} (set POW_REALNEWS_DIR)", file=sys.stderr)
        return 2
    if args.check:
        env_checker = [sys.executable, "-B", str(base / "check_gold.py"), "--texts", str(args.texts)]
        return subprocess.run(env_checker, check=False).returncode
    rows = read_index(base)
    wanted = [r for r in rows.values() if not args.articles or r.article_id.split("_", 1)[0] in args.articles]
    for row in wanted:
        notes = json.loads((base / "gold" / f"{row.article_id}.json").read_text(encoding="utf-8"))["notes"]
        path = args.texts / row.file
        state = text_check(path.read_text(encoding="utf-8"), row) if path.is_file() else "not rebuilt yet"
        print(f"== {row.file}  [{state}]")
        print(f"   query : {row.query}")
        print(f"   url   : {row.url}")
        print(f"   line 2: Date: {row.pub_date}")
        print(f"   INDEX notes: {row.notes or '-'}")
        print(f"   gold notes : {notes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
