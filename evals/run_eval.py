"""Evaluate pow_extract on the hand-labelled articles: ``python evals/run_eval.py --split dev``.

See evals/README.md. Exit code 0: no regression against evals/baseline.json; 1: a score fell by more than the
margin (the fallen fields are printed).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pow_extract.cli.evaluate import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:], root=ROOT))
