"""The dependency picture: helpdesk_site → apps → shared plumbing, never back up."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "accounts",
    "categories",
    "twofactor",
    "tickets",
    "privacy",
    "monitoring",
    "api",
    "kb",
    "exports",
    "dashboard",
    "satisfaction",
    "canned",
    "sla",
    "mailin",
    "cases",
    "backups",
    "jobs",
    "outbox",
    "common",
    "webhooks",
]
# The capability apps: they call tickets/services.py, never the reverse, nor each other.
CAPABILITIES = {
    "privacy",
    "monitoring",
    "api",
    "kb",
    "exports",
    "dashboard",
    "satisfaction",
    "canned",
    "sla",
    "mailin",
    "cases",
    "backups",
    "webhooks",
}
# What each package must never import (its tests and migrations included). Migration
# dependencies are not imports: outbox's first migration follows tickets 0005, which
# handed it the outbox table.
FORBIDDEN = {
    "accounts": {"twofactor", "tickets", *CAPABILITIES, "jobs", "helpdesk_site"},
    "categories": {"twofactor", "tickets", *CAPABILITIES, "jobs", "helpdesk_site"},
    "twofactor": {"tickets", *CAPABILITIES, "jobs", "helpdesk_site"},
    "tickets": {*CAPABILITIES, "jobs", "helpdesk_site"},
    "privacy": CAPABILITIES - {"privacy"} | {"jobs", "helpdesk_site"},
    # It reads the tickets and the outbox; Celery's signals bring it the tasks.
    "monitoring": CAPABILITIES - {"monitoring"} | {"twofactor", "jobs", "helpdesk_site"},
    "api": CAPABILITIES - {"api"} | {"jobs", "helpdesk_site"},
    "kb": CAPABILITIES - {"kb"} | {"jobs", "helpdesk_site"},
    "exports": CAPABILITIES - {"exports"} | {"jobs", "helpdesk_site"},
    # Reads kb's and satisfaction's figures through their app configs, never an import.
    "dashboard": CAPABILITIES - {"dashboard"} | {"jobs", "helpdesk_site"},
    "satisfaction": CAPABILITIES - {"satisfaction"} | {"jobs", "helpdesk_site"},
    "canned": CAPABILITIES - {"canned"} | {"jobs", "helpdesk_site"},
    "sla": CAPABILITIES - {"sla"} | {"jobs", "helpdesk_site"},
    "mailin": CAPABILITIES - {"mailin"} | {"jobs", "helpdesk_site"},
    "cases": CAPABILITIES - {"cases"} | {"jobs", "helpdesk_site"},
    "outbox": {
        "accounts",
        "categories",
        "twofactor",
        "tickets",
        *CAPABILITIES,
        "jobs",
        "helpdesk_site",
    },
    "webhooks": CAPABILITIES - {"webhooks"} | {"jobs", "helpdesk_site"},
    # Reads every table through Django alone; nothing imports it.
    "backups": CAPABILITIES - {"backups"} | {"jobs", "helpdesk_site"},
    # The periodic work calls the apps that own it; they never know it runs periodically.
    "jobs": {"helpdesk_site"},
    "common": {
        "accounts",
        "categories",
        "twofactor",
        "tickets",
        *CAPABILITIES,
        "outbox",
        "jobs",
        "helpdesk_site",
    },
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", APPS)
def test_no_import_runs_back_up(package):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {name: found for name, found in wrong.items() if found} == {}
