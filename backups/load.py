"""Restoring a backup into a new, migrated, empty database and an empty storage.

Everything is checked before anything is written: the archive (every member's
checksum), the schema version, the action log's key, that no table holds rows and the
storage none of the files. Then the rows load in one transaction and the files are
copied before it commits; on any failure the transaction rolls back and the copied
files are removed, so nothing is restored. Rows are saved raw (Model.save_base, as
`loaddata` does): no model's save() runs, so the action log keeps its stored hashes,
and rows are only ever inserted, as the site's database role may on the log.
"""

import tempfile
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connections, transaction

from . import archive, catalogue

SPOOL = 16 << 20


class Refused(Exception):
    """Nothing was restored: the reason is for the operator."""


def restore(path, *, using: str = "default", progress=None) -> dict:
    """Restore the archive at `path`; returns the manifest. `progress(text)` is told
    what is done as it goes."""
    say = progress or (lambda text: None)
    if not Path(path).is_file():
        raise Refused(f"There is no file {path}.")
    try:
        manifest = archive.verify(path)
    except archive.Damaged as error:
        raise Refused(str(error)) from None
    say(f"The archive is whole: {len(manifest['members'])} member(s) checked.")
    try:
        _check_target(manifest, using)
    except DatabaseError as error:
        raise Refused(f"{type(error).__name__}: {error}") from None
    copied, member = [], None
    try:
        with transaction.atomic(using=using):
            _clear_made_by_migrate(using)
            for member, content in archive.read(path, manifest):
                if member.startswith(archive.DATA):
                    _load_rows(content, using)
                    say(f"rows: {member}")
                else:
                    copied.append(_copy_file(member, content))
                    if len(copied) % 100 == 0 or len(copied) == len(manifest["files"]):
                        say(f"files: {len(copied)}/{len(manifest['files'])}")
            _check_counts(manifest, using)
            _catch_up_sequences(using)
        # This process cached the content types that `migrate` made, with their old ids.
        ContentType.objects.clear_cache()
    except archive.Damaged as error:
        _remove(copied)
        raise Refused(str(error)) from None
    except archive.CONTENT_ERRORS as error:
        _remove(copied)
        raise Refused(str(archive.damaged(error, member))) from None
    except (DatabaseError, DeserializationError, OSError) as error:
        _remove(copied)
        raise Refused(f"{type(error).__name__}: {error}") from None
    except BaseException:
        _remove(copied)
        raise
    return manifest


def _check_target(manifest: dict, using: str) -> None:
    try:
        here = catalogue.version(using)
    except catalogue.NotMigrated as error:
        raise Refused(f"Migrate the new database first (manage.py migrate): {error}.") from None
    if here != manifest["migrations"]:
        differ = sorted(
            f"{app} {manifest['migrations'].get(app, '-')} in the backup, {here.get(app, '-')} here"
            for app in here.keys() | manifest["migrations"].keys()
            if here.get(app) != manifest["migrations"].get(app)
        )
        raise Refused(
            "The backup is of another version of the site: "
            + "; ".join(differ)
            + ". Restore with the version it was taken with, then migrate."
        )
    if manifest["log_key"] != catalogue.log_key_check():
        raise Refused(
            "HELPDESK_LOG_KEY is not the key of the site the backup was taken from: the "
            "restored action log would not verify. Set that key (kept apart from the "
            "backups) and run again."
        )
    held = [
        f"{catalogue.label(model)} ({model._base_manager.using(using).count()} rows)"
        for model in catalogue.models_in_order()
        if catalogue.label(model) not in catalogue.MADE_BY_MIGRATE
        and model._base_manager.using(using).exists()
    ]
    if held:
        raise Refused(
            "The database is not empty: "
            + ", ".join(held[:10])
            + (" and more" if len(held) > 10 else "")
            + ". Restore only into a new database that `migrate` made."
        )
    present = [name for name in manifest["files"] if default_storage.exists(name)]
    if present:
        raise Refused(
            f"The storage already holds {len(present)} of the backup's files, e.g. "
            f"{present[0]}. Restore only into an empty storage."
        )


def _clear_made_by_migrate(using: str) -> None:
    """The rows `migrate` wrote make way for the backup's own (the same rows, with the
    ids the backup's other tables point at)."""
    for model in reversed(catalogue.models_in_order()):
        if catalogue.label(model) in catalogue.MADE_BY_MIGRATE:
            model._base_manager.using(using).all().delete()


def _load_rows(content, using: str) -> None:
    for row in serializers.deserialize("jsonl", content, using=using):
        row.save(using=using, force_insert=True)


def _copy_file(member: str, content) -> str:
    """Copy one file into the storage, byte for byte. archive.read checks its checksum
    at the member's end: if that fails, `restore` removes the copied files again."""
    name = archive.storage_name(member)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as whole:
        while block := content.read(archive.BLOCK):
            whole.write(block)
        whole.seek(0)
        saved = default_storage.save(name, File(whole, name=name))
    if saved != name:
        default_storage.delete(saved)
        raise Refused(f"The storage stored {name} as {saved}: someone else is writing to it.")
    return name


def _check_counts(manifest: dict, using: str) -> None:
    for table in manifest["tables"]:
        model = apps.get_model(table["model"])
        found = model._base_manager.using(using).count()
        if found != table["rows"]:
            raise Refused(f"{table['model']}: {found} rows loaded, the backup has {table['rows']}.")


def _catch_up_sequences(using: str) -> None:
    """PostgreSQL: ids handed out next must follow the restored ones. The site's role
    may not set a sequence, so a function of the owner's does it (migration 0001)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT backups_catch_up_sequences()")


def _remove(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
