"""The list's columns, defined once: the table's header, its rows, the phone cards
(the cells' `data-label`) and the CSV export all read `COLUMNS`."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Ticket

# How a cell is shown in the list: each is one branch of tickets/_ticket_row.html.
ID = "id"  # a link to the ticket
SUBJECT = "subject"  # a link to the ticket, in the text's own direction
NAME = "name"  # a person's or an organisation's name, isolated with <bdi>; "—" when none
TEXT = "text"
DATE = "date"
PRIORITY = "priority"  # the badge of _priority_badge.html
STATUS = "status"  # the badge of _status_badge.html


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # lazy: the header, the cards' data-label, and the export's header
    value: Callable[[Ticket], Any]  # what the cell holds; None when empty
    cell: str = TEXT
    sort: str = ""  # the `sort` value tickets/filters.py understands; "" for none
    css: str = ""  # the list cell's classes
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
        if self.cell == DATE:
            return date_format(timezone.localtime(value), "Y-m-d H:i")
        return str(value)


def _assignee(ticket: Ticket) -> str | None:
    return ticket.assignee.display_name() if ticket.assignee else None


COLUMNS = (
    Column("id", _("Id"), lambda t: t.pk, cell=ID, sort="id"),
    Column(
        "organisation",
        _("Reported by"),
        lambda t: t.organisation.name,
        cell=NAME,
        sort="organisation",
        css="ticket-org",
        export_label=_("Organisation"),
    ),
    Column(
        "subject",
        _("Subject"),
        lambda t: t.subject,
        cell=SUBJECT,
        sort="subject",
        css="ticket-subject",
    ),
    Column(
        "priority",
        _("Priority"),
        lambda t: t.get_priority_display(),
        cell=PRIORITY,
        sort="priority",
    ),
    Column("category", _("Category"), lambda t: t.category, sort="category"),
    Column("kind", _("Kind"), lambda t: t.kind, in_list=False),
    Column(
        "assignee",
        _("Assigned to"),
        _assignee,
        cell=NAME,
        sort="assignee",
        export_label=_("Assignee"),
    ),
    Column(
        "created",
        _("Created on"),
        lambda t: t.created_at,
        cell=DATE,
        sort="created",
        css="text-nowrap",
    ),
    Column("read", _("Read on"), lambda t: t.read_at, cell=DATE, sort="read", css="text-nowrap"),
    Column(
        "resolved",
        _("Resolved on"),
        lambda t: t.resolved_at,
        cell=DATE,
        sort="resolved",
        css="text-nowrap",
    ),
    Column("status", _("Status"), lambda t: t.get_status_display(), cell=STATUS, sort="status"),
)
LIST_COLUMNS = tuple(column for column in COLUMNS if column.in_list)
EXPORT_COLUMNS = tuple(column for column in COLUMNS if column.in_export)


class Row(NamedTuple):
    ticket: Ticket
    cells: list[tuple[Column, Any]]


def list_rows(tickets: Iterable[Ticket]) -> list[Row]:
    """Each ticket with its list cells' values, read from the relations already fetched."""
    return [
        Row(ticket, [(column, column.value(ticket)) for column in LIST_COLUMNS])
        for ticket in tickets
    ]
