"""`seed_bulk`'s generated tickets have the clocks, pauses and dues that filing them
through the services would have left: recomputing them moves nothing."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from sla import bulk, clocks
from sla.models import Clock, Pause
from tickets.models import OPEN_STATUSES, EventKind, Ticket
from tickets.tests.test_seed_bulk import seed_bulk

DUES = ("first_response_due_at", "resolution_due_at", "due_at", "sla_paused_at")


def dues_of(tickets) -> dict:
    return {t.pk: tuple(getattr(t, name) for name in DUES) for t in tickets}


@pytest.fixture
def seeded(db):
    seed_bulk(tickets=150)
    return Ticket.objects.order_by("pk")


def test_every_open_ticket_with_a_due_has_a_clock_that_gives_its_dues(seeded):
    # given the generated tickets (and the demo's, filed through the services)
    open_with_due = seeded.filter(status__in=OPEN_STATUSES, resolution_due_at__isnull=False)
    assert open_with_due.count() > 10
    assert not open_with_due.filter(sla_clock__isnull=True).exists()
    # then each clock, with the ticket's pauses, gives the dues on the ticket
    pauses: dict[int, list] = {}
    for pause in Pause.objects.order_by("started_at"):
        pauses.setdefault(pause.ticket_id, []).append(pause)
    checked = 0
    for clock in Clock.objects.select_related("ticket", "calendar"):
        ticket = clock.ticket
        fields = clocks.dues(clock, ticket, pauses.get(ticket.pk, []))
        assert tuple(fields[name] for name in DUES) == dues_of([ticket])[ticket.pk], ticket.pk
        checked += 1
    assert checked == seeded.count()  # closed ones too: sla keeps every ticket's clock
    # and some stood still and went on again: an answered information request, a reopen
    assert Pause.objects.filter(ended_at__isnull=False).exists()


def test_recomputing_the_generated_tickets_moves_nothing(seeded):
    before = dues_of(seeded)
    assert clocks.recompute() == 0
    assert dues_of(seeded) == before


def test_the_ticket_page_reads_a_generated_tickets_clocks(seeded):
    ticket = seeded.filter(status__in=OPEN_STATUSES, due_at__isnull=False).first()
    readings, _held = clocks.readings(ticket)
    assert [r.kind for r in readings] == ["first_response", "resolution"]


def event(kind, hours, actor=2, internal=False):
    at = datetime(2026, 6, 1, 9, tzinfo=UTC) + timedelta(hours=hours)
    return SimpleNamespace(kind=kind, actor_id=actor, internal=internal, created_at=at)


def test_a_story_pauses_while_it_waits_for_the_member_and_after_each_resolution():
    member, handler = 1, 2
    story = SimpleNamespace(
        requester_id=member,
        events=[
            event(EventKind.CREATED, 0, member),
            event(EventKind.NOTE, 1, handler, internal=True),
            event(EventKind.INFO_REQUESTED, 2, handler),
            event(EventKind.REPLIED, 3, member),
            event(EventKind.RESOLVED, 4, handler),
            event(EventKind.REOPENED, 5, member),
            event(EventKind.REPLIED, 6, member),  # not an answer to a question: no change
            event(EventKind.RESOLVED, 7, handler),
            event(EventKind.CLOSED, 8, member),
        ],
    )
    at = [e.created_at for e in story.events]
    assert bulk.first_answer(story) == at[2]
    # the closing ends no pause: a closed ticket's clocks never run again
    assert bulk.pauses_of(story) == [(at[2], at[3]), (at[4], at[5]), (at[7], None)]
