#!/bin/sh
# manage.py with the production environment, as cron and the operator run it:
#   sudo -u helpdesk /srv/helpdesk/app/deploy/manage.sh send_mail_queue
# A DATABASE_URL given on the command line wins over the file's (the owner's, for
# `migrate`). HELPDESK_ENV names another environment file.
set -eu
given_database_url=${DATABASE_URL:-}
set -a
. "${HELPDESK_ENV:-/etc/helpdesk/env}"
set +a
if [ -n "$given_database_url" ]; then DATABASE_URL=$given_database_url; fi
app=$(dirname "$0")/..
exec "${HELPDESK_PYTHON:-/srv/helpdesk/venv/bin/python}" "$app/manage.py" "$@"
