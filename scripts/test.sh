#!/usr/bin/env bash
# Runs the whole test suite (on SQLite, or on PostgreSQL when DATABASE_URL names one).
# Sets up .venv first when needed; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
exec .venv/bin/python -m pytest "$@"
