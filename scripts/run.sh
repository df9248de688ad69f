#!/usr/bin/env bash
# Sets everything up and runs the site on SQLite with the demo data at http://127.0.0.1:8000/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py createcachetable   # the shared cache, when there is no Redis
.venv/bin/python manage.py seed_demo --force
# The demo's handlers and admin sign in with the password alone, unless told otherwise;
# elsewhere HELPDESK_2FA_REQUIRED_FOR defaults to handlers, supervisors and admins.
export HELPDESK_2FA_REQUIRED_FOR="${HELPDESK_2FA_REQUIRED_FOR-}"
exec .venv/bin/python manage.py runserver "${1:-127.0.0.1:8000}"
