"""A five-day week of 09:00-17:00 in Istanbul as the default calendar, targets per
priority, and a hand on the clock."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from sla.models import Calendar, Target, WorkingHours
from tickets.models import Contract, Priority

ISTANBUL = ZoneInfo("Europe/Istanbul")


def istanbul(*args) -> datetime:
    return datetime(*args, tzinfo=ISTANBUL)


def make_calendar(name, *, zone="Europe/Istanbul", days=range(5), default=False, hours=(9, 17)):
    calendar = Calendar.objects.create(name=name, time_zone=zone, is_default=default)
    for day in days:
        WorkingHours.objects.create(
            calendar=calendar, weekday=day, starts=time(hours[0]), ends=time(hours[1])
        )
    return calendar


@pytest.fixture
def calendar(db):
    return make_calendar("Test week", default=True)


@pytest.fixture
def targets(db):
    """Working minutes: high 1 h / 8 h, medium 4 h / 16 h (two days), low 8 h / 40 h."""
    return {
        priority: Target.objects.create(
            priority=priority, first_response_minutes=first, resolution_minutes=resolution
        )
        for priority, first, resolution in (
            (Priority.HIGH, 60, 480),
            (Priority.MEDIUM, 240, 960),
            (Priority.LOW, 480, 2400),
        )
    }


@pytest.fixture
def at(monkeypatch, calendar, targets):
    """`at(moment)` sets what timezone.now() answers from then on."""

    def set_now(moment: datetime) -> datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_now


@pytest.fixture
def ticket_factory(file):
    """File a ticket through the service, as `oda` in Kapasite Raporu by default."""
    return file


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def post(client, url, data):
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


def inline_rows(prefix: str, rows) -> dict:
    """An admin page's inline formset holding `rows` (dicts of field values), all new."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def recomputed() -> int:
    """Run the recomputes the admin's saves left to the job, as its periodic run does;
    how many ran."""
    from sla import recomputing

    return recomputing.run_pending()


@pytest.fixture
def contract(bursa_union, inegol_chamber):
    """The Bursa union's contract, under which the İnegöl chamber (`oda`) works."""
    contract = Contract.objects.create(customer=bursa_union, number="BS-100")
    contract.organisations.add(inegol_chamber)
    return contract
