#!/usr/bin/env bash
# Set up BackTrack on a fresh Debian machine with Python 3.11: a virtual environment in
# .venv with the app (and, with --test, the test tools). Safe to run again: it only
# reinstalls when pyproject.toml has changed.
set -euo pipefail
cd "$(dirname "$0")/.."

extra=""
[ "${1:-}" = "--test" ] && extra="[test]"

# apt_install PACKAGE WHAT CONSEQUENCE: install a Debian package as root or with
# passwordless sudo; otherwise say what is missing and what that means.
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing $2 (apt-get install $1)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "Installing $2 (sudo apt-get install $1)..."
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  else
    echo "$2: $1 is not installed and cannot be installed without root: $3" \
         "(sudo apt-get install -y $1)." >&2
  fi
}

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
if ! "$python" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  echo "BackTrack needs Python 3.11 or newer (found: $($python --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "Installing python3-venv (apt-get install python3-venv)..."
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$python" -m venv .venv
    else
      echo "Creating the virtual environment failed: install python3-venv" \
           "(sudo apt-get install python3-venv) and run this again." >&2
      exit 1
    fi
  fi
fi
stamp=".venv/.installed$extra"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".$extra"
  touch "$stamp"
fi

# The clinic browser test logs in through a local OpenID Connect provider for tests
# (oidc-provider-mock, started by tests/e2e/test_clinic_login_browser.py). It needs
# pydantic 2, the app pydantic 1 (fhir.resources 6.4): so it gets a venv of its own.
if [ -n "$extra" ] && [ ! -x .venv-oidc/bin/oidc-provider-mock ]; then
  rm -rf .venv-oidc
  "$python" -m venv .venv-oidc
  .venv-oidc/bin/python -m pip install --quiet "oidc-provider-mock>=0.3,<1"
fi

# The clinic tests (pytest -m clinic) start a throwaway PostgreSQL cluster of their own
# (tests/postgres.py): they need the server's programs, not a running server.
if [ -n "$extra" ] && ! command -v pg_ctl >/dev/null && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt_install postgresql "PostgreSQL for the clinic tests" "the clinic tests will fail"
fi

# The browser tests drive Debian's Chromium (Playwright's own download does not run here).
if [ -n "$extra" ] && ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium "Chromium for the browser tests" "the browser tests will be skipped"
fi
