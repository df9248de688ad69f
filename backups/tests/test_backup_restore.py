"""A backup restored into a new database and an empty media folder holds every row,
file and byte; a damaged archive, a wrong key or a database in use restores nothing."""

import gzip
import hashlib
import io
import json
import random
import tarfile
import zlib

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from accounts.models import User
from backups.archive import Damaged, verify
from tickets import services
from tickets.models import Attachment, Ticket, TicketEvent
from tickets.tests.files import PDF, png_bytes, upload

from .targets import Targets, source_rows

# The data must be committed: a backup takes its own transaction.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="module")
def targets(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        made = Targets(tmp_path_factory.mktemp("targets"))
        yield made
        if made.postgresql:
            connection.close()  # a template in use cannot be dropped
        made.drop()


def give_files(attachments) -> None:
    """Generated documents get real files of their own bytes."""
    rng = random.Random(7)  # noqa: S311 - contents, not secrets
    for attachment in attachments:
        if not default_storage.exists(attachment.file.name):
            content = rng.randbytes(rng.randrange(1, 20_000))
            assert default_storage.save(attachment.file.name, ContentFile(content)) == (
                attachment.file.name
            )


def demo_and_bulk(tickets: int) -> str:
    call_command("seed_bulk", tickets=tickets, force=True, stdout=io.StringIO())
    give_files(Attachment.objects.all())
    # Real uploads through the site's own service, and a document redacted since:
    # its row stays, its file is gone.
    ticket = Ticket.objects.filter(requester__username="oda").order_by("pk").first()
    oda, tesk = User.objects.get(username="oda"), User.objects.get(username="tesk")
    services.attach(
        ticket, by=oda, files=[upload("scan.png", png_bytes()), upload("form.pdf", PDF)]
    )
    gone = ticket.attachments.order_by("pk").last()
    with transaction.atomic():
        services.redact(ticket, by=tesk, attachments=[gone], reason="KVKK")
    return gone.file.name


def checksums(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}


def stored_files() -> dict[str, bytes]:
    names = Attachment.objects.values_list("file", flat=True)
    present = [name for name in names if default_storage.exists(name)]
    return {name: default_storage.open(name).read() for name in present}


@committed
def test_a_restored_backup_holds_every_row_file_and_byte(targets, tmp_path, capsys):
    redacted = demo_and_bulk(tickets=300)
    archive = tmp_path / "helpdesk.tar.gz"

    call_command("backup", output=str(archive))

    progress = capsys.readouterr().err
    assert "tickets.ticketevent:" in progress and "files:" in progress
    target = targets.new()
    if settings.DATABASE_SITE_ROLE and connection.vendor == "postgresql":
        # The restore below runs as the site's role, as production runs all but migrate.
        whoami = target.run(
            "shell",
            "-c",
            "from django.db import connection; cursor = connection.cursor();"
            "cursor.execute('SELECT current_user'); print('ROLE', cursor.fetchone()[0])",
        )
        assert f"ROLE {settings.DATABASE_SITE_ROLE}" in whoami.stdout, whoami.stderr
    restored = target.run("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    assert f"tickets.ticket: {Ticket.objects.count()}" in restored.stdout
    # Every row of every table, and every stored file byte for byte; the redacted
    # document's file stays gone.
    assert target.rows() == source_rows()
    assert checksums(target.files()) == checksums(stored_files())
    assert Ticket.objects.count() >= 300 and len(target.files()) > 10
    assert redacted not in target.files() and not default_storage.exists(redacted)
    checked = target.run("verify_log")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"The action log of {Ticket.objects.count()} ticket(s) is intact." in checked.stdout

    # Backed up again, the restored database gives the same rows, member for member.
    again = target.run("backup", "--output", "-", binary=True)
    assert again.returncode == 0, again.stderr
    assert data_members(again.stdout) == data_members(archive.read_bytes())

    # The restored site works on: new rows take new ids and chain on to the log.
    filed = target.run(
        "shell",
        "-c",
        "from accounts.models import User; from tickets import services;"
        "from categories.models import Category; from tickets.models import TicketKind;"
        "oda = User.objects.get(username='oda');"
        "t = services.file_ticket(by=oda, category=Category.objects.order_by('pk').first(),"
        " kind=TicketKind.objects.get(code='problem'), priority='medium',"
        " subject='After the restore', description='Filed on the restored site.').ticket;"
        "print('FILED', t.pk, t.events.order_by('pk').first().pk)",
    )
    assert filed.returncode == 0, filed.stderr
    [line] = [line for line in filed.stdout.splitlines() if line.startswith("FILED")]
    assert line.split()[1:] == [
        str(Ticket.objects.order_by("pk").last().pk + 1),
        str(TicketEvent.objects.order_by("pk").last().pk + 1),
    ]
    assert "intact" in target.run("verify_log").stdout

    # Once restored, the database is in use: a second restore is refused.
    again = target.run("restore", str(archive))
    assert again.returncode == 1
    assert "The database is not empty" in again.stderr


def data_members(archive: bytes) -> dict:
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    members = manifest["members"]
    return {name: entry for name, entry in members.items() if name.startswith("data/")}


def damage(archive, member: str) -> None:
    """Change one byte in the middle of the member's content."""
    with tarfile.open(archive) as tar:
        info = tar.getmember(member)
    with open(archive, "r+b") as raw:
        raw.seek(info.offset_data + info.size // 2)
        byte = raw.read(1)
        raw.seek(-1, 1)
        raw.write(bytes([byte[0] ^ 0x01]))


@pytest.fixture
def small_archive(file, member, tmp_path):
    """A plain .tar of a few tickets with documents, taken from committed data."""

    def take():
        ticket = file()
        services.attach(ticket, by=member, files=[upload("scan.png", png_bytes())])
        archive = tmp_path / "small.tar"
        call_command("backup", output=str(archive), stderr=io.StringIO())
        return archive

    return take


def member_of(archive, prefix: str) -> str:
    with tarfile.open(archive) as tar:
        return next(name for name in tar.getnames() if name.startswith(prefix))


def assert_nothing_restored(target) -> None:
    rows = target.rows()
    assert rows["tickets_ticket"] == rows["tickets_ticketevent"] == rows["accounts_user"] == []
    assert target.files() == {}


@committed
@pytest.mark.parametrize(
    "prefix", ["data/", "files/attachments/", "manifest.json"], ids=["rows", "file", "manifest"]
)
def test_one_changed_byte_is_refused_naming_the_member(small_archive, targets, prefix):
    archive = small_archive()
    damaged = member_of(archive, prefix)
    damage(archive, damaged)
    target = targets.new()

    refused = target.run("restore", str(archive))

    assert refused.returncode == 1
    assert "Nothing was restored" in refused.stderr
    assert damaged in refused.stderr
    assert_nothing_restored(target)


def one_bit_changed(compressed: bytes) -> bytes:
    """The gzip file with one bit changed, from its middle on, where the change damages
    what it holds: some changes only encode the same bytes another way (a back-reference
    to an equal run), and leave nothing to find."""
    whole = gzip.decompress(compressed)
    for position in range(len(compressed) // 2, len(compressed)):
        changed = bytearray(compressed)
        changed[position] ^= 0x01
        try:
            if gzip.decompress(changed) == whole:
                continue
        except (OSError, EOFError, zlib.error):
            pass
        return bytes(changed)
    raise AssertionError("no bit of the second half damages the archive")


@committed
def test_a_damaged_compressed_archive_is_refused(file, targets, tmp_path):
    file(), file()
    archive = tmp_path / "small.tar.gz"
    call_command("backup", output=str(archive), stderr=io.StringIO())
    archive.write_bytes(one_bit_changed(archive.read_bytes()))
    target = targets.new()

    refused = target.run("restore", str(archive))

    assert refused.returncode == 1
    assert "Nothing was restored" in refused.stderr
    assert_nothing_restored(target)


@committed
def test_a_compressed_archive_whose_check_fails_is_refused(file, tmp_path):
    """The gzip trailer's CRC covers what no member's checksum does (the tar's headers,
    padding and end blocks): one changed bit of it is found."""
    file()
    path = tmp_path / "small.tar.gz"
    call_command("backup", output=str(path), stderr=io.StringIO())
    content = bytearray(path.read_bytes())
    content[-8] ^= 0x01  # the CRC-32 of what the gzip holds
    path.write_bytes(bytes(content))

    with pytest.raises(Damaged, match="CRC check failed"):
        verify(path)


@committed
def test_a_restore_under_another_log_key_is_refused(small_archive, targets):
    archive = small_archive()
    target = targets.new()

    refused = target.run("restore", str(archive), HELPDESK_LOG_KEY="not the site's key")

    assert refused.returncode == 1
    assert "HELPDESK_LOG_KEY" in refused.stderr
    assert_nothing_restored(target)


@committed
def test_a_storage_that_holds_the_files_is_refused(small_archive, targets):
    archive = small_archive()
    target = targets.new()
    [name] = Attachment.objects.values_list("file", flat=True)
    (target.media / name).parent.mkdir(parents=True)
    (target.media / name).write_bytes(b"someone else's")

    refused = target.run("restore", str(archive))

    assert refused.returncode == 1
    assert "already holds 1 of the backup's files" in refused.stderr
    assert target.rows()["tickets_ticket"] == []
    assert (target.media / name).read_bytes() == b"someone else's"


def test_migrate_fills_only_the_tables_a_restore_replaces(targets):
    from django.apps import apps

    from backups import catalogue

    tables = {
        model._meta.db_table: catalogue.label(model)
        for model in apps.get_models(include_auto_created=True)
    }
    filled = {tables[table] for table, rows in targets.new().rows().items() if rows}

    assert filled == catalogue.MADE_BY_MIGRATE


@committed
def test_the_archive_lists_versions_counts_and_checksums(small_archive):
    archive = small_archive()

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        contents = {name: tar.extractfile(name).read() for name in names[:-2]}

    assert names[-2:] == ["manifest.json", "manifest.json.sha256"]
    assert manifest["migrations"] == dict(MigrationLoader(None).graph.leaf_nodes())
    counts = {table["model"]: table["rows"] for table in manifest["tables"]}
    assert counts["tickets.ticket"] == 1 and counts["tickets.attachment"] == 1
    assert manifest["members"] == {
        name: {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
        for name, body in contents.items()
    }
    [document] = Attachment.objects.all()
    assert manifest["files"] == [document.file.name]
    assert contents[f"files/{document.file.name}"] == png_bytes()


@committed
def test_the_backup_holds_one_instant_while_the_site_writes_on(file, monkeypatch, tmp_path):
    import threading

    from django.db import OperationalError, connections

    from backups import dump

    file()
    written, dump_rows = [], dump._rows

    def write_meanwhile():
        try:
            file(subject="Filed during the backup")
            written.append(True)
        except OperationalError:  # SQLite: nobody writes while the backup reads
            written.append(False)
        finally:
            connections.close_all()

    def rows_after_a_write(*args):
        if not written:
            writer = threading.Thread(target=write_meanwhile)
            writer.start()
            writer.join(timeout=60)
        return dump_rows(*args)

    monkeypatch.setattr(dump, "_rows", rows_after_a_write)
    archive = tmp_path / "during.tar"
    call_command("backup", output=str(archive), stderr=io.StringIO())

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    counts = {table["model"]: table["rows"] for table in manifest["tables"]}
    assert counts["tickets.ticket"] == 1 and counts["tickets.ticketevent"] == 1
    assert Ticket.objects.count() == 1 + written.count(True)
    if connection.vendor == "postgresql":
        assert written == [True]  # the site was not held up


@committed
def test_an_archive_of_a_postgresql_site_restores_into_sqlite(small_archive, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("runs where the test database is PostgreSQL's")
    archive = small_archive()
    target = Targets(tmp_path_factory.mktemp("sqlite"), sqlite=True).new()

    restored = target.run("restore", str(archive))

    assert restored.returncode == 0, restored.stderr
    assert "intact" in target.run("verify_log").stdout
    assert checksums(target.files()) == checksums(stored_files())
