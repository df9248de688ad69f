#!/usr/bin/env bash
# Sets everything up and runs the site on SQLite with the demo data at http://127.0.0.1:8000/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo --force
.venv/bin/python manage.py seed_kb --force
.venv/bin/python manage.py seed_canned --force
.venv/bin/python manage.py seed_calendars
exec .venv/bin/python manage.py runserver "${1:-127.0.0.1:8000}"
