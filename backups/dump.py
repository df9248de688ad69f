"""Taking a backup: every table and every stored file as of one instant, streamed into
an archive (archive.py) table by table, a few thousand rows per member."""

from contextlib import contextmanager
from datetime import datetime, time
from itertools import islice

from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.utils import timezone

from . import archive, catalogue

# Rows per data member: one member is built in memory (or a temporary file) at a time.
ROWS_PER_MEMBER = 5000


class ExactEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder keeps milliseconds, and the action
    log's hashes cover each event's exact time."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class Refused(Exception):
    """Nothing was written: the reason is for the operator."""


@contextmanager
def snapshot(using: str):
    """One transaction that sees every table as of the same instant. PostgreSQL needs
    REPEATABLE READ for that (READ ONLY: the backup writes nothing). In SQLite one
    transaction reads one state of the file, and writers wait till it ends; but with a
    shared cache (in-memory databases, as in tests) it locks only the tables it read:
    reading each table once first holds them all from the start."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise Refused("A backup takes its own transaction: run it outside one.")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        elif connection.vendor == "sqlite":
            for model in catalogue.models_in_order():
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 - the models' names
        yield


def _rows(model, using: str, writer: archive.Writer, index: int) -> tuple[int, list[str]]:
    """Serialise the model's rows into members of ROWS_PER_MEMBER; returns the count."""
    rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000)
    fields, count, members = catalogue.table_fields(model), 0, []
    while batch := list(islice(rows, ROWS_PER_MEMBER)):
        spool = archive.Spool()
        serializers.serialize("jsonl", batch, stream=spool, fields=fields, cls=ExactEncoder)
        name = f"{archive.DATA}{index:03d}-{catalogue.label(model)}/{len(members) + 1:05d}.jsonl"
        writer.add_spool(name, spool)
        members.append(name)
        count += len(batch)
    return count, members


def backup(stream, *, compress: bool, using: str = "default", progress=None) -> dict:
    """Write the archive to `stream`; returns its manifest. `progress(text)` is told
    what is done as it goes."""
    say = progress or (lambda text: None)
    writer = archive.Writer(stream, compress=compress)
    with snapshot(using):
        try:
            migrations = catalogue.version(using)
        except catalogue.NotMigrated as error:
            raise Refused(f"The database is not migrated to this code: {error}.") from None
        tables, names = [], []
        ordered = catalogue.models_in_order()
        for index, model in enumerate(ordered, start=1):
            count, members = _rows(model, using, writer, index)
            tables.append({"model": catalogue.label(model), "rows": count, "members": members})
            if count:
                say(f"{index}/{len(ordered)} {catalogue.label(model)}: {count} row(s)")
            names.extend(catalogue.file_names(model, using))
    # Stored files are never changed, only added and removed: they need no snapshot.
    files, missing = _files(writer, names, say)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": connections[using].vendor,
        "migrations": migrations,
        "log_key": catalogue.log_key_check(),
        "tables": tables,
        "files": files,
        "missing_files": missing,
    }
    writer.close(manifest)
    return manifest


def _files(writer: archive.Writer, names, say) -> tuple[list[str], list[str]]:
    """Copy each named file from the default storage through the Storage API (a folder
    or a bucket alike). A file the rows name but the storage lacks (a redacted document,
    one lost before) is listed, not fatal."""
    files, missing, seen = [], [], set()
    for done, name in enumerate(names, start=1):
        if name in seen:
            continue
        seen.add(name)
        try:
            size = default_storage.size(name)
            content = default_storage.open(name, "rb")
        except FileNotFoundError:
            missing.append(name)
            continue
        with content:
            writer.add(archive.file_member(name), content, size)
        files.append(name)
        if done % 100 == 0 or done == len(names):
            say(f"files: {done}/{len(names)}")
    if missing:
        say(f"{len(missing)} file(s) named in the database are not in the storage (see manifest)")
    return files, missing
