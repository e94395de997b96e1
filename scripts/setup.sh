#!/usr/bin/env bash
# Set up .venv with the project and the extras named in $1 ("test", "embedded", "ray", or "all").
# llama-cpp-python compiles from source: the portable build flag is needed on CPUs whose feature reports lie.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
case "$what" in
  test) extras="test,data" ;;
  embedded) extras="embedded" ;;
  ray) extras="ray" ;;
  all) extras="embedded,test,data" ;;
  *) echo "usage: scripts/setup.sh [test|embedded|ray|all]" >&2; exit 2 ;;
esac
CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
  .venv/bin/python -m pip install -q -e ".[$extras]"
