"""The ticket list as CSV, streamed row by row so memory stays flat at any size.

An export is whole or visibly broken: one of more than HELPDESK_EXPORT_MAX_ROWS
tickets is refused before it starts (`too_large`), and a failure midway propagates,
so the server cuts the connection instead of ending the file cleanly. Larger
exports belong to a background job, not to a web request.
"""

import csv

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from . import customvalues
from .columns import EXPORT_COLUMNS

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows fetched from the database cursor at a time.
CHUNK_SIZE = 1000


def too_large(tickets) -> bool:
    """Whether more tickets match than one export may hold; counts no further."""
    limit = settings.HELPDESK_EXPORT_MAX_ROWS
    return tickets.order_by()[: limit + 1].count() > limit


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def rows(tickets, language: str):
    """Yield CSV lines: a byte-order mark and the header, then one line per ticket.

    The response is streamed after the view returns, so the language is set here, and
    the transaction too: outside one, Django declares PostgreSQL's server-side cursor
    WITH HOLD, which computes every row before the first is sent. The transaction ends
    when the stream does, or when the server closes it (the client went away).
    """
    with translation.override(language), transaction.atomic(using=tickets.db):
        yield from _rows(tickets)


def _rows(tickets):
    # Every cell quoted: spreadsheets in locales whose separator is ";" (Turkish,
    # Russian) would split an unquoted cell at a ";", which QUOTE_MINIMAL leaves bare.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    fields = customvalues.definitions()  # every category's, in one query
    header = [str(column.export_header) for column in EXPORT_COLUMNS]
    # A site without custom fields exports no empty column for them.
    yield "\ufeff" + writer.writerow([*header, _("More fields")] if fields else header)
    for ticket in tickets.iterator(chunk_size=CHUNK_SIZE):
        cells = [column.text(ticket) for column in EXPORT_COLUMNS]
        if fields:
            shown = customvalues.shown(ticket, fields.get(ticket.category_id, []))
            cells.append("; ".join(f"{label}: {value}" for label, value in shown))
        yield writer.writerow(safe_cell(cell) for cell in cells)
