"""The ticket list as CSV, streamed row by row so memory stays flat at any size, and as
XLSX, written row by row to a temporary file (openpyxl's write-only mode).

An export is whole or visibly broken: one of more than HELPDESK_EXPORT_MAX_ROWS
tickets is refused before it starts (`too_large`), and a failure midway propagates,
so the server cuts the connection instead of ending the file cleanly. Larger
exports belong to a background job, not to a web request.
"""

import csv
import tempfile
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from . import customvalues, filing
from .columns import EXPORT_COLUMNS, named_for

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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


def columns_for(user) -> tuple:
    """The export's columns, the category's header as `user`'s deployment says it."""
    return named_for(filing.category_label(filing.viewer_organisation(user)), EXPORT_COLUMNS)


def rows(tickets, language: str, columns=EXPORT_COLUMNS):
    """Yield CSV lines: a byte-order mark and the header, then one line per ticket.

    The response is streamed after the view returns, so the language is set here, and
    the transaction too: outside one, Django declares PostgreSQL's server-side cursor
    WITH HOLD, which computes every row before the first is sent. The transaction ends
    when the stream does, or when the server closes it (the client went away).
    """
    with translation.override(language), transaction.atomic(using=tickets.db):
        _plan_for_every_row(tickets.db)
        yield from _rows(tickets, columns)


def _plan_for_every_row(using: str) -> None:
    """An export reads every row: PostgreSQL is to plan its cursor for all of them, not,
    as by default, for the first tenth (a read of the sort's index in order, which for a
    member's tickets among a million walks past everyone else's first: seconds)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1")


def separator() -> str:
    """The column separator a spreadsheet expects in the active language: where the
    decimal mark is a comma (Turkish, Russian), Excel splits columns at ";"."""
    return ";" if get_format("DECIMAL_SEPARATOR") == "," else ","


def csv_writer(output):
    """Every cell quoted (a cell holding the separator stays one cell), separated as the
    active language's spreadsheets expect."""
    return csv.writer(output, quoting=csv.QUOTE_ALL, delimiter=separator())


def header(fields: dict, columns=EXPORT_COLUMNS) -> list[str]:
    """The CSV's header; `fields` are the custom field definitions (a site without any
    exports no empty column for them). Here and in a worker's export (exports/)."""
    names = [str(column.export_header) for column in columns]
    return [*names, str(MORE_FIELDS)] if fields else names


def row(ticket, fields: dict) -> list[str]:
    cells = [column.text(ticket) for column in EXPORT_COLUMNS]
    if fields:
        shown = customvalues.shown(ticket, fields.get(ticket.category_id, []))
        cells.append("; ".join(f"{label}: {value}" for label, value in shown))
    return [safe_cell(cell) for cell in cells]


def _rows(tickets, columns):
    writer = csv_writer(_Echo())
    fields = customvalues.definitions()  # every category's, in one query
    yield "\ufeff" + writer.writerow(header(fields, columns))
    for ticket in tickets.iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow(row(ticket, fields))


MORE_FIELDS = _("More fields")  # the custom fields' values, when the site has any
# The spreadsheet's own columns after the list's: durations in hours, as numbers.
HOURS_TO_READ = _("Hours to read")
HOURS_TO_RESOLVE = _("Hours to resolve")


def _hours(start, end) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 3600, 2)


def spreadsheet_cell(value):
    """A value as a spreadsheet cell: numbers and dates as themselves (dates in local
    time, which spreadsheets cannot zone), text made safe like the CSV's and cleared of
    the control characters that XLSX cannot hold."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", safe_cell(value))


def write_xlsx(headers, rows, output) -> None:
    """Write one sheet to the file `output`; openpyxl's write-only mode keeps the rows on
    disk as they come, so memory stays flat however many there are."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(header) for header in headers])
    for row in rows:
        sheet.append([spreadsheet_cell(value) for value in row])
    workbook.save(output)


def _ticket_row(ticket) -> list:
    cells = []
    for column in EXPORT_COLUMNS:
        value = column.value(ticket)
        if value is not None and column.choices:
            value = column.text(ticket)
        elif value is not None and not isinstance(value, datetime | int):
            value = str(value)
        cells.append(value)
    cells.append(_hours(ticket.created_at, ticket.read_at))
    cells.append(_hours(ticket.created_at, ticket.resolved_at))
    return cells


def xlsx(tickets, language: str, columns=EXPORT_COLUMNS):
    """The list as an XLSX file (a temporary file, read from its start). Unlike the CSV
    it cannot stream: the ZIP's directory comes last. Rows are read in chunks."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    with translation.override(language), transaction.atomic(using=tickets.db):
        _plan_for_every_row(tickets.db)
        headers = [column.export_header for column in columns]
        headers += [HOURS_TO_READ, HOURS_TO_RESOLVE]
        rows = (_ticket_row(ticket) for ticket in tickets.iterator(chunk_size=CHUNK_SIZE))
        write_xlsx(headers, rows, output)
    output.seek(0)
    return output
