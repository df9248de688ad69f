"""Filing a ticket: the form, the documents step, and every bad input."""

import re

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from outbox.models import OutgoingMail
from tickets import selectors
from tickets.models import EventKind, Ticket
from tickets.tests.files import PDF, png_bytes, upload


def post_ticket(client, capacity, **extra):
    data = {
        "category": capacity.pk,
        "kind": "problem",
        "priority": "medium",
        "subject": "Kapasite Raporu Prod Kodları",
        "description": "Prod kodları eksik olarak yer almaktadır.",
        **extra,
    }
    return client.post("/tickets/new/", data)


def test_a_member_files_a_ticket_and_is_offered_the_documents_step(client, member, capacity):
    client.force_login(member)

    response = post_ticket(client, capacity)

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/{ticket.pk}/documents/"
    assert (ticket.requester, ticket.organisation, ticket.status) == (
        member,
        member.organisation,
        "waiting",
    )
    assert list(ticket.events.values_list("kind", "actor")) == [(EventKind.CREATED, member.pk)]
    step = client.get(response["Location"]).content.decode()
    assert "İlgili sorun kaydedildi!" in step
    assert "Tamam" in step


def test_a_form_with_a_broken_token_is_drawn_again_as_typed_and_files_nothing(
    client, member, capacity
):
    client.force_login(member)

    response = post_ticket(client, capacity, submission="not-a-uuid", subject="Eksik <kod>")

    assert response.status_code == 200
    assert not Ticket.objects.exists()
    page = response.content.decode()
    assert 'name="subject" value="Eksik &lt;kod&gt;"' in page
    assert 'name="submission" value="not-a-uuid"' in page


def test_documents_attached_on_the_form_are_kept(client, member, capacity):
    client.force_login(member)

    post_ticket(
        client,
        capacity,
        attachments=[upload("rapor.pdf", PDF), upload("ekran.png", png_bytes())],
    )

    ticket = Ticket.objects.get()
    assert sorted(ticket.attachments.values_list("original_name", flat=True)) == [
        "ekran.png",
        "rapor.pdf",
    ]
    assert ticket.events.filter(kind=EventKind.ATTACHED).count() == 2


def test_a_refused_file_is_reported_and_the_ticket_and_other_files_are_kept(
    client, member, capacity
):
    client.force_login(member)

    response = post_ticket(
        client,
        capacity,
        attachments=[upload("virus.exe", b"MZ\x90\x00" + b"\x00" * 100), upload("rapor.pdf", PDF)],
    )

    ticket = Ticket.objects.get()
    assert list(ticket.attachments.values_list("original_name", flat=True)) == ["rapor.pdf"]
    page = client.get(response["Location"]).content.decode()
    assert "virus.exe" in page


def test_the_documents_step_uploads_more_files(client, member, ticket):
    client.force_login(member)

    response = client.post(
        f"/tickets/{ticket.pk}/documents/",
        {"attachments": [upload("a.pdf", PDF), upload("b.txt", "Not: ışık".encode())]},
    )

    assert response.status_code == 302
    assert ticket.attachments.count() == 2


@pytest.mark.parametrize(
    "field, value",
    [
        ("subject", ""),
        ("subject", "x" * 201),
        ("description", ""),
        ("description", "x" * 10_001),
        ("category", ""),
        ("category", "999999"),
        ("category", "abc"),
        ("priority", "urgent"),
        ("kind", "complaint"),
    ],
)
def test_a_bad_field_shows_the_form_again_and_saves_nothing(client, member, capacity, field, value):
    client.force_login(member)

    response = post_ticket(client, capacity, **{field: value})

    assert response.status_code == 200
    assert 'class="invalid-feedback"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_fields_the_form_does_not_show_are_ignored_for_a_member(
    client, member, capacity, ankara_union, other_union_member
):
    client.force_login(member)

    post_ticket(
        client,
        capacity,
        status="resolved",
        organisation=ankara_union.pk,
        requester=other_union_member.pk,
        assignee=other_union_member.pk,
        channel="phone",
    )

    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.organisation, ticket.requester) == (
        "waiting",
        member.organisation,
        member,
    )
    assert (ticket.assignee, ticket.channel) == (None, "web")


