"""What one request may upload: a total for its documents, refused before the body is
read, and a number of documents; over either, the page comes back with the reason and
nothing is saved."""

import io

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from tickets import uploads
from tickets.models import Attachment, Status, Ticket
from tickets.tests.files import PDF, upload

TOO_LARGE = "The documents together are larger than the limit of"


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readinto = read


def claimed_post(client, path, content_length: int):
    """A multipart POST whose Content-Length says `content_length` bytes are coming."""
    return client.generic(
        "POST",
        path,
        CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(content_length),
        **{"wsgi.input": Unreadable()},
    )


def ticket_fields(capacity, **extra):
    return {
        "category": capacity.pk,
        "kind": "problem",
        "priority": "medium",
        "subject": "Kapasite Raporu Prod Kodları",
        "description": "Prod kodları eksik.",
        **extra,
    }


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_new_ticket_over_the_total_gets_its_form_back_and_nothing_is_read(
    client, member, capacity, english
):
    client.force_login(member)

    response = claimed_post(client, "/tickets/new/", 200 * 1024 * 1024)

    page = response.content.decode()
    assert response.status_code == 413
    assert f"{TOO_LARGE} 100.0\xa0MB." in page
    assert 'name="subject"' in page
    assert Ticket.objects.count() == 0


def test_the_total_is_a_setting(client, member, capacity, settings, english):
    settings.HELPDESK_MAX_REQUEST_SIZE = 1000
    client.force_login(member)

    response = client.post(
        "/tickets/new/", ticket_fields(capacity, attachments=[upload("a.pdf", PDF + b"0" * 2000)])
    )

    assert response.status_code == 413
    assert f"{TOO_LARGE} 1000\xa0bytes." in response.content.decode()
    assert Ticket.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_documents_over_the_total_on_the_documents_step_save_nothing(
    client, member, ticket, settings, english
):
    settings.HELPDESK_MAX_REQUEST_SIZE = 1000
    client.force_login(member)

    response = client.post(
        f"/tickets/{ticket.pk}/documents/", {"attachments": [upload("a.pdf", PDF + b"0" * 2000)]}
    )

    page = response.content.decode()
    assert response.status_code == 413
    assert TOO_LARGE in page
    assert 'name="attachments"' in page
    assert ticket.attachments.count() == 0
    assert ticket.events.count() == 1  # only `created`


def test_a_reply_over_the_total_shows_the_ticket_again_and_saves_nothing(
    client, member, ticket, english
):
    client.force_login(member)

    response = claimed_post(client, f"/tickets/{ticket.pk}/reply/", 200 * 1024 * 1024)

    page = response.content.decode()
    assert response.status_code == 413
    assert TOO_LARGE in page
    assert ticket.subject in page
    assert ticket.events.count() == 1


def test_an_oversized_post_to_a_ticket_out_of_sight_is_404(client, other_union_member, ticket):
    client.force_login(other_union_member)

    response = claimed_post(client, f"/tickets/{ticket.pk}/reply/", 200 * 1024 * 1024)

    assert response.status_code == 404


def test_any_other_page_refuses_an_oversized_body_with_a_page_not_an_error(
    client, responsible, ticket, english
):
    client.force_login(responsible)

    response = claimed_post(client, f"/tickets/{ticket.pk}/resolve/", 200 * 1024 * 1024)

    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING


def test_a_body_longer_than_its_content_length_is_stopped_at_the_total(settings):
    settings.HELPDESK_MAX_REQUEST_SIZE = 1000
    body = encode_multipart(BOUNDARY, {"attachments": upload("a.pdf", PDF + b"0" * 5000)})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": "500"}
    handlers = [uploads.RequestSizeLimit(), MemoryFileUploadHandler()]

    with pytest.raises(uploads.RequestTooLarge):
        MultiPartParser(meta, io.BytesIO(body), handlers).parse()


def test_too_many_documents_are_refused_with_the_limit_named(
    client, member, capacity, settings, english
):
    settings.HELPDESK_MAX_FILES_PER_REQUEST = 2
    client.force_login(member)

    response = client.post(
        "/tickets/new/",
        ticket_fields(capacity, attachments=[upload(f"{n}.pdf", PDF) for n in range(3)]),
    )

    assert response.status_code == 200
    assert "You can upload at most 2 documents at once." in response.content.decode()
    assert Ticket.objects.count() == 0


def test_too_many_documents_in_a_reply_are_refused_and_nothing_is_saved(
    client, member, ticket, settings, english
):
    settings.HELPDESK_MAX_FILES_PER_REQUEST = 1
    client.force_login(member)

    response = client.post(
        f"/tickets/{ticket.pk}/reply/",
        {"body": "Ekler", "attachments": [upload("a.pdf", PDF), upload("b.pdf", PDF)]},
    )

    assert response.status_code == 200
    assert "You can upload at most 1 document at once." in response.content.decode()
    assert ticket.events.count() == 1
    assert ticket.attachments.count() == 0


def test_more_files_than_django_parses_get_a_page_with_the_limit_not_an_error(
    client, member, capacity, settings, english
):
    settings.HELPDESK_MAX_FILES_PER_REQUEST = 2
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    client.force_login(member)

    response = client.post(
        "/tickets/new/",
        ticket_fields(capacity, attachments=[upload(f"{n}.pdf", PDF) for n in range(4)]),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "You can upload at most 2 documents at once." in page
    assert 'name="subject"' in page
    assert Ticket.objects.count() == 0


def test_more_files_than_django_parses_anywhere_else_get_a_400_page(
    client, responsible, ticket, settings, english
):
    settings.HELPDESK_MAX_FILES_PER_REQUEST = 2
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    client.force_login(responsible)

    response = client.post(
        f"/tickets/{ticket.pk}/resolve/",
        {"explanation": "ok", "attachments": [upload(f"{n}.pdf", PDF) for n in range(4)]},
    )

    assert response.status_code == 400
    assert "You can upload at most 2 documents at once." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING


@pytest.fixture
def csrf_client(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    return client


def test_the_document_pages_still_refuse_a_post_without_the_csrf_token(
    csrf_client, capacity, ticket
):
    assert csrf_client.post("/tickets/new/", ticket_fields(capacity)).status_code == 403
    assert csrf_client.post(f"/tickets/{ticket.pk}/reply/", {"body": "x"}).status_code == 403
    documents = {"attachments": [upload("a.pdf", PDF)]}
    assert csrf_client.post(f"/tickets/{ticket.pk}/documents/", documents).status_code == 403
    assert Ticket.objects.count() == 1
    assert ticket.events.count() == 1


def test_the_document_pages_take_a_post_with_the_csrf_token(csrf_client, capacity):
    csrf_client.get("/tickets/new/")
    token = csrf_client.cookies["csrftoken"].value

    response = csrf_client.post("/tickets/new/", ticket_fields(capacity, csrfmiddlewaretoken=token))

    assert response.status_code == 302
    assert Ticket.objects.count() == 1


def test_an_oversized_post_without_a_token_is_refused_for_its_size_and_changes_nothing(
    csrf_client, capacity, english
):
    response = claimed_post(csrf_client, "/tickets/new/", 200 * 1024 * 1024)

    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()
    assert Ticket.objects.count() == 0


def test_a_body_that_cannot_be_parsed_gets_the_400_page(client, responsible, ticket, english):
    client.force_login(responsible)

    response = client.generic(
        "POST",
        f"/tickets/{ticket.pk}/resolve/",
        b"explanation=ok",
        content_type="multipart/form-data",  # no boundary
    )

    assert response.status_code == 400
    assert "The request could not be read." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
