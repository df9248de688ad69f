"""The admin edits calendars and targets: bad ones are refused with a message and
nothing is saved; a saved calendar moves the dues of its tickets."""

from datetime import date

import pytest
from django.core.management import call_command

from sla import seeding, worktime
from sla.models import Calendar, Holiday, Target
from sla.tests.conftest import inline_rows, istanbul, post, recomputed
from tickets.models import Priority, Ticket


def calendar_form(*, hours=(), holidays=(), name="Ankara office", **extra):
    data = {"name": name, "time_zone": "Europe/Istanbul", **extra}
    return {**data, **inline_rows("hours", hours), **inline_rows("holidays", holidays)}


def errors_of(response) -> str:
    return response.content.decode()


def test_a_calendar_with_working_hours_and_holidays_is_saved(admin_client):
    response = post(
        admin_client,
        "/admin/sla/calendar/add/",
        calendar_form(
            hours=[{"weekday": "0", "starts": "09:00", "ends": "17:00"}],
            holidays=[{"name": "Yılbaşı", "first_day": "2027-01-01", "last_day": "2027-01-01"}],
        ),
    )
    assert response.status_code == 302
    calendar = Calendar.objects.get(name="Ankara office")
    assert calendar.hours.count() == 1 and calendar.holidays.count() == 1


def test_a_calendar_without_working_hours_is_refused(admin_client):
    response = post(admin_client, "/admin/sla/calendar/add/", calendar_form())
    assert response.status_code == 200
    assert "A calendar needs working hours on at least one day." in errors_of(response)
    assert not Calendar.objects.exists()


def test_working_hours_that_end_before_they_start_are_refused(admin_client):
    response = post(
        admin_client,
        "/admin/sla/calendar/add/",
        calendar_form(hours=[{"weekday": "0", "starts": "17:00", "ends": "09:00"}]),
    )
    assert "The working hours must end after they start." in errors_of(response)
    assert not Calendar.objects.exists()


def test_overlapping_working_hours_are_refused(admin_client):
    response = post(
        admin_client,
        "/admin/sla/calendar/add/",
        calendar_form(
            hours=[
                {"weekday": "0", "starts": "09:00", "ends": "13:00"},
                {"weekday": "0", "starts": "12:00", "ends": "17:00"},
            ]
        ),
    )
    assert "Working hours of the same day must not overlap." in errors_of(response)
    assert not Calendar.objects.exists()


def test_overlapping_holidays_are_refused(admin_client):
    response = post(
        admin_client,
        "/admin/sla/calendar/add/",
        calendar_form(
            hours=[{"weekday": "0", "starts": "09:00", "ends": "17:00"}],
            holidays=[
                {"name": "Bayram", "first_day": "2027-03-10", "last_day": "2027-03-12"},
                {"name": "Leave", "first_day": "2027-03-12", "last_day": "2027-03-13"},
            ],
        ),
    )
    assert "The holidays Bayram and Leave overlap." in errors_of(response)
    assert not Calendar.objects.exists()


def test_a_holiday_that_ends_before_it_begins_is_refused(admin_client):
    response = post(
        admin_client,
        "/admin/sla/calendar/add/",
        calendar_form(
            hours=[{"weekday": "0", "starts": "09:00", "ends": "17:00"}],
            holidays=[{"name": "Odd", "first_day": "2027-03-12", "last_day": "2027-03-10"}],
        ),
    )
    assert "A holiday cannot end before it begins." in errors_of(response)


def test_an_unknown_time_zone_is_refused(admin_client):
    response = post(
        admin_client,
        "/admin/sla/calendar/add/",
        calendar_form(
            time_zone="Mars/Olympus", hours=[{"weekday": "0", "starts": "09:00", "ends": "17:00"}]
        ),
    )
    assert "Mars/Olympus is not a time zone" in errors_of(response)
    assert not Calendar.objects.exists()


@pytest.mark.parametrize("minutes", ["0", "-30"])
def test_a_target_of_zero_or_less_is_refused(admin_client, minutes):
    response = post(
        admin_client,
        "/admin/sla/target/add/",
        {"priority": "high", "first_response_minutes": minutes, "resolution_minutes": "60"},
    )
    assert response.status_code == 200
    assert "A target must be more than zero minutes." in errors_of(response)
    assert not Target.objects.exists()


