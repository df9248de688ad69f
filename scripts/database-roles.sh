#!/usr/bin/env bash
# Creates the two PostgreSQL roles a production site uses (docs/deploy.md), as the
# superuser `postgres`: OWNER (creates the database, runs migrations) and SITE (what
# the web and worker processes connect as). Safe to run again.
# Usage: scripts/database-roles.sh OWNER SITE    (PGHOST etc. as for psql)
set -euo pipefail
owner=${1:?owner role}
site=${2:?site role}
psql -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -v ON_ERROR_STOP=1 -q \
  -v owner="$owner" -v site="$site" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'owner')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'site')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'site') \gexec
SELECT format('GRANT %I TO %I', :'site', :'owner') \gexec
SQL
