#!/usr/bin/env bash
# Install what the tests need (Python packages and Debian's Chromium), then run the whole suite:
# lint, unit tests, AppTest tests and real-browser tests. Usage: bash tests/run.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium (browser tests drive /usr/bin/chromium)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

echo "== installing Python packages"
python3 -m pip install -q --disable-pip-version-check -r tests/requirements.txt

echo "== ruff"
python3 -m ruff check .
python3 -m ruff format --check .

echo "== pytest"
python3 -m pytest "$@"
