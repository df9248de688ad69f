"""The ticket list as CSV, streamed row by row so memory stays flat at any size."""

import csv

from django.utils import translation

from .columns import EXPORT_COLUMNS

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


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
    # Every cell quoted: spreadsheets in locales whose separator is ";" (Turkish,
    # Russian) would split an unquoted cell at a ";", which QUOTE_MINIMAL leaves bare.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    yield "\ufeff" + writer.writerow(str(column.export_header) for column in EXPORT_COLUMNS)
    for ticket in tickets.iterator(chunk_size=1000):
        yield writer.writerow(safe_cell(column.text(ticket)) for column in EXPORT_COLUMNS)
