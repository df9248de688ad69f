"""Rows to tables, fast: COPY on PostgreSQL, one prepared INSERT for many rows on SQLite.

Rows are tuples in the order of a `Table`'s columns, with their ids, and bypass the
models on purpose: the action log's model refuses bulk writes, and the hashes it would
compute one query at a time are computed by the caller. A `Table` names every column
its model has (but generated ones), so that a new field stops the generator with a
message instead of leaving it to a default nobody chose.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection, models


class Table:
    def __init__(self, model: type[models.Model], columns: Sequence[str]):
        fields = {
            f.column: f
            for f in model._meta.concrete_fields
            if not isinstance(f, models.GeneratedField)
        }
        if set(columns) != set(fields):
            raise ValueError(
                f"{model._meta.db_table}: the generator writes {sorted(columns)}, "
                f"the table has {sorted(fields)}."
            )
        self.model = model
        self.name = model._meta.db_table
        self.columns = list(columns)
        self._fields = [fields[column] for column in columns]
        self._json = [i for i, f in enumerate(self._fields) if isinstance(f, models.JSONField)]
        self._not_null = ", ".join(
            connection.ops.quote_name(f.column) for f in self._fields if not f.null
        )

    def write(self, rows: Sequence[tuple]) -> None:
        self.load(self.payload(rows))

    def payload(self, rows: Sequence[tuple]):
        """The rows as `load` sends them: CSV for COPY on PostgreSQL, adapted tuples else.
        Pure Python: it may be built while another thread loads the batch before."""
        if connection.vendor != "postgresql":
            convert = [_adapter(field) for field in self._fields]
            return [tuple([c(v) for c, v in zip(convert, row, strict=True)]) for row in rows]
        for index in self._json:
            rows = [(*r[:index], _json(r[index]), *r[index + 1 :]) for r in rows]
        text = io.StringIO()
        # The csv module spells the rest: None as an empty field, which COPY reads as
        # NULL (but in the NOT NULL columns: there, an empty text), True as "True".
        csv.writer(text, lineterminator="\n").writerows(rows)
        # Encoded here, so that the loading thread only hands bytes to the driver.
        return text.getvalue().encode()

    def load(self, payload) -> None:
        if not payload:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = (
                    f"COPY {quote(self.name)} ({columns}) FROM STDIN "
                    f"WITH (FORMAT csv, FORCE_NOT_NULL ({self._not_null}))"
                )
                cursor.copy_expert(sql, io.BytesIO(payload), 1 << 23)  # read in 8 MB pieces
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                sql = f"INSERT INTO {quote(self.name)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the models
                cursor.executemany(sql, payload)


def _json(value) -> str | None:
    if value is None:
        return None
    return json.dumps(value) if value else "{}"  # most events carry no data


def _adapter(field) -> Callable:
    """A value of `field` as the database driver takes it (SQLite: dates as text)."""
    if isinstance(field, models.DateTimeField):
        adapt = connection.ops.adapt_datetimefield_value
        return lambda value: None if value is None else adapt(value)
    if isinstance(field, models.JSONField):
        return _json
    return lambda value: value


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """Rows were written with their ids: the site's next ones must come after them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models_)):
            cursor.execute(sql)


def analyze(tables: Iterable[Table]) -> None:
    """Fresh statistics, so that PostgreSQL plans for the rows it now holds; outside a
    transaction also the visibility map, as autovacuum leaves it a while after such a
    load: an index-only scan then skips the table's pages."""
    if connection.vendor == "postgresql":
        command = "VACUUM (ANALYZE)" if connection.get_autocommit() else "ANALYZE"
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{command} {connection.ops.quote_name(table.name)}")
