"""Attachments in an S3 bucket are backed up and restored through the Storage API, the
same as from a folder (moto's S3 server on loopback stands in for the bucket)."""

import hashlib
import io
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from tickets import services
from tickets.models import Attachment, Ticket
from tickets.tests.files import PDF, png_bytes, upload

KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 - moto's server from the virtualenv
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


def use_bucket(settings, endpoint: str, bucket: str):
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        region_name=KEYS["region_name"],
    ).create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": bucket, "endpoint_url": endpoint, **KEYS},
        },
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_files_in_a_bucket_are_backed_up_and_restored_into_an_empty_bucket(
    settings, s3_endpoint, file, member, tmp_path
):
    use_bucket(settings, s3_endpoint, "helpdesk-before")
    ticket = file()
    documents = [upload("scan.png", png_bytes()), upload("form.pdf", PDF)]
    services.attach(ticket, by=member, files=documents)
    names = sorted(Attachment.objects.values_list("file", flat=True))
    archive = tmp_path / "bucket.tar.gz"
    call_command("backup", output=str(archive), stderr=io.StringIO())
    # A new site: a freshly migrated database (emptied here, `migrate`'s own rows made
    # again by flush) and a new, empty bucket.
    call_command("flush", interactive=False, verbosity=0)
    use_bucket(settings, s3_endpoint, "helpdesk-after")
    assert not Ticket.objects.exists() and not any(map(default_storage.exists, names))

    call_command("restore", str(archive), stdout=io.StringIO(), stderr=io.StringIO())

    assert Ticket.objects.get().subject == ticket.subject
    restored = {name: default_storage.open(name).read() for name in names}
    assert sorted(hashlib.sha256(body).hexdigest() for body in restored.values()) == sorted(
        hashlib.sha256(body).hexdigest() for body in (png_bytes(), PDF)
    )
