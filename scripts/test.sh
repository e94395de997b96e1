#!/usr/bin/env bash
# The test suite: lint, types, the import contract (layers, no cycles), tests (replaying cassettes: no model, no
# network), and the eval gate.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
$py -m ruff check pow_extract tests evals benchmarks
$py -m mypy
.venv/bin/lint-imports --no-cache
$py -m pytest -q -p no:cacheprovider
$py evals/run_eval.py --no-progress --out "${EVAL_OUT:-evals/out}"
