"""The dashboard's rollups, kept as tickets change: tickets filed and resolved per day and
category (DayCount), open tickets per category, organisation and status (OpenCount)
and per category and status (OpenTotal, their sums over the organisations).

A day's numbers are recounted from the tickets whenever a change may move them, never
added to: a recount is right whatever happened before (a change we missed, a ticket
moved by hand), and reads a day's tickets of one category through an index. The rows
are locked first, in key order: a second change of the same day waits for the first
to commit, and its count (a new statement) then sees the first one's ticket. The
open counts' rows are locked before the days' (`move_open`), in every change.

An open count moves by one (`tickets + 1`, safe under concurrent changes): recounting
a busy organisation's open tickets of a category would read thousands of rows.

The receivers run inside the service's transaction (tickets' signals), so the counts
commit or roll back with the change. `fill` counts everything afresh (a bulk load, or a
check), and is right while tickets change: it locks the three tables first (on
PostgreSQL; on SQLite the one writer it becomes), so a change either committed before
the recount and is in it, or waits for its end and then moves the fresh rows. The
changes wait for as long as the recount takes; the dashboard reads on meanwhile.
"""

from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count, Sum, Window
from django.db.models.functions import Rank, TruncDate
from django.utils import timezone

from tickets.models import OPEN_STATUSES, EventKind, Status, Ticket, TicketEvent

from . import figures
from .models import DayCount, OpenCount, OpenTotal


def local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _day_range(day: date) -> tuple[datetime, datetime]:
    """The day's start and the next day's, in local time (a day may have 23 or 25 hours)."""
    return tuple(
        timezone.make_aware(datetime.combine(d, time.min)) for d in (day, day + timedelta(days=1))
    )


def recount_days(keys) -> None:
    """Count anew the DayCount rows of `keys`, (category id, day) pairs: created when
    missing and locked in key order by one statement, then each counted and written,
    only when its numbers moved, by one statement more. SQL written here, like the open
    counts' (below): a filing and a resolution recount their day, and building the
    ORM's statements was a tenth of a filing's Python."""
    keys = sorted(set(keys))
    if not keys:
        return
    ops = connection.ops
    table, tickets = _table(DayCount), _table(Ticket)
    created_at, resolved_at, category_id = (
        ops.quote_name(Ticket._meta.get_field(name).column)
        for name in ("created_at", "resolved_at", "category")
    )
    keys = [(category, ops.adapt_datefield_value(day), day) for category, day in keys]
    with connection.cursor() as cursor:
        _upsert(
            cursor,
            DayCount,
            DAY_KEY,
            [(category, day, 0, 0) for category, day, _ in keys],
            f"filed = {table}.filed WHERE FALSE",  # only locked
        )
        for category, day_value, day in keys:
            start, end = (ops.adapt_datetimefield_value(moment) for moment in _day_range(day))
            # After the lock, a statement of its own: its snapshot sees the change that
            # held the row before. Both counts in one subquery; each condition reads its
            # own index.
            cursor.execute(
                f"UPDATE {table} SET filed = counted.filed, resolved = counted.resolved "  # noqa: S608
                f"FROM (SELECT COALESCE(SUM(CASE WHEN {created_at} >= %s AND {created_at} < %s "
                f"THEN 1 ELSE 0 END), 0) AS filed, COALESCE(SUM(CASE WHEN {resolved_at} >= %s "
                f"AND {resolved_at} < %s THEN 1 ELSE 0 END), 0) AS resolved FROM {tickets} "
                f"WHERE {category_id} = %s AND (({created_at} >= %s AND {created_at} < %s) "
                f"OR ({resolved_at} >= %s AND {resolved_at} < %s))) AS counted "
                f"WHERE ({_columns(DAY_KEY, table)}) = (%s, %s) "
                f"AND ({table}.filed <> counted.filed OR {table}.resolved <> counted.resolved)",
                [start, end, start, end, category, start, end, start, end, category, day_value],
            )


