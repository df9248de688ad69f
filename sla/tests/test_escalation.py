"""Escalation: the team is warned before a breach, the supervisors told of it, once
each, and only in the calendar's working hours."""

import pytest
from django.core.management import call_command

from outbox.models import OutgoingMail
from sla import escalation, recomputing
from sla.models import Clock, Escalation
from sla.tests.conftest import istanbul
from tickets import services
from tickets.models import EventKind, Priority, Ticket
from tickets.signals import sla_breached


@pytest.fixture
def breaches():
    heard = []

    def listen(sender, ticket, kind, **kwargs):
        heard.append((ticket.pk, kind))

    sla_breached.connect(listen)
    yield heard
    sla_breached.disconnect(listen)


@pytest.fixture
def high_ticket(at, ticket_factory, responsible, supervisor):
    """A high ticket filed Monday 10:00: first response due 11:00, resolution Tuesday 10:00."""
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory(priority=Priority.HIGH)
    OutgoingMail.objects.all().delete()  # the filing's notices
    return ticket


def mails_to(address):
    return list(OutgoingMail.objects.filter(to=address))


def test_the_team_is_warned_once_when_a_due_comes_near(at, high_ticket, responsible):
    # 10:30: the first response is due in 30 minutes (within the two hours of "soon")
    at(istanbul(2026, 12, 7, 10, 30))
    assert escalation.escalate() == 1
    assert escalation.escalate() == 0
    [mail] = mails_to(responsible.email)
    assert f"#{high_ticket.pk}" in mail.subject
    assert Escalation.objects.filter(ticket=high_ticket, level="warning").count() == 1
    warned = high_ticket.events.filter(kind=EventKind.SERVICE_LEVEL).last()
    assert warned.data == {"change": "warned", "clock": "first_response"}


def test_the_supervisors_hear_of_a_breach_once_and_the_signal_is_sent(
    at, high_ticket, supervisor, responsible, breaches
):
    at(istanbul(2026, 12, 7, 11, 30))
    assert escalation.escalate() == 1
    at(istanbul(2026, 12, 7, 12, 30))
    assert escalation.escalate() == 0
    assert len(mails_to(supervisor.email)) == 1
    assert mails_to(responsible.email) == []  # the warning's moment had passed unseen
    assert breaches == [(high_ticket.pk, "first_response")]
    breach = high_ticket.events.filter(kind=EventKind.SERVICE_LEVEL).last()
    assert breach.data["change"] == "breached" and breach.internal


def test_nobody_is_mailed_at_night(at, high_ticket, supervisor):
    # Monday 22:00: breached hours ago, but the team does not work now
    at(istanbul(2026, 12, 7, 22, 0))
    assert escalation.escalate() == 0
    assert not OutgoingMail.objects.exists()
    # the next morning it goes out
    at(istanbul(2026, 12, 8, 9, 5))
    assert escalation.escalate() == 1
    assert len(mails_to(supervisor.email)) == 1


def test_a_paused_or_answered_clock_is_not_escalated(at, high_ticket, responsible):
    at(istanbul(2026, 12, 7, 10, 15))
    services.request_info(high_ticket, by=responsible, body="Which year?")
    at(istanbul(2026, 12, 7, 16, 0))
    assert escalation.escalate() == 0


def test_each_clock_escalates_on_its_own(at, high_ticket, responsible, supervisor):
    at(istanbul(2026, 12, 7, 11, 30))
    assert escalation.escalate() == 1  # the first response breached
    services.reply(high_ticket, by=responsible, body="On it.")
    # Tuesday 09:30: the resolution (due 10:00) is near
    at(istanbul(2026, 12, 8, 9, 30))
    assert escalation.escalate() == 1
    levels = set(Escalation.objects.values_list("clock", "level"))
    assert levels == {("first_response", "breach"), ("resolution", "warning")}


def test_the_command_runs_it(at, high_ticket):
    at(istanbul(2026, 12, 7, 10, 30))
    call_command("escalate")
    assert Escalation.objects.count() == 1


def test_a_due_without_a_clock_does_not_hold_up_the_tickets_behind_it(
    at, high_ticket, ticket_factory, responsible, monkeypatch
):
    # given older dues without clocks (generated or restored rows) filling a whole run
    stale = ticket_factory(priority=Priority.HIGH)
    Clock.objects.filter(ticket=stale).delete()
    Ticket.objects.filter(pk=stale.pk).update(due_at=istanbul(2026, 12, 1, 10, 0))
    monkeypatch.setattr(escalation, "BATCH", 1)

    # when the run comes at 10:30, half an hour before high_ticket's first response
    at(istanbul(2026, 12, 7, 10, 30))

    # then the ticket with a clock is warned about
    assert escalation.escalate() == 1
    assert mails_to(responsible.email)


def test_a_due_moved_by_a_recompute_not_yet_run_is_not_escalated(
    at, high_ticket, targets, supervisor
):
    # 11:30 Monday: the first response (due 11:00) looks breached, but the admin has
    # just given high tickets eight hours for it; the recompute queued has not run yet.
    at(istanbul(2026, 12, 7, 11, 30))
    high = targets[Priority.HIGH]
    high.first_response_minutes = 480
    high.save(update_fields=["first_response_minutes"])  # as the admin saves it
    recomputing.queue(reach=[(Priority.HIGH, None, None)], targets=True, hand_over=False)

    assert escalation.escalate() == 0

    assert not Escalation.objects.filter(ticket=high_ticket).exists()
    assert mails_to(supervisor.email) == []
    high_ticket.refresh_from_db()
    # Seven working hours on Monday from 10:00, the eighth on Tuesday from 09:00.
    assert high_ticket.first_response_due_at == istanbul(2026, 12, 8, 10, 0)