def test_an_account_without_an_organisation_is_told_and_nothing_is_saved(
    client, django_user_model, capacity
):
    loner = django_user_model.objects.create_user("loner", password="x")
    client.force_login(loner)

    response = post_ticket(client, capacity)

    assert response.status_code == 200
    assert not Ticket.objects.exists()


def test_a_responsible_files_on_behalf_of_a_member_with_the_channel(
    client, responsible, member, capacity
):
    client.force_login(responsible)

    post_ticket(client, capacity, requester=member.pk, channel="phone")

    ticket = Ticket.objects.get()
    assert (ticket.requester, ticket.organisation, ticket.channel) == (
        member,
        member.organisation,
        "phone",
    )
    assert ticket.events.get(kind=EventKind.CREATED).actor == responsible


def test_the_form_offers_requester_and_channel_only_to_responsibles(client, member, responsible):
    client.force_login(member)
    assert 'name="requester"' not in client.get("/tickets/new/").content.decode()
    client.force_login(responsible)
    assert 'name="requester"' in client.get("/tickets/new/").content.decode()


# A real commit: the notices are sent by an on_commit callback inside the request.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mail_failing_after_the_commit_still_lands_on_the_filed_ticket(
    client, member, capacity, settings, caplog
):
    settings.EMAIL_BACKEND = "helpdesk_site.no_such_module.EmailBackend"  # a typo in the env
    client.force_login(member)

    response = post_ticket(client, capacity)

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/{ticket.pk}/documents/"
    assert "İlgili sorun kaydedildi!" in client.get(response["Location"]).content.decode()
    # The notice waits in the outbox for send_mail_queue, and the failure is logged.
    assert OutgoingMail.objects.filter(ticket_id=ticket.pk, sent_at__isnull=True).count() == 1
    assert "no_such_module" in caplog.text


def test_a_failure_choosing_the_next_page_still_lands_on_the_filed_ticket(
    client, member, capacity, monkeypatch, caplog
):
    client.force_login(member)

    def lost_connection(user, pk):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "still_shown", lost_connection)
    response = post_ticket(client, capacity)
    monkeypatch.undo()

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/{ticket.pk}/documents/"
    assert "İlgili sorun kaydedildi!" in client.get(response["Location"]).content.decode()
    assert f"#{ticket.pk}" in caplog.text
    assert "server closed the connection unexpectedly" in caplog.text


def test_the_form_asks_nothing_of_records_or_products_where_there_are_none(client, member):
    client.force_login(member)

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/tickets/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # Whether there are any is a fact of the user's load: no question of its own.
    asked = re.compile(r'SELECT (DISTINCT )?1 AS "a" FROM "tickets_(parentrecord|product)"')
    assert not [q["sql"] for q in queries.captured_queries if asked.match(q["sql"])]
    assert "Filed about" not in page and "Product" not in page


def test_the_category_and_kind_are_taken_from_the_rows_offered_without_a_query(
    client, member, capacity
):
    client.force_login(member)
    post_ticket(client, capacity)  # the process's copy of the configuration, read

    with CaptureQueriesContext(connection) as queries:
        response = post_ticket(client, capacity, subject="İkinci")

    assert response.status_code == 302
    ticket = Ticket.objects.get(subject="İkinci")
    assert (ticket.category, ticket.kind.code) == (capacity, "problem")
    asked = re.compile(r'SELECT "(categories_category|tickets_ticketkind)"\.')
    assert not [q["sql"] for q in queries.captured_queries if asked.match(q["sql"])]


def test_a_category_closed_since_the_form_was_drawn_is_refused(client, member, capacity):
    client.force_login(member)
    assert client.get("/tickets/new/").status_code == 200

    capacity.is_active = False
    capacity.save()  # a new configuration token: the next request reads the rows again
    response = post_ticket(client, capacity)

    assert response.status_code == 200
    assert 'class="invalid-feedback"' in response.content.decode()
    assert not Ticket.objects.exists()