def move_open(moves: dict[tuple[int, int, str], int]) -> None:
    """Add each delta of `moves`, keyed (category id, organisation id, status), to its
    OpenCount row and its category's OpenTotal row: one statement each."""
    moves = {key: delta for key, delta in moves.items() if delta and key[2] in OPEN_STATUSES}
    totals: dict[tuple[int, str], int] = {}
    for (category, _organisation, status), delta in moves.items():
        totals[category, status] = totals.get((category, status), 0) + delta
    if not moves:
        return
    pairs = sorted({(category, organisation) for category, organisation, _ in moves})
    statuses = sorted(OPEN_STATUSES)
    categories = sorted({category for category, _ in pairs})
    with connection.cursor() as cursor:
        # OpenTotal's rows first, then OpenCount's, in every change (and `fill`).
        _move(cursor, OpenTotal, TOTAL_KEY, [(c, s) for c in categories for s in statuses], totals)
        _move(cursor, OpenCount, COUNT_KEY, [(*p, s) for p in pairs for s in statuses], moves)


# The counts are moved by SQL written here rather than by the ORM: every filing and
# status change moves them, and building the ORM's statements (bulk inserts, locks, an
# update with a CASE) cost some 6 ms of Python a change, ten times the SQL's own time.
DAY_KEY = ("category_id", "day")
TOTAL_KEY = ("category_id", "status")
COUNT_KEY = ("category_id", "organisation_id", "status")
COUNTS = {DayCount: ("filed", "resolved"), OpenTotal: ("tickets",), OpenCount: ("tickets",)}


def _move(cursor, model, fields: tuple[str, ...], keys: list[tuple], deltas: dict) -> None:
    """Add to the row of each of `keys` its delta in `deltas`, never below zero (a count
    that was never filled must not refuse the change of a ticket), creating the rows
    that are missing; the rows of all `keys` locked, in their order, moved or not.

    Every open status's row of the change's categories and organisations is locked: a
    change that moves counts twice in one transaction (a filing, then its assignment)
    holds all it needs after its first move, so two changes of a category never wait
    for each other in a circle (a deadlock: one of them lost)."""
    table = _table(model)
    rows = [(*key, max(deltas.get(key, 0), 0)) for key in keys]
    moved = [key for key in keys if deltas.get(key)]
    if not moved:  # a move within one row (a redirect's total, to the same category)
        _upsert(cursor, model, fields, rows, f"tickets = {table}.tickets WHERE FALSE")
        return
    one = f"({_columns(fields, table)}) = {_placeholders(len(fields))}"
    delta = "CASE " + " ".join([f"WHEN {one} THEN %s"] * len(moved)) + " ELSE 0 END"
    delta_params = [value for key in moved for value in (*key, deltas[key])]
    where, where_params = _among(fields, moved, table)
    _upsert(
        cursor,
        model,
        fields,
        rows,
        f"tickets = CASE WHEN {table}.tickets + {delta} < 0 THEN 0 "
        f"ELSE {table}.tickets + {delta} END WHERE {where}",
        [*delta_params, *delta_params, *where_params],
    )


def _upsert(cursor, model, fields: tuple[str, ...], rows: list[tuple], update: str, params=()):
    """INSERT `rows` (their key `fields`, then the model's COUNTS), in their order; a
    row that is there already is locked and changed by `update` (SET ... WHERE ...,
    with `params`). A row its WHERE leaves alone stays locked, and is not written."""
    counts = COUNTS[model]
    cursor.execute(
        # Names from the models, values as parameters.
        f"INSERT INTO {_table(model)} ({_columns((*fields, *counts))}) VALUES "  # noqa: S608
        + ", ".join([_placeholders(len(fields) + len(counts))] * len(rows))
        + f" ON CONFLICT ({_columns(fields)}) DO UPDATE SET {update}",
        [*(value for row in rows for value in row), *params],
    )


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(fields, table: str = "") -> str:
    """The quoted columns, each named with its `table` when one is given."""
    prefix = f"{table}." if table else ""
    return ", ".join(prefix + connection.ops.quote_name(field) for field in fields)


def _among(fields, keys, table: str = "") -> tuple[str, list]:
    """`(a, b) IN ((%s, %s), ...)` for `keys`, and its parameters."""
    one = _placeholders(len(fields))
    return (
        f"({_columns(fields, table)}) IN ({', '.join([one] * len(keys))})",
        [value for key in keys for value in key],
    )


