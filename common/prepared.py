"""Queries whose SQL is compiled once a process.

Building a queryset and compiling it to SQL costs Django more than PostgreSQL takes to
run a small query by its keys: on a ticket's page, compiling took about a fifth of the
request's CPU. A query whose shape never changes, only the ids it is asked about, is
built once with stand-in ids (the probes) and compiled; each call then runs that SQL
with its own ids in the probes' places, through Django's own iterable, so that its rows
come out as the queryset's would (related rows, annotations, prefetches).

    events = Prepared(lambda ticket_id: TicketEvent.objects.filter(ticket_id=ticket_id))
    events.rows(ticket.pk)  # a list of TicketEvent

Only integer ids may vary; anything else the query depends on makes a second Prepared.

On PostgreSQL, where the connection is kept between requests and is not a pooler's
(docs/deploy.md), the SQL is also prepared once a connection (PREPARE) and each call
runs it by name (EXECUTE). Planning these queries took PostgreSQL several times as long
as running them (the user's load, with its facts, 0.5 ms against 0.09; a ticket's row
0.66 against 0.06); a prepared statement is planned once for all ids, unless PostgreSQL
finds that an id's own plan would be cheaper.
"""

import copy
import itertools
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Ids no row has, told apart from every other value of a query's parameters; within a
# 32-bit column's range (Django compiles a lookup beyond it as matching nothing).
PROBES = (-2_104_731_511, -2_104_731_523, -2_104_731_537, -2_104_731_541)
_SMALLEST, _LARGEST = -(2**63), 2**63 - 1  # a 64-bit column's


_NAMES = itertools.count(1)
# The statements prepared on each open connection, by the driver's connection object:
# one that is closed and opened again is a new session, with none.
_PREPARED_ON: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet  # as built with the probes
    compiler: SQLCompiler  # compiled: its columns, their converters, its annotations
    sql: str
    params: tuple
    at: tuple[tuple[int, int], ...]  # (parameter's position, the id's argument index)
    name: str = field(default_factory=lambda: f"helpdesk_prepared_{next(_NAMES)}")

    def run_by_name(self, connection) -> str:
        """The SQL that runs this statement by name on `connection`, prepared there first
        if it is not yet. The PREPARE goes by the driver's own cursor, as Django sets a
        new connection up: once a session, it is not one of a request's queries."""
        connection.ensure_connection()
        prepared = _PREPARED_ON.setdefault(connection.connection, set())
        if self.name not in prepared:
            numbers = itertools.count(1)
            # Django's placeholders to PostgreSQL's ($1, $2 ...); a literal %% is a %.
            body = re.sub(
                r"%[s%]", lambda m: f"${next(numbers)}" if m[0] == "%s" else "%", self.sql
            )
            with connection.connection.cursor() as cursor:
                cursor.execute(f"PREPARE {self.name} AS {body}")
            prepared.add(self.name)
        marks = ", ".join(["%s"] * len(self.params))
        return f"EXECUTE {self.name}({marks})" if marks else f"EXECUTE {self.name}"


def statement_text(sql: str, connection) -> str:
    """The SQL behind a query as Django logged it: for `EXECUTE name(...)` of a statement
    prepared here, its text as prepared on `connection` (with $1, $2 ...); else `sql`.
    For tests and benchmarks that read what a page asked."""
    name = re.match(r"EXECUTE (helpdesk_prepared_\d+)\b", sql)
    if name is None:
        return sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [name[1]])
        row = cursor.fetchone()
    return row[0].split(" AS ", 1)[1] if row else sql  # as given: PREPARE name AS ...


def _kept_session(connection) -> bool:
    """PostgreSQL, on a connection kept between requests and not through a pooler in
    transaction mode (settings.py disables server-side cursors there for the same
    reason: the next transaction may be another session's)."""
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["CONN_MAX_AGE"] != 0
        and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    )


class Prepared:
    """`build(*ids)`'s rows, by SQL compiled once a process for each database."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._built: QuerySet | None = None  # with the probes
        self._compiled: dict[str, _Compiled | None] = {}

    def rows(self, *ids: int) -> list:
        if len(ids) > len(PROBES):
            raise ValueError(f"At most {len(PROBES)} ids.")
        if not all(_SMALLEST <= int(value) <= _LARGEST for value in ids):
            return []  # no row has such an id, and a database would refuse the number
        if self._built is None:
            self._built = self.build(*PROBES[: len(ids)])
        using = router.db_for_read(self._built.model)  # a replica, or the primary after a write
        if using not in self._compiled:
            self._compiled[using] = self._compile(self._built, using, len(ids))
        compiled = self._compiled[using]
        if compiled is None:
            return list(self.build(*ids).using(using))
        params = list(compiled.params)
        for position, argument in compiled.at:
            params[position] = int(ids[argument])
        connection = connections[using]  # this thread's
        sql = compiled.run_by_name(connection) if _kept_session(connection) else compiled.sql
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        queryset = compiled.queryset.using(using)
        # Its own copy of the query, never handed out: nothing can filter it further.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)

    def forget(self) -> None:
        """Build and compile again on the next call (what the query reads has changed)."""
        self._built = None
        self._compiled.clear()

    @staticmethod
    def _compile(queryset: QuerySet, using: str, count: int) -> _Compiled | None:
        compiler = queryset.query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None  # compiled as matching nothing: built each time
        at = tuple(
            (position, PROBES.index(value))
            for position, value in enumerate(params)
            if isinstance(value, int) and value in PROBES[:count]
        )
        if {argument for _, argument in at} != set(range(count)):
            return None  # an id the SQL does not carry as a parameter: built each time
        return _Compiled(queryset, compiler, sql, tuple(params), at)
