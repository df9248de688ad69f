"""The dashboard's figures, each one aggregate query over the scope's tickets.

Every query is bounded: counts grouped by a short key, top lists cut at TOP rows, time
series and medians over the last WEEKS weeks only. Each reads columns of the ticket
itself, never its events: the first response is the clock sla/ keeps on the ticket
(`first_responded_at`). Medians are PostgreSQL's `percentile_cont`, the three of them in
one grouped query; SQLite has no such aggregate, so there the middle row(s) are picked
by window functions, a query per median. Either way at most a row or two per category
leaves the database.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.db import connections
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber, TruncWeek
from django.utils import timezone

from categories.models import Category
from tickets.models import OPEN_STATUSES

WEEKS = 26  # six months
TOP = 10
OLDEST = 10


def period_start(now: datetime | None = None) -> datetime:
    """The Monday, at midnight local time, that starts the WEEKS-week window."""
    today = timezone.localdate(now or timezone.now())
    monday = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    return timezone.make_aware(datetime.combine(monday, datetime.min.time()))


def open_by_status(tickets: QuerySet) -> list[tuple[str, int]]:
    counts = dict(
        tickets.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return [(status, counts.get(status, 0)) for status in OPEN_STATUSES]


def open_by(tickets: QuerySet, field: str) -> list[tuple[int, str, int]]:
    """The TOP (id, name, open tickets) of `field` ("category" or "organisation")."""
    return list(
        tickets.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values_list(f"{field}_id", f"{field}__name")
        .annotate(n=Count("id"))
        .order_by("-n", f"{field}__name")[:TOP]
    )


def filing_organisations(tickets: QuerySet, since: datetime) -> list[tuple[int, str, int]]:
    """The TOP organisations by tickets filed since `since`."""
    return list(
        tickets.filter(created_at__gte=since)
        .order_by()
        .values_list("organisation_id", "organisation__name")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation__name")[:TOP]
    )


def _per_week(tickets: QuerySet, field: str, since: datetime) -> dict:
    # COUNT(*), not of a column: the date's index alone answers (an index-only scan).
    rows = (
        tickets.filter(**{f"{field}__gte": since})
        .order_by()
        .annotate(week=TruncWeek(field))
        .values_list("week")
        .annotate(n=Count("*"))
    )
    return {timezone.localdate(week) if isinstance(week, datetime) else week: n for week, n in rows}


def weekly(tickets: QuerySet, since: datetime) -> list[tuple]:
    """(week's Monday, filed, resolved) for each of the WEEKS weeks, empty ones too.

    Resolved counts the tickets whose resolution date falls in the week (a reopened
    ticket has none until it is resolved again)."""
    filed = _per_week(tickets, "created_at", since)
    resolved = _per_week(tickets, "resolved_at", since)
    first = timezone.localdate(since)
    weeks = [first + timedelta(weeks=n) for n in range(WEEKS)]
    return [(week, filed.get(week, 0), resolved.get(week, 0)) for week in weeks]


def _since_filing(end) -> ExpressionWrapper:
    return ExpressionWrapper(end - F("created_at"), output_field=DurationField())


class Median(Aggregate):
    """PostgreSQL's continuous median: the middle value, or the mean of the middle two;
    rows whose value is NULL are not counted."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


# What each median of `Durations` measures from the filing to.
ENDS = {
    "to_read": "read_at",
    "to_first_response": "first_responded_at",
    "to_resolve": "resolved_at",
}


def _all_medians(tickets: QuerySet, since: datetime) -> dict[str, dict[int, timedelta]]:
    """Per median of ENDS, per category: one grouped query (PostgreSQL)."""
    rows = (
        tickets.filter(created_at__gte=since)
        .order_by()
        .values("category_id")
        .annotate(**{name: Median(_since_filing(F(end))) for name, end in ENDS.items()})
    )
    found: dict[str, dict[int, timedelta]] = {name: {} for name in ENDS}
    for row in rows:
        for name in ENDS:
            if row[name] is not None:
                found[name][row["category_id"]] = row[name]
    return found


def _medians(tickets: QuerySet, end: str, since: datetime) -> dict[int, timedelta]:
    """Per category, the median of `end` - created_at over tickets filed since `since`
    that have an `end`, by window functions (SQLite).

    `end` is written once in the SQL: the rows without one sort last and are not
    counted (COUNT of a NULL), so no WHERE repeats it."""
    took = _since_filing(F(end))
    ranked = (
        tickets.filter(created_at__gte=since)
        .order_by()
        .annotate(took=took)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("category_id")],
                order_by=[F("took").asc(nulls_last=True), F("id")],
            ),
            total=Window(Count("took"), partition_by=[F("category_id")]),
        )
        # The middle row, or the two middle rows of an even count.
        .filter(rank__gte=(F("total") + 1) / 2, rank__lte=(F("total") + 2) / 2)
        .filter(total__gt=0)
        .values_list("category_id", "took")
    )
    middles: dict[int, list[timedelta]] = {}
    for category_id, took in ranked:
        if not isinstance(took, timedelta):  # SQLite may hand microseconds
            took = timedelta(microseconds=took)
        middles.setdefault(category_id, []).append(took)
    return {key: sum(values, timedelta()) / len(values) for key, values in middles.items()}


