"""The trigram index of ticket search, set aside during a big load on PostgreSQL.

Updating a GIN index row by row is most of what writing a ticket's row costs at scale
(three quarters at a million tickets); building it once after the load costs a third of
that. The index is dropped and built with the statements of the migration that owns it
(tickets 0002), both IF [NOT] EXISTS: a run that was killed in between leaves the index
missing, and the next run builds it first.
"""

import importlib
from contextlib import contextmanager

from django.db import connection

_MIGRATION = importlib.import_module("tickets.migrations.0002_postgresql_guards_and_kinds")
NAME = "ticket_search_trgm"  # as that migration names it
# Worth it when the load is at least this big, and at least as big as what is there.
REBUILD_FROM = 50_000


def _execute(sql: str, memory: str | None = None) -> None:
    with connection.cursor() as cursor:
        if memory:  # room to collect the index's entries (the default is 64 MB)
            cursor.execute(f"SET maintenance_work_mem = '{memory}'")
        cursor.execute(sql)
        if memory:
            cursor.execute("RESET maintenance_work_mem")


def exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [NAME])
        return cursor.fetchone()[0]


def restore() -> None:
    """Build the index if an earlier run was killed while it was set aside."""
    if connection.vendor == "postgresql" and not exists():
        _execute(_MIGRATION.TRIGRAM, memory="256MB")


@contextmanager
def set_aside(adding: int, held: int, say=lambda message: None):
    """Without the index while `adding` tickets are loaded beside `held`, if it pays.

    Only outside a transaction: the batches commit one by one (`loader`), and an
    index cannot be dropped where rows wait for their deferred checks.
    """
    if (
        connection.vendor != "postgresql"
        or connection.in_atomic_block
        or adding < max(REBUILD_FROM, held)
    ):
        yield
        return
    _execute(_MIGRATION.DROP_TRIGRAM)
    try:
        yield
    finally:
        say("Building the search index ...")
        _execute(_MIGRATION.TRIGRAM, memory="256MB")
