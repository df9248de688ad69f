"""The calendars' schedules each process keeps (sla/schedules.py): read once, and again
on the next request after any change, in this process or another; never a change that
was rolled back."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from common import versions
from sla.models import Calendar, Holiday
from sla.tests.conftest import inline_rows, istanbul
from tickets import configuration

MONDAY = date(2026, 12, 7)
CALENDAR_TABLES = ("sla_calendar", "sla_workinghours", "sla_holiday")
# Filed on Monday at 10:00 and looked at 12:30: both clocks used 2.5 working hours,
# none if Monday is a holiday.
USED = "<td>2:30</td>"
NONE_USED = "<td>0:00</td>"


@pytest.fixture
def filed(at, ticket_factory, client, responsible):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    at(istanbul(2026, 12, 7, 12, 30))
    client.force_login(responsible)
    return ticket


def clocks_on_page(client, ticket) -> str:
    with timezone.override("Europe/Istanbul"):
        response = client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Service level" in html
    return html


def holiday_on_monday(calendar) -> Holiday:
    return Holiday(calendar=calendar, name="Leave", first_day=MONDAY, last_day=MONDAY)


def test_a_page_reads_no_calendar_rows_while_nothing_changed(client, filed):
    clocks_on_page(client, filed)

    with CaptureQueriesContext(connection) as queries:
        clocks_on_page(client, filed)

    tables = [q["sql"].split(" FROM ", 1)[-1].split()[0].strip('"') for q in queries]
    assert [table for table in tables if table in CALENDAR_TABLES] == []


def test_a_holiday_added_in_the_admin_shows_on_the_next_request(client, filed, calendar):
    assert USED in clocks_on_page(client, filed)
    admin = Client()
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    hours = [
        {
            "id": h.pk,
            "calendar": calendar.pk,
            "weekday": h.weekday,
            "starts": "09:00",
            "ends": "17:00",
        }
        for h in calendar.hours.all()
    ]
    data = {
        "name": calendar.name,
        "time_zone": calendar.time_zone,
        "is_default": "on",
        **inline_rows("hours", hours),
        **inline_rows("holidays", [{"name": "Leave", "first_day": MONDAY, "last_day": MONDAY}]),
        "hours-INITIAL_FORMS": str(len(hours)),
    }

    response = admin.post(f"/admin/sla/calendar/{calendar.pk}/change/", data)

    assert response.status_code == 302
    assert NONE_USED in clocks_on_page(client, filed)


def test_a_holiday_added_by_another_process_shows_on_the_next_request(client, filed, calendar):
    assert USED in clocks_on_page(client, filed)  # this process keeps its copy

    # Another process saves: the row and the token change, this process's copy stays.
    with transaction.atomic():
        Holiday.objects.bulk_create([holiday_on_monday(calendar)])
        versions.bump(configuration.NAME)

    assert NONE_USED in clocks_on_page(client, filed)


def test_a_holiday_rolled_back_is_not_kept(client, filed, calendar):
    assert USED in clocks_on_page(client, filed)

    with pytest.raises(RuntimeError), transaction.atomic():
        holiday_on_monday(calendar).save()
        assert Calendar.objects.get(pk=calendar.pk).schedule().is_holiday(MONDAY)
        raise RuntimeError

    assert USED in clocks_on_page(client, filed)


def test_outside_a_request_a_change_elsewhere_shows_at_once(calendar):
    assert not Calendar.objects.get(pk=calendar.pk).schedule().is_holiday(MONDAY)

    Holiday.objects.bulk_create([holiday_on_monday(calendar)])
    versions.bump(configuration.NAME)

    assert Calendar.objects.get(pk=calendar.pk).schedule().is_holiday(MONDAY)
