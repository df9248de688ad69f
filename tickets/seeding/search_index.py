"""The indexes of ticket search, set aside during a big load on PostgreSQL.

Updating a GIN index row by row is most of what writing a ticket's row costs at scale
(three quarters at a million tickets); building it once after the load costs a third of
that. Each index is dropped and built with the statements of the migration that owns it
(tickets 0002 the trigrams, 0016 the full-text vector that a trigger fills as rows come),
all IF [NOT] EXISTS: a run that was killed in between leaves an index missing, and the
next run builds it first.
"""

import importlib
from contextlib import contextmanager

from django.db import connection

_TRIGRAM = importlib.import_module("tickets.migrations.0002_postgresql_guards_and_kinds")
_VECTOR = importlib.import_module("tickets.migrations.0016_search_vector")
# Each index as its migration names, builds and drops it.
INDEXES = {
    "ticket_search_trgm": (_TRIGRAM.TRIGRAM, _TRIGRAM.DROP_TRIGRAM),
    "ticket_search_vector": (_VECTOR.INDEX, _VECTOR.DROP_INDEX),
}
# Worth it when the load is at least this big, and at least as big as what is there.
REBUILD_FROM = 50_000


def _execute(sql: str, memory: str | None = None) -> None:
    with connection.cursor() as cursor:
        if memory:  # room to collect the index's entries (the default is 64 MB)
            cursor.execute(f"SET maintenance_work_mem = '{memory}'")
        cursor.execute(sql)
        if memory:
            cursor.execute("RESET maintenance_work_mem")


def _missing() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM unnest(%s::text[]) AS name WHERE to_regclass(name) IS NULL",
            [list(INDEXES)],
        )
        return [name for (name,) in cursor.fetchall()]


def exists() -> bool:
    return not _missing()


def _build(names) -> None:
    for name in names:
        _execute(INDEXES[name][0], memory="256MB")


def restore() -> None:
    """Build the indexes an earlier run left set aside when it was killed."""
    if connection.vendor == "postgresql":
        _build(_missing())


@contextmanager
def set_aside(adding: int, held: int, say=lambda message: None):
    """Without the indexes while `adding` tickets are loaded beside `held`, if it pays.

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
    for _create, drop in INDEXES.values():
        _execute(drop)
    try:
        yield
    finally:
        say("Building the search index ...")
        _build(INDEXES)
