#!/usr/bin/env bash
# Runs the whole test suite (on SQLite, or on PostgreSQL when DATABASE_URL names one).
# Sets up .venv first when needed; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
# The browser tests (browser_tests/) drive Debian's Chromium: install it when it is
# missing and we can (root with apt-get); without it they are skipped, saying why.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing Chromium for the browser tests"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq chromium fonts-dejavu-core; } >/dev/null 2>&1; then
    echo "Could not install Chromium: the browser tests will be skipped." >&2
  fi
fi
# One test process per core, at most three (conftest.py's Redis databases; TEST_PROCESSES=1
# for one process, e.g. to debug). `--dist load` hands the tests out in pytest-django's
# order, so that each process runs the flushing (transactional) tests last.
processes="${TEST_PROCESSES:-$(nproc)}"
[ "$processes" -gt 3 ] && processes=3
if [ "$processes" -gt 1 ]; then
  exec .venv/bin/python -m pytest -n "$processes" --dist load "$@"
fi
exec .venv/bin/python -m pytest "$@"
