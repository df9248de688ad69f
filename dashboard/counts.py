"""The dashboard's rollups, kept as tickets change: tickets filed and resolved per day and
category (DayCount), open tickets per category, organisation and status (OpenCount).

Each change recounts the rows it may have moved from the tickets themselves, never
adds or subtracts: a recount is right whatever happened before (a change we missed,
a ticket moved by hand), and the same function fills the tables (`fill`). The rows
are locked first, in key order: a second change of the same row waits for the first
to commit, and its count (a new statement) then sees the first one's ticket.

The receivers run inside the service's transaction (tickets' signals), so the counts
commit or roll back with the change.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from tickets.models import OPEN_STATUSES, EventKind, Status, Ticket, TicketEvent

from . import figures
from .models import DayCount, OpenCount


def local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _day_range(day: date) -> tuple[datetime, datetime]:
    """The day's start and the next day's, in local time (a day may have 23 or 25 hours)."""
    return tuple(
        timezone.make_aware(datetime.combine(d, time.min)) for d in (day, day + timedelta(days=1))
    )


def _locked(model, keys: list[dict]):
    """The rows of `keys`, created when missing, locked in key order."""
    model.objects.bulk_create([model(**key) for key in keys], ignore_conflicts=True)
    where = Q()
    for key in keys:
        where |= Q(**key)
    return model.objects.select_for_update().filter(where).order_by(*keys[0])


def recount_days(keys) -> None:
    """Count anew the DayCount rows of `keys`, (category id, day) pairs."""
    keys = sorted(set(keys))
    if not keys:
        return
    for row in _locked(DayCount, [{"category_id": c, "day": d} for c, d in keys]):
        start, end = _day_range(row.day)
        tickets = Ticket.objects.filter(category_id=row.category_id).order_by()
        filed = tickets.filter(created_at__gte=start, created_at__lt=end).count()
        resolved = tickets.filter(resolved_at__gte=start, resolved_at__lt=end).count()
        if (filed, resolved) != (row.filed, row.resolved):
            DayCount.objects.filter(pk=row.pk).update(filed=filed, resolved=resolved)


def recount_open(keys) -> None:
    """Count anew the OpenCount rows of `keys`, (category id, organisation id) pairs."""
    keys = sorted(set(keys))
    if not keys:
        return
    rows = [
        {"category_id": c, "organisation_id": o, "status": s}
        for c, o in keys
        for s in OPEN_STATUSES
    ]
    locked = list(_locked(OpenCount, rows))
    for category_id, organisation_id in keys:
        found = dict(
            Ticket.objects.filter(
                organisation_id=organisation_id,
                category_id=category_id,
                status__in=OPEN_STATUSES,
            )
            .order_by()
            .values_list("status")
            .annotate(n=Count("*"))
        )
        for row in locked:
            if (row.category_id, row.organisation_id) != (category_id, organisation_id):
                continue
            if row.tickets != found.get(row.status, 0):
                OpenCount.objects.filter(pk=row.pk).update(tickets=found.get(row.status, 0))


def _last_resolution(ticket: Ticket) -> datetime | None:
    """When a reopened ticket had been resolved: its last `resolved` event, written a
    moment after `resolved_at` in the same transaction."""
    return (
        TicketEvent.objects.filter(ticket_id=ticket.pk, kind=EventKind.RESOLVED)
        .order_by("-id")
        .values_list("created_at", flat=True)
        .first()
    )


def ticket_keys(ticket: Ticket, categories=()) -> tuple[set, set]:
    """The DayCount and OpenCount keys that `ticket` counts in now, and in each of
    `categories` (those it was in before)."""
    categories = {ticket.category_id, *categories}
    days = {local_day(ticket.created_at)}
    if ticket.resolved_at:
        days.add(local_day(ticket.resolved_at))
    return (
        {(category, day) for category in categories for day in days},
        {(category, ticket.organisation_id) for category in categories},
    )


def status_changed(sender, *, ticket: Ticket, old, new, **kwargs) -> None:
    day_keys, open_keys = ticket_keys(ticket)
    reopened = old == Status.RESOLVED and new != Status.CLOSED
    if reopened:
        # The resolution it loses counted on the day it was resolved. Its event
        # follows resolved_at by a moment: the day before is recounted too.
        resolved = _last_resolution(ticket)
        if resolved is not None:
            day = local_day(resolved)
            day_keys |= {(ticket.category_id, day), (ticket.category_id, day - timedelta(1))}
    # Only filing, resolving and reopening move a day's numbers.
    if old is None or new == Status.RESOLVED or reopened:
        recount_days(day_keys)
    if old in OPEN_STATUSES or new in OPEN_STATUSES:
        recount_open(open_keys)


def field_changed(sender, *, ticket: Ticket, field: str, old, new, **kwargs) -> None:
    """A redirect moves the ticket's counts from the old category to the new one."""
    if field != "category":
        return
    day_keys, open_keys = ticket_keys(ticket, categories=[old])
    recount_days(day_keys)
    recount_open(open_keys)


@transaction.atomic
def fill(Ticket=Ticket, DayCount=DayCount, OpenCount=OpenCount) -> tuple[int, int]:  # noqa: N803
    """Count every row afresh from the tickets (after a bulk load, or to check the
    kept counts); returns how many rows of each table there are. A migration hands
    in its historical models."""
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
    open_rows = (
        Ticket.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values_list("category_id", "organisation_id", "status")
        .annotate(n=Count("*"))
    )
    DayCount.objects.all().delete()
    OpenCount.objects.all().delete()
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


# Reading: the figures of all the tickets of some categories (`categories`: their
# ids; None: every one) and organisations (likewise), the same rows as figures.py's
# over those tickets.


def _of(rows, categories, organisations=None):
    if categories is not None:
        rows = rows.filter(category_id__in=categories)
    if organisations is not None:
        rows = rows.filter(organisation_id__in=organisations)
    return rows


def open_by_status(categories, organisations=None) -> list[tuple[str, int]]:
    counts = dict(
        _of(OpenCount.objects.all(), categories, organisations)
        .order_by()
        .values_list("status")
        .annotate(n=Sum("tickets"))
    )
    return [(status, counts.get(status) or 0) for status in OPEN_STATUSES]


def open_by(categories, organisations, field: str) -> list[tuple[int, str, int]]:
    return list(
        _of(OpenCount.objects.filter(tickets__gt=0), categories, organisations)
        .order_by()
        .values_list(f"{field}_id", f"{field}__name")
        .annotate(n=Sum("tickets"))
        .order_by("-n", f"{field}__name")[: figures.TOP]
    )


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
