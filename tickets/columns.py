"""The list's columns, defined once: the table's header, its rows, the phone cards
(the cells' `data-label`) and the CSV export all read `COLUMNS`."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from .models import Priority, Status, Ticket

# How a cell is shown in the list: each is one branch of tickets/_ticket_row.html.
ID = "id"  # a link to the ticket
SUBJECT = "subject"  # a link to the ticket, in the text's own direction
NAME = "name"  # a person's or an organisation's name, isolated with <bdi>; "—" when none
DATE = "date"
TEXT = "text"
BADGE = "badge"  # the column's `badge` partial, rendered with the ticket
DUE = "due"  # a `DueBadge`: how long until (or since) the service level's next due


@dataclass(frozen=True)
class Column:
    label: str  # lazy: the header, the cards' data-label, and the export's header
    value: Callable[[Ticket], Any]  # what the cell holds; None when empty
    cell: str = TEXT
    sort: str = ""  # the `sort` value tickets/filters.py understands; "" for none
    css: str = ""  # the list cell's classes
    badge: str = ""  # a BADGE cell's partial, fed the ticket: one value, one badge
    choices: type[models.Choices] | None = None  # when the value is a code: its labels
    export_label: str | None = None  # when the export's header says it differently
    in_list: bool = True
    in_export: bool = True

    @property
    def export_header(self) -> str:
        return self.export_label or self.label

    def text(self, ticket: Ticket) -> str:
        """The plain text the export writes."""
        value = self.value(ticket)
        if value is None:
            return ""
        if self.choices:
            return str(dict(self.choices.choices).get(value, value))
        if self.cell == DATE:
            return date_format(timezone.localtime(value), "Y-m-d H:i")
        return str(value)


class DueBadge(NamedTuple):
    text: str
    css: str


def span(length: datetime.timedelta) -> str:
    """A wall-clock length, short: "1 d 3 h", "2 h", "45 min"."""
    minutes = max(int(length.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return pgettext("duration", "%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return pgettext("duration", "%(hours)d h") % {"hours": hours}
    return pgettext("duration", "%(minutes)d min") % {"minutes": minutes}


def due_badge(ticket: Ticket, now: datetime.datetime | None = None) -> DueBadge | None:
    """ "due in 2 h", "overdue 1 d 3 h", or "paused" while the member is asked."""
    if ticket.due_at is None:
        if ticket.sla_paused_at is not None and ticket.status == Status.INFO_REQUESTED:
            return DueBadge(gettext("paused"), "text-bg-secondary")
        return None
    left = ticket.due_at - (now or timezone.now())
    if left <= datetime.timedelta(0):
        return DueBadge(gettext("overdue %(time)s") % {"time": span(-left)}, "text-bg-danger")
    text = gettext("due in %(time)s") % {"time": span(left)}
    if left <= datetime.timedelta(minutes=settings.HELPDESK_SLA_DUE_SOON_MINUTES):
        return DueBadge(text, "text-bg-warning")
    return DueBadge(text, "text-bg-light border")


def _assignee(ticket: Ticket) -> str | None:
    return ticket.assignee.display_name() if ticket.assignee else None


# Its header is the viewer's word for it (a unit at the agency): see `named_for`.
CATEGORY = Column(_("Category"), lambda t: t.category, sort="category")
COLUMNS = (
    Column(_("Id"), lambda t: t.pk, cell=ID, sort="id"),
    Column(
        _("Reported by"),
        lambda t: t.organisation.name,
        cell=NAME,
        sort="organisation",
        css="ticket-org",
        export_label=_("Organisation"),
    ),
    Column(
        _("Subject"),
        lambda t: t.subject,
        cell=SUBJECT,
        sort="subject",
        css="ticket-subject",
    ),
    Column(
        _("Priority"),
        lambda t: t.priority,
        cell=BADGE,
        sort="priority",
        badge="_priority_badge.html",
        choices=Priority,
    ),
    CATEGORY,
    Column(_("Kind"), lambda t: t.kind, in_list=False),
    Column(
        _("Assigned to"),
        _assignee,
        cell=NAME,
        sort="assignee",
        export_label=_("Assignee"),
    ),
    Column(
        _("Created on"),
        lambda t: t.created_at,
        cell=DATE,
        sort="created",
        css="text-nowrap",
    ),
    Column(_("Read on"), lambda t: t.read_at, cell=DATE, sort="read", css="text-nowrap"),
    Column(
        _("Resolved on"),
        lambda t: t.resolved_at,
        cell=DATE,
        sort="resolved",
        css="text-nowrap",
    ),
    Column(_("Due"), due_badge, cell=DUE, sort="due", css="text-nowrap", in_export=False),
    Column(_("Due"), lambda t: t.due_at, cell=DATE, in_list=False),
    Column(
        _("Last activity"),
        lambda t: t.last_activity_at,
        cell=DATE,
        sort="activity",
        css="text-nowrap",
    ),
    Column(
        _("Status"),
        lambda t: t.status,
        cell=BADGE,
        sort="status",
        badge="_status_badge.html",
        choices=Status,
    ),
)
LIST_COLUMNS = tuple(column for column in COLUMNS if column.in_list)
EXPORT_COLUMNS = tuple(column for column in COLUMNS if column.in_export)


def named_for(category_label, columns=LIST_COLUMNS) -> tuple[Column, ...]:
    """The columns with the category's header as the viewer's deployment says it."""
    return tuple(
        replace(column, label=category_label) if column is CATEGORY else column
        for column in columns
    )


class Row(NamedTuple):
    ticket: Ticket
    cells: list[tuple[dict, Any]]  # (the column as the row template reads it, the value)


def list_rows(tickets: Iterable[Ticket], columns=LIST_COLUMNS) -> list[Row]:
    """Each ticket with its list cells, from the relations already fetched."""
    # Dicts, each label translated once: the row template reads them for every cell.
    shown = [
        (column, {"label": str(column.label), "css": column.css, "cell": column.cell})
        for column in columns
    ]
    badges = {}  # (partial, value) -> its HTML: a page renders each badge once
    rows = []
    for ticket in tickets:
        cells = []
        for column, spec in shown:
            value = column.value(ticket)
            if column.cell == BADGE:
                if (column.badge, value) not in badges:
                    badges[column.badge, value] = render_to_string(column.badge, {"ticket": ticket})
                value = badges[column.badge, value]
            cells.append((spec, value))
        rows.append(Row(ticket, cells))
    return rows
