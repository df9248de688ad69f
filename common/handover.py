"""How committed work leaves the process that committed it: the pattern of the mail
outbox, the webhooks' deliveries and the big exports.

Rows are written in the change's transaction and their ids handed over after the
commit (`Handover.after_commit`). Inside a web request the ids wait until the response
is with the server (`request_finished`), so that no page waits on a broker or a slow
receiver; elsewhere (commands, workers, the shell) they go at once. Then, with a broker
(CELERY_BROKER_URL) a worker's task takes them (`to_worker`); without one, this process
does. Whatever is not done then (a broker down, a sender killed) waits for a periodic
job (jobs/table.py), which leases the rows (`lease_many`) and retries with back-off.
"""

import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.signals import request_finished, request_started
from django.db import connection as database
from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def to_worker(task, *args, what: str, job: str) -> None:
    """Queue `task(*args)` on a worker; with the broker down, leave `what` (named in the
    log) to the periodic `job`, which runs when the broker (or cron) is back."""
    try:
        # The broker the setting names now, not when Celery was configured; one try at
        # connecting (not Kombu's retries for seconds): the periodic job retries for us.
        options = {**task.app.conf.broker_transport_options, "max_retries": 0}
        with task.app.connection_for_write(
            settings.CELERY_BROKER_URL, transport_options=options
        ) as connection:
            task.apply_async(args, connection=connection, retry=False)
    except Exception:  # noqa: BLE001 - whatever the broker's trouble, the rows wait
        logger.warning("Broker unreachable: %s left to the %s job", what, job)


class Handover:
    """The committed ids of one kind of row on their way out: to the Celery task named
    `task` (dotted path, called with the list of ids) when there is a broker, else to
    `send_here(ids)` in this process; what neither sends, the periodic `job` does. `what`
    names the rows in the log."""

    # Every handover made, for the tests to forget what an unfinished request held.
    made: list["Handover"] = []

    def __init__(self, what: str, *, task: str, send_here: Callable[[list[int]], object], job: str):
        Handover.made.append(self)
        self.what = what
        self.task = task
        self.send_here = send_here
        self.job = job
        # The ids committed during the current request; None outside a request.
        self._held: ContextVar[list[int] | None] = ContextVar(f"{what}_held", default=None)

    def connect(self, uid: str) -> None:
        """Hold what a request commits until its response is with the server."""
        request_started.connect(self.hold_during_request, dispatch_uid=f"{uid}-hold")
        request_finished.connect(self.send_after_response, dispatch_uid=f"{uid}-send")

    def after_commit(self, ids: list[int]) -> None:
        """Deliver `ids`, written in the caller's transaction, once it commits."""
        # Robust: the caller's change is committed by then; a failure here leaves the
        # rows to the periodic job, never turning the saved change into an error.
        transaction.on_commit(lambda: self.deliver(ids), robust=True)

    def deliver(self, ids: Iterable[int]) -> None:
        """Send the committed `ids`: after the response inside a request, else now."""
        held = self._held.get()
        if held is None:
            self.hand_over(list(ids))
        else:
            held.extend(ids)

    def hold_during_request(self, **kwargs) -> None:
        """On `request_started`: what is committed from now on waits for the response."""
        self._held.set([])

    def send_after_response(self, **kwargs) -> None:
        """On `request_finished`: the response is with the server; send what was held."""
        held = self._held.get()
        self._held.set(None)
        if not held:
            return
        try:
            self.hand_over(held)
        except Exception:
            # The page is already sent and the rows are saved: the periodic job takes
            # them from here, whatever went wrong.
            logger.exception("%s %s left to the %s job", self.what, held, self.job)

    def hand_over(self, ids: list[int]) -> None:
        """To a worker when there is a broker, else here and now."""
        if settings.CELERY_BROKER_URL:
            # Imported when needed: the task's module imports its sender's.
            to_worker(import_string(self.task), ids, what=f"{self.what} {ids}", job=self.job)
        else:
            self.send_here(ids)


