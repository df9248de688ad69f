"""The secondary indexes of the tables a big load writes, set aside during it on
PostgreSQL and built again after it, two at a time.

Keeping an index up to date row by row is most of what writing a row costs at scale.
Updating the search's GIN indexes was three quarters of a ticket row's cost at a million
tickets; with those set aside, the B-tree indexes (the ticket table has 42, for its
sorts and filters) were still over a third of the database's time in the load. Building
each once, from the rows in order, costs a fraction of that, and two builds at a time
keep both cores busy while nothing else is left to do.

Only what the code itself can build again is set aside, so that a run killed in between
leaves nothing that the next run (`restore`, first) cannot mend: the indexes the models
declare (their fields' and their Meta's, as the schema editor writes them), and the
search indexes, by the statements of the migrations that own them (tickets 0002 the
trigrams, 0016 the full-text vector that a trigger fills as rows come). Primary keys and
unique constraints stay: they are the load's own checks.
"""

import importlib
import queue
import re
import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, models

_TRIGRAM = importlib.import_module("tickets.migrations.0002_postgresql_guards_and_kinds")
_VECTOR = importlib.import_module("tickets.migrations.0016_search_vector")
# Each search index as its migration names, builds and drops it.
SEARCH = {
    "ticket_search_trgm": (_TRIGRAM.TRIGRAM, _TRIGRAM.DROP_TRIGRAM),
    "ticket_search_vector": (_VECTOR.INDEX, _VECTOR.DROP_INDEX),
}
# Worth it when the load is at least this big, and at least as big as what is there.
REBUILD_FROM = 50_000
BUILDERS = 2  # builds at a time: one per core of the machines the project is sized for
MEMORY = "256MB"  # each build's room to sort its entries (PostgreSQL's default is 64 MB)

_INDEX_NAME = re.compile(r'CREATE (?:UNIQUE )?INDEX "([^"]+)"')


def _declared(model: type[models.Model]) -> dict[str, str]:
    """The model's own non-unique indexes, by name: what `migrate` made of its fields
    and its Meta, as the schema editor writes it (IF NOT EXISTS added)."""
    with connection.schema_editor(collect_sql=True) as editor:
        statements = [str(s) for s in editor._model_indexes_sql(model)]
    return {
        _INDEX_NAME.match(sql)[1]: sql.replace("INDEX ", "INDEX IF NOT EXISTS ", 1)
        for sql in statements
    }


def statements(tables: Iterable[type[models.Model]]) -> dict[str, tuple[str, str]]:
    """(create, drop) by index name: the search indexes first (the longest builds),
    then the `tables`' declared indexes, table by table."""
    found = dict(SEARCH)
    quote = connection.ops.quote_name
    for model in tables:
        for name, create in _declared(model).items():
            found[name] = (create, f"DROP INDEX IF EXISTS {quote(name)}")
    return found


def _missing(names: Iterable[str]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM unnest(%s::text[]) WITH ORDINALITY AS n(name, place) "
            "WHERE to_regclass(quote_ident(name)) IS NULL ORDER BY place",
            [list(names)],
        )
        return [name for (name,) in cursor.fetchall()]


def missing(tables: Iterable[type[models.Model]] = ()) -> list[str]:
    """The search indexes and the `tables`' declared indexes that are not there."""
    if connection.vendor != "postgresql":
        return []
    return _missing(statements(tables))


def _run(todo: queue.SimpleQueue) -> None:
    """Statements from `todo` until it is empty, on this thread's connection, with room
    to sort and without PostgreSQL's parallel workers: the builds beside it have the
    other core."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET maintenance_work_mem = '{MEMORY}'")
        cursor.execute("SET max_parallel_maintenance_workers = 0")
        while True:
            try:
                sql = todo.get_nowait()
            except queue.Empty:
                break
            cursor.execute(sql)
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("RESET max_parallel_maintenance_workers")


def build(creates: list[str]) -> None:
    """Run the CREATE INDEX statements in their order, BUILDERS at a time, each builder
    on a connection of its own; inline inside a transaction, which another connection
    would not see."""
    todo = queue.SimpleQueue()
    for sql in creates:
        todo.put(sql)
    if connection.in_atomic_block or len(creates) < 2:
        _run(todo)
        return
    failures = []

    def work():
        try:
            _run(todo)
        except Exception as error:  # raised again below, in the caller's thread
            failures.append(error)
        finally:
            connection.close()  # this thread's own

    threads = [threading.Thread(target=work) for _ in range(BUILDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def restore(tables: Iterable[type[models.Model]] = ()) -> None:
    """Build the indexes an earlier run left set aside when it was killed."""
    if connection.vendor != "postgresql":
        return
    found = statements(tables)
    build([found[name][0] for name in _missing(found)])


@contextmanager
def set_aside(tables, adding: int, held: int, say=lambda message: None):
    """Without the search indexes and the `tables`' declared indexes while `adding`
    rows are loaded beside `held`, if it pays.

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
    found = statements(tables)
    with connection.cursor() as cursor:
        for _create, drop in found.values():
            cursor.execute(drop)
    try:
        yield
    finally:
        say(f"Building {len(found)} indexes ...")
        build([create for create, _drop in found.values()])