def _placeholders(count: int) -> str:
    """`(%s, %s, ...)`: a row of `count` values passed as parameters."""
    return "(" + ", ".join(["%s"] * count) + ")"


def _last_resolution(ticket: Ticket) -> datetime | None:
    """When a reopened ticket had been resolved: its last `resolved` event, written a
    moment after `resolved_at` in the same transaction."""
    return (
        TicketEvent.objects.filter(ticket_id=ticket.pk, kind=EventKind.RESOLVED)
        .order_by("-id")
        .values_list("created_at", flat=True)
        .first()
    )


def _days(ticket: Ticket, categories) -> set[tuple[int, date]]:
    """The DayCount keys `ticket` counts in, in each of `categories`."""
    days = {local_day(ticket.created_at)}
    if ticket.resolved_at:
        days.add(local_day(ticket.resolved_at))
    return {(category, day) for category in categories for day in days}


# A redirect sends status_changed with the new category already set, then
# field_changed with the old one: the status it left waits on the ticket till then.
LEFT = "_dashboard_left_status"


def status_changed(sender, *, ticket: Ticket, old, new, **kwargs) -> None:
    # The open counts' rows are locked before the days' in every change (field_changed
    # too): one order for all, so that two changes never wait for each other.
    if new == Status.REDIRECTED:
        setattr(ticket, LEFT, old)
    else:
        where = (ticket.category_id, ticket.organisation_id)
        moves = {(*where, new): 1}
        if old is not None:
            moves[(*where, old)] = -1
        move_open(moves)
    reopened = old == Status.RESOLVED and new != Status.CLOSED
    # Only filing, resolving and reopening move a day's numbers.
    if old is None or new == Status.RESOLVED or reopened:
        days = _days(ticket, [ticket.category_id])
        if reopened and (resolved := _last_resolution(ticket)) is not None:
            # The resolution it loses counted on the day it was resolved. Its event
            # follows resolved_at by a moment: the day before is recounted too.
            day = local_day(resolved)
            days |= {(ticket.category_id, day), (ticket.category_id, day - timedelta(days=1))}
        recount_days(days)


def field_changed(sender, *, ticket: Ticket, field: str, old, new, **kwargs) -> None:
    """A redirect moves the ticket's counts from the old category to the new one."""
    if field != "category":
        return
    left = ticket.__dict__.pop(LEFT, ticket.status)
    move_open(
        {
            (old, ticket.organisation_id, left): -1,
            (new, ticket.organisation_id, ticket.status): 1,
        }
    )
    recount_days(_days(ticket, [old, new]))


@transaction.atomic
def fill(  # noqa: N803 - a migration hands in its historical models
    Ticket=Ticket, DayCount=DayCount, OpenCount=OpenCount, OpenTotal=OpenTotal
) -> tuple[int, int]:
    """Count every row afresh from the tickets (after a bulk load, or to check the kept
    counts); returns how many daily and open rows there are.

    Right while tickets change: the counts' tables are locked first, so a change
    either committed before the recount (which sees it) or waits for its end and then
    moves the fresh rows. On PostgreSQL the lock lets the dashboard read the old rows
    meanwhile; on SQLite, where a writer has the whole database, the first delete
    takes it."""
    # In the order every change first writes them (`move_open`'s OpenTotal, then its
    # OpenCount, then `recount_days`'s DayCount): neither waits for the other in a circle.
    _lock_tables([OpenTotal, OpenCount, DayCount])
    DayCount.objects.all().delete()
    OpenCount.objects.all().delete()
    OpenTotal.objects.all().delete()
    days, open_rows = _count(Ticket)
    totals: dict[tuple[int, str], int] = {}
    for c, _o, s, n in open_rows:
        totals[c, s] = totals.get((c, s), 0) + n
    OpenTotal.objects.bulk_create(
        OpenTotal(category_id=c, status=s, tickets=n) for (c, s), n in totals.items()
    )
    DayCount.objects.bulk_create(
        (
            DayCount(category_id=c, day=d, filed=filed, resolved=resolved)
            for (c, d), (filed, resolved) in days.items()
        ),
        batch_size=2000,
    )
    OpenCount.objects.bulk_create(
        (
            OpenCount(category_id=c, organisation_id=o, status=s, tickets=n)
            for c, o, s, n in open_rows
        ),
        batch_size=2000,
    )
    return len(days), OpenCount.objects.count()