def hours(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


@dataclass(frozen=True)
class Durations:
    category_id: int
    category: str
    to_read: float | None
    to_first_response: float | None
    to_resolve: float | None


def medians(tickets: QuerySet, since: datetime) -> dict[str, dict[int, timedelta]]:
    """Per median of ENDS, per category, over the tickets filed since `since`."""
    if connections[tickets.db].vendor == "postgresql":
        return _all_medians(tickets, since)
    return {name: _medians(tickets, end, since) for name, end in ENDS.items()}


def durations(tickets: QuerySet, since: datetime) -> list[Durations]:
    """Median hours to read, to first response and to resolve, per category.

    The first response is sla/'s: a handler's first public reply, information request
    or resolution, not the requester's side's nor an internal note."""
    found = medians(tickets, since)
    read, answered, resolved = (found[name] for name in ENDS)
    ids = set(read) | set(answered) | set(resolved)
    names = dict(Category.objects.filter(pk__in=ids).values_list("pk", "name"))
    return sorted(
        (
            Durations(
                key,
                names.get(key, ""),
                hours(read.get(key)),
                hours(answered.get(key)),
                hours(resolved.get(key)),
            )
            for key in ids
        ),
        key=lambda row: row.category,
    )


@dataclass(frozen=True)
class WithinTarget:
    category_id: int
    category: str
    responded: int  # tickets filed in the period with a first response due and answered
    responded_in_time: int
    resolved: int  # ... with a resolution due, and resolved
    resolved_in_time: int

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return None if not whole else round(100 * part / whole, 1)


def within_target(tickets: QuerySet, since: datetime) -> list[WithinTarget]:
    """Per category, of the tickets filed since `since` that had service-level targets
    (sla/ stores the dues on the ticket), how many were answered and resolved by their
    due. One grouped query."""
    answered = Q(first_response_due_at__isnull=False, first_responded_at__isnull=False)
    resolved = Q(resolution_due_at__isnull=False, resolved_at__isnull=False)
    rows = (
        tickets.filter(created_at__gte=since)
        .order_by()
        .values("category_id")
        .annotate(
            responded=Count("id", filter=answered),
            responded_in_time=Count(
                "id", filter=answered & Q(first_responded_at__lte=F("first_response_due_at"))
            ),
            resolved=Count("id", filter=resolved),
            resolved_in_time=Count(
                "id", filter=resolved & Q(resolved_at__lte=F("resolution_due_at"))
            ),
        )
        .filter(Q(responded__gt=0) | Q(resolved__gt=0))
    )
    rows = list(rows)
    names = dict(
        Category.objects.filter(pk__in=[r["category_id"] for r in rows]).values_list("pk", "name")
    )
    return sorted(
        (WithinTarget(category=names.get(r["category_id"], ""), **r) for r in rows),
        key=lambda row: row.category,
    )


def oldest_open(tickets: QuerySet) -> list:
    return list(
        tickets.filter(status__in=OPEN_STATUSES)
        .select_related("organisation", "category")
        .order_by("created_at", "id")[:OLDEST]
    )


def satisfaction(tickets: QuerySet, by: str) -> list[tuple[int, str, int, float]]:
    """(id, name, answers, average rating) per `by` ("category" or "assignee"), from the
    satisfaction app when it is installed: it exposes `ratings` on its app config, so
    that the dashboard needs no import of it (capability apps never import each other)."""
    if not apps.is_installed("satisfaction"):
        return []
    return apps.get_app_config("satisfaction").ratings(tickets, by=by, top=TOP)


def knowledge_base(user, scope_kind: str, category_id: int | None, since: datetime):
    """Articles viewed, useful votes and deflections since `since` (kb exposes `figures`
    on its app config), for the categories the viewer handles; members see none."""
    if scope_kind not in ("all", "teams") or not apps.is_installed("kb"):
        return None
    from categories.selectors import team_category_ids

    categories = None if scope_kind == "all" else set(team_category_ids(user))
    if category_id is not None:
        categories = {category_id} if categories is None else categories & {category_id}
    return apps.get_app_config("kb").figures(categories=categories, since=since)
