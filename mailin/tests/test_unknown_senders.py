"""Mail from an address of no active user files nothing: a supervisor assigns it to a
user or discards it; the sender hears from us at most once a day."""

import pytest

from mailin.models import HeldMessage, InboundMessage, Outcome
from outbox.models import OutgoingMail
from tickets.models import Attachment, Channel, Ticket

from .conftest import message


def test_an_unknown_sender_is_held_and_answered_once_a_day(deliver, member):
    for n in range(3):
        assert deliver(message("stranger@example.net", f"Soru {n}"))[0] == 0
    assert not Ticket.objects.exists()
    assert HeldMessage.objects.filter(state=HeldMessage.State.HELD).count() == 3
    assert InboundMessage.objects.filter(outcome=Outcome.HELD).count() == 3
    replies = OutgoingMail.objects.filter(to="stranger@example.net")
    assert replies.count() == 1
    assert "[#" not in replies.get().subject


def test_an_inactive_users_mail_is_held(deliver, member):
    member.is_active = False
    member.save()
    deliver(message("oda@example.org"))
    assert not Ticket.objects.exists()
    assert HeldMessage.objects.get().sender == "oda@example.org"


@pytest.fixture
def held(deliver, db):
    deliver(message("stranger@example.net", "Kapasite raporu", "Raporumuz nerede?"))
    return HeldMessage.objects.get()


def test_the_page_is_for_supervisors_only(client, held, member, responsible, supervisor):
    for user in (member, responsible):
        client.force_login(user)
        assert client.get("/mail/held/").status_code == 404
        assert client.post(f"/mail/held/{held.pk}/discard/").status_code == 404
    assert HeldMessage.objects.get().state == HeldMessage.State.HELD
    client.force_login(supervisor)
    page = client.get("/mail/held/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b"stranger@example.net" in page.content and "Raporumuz nerede?" in page.text


def test_the_page_costs_the_same_for_many_messages(
    client, deliver, supervisor, django_assert_max_num_queries, settings
):
    settings.HELPDESK_MAIL_HOURLY_LIMIT = 100
    for n in range(12):
        deliver(message(f"s{n}@example.net", f"Soru {n}"))
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        assert client.get("/mail/held/").status_code == 200


def test_a_supervisor_assigns_a_held_message_to_a_user(client, held, member, supervisor, capacity):
    client.force_login(supervisor)
    response = client.post(
        f"/mail/held/{held.pk}/assign/", {"user": "oda", "category": capacity.pk}
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.requester, ticket.channel, ticket.subject) == (
        member,
        Channel.EMAIL,
        "Kapasite raporu",
    )
    assert ticket.description == "Raporumuz nerede?"
    original = Attachment.objects.get(ticket=ticket)
    assert original.internal and original.file.read().endswith(b"Raporumuz nerede?\n")
    held.refresh_from_db()
    assert (held.state, held.ticket_id, held.decided_by) == (
        HeldMessage.State.ASSIGNED,
        ticket.pk,
        supervisor,
    )
    assert bytes(held.raw) == b""  # kept once, with the ticket
    # twice is once
    client.post(f"/mail/held/{held.pk}/assign/", {"user": "oda", "category": capacity.pk})
    assert Ticket.objects.count() == 1


def test_an_unknown_user_name_is_refused_with_a_message(client, held, supervisor, capacity):
    client.force_login(supervisor)
    page = client.post(
        f"/mail/held/{held.pk}/assign/",
        {"user": "nobody", "category": capacity.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    assert "No active user" in page.text
    assert not Ticket.objects.exists()


def test_a_supervisor_discards_a_held_message(client, held, supervisor):
    client.force_login(supervisor)
    client.post(f"/mail/held/{held.pk}/discard/")
    held.refresh_from_db()
    assert held.state == HeldMessage.State.DISCARDED and bytes(held.raw) == b""
    assert b"stranger@example.net" not in client.get("/mail/held/").content
    assert not Ticket.objects.exists()
