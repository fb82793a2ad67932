#!/usr/bin/env bash
# Set up (first time) and run the benchmark; writes docs/benchmark.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python scripts/bench.py "$@"
