"""A document store that is down, refuses, or is full: filing or replying with documents
is refused with a message on the form, the text kept, and nothing is half-saved (no
ticket, event, document row, mail or file); a download answers 503, not 500."""

import os
import subprocess
import uuid

import pytest

from outbox.models import OutgoingMail
from tickets import services
from tickets.models import Attachment, Ticket, TicketEvent
from tickets.tests.files import PDF, upload

REFUSED = "Your documents could not be stored just now, so nothing was saved."
SUBJECT = "Kapasite raporu onaylanmadı"
REPORT = PDF + b"0" * 4000


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def file_with_documents(client, capacity, *documents):
    return client.post(
        "/tickets/new/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "medium",
            "subject": SUBJECT,
            "description": "Rapor 2024/17 bekliyor.",
            "attachments": [upload(name, content) for name, content in documents],
        },
    )


def files_under(folder) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(root, name), folder)
        for root, _, names in os.walk(folder)
        for name in names
    )


def assert_nothing_saved():
    assert Ticket.objects.count() == 0
    assert TicketEvent.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert OutgoingMail.objects.count() == 0


def assert_filing_refused_with_the_form_kept(response):
    page = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in page
    assert f'value="{SUBJECT}"' in page
    assert "Rapor 2024/17 bekliyor." in page


# --- An object store that is down, refuses the keys, or has no such bucket ---------


class BrokenStore:
    def __init__(self, leftover=None):
        self.leftover = leftover  # () -> the objects left in the bucket, where it can tell


@pytest.fixture(params=["stopped", "wrong keys", "no bucket"])
def broken_store(request, moto_server, settings, store_settings):
    fault = request.param
    if fault == "stopped":
        server = request.getfixturevalue("spare_moto_server")()
        name = f"helpdesk-{uuid.uuid4().hex[:12]}"
        server.client().create_bucket(Bucket=name)
        settings.STORAGES = {**settings.STORAGES, "default": store_settings(server, name)}
        server.stop()
        yield BrokenStore()
    elif fault == "wrong keys":
        name = f"helpdesk-{uuid.uuid4().hex[:12]}"
        client = moto_server.client()
        client.create_bucket(Bucket=name)
        wrong = store_settings(
            moto_server, name, access_key="AKIAWRONGWRONGWRONG0", secret_key="no"
        )
        settings.STORAGES = {**settings.STORAGES, "default": wrong}
        moto_server.check_credentials(enforced=True)

        def leftover():
            moto_server.check_credentials(enforced=False)
            return client.list_objects_v2(Bucket=name).get("Contents", [])

        try:
            yield BrokenStore(leftover)
        finally:
            moto_server.check_credentials(enforced=False)
    else:
        name = f"helpdesk-missing-{uuid.uuid4().hex[:12]}"
        settings.STORAGES = {**settings.STORAGES, "default": store_settings(moto_server, name)}
        yield BrokenStore()


def test_filing_with_documents_on_a_broken_store_is_refused_and_saves_nothing(
    client, member, capacity, broken_store, english
):
    client.force_login(member)

    response = file_with_documents(client, capacity, ("rapor.pdf", REPORT))

    assert_filing_refused_with_the_form_kept(response)
    assert_nothing_saved()
    if broken_store.leftover:
        assert broken_store.leftover() == []


def test_a_reply_with_documents_on_a_broken_store_is_refused_with_its_text_kept(
    client, member, ticket, broken_store, english
):
    events = list(ticket.events.values_list("pk", flat=True))
    client.force_login(member)

    response = client.post(
        f"/tickets/{ticket.pk}/reply/",
        {"body": "Raporun son hâli ekte.", "attachments": [upload("rapor.pdf", REPORT)]},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in page
    assert "Raporun son hâli ekte." in page
    assert list(ticket.events.values_list("pk", flat=True)) == events
    assert not ticket.attachments.exists()


def test_filing_without_documents_works_while_the_store_is_broken(
    client, member, capacity, broken_store
):
    client.force_login(member)

    response = file_with_documents(client, capacity)

    assert response.status_code == 302
    assert Ticket.objects.get().subject == SUBJECT


@pytest.fixture
def stored_report(bucket, ticket, member):
    return services.attach(ticket, by=member, files=[upload("rapor.pdf", REPORT)]).saved[0]


@pytest.mark.parametrize("seconds", [0, 60])
def test_a_download_while_the_store_is_down_is_a_503_page(
    client, member, stored_report, bucket, settings, spare_moto_server, seconds, english
):
    settings.HELPDESK_ATTACHMENT_URL_SECONDS = seconds
    # The same bucket's name, on a server that has stopped: nobody answers there.
    down = spare_moto_server()
    down.stop()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": bucket.storage_settings(endpoint_url=down.endpoint),
    }
    client.force_login(member)

    response = client.get(f"/attachments/{stored_report.pk}/")

    assert response.status_code == 503
    assert "The document cannot be fetched just now." in response.content.decode()