def _lock_tables(models) -> None:
    """On PostgreSQL, lock the tables of `models` (in the order given) against every
    write and row lock until the transaction ends; plain reads go on. A change that
    already wrote to them is waited for."""
    if connection.vendor != "postgresql":
        return
    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


def _count(Ticket) -> tuple[dict, list]:  # noqa: N803 - fill's model
    """The tickets counted: filed and resolved per (category id, day), and open
    (category id, organisation id, status, tickets) rows."""
    zone = timezone.get_current_timezone()
    days: dict[tuple[int, date], list[int]] = {}
    for column, index in (("created_at", 0), ("resolved_at", 1)):
        rows = (
            Ticket.objects.filter(**{f"{column}__isnull": False})
            .order_by()
            .values_list("category_id", TruncDate(column, tzinfo=zone))
            .annotate(n=Count("*"))
        )
        for category_id, day, n in rows:
            days.setdefault((category_id, day), [0, 0])[index] = n
    open_rows = list(
        Ticket.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values_list("category_id", "organisation_id", "status")
        .annotate(n=Count("*"))
    )
    return days, open_rows


# Reading: the figures of all the tickets of some categories (`categories`: their
# ids; None: every one) and organisations (likewise), the same rows as figures.py's
# over those tickets.


def _of(rows, categories, organisations=None):
    if categories is not None:
        rows = rows.filter(category_id__in=categories)
    if organisations is not None:
        rows = rows.filter(organisation_id__in=organisations)
    return rows


def _open(categories, organisations):
    """The rows that answer: every organisation's totals, or the organisations' own."""
    if organisations is None:
        return _of(OpenTotal.objects.filter(tickets__gt=0), categories)
    return _of(OpenCount.objects.filter(tickets__gt=0), categories, organisations)


def open_by_status(categories, organisations=None) -> list[tuple[str, int]]:
    counts = dict(
        _open(categories, organisations).order_by().values_list("status").annotate(n=Sum("tickets"))
    )
    return [(status, counts.get(status) or 0) for status in OPEN_STATUSES]


def open_by(categories, organisations, field: str) -> list[tuple[int, str, int]]:
    if field == "category":
        rows = _open(categories, organisations)
    else:
        rows = _of(OpenCount.objects.filter(tickets__gt=0), categories, organisations)
    return top(rows, field, "tickets")


def top(rows, field: str, column: str) -> list[tuple[int, str, int]]:
    """The TOP (id, name, sum of `column`) of `rows` grouped by `field`, most first and
    then by name, as figures.py orders them: the sums ranked in the database, the names
    read for the few that rank in the TOP (ties at the last place included), not joined
    to every group."""
    model = rows.model._meta.get_field(field).related_model
    ranked = list(
        rows.order_by()
        .values_list(f"{field}_id")
        .annotate(n=Sum(column), rank=Window(Rank(), order_by=Sum(column).desc()))
        .filter(rank__lte=figures.TOP)
        .values_list(f"{field}_id", "n")
    )
    names = dict(model.objects.filter(pk__in=[pk for pk, _n in ranked]).values_list("pk", "name"))
    found = sorted(((pk, names.get(pk, ""), n) for pk, n in ranked), key=lambda r: (-r[2], r[1]))
    return found[: figures.TOP]


def weekly(categories, since: datetime) -> list[tuple]:
    """(week's Monday, filed, resolved) for each of the WEEKS weeks, as figures.weekly."""
    first = timezone.localdate(since)
    rows = (
        _of(DayCount.objects.filter(day__gte=first), categories)
        .order_by()
        .values_list("day")
        .annotate(filed=Sum("filed"), resolved=Sum("resolved"))
    )
    filed, resolved = {}, {}
    for day, n, r in rows:
        week = day - timedelta(days=day.weekday())
        filed[week] = filed.get(week, 0) + n
        resolved[week] = resolved.get(week, 0) + r
    weeks = [first + timedelta(weeks=n) for n in range(figures.WEEKS)]
    return [(week, filed.get(week, 0), resolved.get(week, 0)) for week in weeks]
