"""The ticket list as CSV, streamed row by row so memory stays flat at any size."""

import csv

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _when(value) -> str:
    return date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


class _Echo:
    def write(self, value):
        return value


def rows(tickets, language: str):
    """Yield CSV lines: a byte-order mark and the header, then one line per ticket.

    The response is streamed after the view returns, so the language is set here.
    """
    with translation.override(language):
        yield from _rows(tickets)


def _rows(tickets):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(
        [
            _("Id"),
            _("Organisation"),
            _("Subject"),
            _("Priority"),
            _("Category"),
            _("Kind"),
            _("Assignee"),
            _("Created on"),
            _("Read on"),
            _("Resolved on"),
            _("Status"),
        ]
    )
    for ticket in tickets.iterator(chunk_size=1000):
        yield writer.writerow(
            safe_cell(value)
            for value in (
                ticket.pk,
                ticket.organisation.name,
                ticket.subject,
                ticket.get_priority_display(),
                ticket.category,
                ticket.kind,
                ticket.assignee.display_name() if ticket.assignee else "",
                _when(ticket.created_at),
                _when(ticket.read_at),
                _when(ticket.resolved_at),
                ticket.get_status_display(),
            )
        )
