"""The medians and the shares within the service-level targets per category, taken by
the periodic job `dashboard_snapshots` (jobs/table.py) for the scopes that are whole
categories (a supervisor's everything, a handler's teams).

Why a snapshot and not a rollup: a median cannot be added up from days' or
categories' parts, and over a million tickets the six months' medians take seconds.
The shares within the targets could be summed, but their inputs (the dues, the first
response) are moved by sla/ on paths that send no signal (a calendar's recomputation,
`start_missing`); taken in the same pass they are exact as of the same moment, which
the page says ("as of HH:MM"). Smaller scopes (an organisation's subtree) read the
tickets directly, as before.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from categories.models import Category
from tickets.models import Ticket

from . import counts, figures
from .models import CategorySnapshot, FilingSnapshot


@transaction.atomic
def refresh(now: datetime | None = None) -> int:
    """Take the snapshot of every category for the current period; returns how many."""
    now = now or timezone.now()
    since = figures.period_start(now)
    tickets = Ticket.objects.all()
    found = figures.medians(tickets, since)
    shares = {row.category_id: row for row in figures.within_target(tickets, since)}
    rows = []
    for category_id in Category.objects.values_list("pk", flat=True):
        share = shares.get(category_id)
        rows.append(
            CategorySnapshot(
                category_id=category_id,
                since=since,
                taken_at=now,
                **{name: found[name].get(category_id) for name in figures.ENDS},
                responded=share.responded if share else 0,
                responded_in_time=share.responded_in_time if share else 0,
                resolved=share.resolved if share else 0,
                resolved_in_time=share.resolved_in_time if share else 0,
            )
        )
    filings = (
        tickets.filter(created_at__gte=since)
        .order_by()
        .values_list("category_id", "organisation_id")
        .annotate(n=Count("*"))
    )
    # Two runs at once (the job's lock makes it rare): the second's rows that the first
    # already wrote are dropped rather than failing the job.
    CategorySnapshot.objects.all().delete()
    CategorySnapshot.objects.bulk_create(rows, ignore_conflicts=True)
    FilingSnapshot.objects.all().delete()
    FilingSnapshot.objects.bulk_create(
        (
            FilingSnapshot(category_id=c, organisation_id=o, since=since, taken_at=now, filed=n)
            for c, o, n in filings
        ),
        batch_size=2000,
        ignore_conflicts=True,
    )
    return len(rows)


def _taken(categories, since: datetime) -> list[CategorySnapshot] | None:
    """The snapshot's rows of `categories` (None: all) for the period from `since`, or
    None when none was taken for it yet (a new week began since the last run)."""
    rows = CategorySnapshot.objects.filter(since=since).select_related("category")
    if categories is not None:
        rows = rows.filter(category_id__in=categories)
    rows = list(rows)
    if not rows and not CategorySnapshot.objects.filter(since=since).exists():
        return None
    return rows


def durations(categories, since: datetime) -> tuple[list[figures.Durations], datetime] | None:
    """figures.durations for whole categories, and when it was taken; None: not taken."""
    rows = _taken(categories, since)
    if rows is None:
        return None
    hours = figures.hours
    found = [
        figures.Durations(
            row.category_id,
            row.category.name,
            hours(row.to_read),
            hours(row.to_first_response),
            hours(row.to_resolve),
        )
        for row in rows
        if any(getattr(row, name) is not None for name in figures.ENDS)
    ]
    return sorted(found, key=lambda row: row.category), _taken_at(rows)


def within_target(
    categories, since: datetime
) -> tuple[list[figures.WithinTarget], datetime] | None:
    """figures.within_target for whole categories, and when it was taken; None: not taken."""
    rows = _taken(categories, since)
    if rows is None:
        return None
    found = [
        figures.WithinTarget(
            row.category_id,
            row.category.name,
            row.responded,
            row.responded_in_time,
            row.resolved,
            row.resolved_in_time,
        )
        for row in rows
        if row.responded or row.resolved
    ]
    return sorted(found, key=lambda row: row.category), _taken_at(rows)


def _taken_at(rows) -> datetime | None:
    return min((row.taken_at for row in rows), default=None)


def filing_organisations(
    categories, since: datetime
) -> tuple[list[tuple[int, str, int]], datetime] | None:
    """figures.filing_organisations for whole categories, and when it was counted; None:
    not counted for this period."""
    taken = _taken(categories, since)
    if taken is None:
        return None
    rows = FilingSnapshot.objects.filter(since=since)
    if categories is not None:
        rows = rows.filter(category_id__in=categories)
    found = counts.top(rows, "organisation", "filed")
    return found, _taken_at(taken)
