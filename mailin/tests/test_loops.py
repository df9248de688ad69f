"""Robots' mail (RFC 3834) never files, reopens or is answered."""

import pytest
from django.core import mail as django_mail

from mailin.models import HeldMessage, InboundMessage, Outcome
from outbox.models import OutgoingMail
from tickets import services
from tickets.models import EventKind, Status, Ticket

from .conftest import corpus, message


@pytest.mark.parametrize(
    "headers",
    [
        {"auto_submitted": "auto-replied"},
        {"auto_submitted": "auto-generated; type=vacation"},
        {"precedence": "bulk"},
        {"precedence": "junk"},
        {"list_id": "<team.lists.example.org>"},
        {"list_unsubscribe": "<mailto:leave@lists.example.org>"},
        {"return_path": "<>"},
        {"x_autoreply": "yes"},
    ],
)
def test_robot_mail_files_nothing_and_is_never_answered(deliver, member, resolved_ticket, headers):
    for sender in ("oda@example.org", "stranger@example.net"):
        raw = message(sender, f"[#{resolved_ticket.pk}] Out of office", "Away.", **headers)
        assert deliver(raw)[0] == 0
    assert Ticket.objects.count() == 1
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == Status.RESOLVED  # not reopened
    assert not HeldMessage.objects.exists()
    assert not OutgoingMail.objects.filter(to="stranger@example.net").exists()
    assert set(InboundMessage.objects.values_list("outcome", flat=True)) == {Outcome.IGNORED}


def test_auto_submitted_no_is_a_person(deliver, member):
    deliver(message("oda@example.org", auto_submitted="no"))
    assert Ticket.objects.count() == 1


@pytest.fixture
def resolved_ticket(ticket, responsible):
    services.resolve(ticket, by=responsible, explanation="Tamam.")
    return ticket


@pytest.mark.parametrize(
    "name", ["auto_reply_exchange.eml", "bounce_postfix.eml", "mailing_list.eml"]
)
def test_corpus_robots_are_ignored(deliver, member, resolved_ticket, name):
    assert deliver(corpus(name))[0] == 0
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == Status.RESOLVED
    assert not resolved_ticket.events.filter(kind=EventKind.REOPENED).exists()
    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.get().outcome == Outcome.IGNORED
    django_mail.outbox.clear()


def test_our_own_notice_coming_back_is_ignored(deliver, member):
    deliver(message("helpdesk@example.org", "[#1] Ticket #1 was filed"))
    deliver(message("oda@example.org", message_id="<outbox-7.abcdef0123456789@example.org>"))
    assert not Ticket.objects.exists()
