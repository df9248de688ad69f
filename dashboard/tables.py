"""The dashboard's tables: each figure as a title, a header and rows of plain values,
which the page shows beside its chart and the CSV and XLSX downloads write out."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tickets.models import Status

from . import counts, figures, snapshots
from .scope import Scope, signature


@dataclass
class Table:
    slug: str
    title: str
    headers: list
    rows: list[tuple] = field(default_factory=list)
    # For the picture: "bars" (label, value) from these columns, or "trend".
    chart: str = ""
    label_column: int = 0
    value_column: int = 1
    # Links to a ticket, per row (the oldest open tickets): the first cell links there.
    links: list[str] | None = None
    # When a snapshot's figures were taken (snapshots.py), for the page to say so.
    taken_at: datetime | None = None

    @property
    def lines(self):
        """(link or None, row) for the page's table."""
        links = self.links or [None] * len(self.rows)
        return list(zip(links, self.rows, strict=True))


def _status(code: str) -> str:
    return str(dict(Status.choices).get(code, code))


def _week(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _kept(scope: Scope) -> bool:
    """Whether the open counts answer for the scope: it is whole categories and
    organisations (counts.OpenCount)."""
    return scope.exact


def _whole(scope: Scope) -> bool:
    """Whether the daily counts and the snapshots answer for the scope: it is whole
    categories of every organisation (counts.DayCount, snapshots.py)."""
    return scope.exact and scope.organisations is None


def open_status(scope: Scope, since) -> Table:
    if _kept(scope):
        found = counts.open_by_status(scope.categories, scope.organisations)
    else:
        found = figures.open_by_status(scope.tickets)
    rows = [(_status(code), n) for code, n in found]
    return Table("open-status", _("Open tickets by status"), [_("Status"), _("Open")], rows, "bars")


def _open_by(scope: Scope, field: str):
    if _kept(scope):
        return counts.open_by(scope.categories, scope.organisations, field)
    return figures.open_by(scope.tickets, field)


def open_category(scope: Scope, since) -> Table:
    rows = [(name, n) for _id, name, n in _open_by(scope, "category")]
    headers = [_("Category"), _("Open")]
    return Table("open-category", _("Open tickets by category"), headers, rows, "bars")


def open_organisation(scope: Scope, since) -> Table:
    rows = [(name, n) for _id, name, n in _open_by(scope, "organisation")]
    headers = [_("Organisation"), _("Open")]
    return Table("open-organisation", _("Open tickets by organisation"), headers, rows, "bars")


def weekly(scope: Scope, since) -> Table:
    if _whole(scope):
        rows = counts.weekly(scope.categories, since)
    else:
        rows = figures.weekly(scope.tickets, since)
    headers = [_("Week of"), _("Filed"), _("Resolved")]
    return Table("weekly", _("Filed and resolved per week"), headers, rows, "trend")


def _snapshot(scope: Scope, since, name: str):
    """The figure `name` from the last snapshot when the scope is whole categories and
    one was taken for this period: (rows, when taken); else counted now: (rows, None)."""
    taken = getattr(snapshots, name)(scope.categories, since) if _whole(scope) else None
    if taken is None:
        return getattr(figures, name)(scope.tickets, since), None
    return taken


def durations(scope: Scope, since) -> Table:
    found, taken_at = _snapshot(scope, since, "durations")
    rows = [(row.category, row.to_read, row.to_first_response, row.to_resolve) for row in found]
    headers = [
        _("Category"),
        _("Median hours to read"),
        _("Median hours to first response"),
        _("Median hours to resolve"),
    ]
    title = _("Median times per category")
    return Table("durations", title, headers, rows, "bars", value_column=3, taken_at=taken_at)


def within_target(scope: Scope, since) -> Table | None:
    """The share of tickets answered and resolved within their service-level targets:
    the desk's business, not the members' (as the ticket's clocks)."""
    if scope.kind == "organisation":
        return None
    found, taken_at = _snapshot(scope, since, "within_target")
    if not found:
        return None
    share = figures.WithinTarget.share
    rows = [
        (
            row.category,
            share(row.responded_in_time, row.responded),
            row.responded,
            share(row.resolved_in_time, row.resolved),
            row.resolved,
        )
        for row in found
    ]
    headers = [
        _("Category"),
        _("First response within target (%)"),
        _("Answered"),
        _("Resolved within target (%)"),
        _("Resolved"),
    ]
    title = _("Within the service-level targets")
    return Table("within-target", title, headers, rows, "bars", value_column=3, taken_at=taken_at)


def oldest(scope: Scope, since) -> Table:
    tickets = figures.oldest_open(scope.tickets)
    now = timezone.now()
    rows = [
        (
            ticket.pk,
            ticket.subject,
            ticket.organisation.name,
            ticket.category.name,
            _status(ticket.status),
            timezone.localtime(ticket.created_at).replace(tzinfo=None),
            (now - ticket.created_at).days,
        )
        for ticket in tickets
    ]
    headers = [
        _("Id"),
        _("Subject"),
        _("Organisation"),
        _("Category"),
        _("Status"),
        _("Created on"),
        _("Days open"),
    ]
    table = Table("oldest", _("Oldest open tickets"), headers, rows)
    table.links = [ticket.get_absolute_url() for ticket in tickets]
    return table


def filing(scope: Scope, since) -> Table:
    found, taken_at = _snapshot(scope, since, "filing_organisations")
    rows = [(name, n) for _id, name, n in found]
    headers = [_("Organisation"), _("Filed")]
    title = _("Organisations that file most (six months)")
    return Table("filing", title, headers, rows, "bars", taken_at=taken_at)


def satisfaction_category(scope: Scope, since) -> Table:
    rows = [(name, n, avg) for _id, name, n, avg in figures.satisfaction(scope.tickets, "category")]
    headers = [_("Category"), _("Answers"), _("Average rating (1–5)")]
    return Table(
        "satisfaction-category",
        _("Satisfaction per category"),
        headers,
        rows,
        "bars",
        value_column=2,
    )


def satisfaction_assignee(scope: Scope, since) -> Table | None:
    if scope.kind == "organisation":  # members rate tickets, not the staff by name
        return None
    rows = [
        (name or _("Unassigned"), n, avg)
        for _id, name, n, avg in figures.satisfaction(scope.tickets, "assignee")
    ]
    headers = [_("Handler"), _("Answers"), _("Average rating (1–5)")]
    return Table(
        "satisfaction-handler",
        _("Satisfaction per handler"),
        headers,
        rows,
        "bars",
        value_column=2,
    )


def knowledge_base(scope: Scope, since) -> Table | None:
    if scope.organisation_id:  # article views belong to no organisation
        return None
    found = figures.knowledge_base(scope.user, scope.kind, scope.category_id, since)
    if found is None:
        return None
    rows = [
        (_("Articles viewed"), found["viewed"]),
        (_("Useful votes"), found["useful_votes"]),
        (_("Not useful votes"), found["not_useful_votes"]),
        (_("Deflections (a suggested article opened, no ticket filed)"), found["deflected"]),
    ]
    headers = [_("Figure"), _("Count")]
    return Table("knowledge-base", _("Help articles (six months)"), headers, rows, "bars")


def _storable(table: Table | None) -> Table | None:
    """The table with its lazy translations made text, fit for the cache."""
    if table is not None:
        table.title = str(table.title)
        table.headers = [str(header) for header in table.headers]
        table.rows = [
            tuple(str(v) if isinstance(v, Promise) else v for v in row) for row in table.rows
        ]
    return table


def build_all(slugs, scope: Scope, since) -> dict[str, Table | None]:
    """The tables `slugs` for `scope`, from the cache when the same rows were counted in
    the last HELPDESK_DASHBOARD_CACHE_SECONDS (per language: its labels are translated),
    asked of the cache in one round trip, the missing ones stored in another.

    A million tickets' aggregates take seconds; a dashboard a few minutes old is as
    useful, and the key holds everything that decides which tickets are counted."""
    seconds = settings.HELPDESK_DASHBOARD_CACHE_SECONDS
    key = signature(scope)
    if not seconds or key is None:
        return {slug: TABLES[slug](scope, since) for slug in slugs}
    prefix = f"{get_language()}:{since.date().isoformat()}:{key}"
    keys = {slug: f"dashboard:{slug}:{prefix}" for slug in slugs}
    cached = cache.get_many(list(keys.values()))
    tables, missing = {}, {}
    for slug, cache_key in keys.items():
        if cache_key in cached:
            tables[slug] = cached[cache_key] or None
        else:
            tables[slug] = _storable(TABLES[slug](scope, since))
            missing[cache_key] = tables[slug] or False
    if missing:
        cache.set_many(missing, seconds)
    return tables


def build(slug: str, scope: Scope, since) -> Table | None:
    """The table `slug` for `scope` (see build_all)."""
    return build_all([slug], scope, since)[slug]


TABLES: dict[str, Callable[[Scope, object], Table | None]] = {
    "open-status": open_status,
    "open-category": open_category,
    "open-organisation": open_organisation,
    "weekly": weekly,
    "durations": durations,
    "within-target": within_target,
    "oldest": oldest,
    "filing": filing,
    "satisfaction-category": satisfaction_category,
    "satisfaction-handler": satisfaction_assignee,
    "knowledge-base": knowledge_base,
}
