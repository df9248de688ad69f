"""The action log is append-only: in the ORM, the admin and (on PostgreSQL) the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from tickets.models import AppendOnlyError, TicketEvent


def test_saving_an_existing_event_raises(ticket):
    event = ticket.events.get()
    event.note = "changed"

    with pytest.raises(AppendOnlyError):
        event.save()
    assert ticket.events.get().note == ""


def test_deleting_an_event_raises(ticket):
    with pytest.raises(AppendOnlyError):
        ticket.events.get().delete()
    assert ticket.events.count() == 1


def test_a_ticket_with_events_cannot_be_deleted(ticket):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        ticket.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE tickets_ticketevent SET note = 'forged'",
        "DELETE FROM tickets_ticketevent",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(ticket, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert list(TicketEvent.objects.values_list("note", flat=True)) == [""]


def test_the_admin_shows_the_log_read_only(admin_client, ticket):
    event = ticket.events.get()

    assert admin_client.get(f"/admin/tickets/ticketevent/{event.pk}/change/").status_code == 200
    response = admin_client.post(
        f"/admin/tickets/ticketevent/{event.pk}/change/", {"note": "forged", "kind": "read"}
    )
    assert response.status_code == 403
    assert admin_client.post(f"/admin/tickets/ticketevent/{event.pk}/delete/").status_code == 403
    assert TicketEvent.objects.get(pk=event.pk).note == ""


def test_bulk_updates_and_deletes_of_the_log_raise(ticket):
    with pytest.raises(AppendOnlyError):
        TicketEvent.objects.filter(ticket=ticket).update(note="forged")
    with pytest.raises(AppendOnlyError):
        TicketEvent.objects.filter(ticket=ticket).delete()
    assert list(ticket.events.values_list("note", flat=True)) == [""]


@pytest.mark.parametrize(
    ("language", "label", "status"),
    [("tr", "Oluşturuldu", "Bekliyor"), ("ru", "Создана", "Ожидает"), ("en", "Created", "Waiting")],
)
def test_a_log_line_and_a_status_are_labelled_in_the_readers_language(
    ticket, language, label, status
):
    from django.utils import translation

    event = ticket.events.get()
    for _ in range(2):  # the second time from the labels kept for the language
        with translation.override(language):
            assert (event.get_kind_display(), ticket.get_status_display()) == (label, status)