def test_a_second_general_target_for_a_priority_is_refused(admin_client):
    Target.objects.create(priority="high", first_response_minutes=60, resolution_minutes=480)
    response = post(
        admin_client,
        "/admin/sla/target/add/",
        {"priority": "high", "first_response_minutes": "30", "resolution_minutes": "60"},
    )
    assert "There is already a target for this priority" in errors_of(response)
    assert Target.objects.count() == 1


def test_saving_a_calendar_in_the_admin_moves_the_dues_of_its_tickets(
    admin_client, at, ticket_factory, calendar
):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    assert Ticket.objects.get(pk=ticket.pk).resolution_due_at == istanbul(2026, 12, 9, 10, 0)
    hours = [
        {
            "id": str(h.pk),
            "calendar": str(calendar.pk),
            "weekday": str(h.weekday),
            "starts": "09:00",
            "ends": "17:00",
        }
        for h in calendar.hours.all()
    ]
    data = calendar_form(
        name=calendar.name,
        is_default="on",
        hours=hours,
        holidays=[{"name": "Leave", "first_day": "2026-12-08", "last_day": "2026-12-08"}],
    )
    data["hours-INITIAL_FORMS"] = str(len(hours))
    response = post(admin_client, f"/admin/sla/calendar/{calendar.pk}/change/", data)
    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    assert Holiday.objects.filter(calendar=calendar).count() == 1
    assert Ticket.objects.get(pk=ticket.pk).resolution_due_at == istanbul(2026, 12, 10, 10, 0)


def test_seeding_makes_three_calendars_once_with_holidays_that_do_not_overlap(db):
    call_command("seed_calendars")
    call_command("seed_calendars")
    assert set(Calendar.objects.values_list("name", flat=True)) == {"Türkiye", "Iran", "Россия"}
    assert Calendar.objects.get(is_default=True).name == "Türkiye"
    assert Target.objects.filter(category=None, kind=None).count() == len(Priority)
    turkey = Calendar.objects.get(name="Türkiye")
    assert turkey.holidays.filter(first_day=date(2026, 10, 29)).exists()
    assert turkey.holidays.get(first_day=date(2026, 3, 20)).last_day == date(2026, 3, 22)
    assert turkey.holidays.get(first_day=date(2026, 5, 27)).last_day == date(2026, 5, 30)
    # Nowruz 1405 begins on 21 March 2026
    assert Calendar.objects.get(name="Iran").holidays.filter(first_day=date(2026, 3, 21)).exists()
    for calendar in Calendar.objects.all():
        ranges = list(calendar.holidays.values_list("first_day", "last_day"))
        assert worktime.overlapping(ranges) is None, calendar.name
        assert calendar.schedule().hours  # each has working hours
    assert seeding.seed() == []
    # 19 May falls in Kurban Bayramı in 2027: one holiday for both
    assert turkey.holidays.get(first_day=date(2027, 5, 16)).last_day == date(2027, 5, 19)


def test_a_second_default_calendar_is_refused(admin_client, calendar):
    response = post(
        admin_client,
        "/admin/sla/calendar/add/",
        calendar_form(
            is_default="on", hours=[{"weekday": "0", "starts": "09:00", "ends": "17:00"}]
        ),
    )
    assert "Another calendar is the default already" in errors_of(response)
    assert Calendar.objects.count() == 1


def test_a_category_given_its_own_calendar_moves_its_tickets(
    admin_client, at, ticket_factory, capacity
):
    from sla.tests.conftest import make_calendar

    saturdays = make_calendar("Six days", days=range(6))
    at(istanbul(2026, 12, 11, 16, 0))  # Friday
    ticket = ticket_factory()
    response = post(
        admin_client,
        "/admin/sla/categorycalendar/add/",
        {"category": str(capacity.pk), "calendar": str(saturdays.pk)},
    )
    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    assert Ticket.objects.get(pk=ticket.pk).first_response_due_at == istanbul(2026, 12, 12, 12, 0)
