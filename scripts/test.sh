#!/usr/bin/env bash
# Set up (first time) and run every BackTrack test: lint, unit, page (AppTest) and browser
# tests. The set-up installs Debian's Chromium (browser tests) and PostgreSQL (clinic tests)
# when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test

.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
