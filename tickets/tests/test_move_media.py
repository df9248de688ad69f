"""`move_media_to_storage`: a local media folder copied into the bucket, each copy read
back and checked; resumable; the local files left in place."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tickets import services
from tickets.tests.files import PDF, png_bytes, upload

DOCUMENTS = {"rapor.pdf": PDF + b"rapor", "ekran.png": png_bytes(), "ek.pdf": PDF + b"ek"}


@pytest.fixture
def on_disk(ticket, member, settings):
    """Documents stored in MEDIA_ROOT, as a site without a bucket keeps them: name → bytes."""
    files = [upload(name, content) for name, content in DOCUMENTS.items()]
    saved = services.attach(ticket, by=member, files=files).saved
    return {a.file.name: DOCUMENTS[a.original_name] for a in saved}


def move(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("move_media_to_storage", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def bucket_after(on_disk, bucket):
    """The same site after AWS_STORAGE_BUCKET_NAME was set (MEDIA_ROOT still there)."""
    return bucket


def test_every_document_is_copied_into_the_bucket_and_left_on_disk(on_disk, bucket_after, settings):
    out, err, failed = move()

    assert failed is None
    assert bucket_after.keys() == sorted(on_disk)
    assert {key: bucket_after.read(key) for key in on_disk} == on_disk
    assert all((settings.MEDIA_ROOT / name).read_bytes() == on_disk[name] for name in on_disk)
    assert "[3/3] 3 copied and verified, 0 failed." in out
    assert "left in place" in out


def test_the_documents_download_from_the_bucket_afterwards(
    on_disk, bucket_after, settings, client, member, ticket
):
    move()
    settings.MEDIA_ROOT = settings.MEDIA_ROOT.parent / "gone"  # the old folder unmounted
    client.force_login(member)

    for document in ticket.attachments.all():
        response = client.get(f"/attachments/{document.pk}/")
        assert b"".join(response.streaming_content) == on_disk[document.file.name]


def test_a_second_run_skips_what_is_there_and_replaces_what_differs(on_disk, bucket_after):
    move()
    damaged, *_ = sorted(on_disk)
    # the same size, other bytes: only the checksum tells
    other = bytes(len(on_disk[damaged]))
    bucket_after.client.put_object(Bucket=bucket_after.name, Key=damaged, Body=other)

    out, err, failed = move("-v", "2")

    assert failed is None
    assert f"{damaged}: copied and verified" in out
    assert "1 copied and verified, 2 already in the store, 0 failed." in out
    assert bucket_after.read(damaged) == on_disk[damaged]


def test_a_dry_run_says_what_it_would_copy_and_writes_nothing(on_disk, bucket_after):
    out, err, failed = move("--dry-run")

    assert failed is None
    assert "Dry run, nothing written: 3 to copy, 0 failed." in out
    assert bucket_after.keys() == []


def test_a_file_missing_from_the_folder_is_listed_and_the_exit_status_is_1(
    on_disk, bucket_after, settings
):
    lost = sorted(on_disk)[1]
    (settings.MEDIA_ROOT / lost).unlink()

    out, err, failed = move()

    assert failed is not None and failed.returncode == 1
    assert str(failed) == "1 of 3 file(s) could not be moved."
    assert f"failed: {lost}: missing here and in the store" in err
    assert bucket_after.keys() == sorted(set(on_disk) - {lost})


def test_another_folder_is_named_with_from(on_disk, bucket_after, settings, tmp_path):
    old = tmp_path / "old-media"
    settings.MEDIA_ROOT.rename(old)

    out, err, failed = move("--from", str(old))

    assert failed is None
    assert bucket_after.keys() == sorted(on_disk)


def test_a_store_that_refuses_fails_every_file_and_says_so(
    on_disk, settings, spare_moto_server, store_settings
):
    down = spare_moto_server()
    settings.STORAGES = {**settings.STORAGES, "default": store_settings(down, "gone")}
    down.stop()

    out, err, failed = move()

    assert failed is not None and failed.returncode == 1
    assert err.count("the store failed") == 3


def test_without_a_bucket_the_command_refuses_to_copy_the_folder_onto_itself(on_disk):
    out, err, failed = move()

    assert "The configured storage is" in str(failed)
