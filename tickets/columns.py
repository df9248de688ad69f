"""The list's columns, defined once: the table's header, its rows, the phone cards
(the cells' `data-label`) and the CSV export all read `COLUMNS`."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from common.calendars import datetime_formatter

from .models import Priority, Status, Ticket

# How a cell is shown in the list: each is one branch of `_cell` below.
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
    html: SafeString  # the row's <tr>, its <td>s within


def _text(value) -> str:
    """A value as `{{ value }}` prints it in a template: localised, escaped."""
    return conditional_escape(localize(value))


def _name(value, column: Column) -> str:
    if not value:
        return mark_safe('<span class="text-body-secondary">—</span>')  # noqa: S308
    if column.css == "ticket-org":  # a long name is cut by the style: the whole in its title
        return format_html('<bdi title="{}">{}</bdi>', value, value)
    return format_html("<bdi>{}</bdi>", value)


def _due(value: DueBadge | None) -> str:
    return format_html('<span class="badge {}">{}</span>', value.css, value.text) if value else ""


def _subject(value, url: str, updated: bool) -> str:
    link = format_html('<a href="{}" dir="auto">{}</a>', url, value)
    if updated:
        marker = ' <span class="badge text-bg-info ticket-updated">{}</span>'
        return link + format_html(marker, gettext("updated"))
    return link


def _cell(column: Column, value, url: str, updated: bool, dates) -> str:
    """A cell's content, shown by the column's kind of cell."""
    if column.cell == DATE:  # as the `when` filter shows it
        return _text(dates(value)) if value else "—"
    if column.cell == NAME:
        return _name(value, column)
    if column.cell == ID:
        return format_html('<a href="{}">{}</a>', url, localize(value))
    if column.cell == DUE:
        return _due(value)
    if column.cell == SUBJECT:
        return _subject(value, url, updated)
    return _text(value)  # TEXT, and BADGE's HTML as its partial rendered it


def _css(css: str) -> str:
    return format_html(' class="{}"', css) if css else ""


def sort_headers(columns, current_sort: str, query) -> list[SafeString]:
    """Each column's <th>: its label, a link sorting by it when it sorts (the other way
    round when it is the current sort, marked with an arrow); the filters kept, the
    paging dropped (`query`: the request's GET)."""
    kept = query.copy()
    for key in ("page", "after", "before"):
        kept.pop(key, None)
    headers = []
    for column in columns:
        label = conditional_escape(str(column.label))
        if not column.sort:
            headers.append(format_html('<th scope="col">\n  {}\n</th>\n', label))
            continue
        ascending, descending = current_sort == column.sort, current_sort == f"-{column.sort}"
        kept["sort"] = f"-{column.sort}" if ascending else column.sort
        aria = (ascending and "ascending") or (descending and "descending")
        headers.append(
            format_html(
                '<th scope="col"{}>\n  <a class="sort-link" href="?{}">{}{}</a>\n</th>\n',
                format_html(' aria-sort="{}"', aria) if aria else "",
                kept.urlencode(),
                label,
                (ascending and " ▲") or (descending and " ▼") or "",
            )
        )
    return headers


_MARKER = 987654321987654321  # an id to cut the reversed URL around


def _ticket_urls() -> Callable[[int], str]:
    """A ticket's id -> its page's URL (Ticket.get_absolute_url's): reversed once a page
    rather than once a row."""
    before, after = reverse("tickets:detail", args=[_MARKER]).split(str(_MARKER))
    return lambda pk: f"{before}{pk}{after}"


def _pick(label: str, pk) -> str:
    """A handler's checkbox for the bulk actions (the list's bulk form)."""
    number = conditional_escape(localize(pk))
    described = conditional_escape(label % {"number": localize(pk)})
    return (
        f'<td class="ticket-pick"><input class="form-check-input" type="checkbox" name="ids" '
        f'value="{number}" form="bulk-form" aria-label="{described}"></td>'
    )


def list_rows(
    tickets: Iterable[Ticket], columns=LIST_COLUMNS, updated_ids=(), *, pick: bool = False
) -> list[Row]:
    """Each ticket with its list row's HTML, from the relations already fetched; those
    in `updated_ids` marked as updated; with `pick`, a checkbox first.

    Built here rather than by a template per cell, or per row: a page's few hundred cells
    cost the template engine most of the page's time."""
    # Each column's <td> opened once a page, its label translated once.
    opened = [
        (column, format_html('<td{} data-label="{}">', _css(column.css), str(column.label)))
        for column in columns
    ]
    badges = {}  # (partial, value) -> its HTML: a page renders each badge once
    url_of, dates = _ticket_urls(), datetime_formatter()
    # As {% blocktranslate %} gives it: the text as translated, the number escaped.
    pick_label = gettext("Select ticket #%(number)s") if pick else ""
    rows = []
    for ticket in tickets:
        url = url_of(ticket.pk)
        updated = ticket.pk in updated_ids
        cells = ["<tr>\n  ", _pick(pick_label, ticket.pk) if pick else "", "\n  "]
        for column, td in opened:
            value = column.value(ticket)
            if column.cell == BADGE:
                if (column.badge, value) not in badges:
                    badges[column.badge, value] = render_to_string(column.badge, {"ticket": ticket})
                value = badges[column.badge, value]
            cells.append(f"{td}{_cell(column, value, url, updated, dates)}</td>\n  ")
        cells.append("\n</tr>\n")
        rows.append(Row(ticket, mark_safe("".join(cells))))  # noqa: S308 - escaped above
    return rows