def lease_owner() -> str:
    """Who holds a lease: this host and process, and this sending run among its others."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def lease_next(due: Callable, lease: Callable) -> int | None:
    """Lease the first row of `due(now)`: `lease_many`'s for one row, or None."""
    leased = lease_many(due, lease, 1)
    return leased[0] if leased else None


def lease_many(due: Callable, lease: Callable, size: int) -> list[int]:
    """Lease up to `size` first rows of `due(now)` (a queryset), each updated with
    `lease(pk, now)`'s fields, committed (on PostgreSQL in one transaction, by one
    UPDATE); their pks in order, [] when none is due.

    Call it outside a transaction: the lease must be in the database before anyone
    outside hears of the row. Safe to run concurrently on SQLite and PostgreSQL.
    """
    skip_locked = database.features.has_select_for_update_skip_locked
    while True:
        now = timezone.now()
        rows = due(now)
        with transaction.atomic() if skip_locked else contextlib.nullcontext():
            first = rows.order_by("pk").values_list("pk", flat=True)
            if skip_locked:
                # Pass over the rows other senders are leasing at this instant.
                first = first.select_for_update(skip_locked=True, of=("self",))
            picked = list(first[:size])
            if not picked:
                return []
            if skip_locked:
                # The rows are locked for us until the commit: one UPDATE leases them all.
                fields = _each_its_own({pk: lease(pk, now) for pk in picked})
                rows.model._base_manager.filter(pk__in=picked).update(**fields)
                return picked
            # The due conditions again: where nothing locks the rows (SQLite), of two
            # senders that picked a row only the first one's update finds it still due.
            leased = [pk for pk in picked if rows.filter(pk=pk).update(**lease(pk, now))]
        if leased:
            return leased


def lease_rows(due: Callable, lease: Callable, size: int) -> list:
    """`lease_many` for leases whose fields are the same for every row (`lease(now)`),
    returning the leased rows themselves (model instances, in pk order), committed.

    On PostgreSQL one statement does it all: an UPDATE of the first due rows, locked
    with SKIP LOCKED in its subquery, RETURNING them; the mail sent after each change
    took five (a transaction of a locking read and an UPDATE, then a read of the rows).
    Elsewhere `lease_many`, then a read."""
    now = timezone.now()
    rows = due(now)
    model = rows.model
    if database.vendor != "postgresql":
        pks = lease_many(due, lambda pk, now: lease(now), size)
        found = model._base_manager.in_bulk(pks)
        return [found[pk] for pk in pks]
    try:
        first, first_params = (
            rows.order_by("pk").values("pk")[:size].query.get_compiler(database.alias).as_sql()
        )
    except EmptyResultSet:  # e.g. among no ids
        return []
    name = database.ops.quote_name
    fields = {model._meta.get_field(field): value for field, value in lease(now).items()}
    assignments = ", ".join(f"{name(field.column)} = %s" for field in fields)
    values = [field.get_db_prep_save(value, database) for field, value in fields.items()]
    # Names from the model; values as parameters.
    sql = (
        f"UPDATE {name(model._meta.db_table)} SET {assignments} "  # noqa: S608
        f"WHERE {name(model._meta.pk.column)} IN ({first} FOR UPDATE SKIP LOCKED) RETURNING *"
    )
    return sorted(model._base_manager.raw(sql, [*values, *first_params]), key=lambda row: row.pk)


def _each_its_own(values: dict[int, dict]) -> dict:
    """The fields of one UPDATE that sets each row (by pk) to its own `values[pk]`: a
    value all rows share as it is, the others chosen by pk."""
    first = next(iter(values.values()))
    fields = {}
    for name, value in first.items():
        if all(row[name] == value for row in values.values()):
            fields[name] = value
        else:
            fields[name] = Case(*(When(pk=pk, then=row[name]) for pk, row in values.items()))
    return fields
