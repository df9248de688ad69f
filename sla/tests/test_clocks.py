"""Each ticket's clocks follow its life: filed, answered, paused, resumed, moved."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sla import clocks
from sla.models import CategoryCalendar, Holiday, WorkingHours
from sla.tests.conftest import istanbul, make_calendar
from tickets import logchain, services
from tickets.models import EventKind, Priority, Status, Ticket

# Monday 7 December 2026 in Istanbul; the calendar works 09:00-17:00 on weekdays.
MONDAY = date(2026, 12, 7)


def sla_events(ticket):
    return list(ticket.events.filter(kind=EventKind.SERVICE_LEVEL).order_by("pk"))


def fresh(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_filing_starts_both_clocks_in_working_time(at, ticket_factory):
    # given Monday 10:00
    at(istanbul(2026, 12, 7, 10, 0))
    # when a medium ticket is filed (4 h to answer, 16 h to resolve)
    ticket = fresh(ticket_factory())
    # then the first response is due at 14:00 and the resolution on Wednesday 10:00
    assert ticket.first_response_due_at == istanbul(2026, 12, 7, 14, 0)
    assert ticket.resolution_due_at == istanbul(2026, 12, 9, 10, 0)
    assert ticket.due_at == ticket.first_response_due_at
    assert ticket.sla_paused_at is None
    [started] = sla_events(ticket)
    assert started.internal and started.data["change"] == "started"


def test_the_first_public_answer_meets_the_first_response_clock(at, ticket_factory, responsible):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    # a read receipt is not an answer
    services.mark_read(ticket, by=responsible)
    assert fresh(ticket).first_responded_at is None
    # an internal note is not one either
    services.reply(ticket, by=responsible, body="Looking.", internal=True)
    assert fresh(ticket).first_responded_at is None
    at(istanbul(2026, 12, 7, 11, 0))
    services.reply(ticket, by=responsible, body="We are on it.")
    ticket = fresh(ticket)
    assert ticket.first_responded_at == istanbul(2026, 12, 7, 11, 0)
    # the next due is now the resolution's
    assert ticket.due_at == ticket.resolution_due_at == istanbul(2026, 12, 9, 10, 0)
    assert sla_events(ticket)[-1].data == {
        "change": "responded",
        "clock": "first_response",
        "met": True,
    }


def test_an_information_request_pauses_and_the_answer_resumes_by_the_paused_working_time(
    at, ticket_factory, responsible, member
):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    # when the handler asks the member on Monday 11:00 (which answers the ticket too)
    at(istanbul(2026, 12, 7, 11, 0))
    services.request_info(ticket, by=responsible, body="Which year?")
    paused = fresh(ticket)
    assert paused.due_at is None
    assert paused.sla_paused_at == istanbul(2026, 12, 7, 11, 0)
    assert paused.first_responded_at == istanbul(2026, 12, 7, 11, 0)
    # and the member answers on Tuesday 11:00: 6 + 2 working hours later
    at(istanbul(2026, 12, 8, 11, 0))
    services.reply(ticket, by=member, body="2025.")
    resumed = fresh(ticket)
    assert resumed.status == Status.IN_PROGRESS
    assert resumed.sla_paused_at is None
    # then the resolution, due Wednesday 10:00, moves by 8 working hours: Thursday 10:00
    assert resumed.resolution_due_at == istanbul(2026, 12, 10, 10, 0)
    assert resumed.due_at == resumed.resolution_due_at
    changes = [event.data["change"] for event in sla_events(ticket)]
    assert changes == ["started", "paused", "responded", "resumed"]


def test_a_pause_over_a_holiday_holds_back_only_its_working_time(
    at, ticket_factory, responsible, member, calendar
):
    # given Tuesday is a holiday
    Holiday.objects.create(
        calendar=calendar, name="Leave", first_day=date(2026, 12, 8), last_day=date(2026, 12, 8)
    )
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    # 16 working hours from Monday 10:00 skip Tuesday: Thursday 10:00
    assert fresh(ticket).resolution_due_at == istanbul(2026, 12, 10, 10, 0)
    at(istanbul(2026, 12, 7, 11, 0))
    services.request_info(ticket, by=responsible, body="Which year?")
    # when the member answers on Wednesday 11:00: 6 h on Monday, none Tuesday, 2 h Wednesday
    at(istanbul(2026, 12, 9, 11, 0))
    services.reply(ticket, by=member, body="2025.")
    # then the due moves by 8 working hours, to Friday 10:00
    assert fresh(ticket).resolution_due_at == istanbul(2026, 12, 11, 10, 0)


def test_resolving_pauses_and_reopening_resumes(at, ticket_factory, responsible, member):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    at(istanbul(2026, 12, 7, 12, 0))
    services.resolve(ticket, by=responsible, explanation="Codes fixed.")
    resolved = fresh(ticket)
    assert resolved.due_at is None
    assert resolved.sla_paused_at == istanbul(2026, 12, 7, 12, 0)
    # a resolution answers the member: the first response is met
    assert resolved.first_responded_at == istanbul(2026, 12, 7, 12, 0)
    # reopened the next morning at 10:00: 5 + 1 working hours paused
    at(istanbul(2026, 12, 8, 10, 0))
    services.reopen(ticket, by=member, body="Still broken.")
    reopened = fresh(ticket)
    assert reopened.resolution_due_at == istanbul(2026, 12, 9, 16, 0)
    assert reopened.due_at == reopened.resolution_due_at


def test_a_closed_ticket_has_no_running_clock(at, ticket_factory, responsible, member):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    services.resolve(ticket, by=responsible, explanation="Codes fixed.")
    services.close(ticket, by=member)
    closed = fresh(ticket)
    assert closed.status == Status.CLOSED
    assert closed.due_at is None


def test_a_priority_change_applies_its_target_from_the_filing(at, ticket_factory, responsible):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    at(istanbul(2026, 12, 7, 10, 30))
    services.change_priority(ticket, by=responsible, priority=Priority.HIGH)
    ticket = fresh(ticket)
    # high: 1 h to answer, 8 h to resolve, counted from Monday 10:00
    assert ticket.first_response_due_at == istanbul(2026, 12, 7, 11, 0)
    assert ticket.resolution_due_at == istanbul(2026, 12, 8, 10, 0)
    assert ticket.due_at == istanbul(2026, 12, 7, 11, 0)
    moved = sla_events(ticket)[-1]
    assert moved.data["change"] == "moved" and moved.data["reason"] == "priority"


def test_a_redirect_to_a_team_that_works_saturdays_counts_by_its_calendar(
    at, ticket_factory, responsible, technical
):
    saturdays = make_calendar("Six days", days=range(6))
    CategoryCalendar.objects.create(category=technical, calendar=saturdays)
    # given a ticket filed on Friday 16:00: 4 h to answer is Monday 12:00 in a five-day week
    at(istanbul(2026, 12, 11, 16, 0))
    ticket = ticket_factory()
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 14, 12, 0)
    # when it goes to the team that works Saturdays
    services.redirect_to_category(ticket, by=responsible, category=technical)
    # then it is due on Saturday 12:00
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 12, 12, 0)


def test_a_calendar_edited_mid_ticket_moves_the_dues(at, ticket_factory, calendar):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    at(istanbul(2026, 12, 7, 15, 0))
    # when Tuesday is declared a holiday and the dues recomputed
    Holiday.objects.create(
        calendar=calendar, name="Leave", first_day=date(2026, 12, 8), last_day=date(2026, 12, 8)
    )
    assert clocks.recompute(calendar_ids=[calendar.pk]) == 1
    # then the resolution is due a day later, and the log says why
    ticket = fresh(ticket)
    assert ticket.resolution_due_at == istanbul(2026, 12, 10, 10, 0)
    assert sla_events(ticket)[-1].data["reason"] == "calendar"
    # and recomputing again moves nothing
    assert clocks.recompute() == 0


def test_time_zones_follow_the_calendar(at, ticket_factory, calendar):
    # the team sits in New York: Monday 10:00 in Istanbul is 03:00 there
    calendar.time_zone = "America/New_York"
    calendar.save()
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = fresh(ticket_factory(priority=Priority.HIGH))
    # 1 working hour from 09:00 New York time (14:00 UTC) = 15:00 UTC, 18:00 in Istanbul
    assert ticket.first_response_due_at == istanbul(2026, 12, 7, 18, 0)


def test_without_a_target_a_ticket_has_no_clocks(at, ticket_factory, targets):
    targets[Priority.LOW].delete()
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = fresh(ticket_factory(priority=Priority.LOW))
    assert ticket.due_at is None and ticket.resolution_due_at is None
    assert sla_events(ticket) == []


def test_a_target_for_the_category_wins_over_the_general_one(at, ticket_factory, capacity):
    from sla.models import Target

    Target.objects.create(
        priority=Priority.MEDIUM,
        category=capacity,
        first_response_minutes=30,
        resolution_minutes=60,
    )
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = fresh(ticket_factory())
    assert ticket.first_response_due_at == istanbul(2026, 12, 7, 10, 30)


def test_readings_show_used_and_paused_working_time(at, ticket_factory, responsible, member):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    at(istanbul(2026, 12, 7, 11, 0))
    services.request_info(ticket, by=responsible, body="Which year?")
    at(istanbul(2026, 12, 8, 11, 0))
    services.reply(ticket, by=member, body="2025.")
    at(istanbul(2026, 12, 8, 12, 0))
    readings, held = clocks.readings(fresh(ticket))
    first, resolution = readings
    assert first.state == "met" and first.used == timedelta(hours=1)
    # 1 h before the pause, 1 h after it
    assert resolution.state == "running" and resolution.used == timedelta(hours=2)
    assert held == timedelta(hours=8)


def test_working_hours_rows_without_days_mean_no_clocks_not_an_error(at, ticket_factory, calendar):
    WorkingHours.objects.filter(calendar=calendar).delete()
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = fresh(ticket_factory())
    assert ticket.due_at is None


def test_tickets_filed_before_the_calendars_get_their_clocks_when_seeded(
    at, ticket_factory, responsible, calendar, targets
):
    # given tickets filed while no calendar existed: one answered, one waiting for the member
    calendar.is_default = False
    calendar.save()
    at(istanbul(2026, 12, 7, 10, 0))
    answered = ticket_factory(subject="answered")
    waiting = ticket_factory(subject="waiting")
    at(istanbul(2026, 12, 7, 11, 0))
    services.reply(answered, by=responsible, body="On it.")
    services.request_info(waiting, by=responsible, body="Which year?")
    assert fresh(answered).due_at is None
    # when the calendars are set up
    calendar.is_default = True
    calendar.save()
    at(istanbul(2026, 12, 7, 12, 0))
    assert clocks.start_missing() == 2
    # then the answered one runs toward its resolution, the other stands still
    answered, waiting = fresh(answered), fresh(waiting)
    assert answered.first_responded_at == istanbul(2026, 12, 7, 11, 0)
    assert answered.due_at == answered.resolution_due_at == istanbul(2026, 12, 9, 10, 0)
    assert waiting.due_at is None and waiting.sla_paused_at is not None
    assert clocks.start_missing() == 0


def test_a_due_across_daylight_saving_keeps_the_teams_wall_clock_hours(
    at, ticket_factory, calendar
):
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    new_york = ZoneInfo("America/New_York")
    calendar.time_zone = "America/New_York"
    calendar.save()
    # Friday 6 March 2026, 16:00 in New York (EST); the clocks go forward on Sunday
    at(datetime(2026, 3, 6, 16, 0, tzinfo=new_york))
    ticket = fresh(ticket_factory(priority=Priority.HIGH))
    # 8 working hours: 1 on Friday, 7 on Monday from 09:00 EDT, i.e. 16:00 EDT = 20:00 UTC
    assert ticket.resolution_due_at == datetime(2026, 3, 9, 16, 0, tzinfo=new_york)
    assert ticket.resolution_due_at == datetime(2026, 3, 9, 20, 0, tzinfo=UTC)


def ticket_row_writes(queries) -> int:
    writes = ('INSERT INTO "tickets_ticket" ', 'UPDATE "tickets_ticket" ')
    return len([query for query in queries if query["sql"].startswith(writes)])


def test_the_service_levels_events_reseal_the_ticket_with_the_change_that_logs_them(
    at, ticket_factory, responsible
):
    at(istanbul(2026, 12, 7, 10, 0))
    with CaptureQueriesContext(connection) as filing:
        ticket = ticket_factory()
    at(istanbul(2026, 12, 7, 11, 0))
    with CaptureQueriesContext(connection) as answer:
        services.reply(ticket, by=responsible, body="We are on it.")
    with CaptureQueriesContext(connection) as resolution:
        services.resolve(ticket, by=responsible, explanation="Added the codes.")

    # The row, then its seal with what the created and started events set.
    assert ticket_row_writes(filing) == 2
    # Its status, then one UPDATE for the reply, its search text and the clock's event.
    assert ticket_row_writes(answer) == 2
    # Its status, then one UPDATE for the clock's event and the resolution.
    assert ticket_row_writes(resolution) == 2
    ticket = fresh(ticket)
    assert ticket.first_responded_at == istanbul(2026, 12, 7, 11, 0)
    assert ticket.sla_paused_at == istanbul(2026, 12, 7, 11, 0)  # resolved: paused
    problems, _chain = logchain.verify_ticket(ticket.pk, ticket.log_seal, ticket.events.all())
    assert problems == []
