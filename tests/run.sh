#!/usr/bin/env bash
# Install what the tests need (Python packages, Debian's Chromium, PostgreSQL and nginx), start
# PostgreSQL on 127.0.0.1, then run the whole suite: lint, type check, unit tests, AppTest tests and
# real-browser tests. Usage: bash tests/run.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
# nginx: the proxy of `python -m dashboard cluster` (the tests start their own, on 127.0.0.1)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  # Debian starts the nginx service on port 80 after installing it where services may start: the
  # tests need none of it.
  if [ -f /run/nginx.pid ]; then $SUDO nginx -s quit 2>/dev/null || true; fi
fi

echo "== starting PostgreSQL on 127.0.0.1"
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  $SUDO pg_createcluster 15 main >/dev/null
  cluster="15 main"
fi
# shellcheck disable=SC2086
$SUDO pg_ctlcluster $cluster start 2>/dev/null || true
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
for _ in $(seq 1 30); do
  as_postgres psql -p "$port" -tAc "SELECT 1" >/dev/null 2>&1 && break
  sleep 1
done
as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname='articlelens'" | grep -q 1 \
  || as_postgres psql -p "$port" -qc "CREATE ROLE articlelens LOGIN PASSWORD 'articlelens'"
as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname='articlelens_test'" | grep -q 1 \
  || as_postgres createdb -p "$port" -O articlelens articlelens_test
export ARTICLE_LENS_TEST_DATABASE_URL="postgresql://articlelens:articlelens@127.0.0.1:${port}/articlelens_test"
export ARTICLE_LENS_REQUIRE_POSTGRES=1

echo "== installing Python packages"
python3 -m pip install -q --disable-pip-version-check -r tests/requirements.txt

echo "== ruff"
python3 -m ruff check .
python3 -m ruff format --check .

echo "== mypy"
python3 -m mypy

echo "== pytest, with outside network access blocked"
# Every library must work offline: any attempt to reach beyond this machine goes to a port where
# nothing listens. Loopback (the app servers, PostgreSQL, the URL-loading test server) stays direct.
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9
export http_proxy=$HTTP_PROXY https_proxy=$HTTPS_PROXY all_proxy=$ALL_PROXY
export NO_PROXY=127.0.0.1,localhost,::1 no_proxy=127.0.0.1,localhost,::1
python3 -m pytest "$@"
