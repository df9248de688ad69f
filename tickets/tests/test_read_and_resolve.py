"""Reading (the "Okundu" event and read date) and resolving with an explanation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from tickets import logchain, services
from tickets.models import EventKind, Status, Ticket


def kinds(ticket):
    return list(ticket.events.values_list("kind", flat=True))


def test_the_first_handler_to_open_the_ticket_marks_it_read_once(client, ticket, responsible):
    client.force_login(responsible)

    client.get(f"/tickets/{ticket.pk}/")
    client.get(f"/tickets/{ticket.pk}/")

    ticket.refresh_from_db()
    assert ticket.read_at is not None
    assert kinds(ticket) == [EventKind.CREATED, EventKind.READ]
    assert ticket.events.get(kind=EventKind.READ).actor == responsible


def test_marking_it_read_writes_the_tickets_row_once_with_its_seal(ticket, responsible):
    with CaptureQueriesContext(connection) as queries:
        services.mark_read(ticket, by=responsible)

    ticket_updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "tickets_ticket"')]
    assert len(ticket_updates) == 1
    assert '"read_at"' in ticket_updates[0] and '"log_seal"' in ticket_updates[0]
    ticket.refresh_from_db()
    assert ticket.read_at is not None
    problems, _chain = logchain.verify_ticket(ticket.pk, ticket.log_seal, ticket.events.all())
    assert problems == []


@pytest.mark.parametrize("role", ["member", "chamber_colleague", "union_member"])
def test_the_requesters_side_and_the_union_above_never_mark_it_read(role, request, client, ticket):
    client.force_login(request.getfixturevalue(role))

    client.get(f"/tickets/{ticket.pk}/")

    ticket.refresh_from_db()
    assert ticket.read_at is None
    assert kinds(ticket) == [EventKind.CREATED]


def test_the_member_sees_the_read_date_and_event_in_the_list_and_log(
    client, ticket, responsible, member
):
    services.mark_read(ticket, by=responsible)
    client.force_login(member)

    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    listing = client.get("/tickets/").content.decode()

    ticket.refresh_from_db()
    shown = date_format(timezone.localtime(ticket.read_at), "SHORT_DATETIME_FORMAT")
    assert str(EventKind.READ.label) in page
    assert responsible.display_name() in page
    assert shown in page and shown in listing


def test_resolving_sets_the_status_date_and_logs_the_explanation(client, ticket, responsible):
    client.force_login(responsible)

    response = client.post(
        f"/tickets/{ticket.pk}/resolve/", {"explanation": "Eksik prod kodları tamamlandı."}
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket.resolved_at is not None
    event = ticket.events.get(kind=EventKind.RESOLVED)
    assert (event.actor, event.note) == (responsible, "Eksik prod kodları tamamlandı.")


def test_the_member_sees_the_resolution_and_explanation(client, ticket, responsible, member):
    services.resolve(ticket, by=responsible, explanation="Sorununuz çözülmüştür.")
    client.force_login(member)

    page = client.get(f"/tickets/{ticket.pk}/").content.decode()

    assert "Sorununuz çözülmüştür." in page
    assert 'class="badge status-resolved"' in page
    assert f'action="/tickets/{ticket.pk}/resolve/"' not in page


@pytest.mark.parametrize("explanation", ["", "   ", "x" * 10_001])
def test_resolving_without_a_valid_explanation_is_refused(client, ticket, responsible, explanation):
    client.force_login(responsible)

    response = client.post(f"/tickets/{ticket.pk}/resolve/", {"explanation": explanation})

    assert response.status_code == 200
    assert 'class="invalid-feedback"' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
    assert EventKind.RESOLVED not in kinds(ticket)


def test_resolving_twice_is_refused_with_a_message_and_logs_once(client, ticket, responsible):
    client.force_login(responsible)
    client.post(f"/tickets/{ticket.pk}/resolve/", {"explanation": "Bir"})

    response = client.post(f"/tickets/{ticket.pk}/resolve/", {"explanation": "İki"}, follow=True)

    assert kinds(ticket).count(EventKind.RESOLVED) == 1
    assert ticket.events.get(kind=EventKind.RESOLVED).note == "Bir"
    assert 'role="alert"' in response.content.decode()


def test_a_stale_copy_cannot_resolve_again(ticket, responsible, supervisor):
    stale = Ticket.objects.get(pk=ticket.pk)
    services.resolve(ticket, by=responsible, explanation="Bir")

    with pytest.raises(services.TicketStateError):
        services.resolve(stale, by=supervisor, explanation="İki")
    assert ticket.events.filter(kind=EventKind.RESOLVED).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_resolves_make_one_resolution(file, responsible, supervisor):
    import threading

    ticket = file()
    barrier = threading.Barrier(2)
    outcomes = []

    def resolve_as(user, text):
        try:
            barrier.wait()
            services.resolve(Ticket.objects.get(pk=ticket.pk), by=user, explanation=text)
            outcomes.append("resolved")
        except services.TicketStateError:
            outcomes.append("refused")
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=resolve_as, args=(responsible, "Bir")),
        threading.Thread(target=resolve_as, args=(supervisor, "İki")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "resolved"]
    assert ticket.events.filter(kind=EventKind.RESOLVED).count() == 1
