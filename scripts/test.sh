#!/usr/bin/env bash
# Set up (first time) and run every BackTrack test: lint, unit, page (AppTest) and browser
# tests. The browser tests drive Debian's Chromium; it is installed here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test

if ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Chromium for the browser tests (apt-get install chromium)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "Installing Chromium for the browser tests (sudo apt-get install chromium)..."
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is not installed and cannot be installed without root:" \
         "the browser tests will be skipped (sudo apt-get install -y chromium)." >&2
  fi
fi

.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
