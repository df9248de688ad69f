"""A dashboard table as CSV or XLSX: the same cells as the page's table."""

import csv
import tempfile
from datetime import date, datetime

from django.http import FileResponse, HttpResponse

from tickets.export import XLSX_TYPE, safe_cell, write_xlsx

from .tables import Table


def _text(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)


def csv_response(table: Table) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.slug}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, quoting=csv.QUOTE_ALL)
    writer.writerow(str(header) for header in table.headers)
    writer.writerows([_text(value) for value in row] for row in table.rows)
    return response


def xlsx_response(table: Table) -> FileResponse:
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx(table.headers, table.rows, output)
    output.seek(0)
    return FileResponse(
        output, as_attachment=True, filename=f"{table.slug}.xlsx", content_type=XLSX_TYPE
    )