def test_a_download_with_wrong_keys_is_a_503_page(
    client, member, stored_report, bucket, settings, moto_server, english
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": bucket.storage_settings(access_key="AKIAWRONGWRONGWRONG0"),
    }
    moto_server.check_credentials(enforced=True)
    client.force_login(member)
    try:
        response = client.get(f"/attachments/{stored_report.pk}/")
    finally:
        moto_server.check_credentials(enforced=False)

    assert response.status_code == 503


def test_a_bucket_full_at_the_second_document_keeps_not_even_the_first(
    client, member, capacity, bucket, settings, english
):
    # given a bucket that takes one more object
    store = bucket.storage_settings()
    store["BACKEND"] = "tickets.tests.storages.BucketFillsUp"
    store["OPTIONS"]["room"] = 1
    settings.STORAGES = {**settings.STORAGES, "default": store}
    client.force_login(member)

    # when
    response = file_with_documents(client, capacity, ("a.pdf", REPORT), ("b.pdf", REPORT))

    # then the first object, written, was removed with the rows
    assert_filing_refused_with_the_form_kept(response)
    assert_nothing_saved()
    assert bucket.keys() == []


# --- A folder on a full disk --------------------------------------------------------


@pytest.fixture
def disk_with_room(settings):
    def room(size):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "tickets.tests.storages.DiskFillsUp", "OPTIONS": {"room": size}},
        }

    return room


def test_a_disk_full_at_the_second_document_leaves_no_file_and_no_row(
    client, member, capacity, disk_with_room, settings, english
):
    disk_with_room(len(REPORT) + 100)  # the first fits, the second is cut short
    client.force_login(member)

    response = file_with_documents(client, capacity, ("a.pdf", REPORT), ("b.pdf", REPORT))

    assert_filing_refused_with_the_form_kept(response)
    assert_nothing_saved()
    assert files_under(settings.MEDIA_ROOT) == []


def test_documents_step_on_a_full_disk_says_so_and_saves_nothing(
    client, member, ticket, disk_with_room, settings, english
):
    disk_with_room(10)
    client.force_login(member)

    response = client.post(
        f"/tickets/{ticket.pk}/documents/", {"attachments": [upload("rapor.pdf", REPORT)]}
    )

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not ticket.attachments.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_service_on_a_full_disk_raises_store_unavailable_and_rolls_back(
    ticket, member, disk_with_room, settings
):
    disk_with_room(10)
    events = ticket.events.count()

    with pytest.raises(services.StoreUnavailable):
        services.reply(ticket, by=member, body="Ek", files=[upload("rapor.pdf", REPORT)])

    assert ticket.events.count() == events
    assert files_under(settings.MEDIA_ROOT) == []


@pytest.fixture
def tiny_disk(tmp_path, settings):
    """MEDIA_ROOT on a real 64 KB tmpfs (needs root, and mount allowed here)."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(  # noqa: S603 - fixed arguments
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    settings.MEDIA_ROOT = folder
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)  # noqa: S603, S607


def test_a_real_full_disk_refuses_the_filing_and_keeps_nothing(
    client, member, capacity, tiny_disk, english
):
    client.force_login(member)

    response = file_with_documents(client, capacity, ("büyük.pdf", PDF + b"0" * 200_000))

    assert_filing_refused_with_the_form_kept(response)
    assert_nothing_saved()
    assert files_under(tiny_disk) == []
