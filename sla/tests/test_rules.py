"""The service levels' rules each process keeps (sla/rules.py): filing reads no target,
calendar or contract rows while nothing changed, and the next ticket follows any change,
made in this process or another; never one that was rolled back."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from common import versions
from sla.models import CategoryCalendar, Clock, Target
from sla.tests.conftest import istanbul, make_calendar
from sla.tests.test_contracts import contract_target
from tickets import configuration
from tickets.models import Priority

RULE_TABLES = ("sla_target", "sla_categorycalendar", "sla_contractcalendar", "tickets_contract")


@pytest.fixture
def monday(at):
    at(istanbul(2026, 12, 7, 10, 0))


def clock_of(ticket) -> Clock:
    return Clock.objects.select_related("calendar").get(ticket=ticket)


def medium_minutes(ticket_factory) -> tuple[int, int]:
    clock = clock_of(ticket_factory(priority=Priority.MEDIUM))
    return clock.first_response_minutes, clock.resolution_minutes


def test_filing_reads_no_rule_rows_while_nothing_changed(monday, ticket_factory):
    ticket_factory()

    with CaptureQueriesContext(connection) as queries:
        clock = clock_of(ticket_factory())

    read = [q["sql"] for q in queries if any(f'"{table}"' in q["sql"] for table in RULE_TABLES)]
    assert read == []
    assert (clock.first_response_minutes, clock.resolution_minutes) == (240, 960)


def test_a_target_saved_here_applies_to_the_next_ticket(monday, ticket_factory, targets):
    assert medium_minutes(ticket_factory) == (240, 960)

    medium = targets[Priority.MEDIUM]
    medium.first_response_minutes = 30
    medium.save()

    assert medium_minutes(ticket_factory) == (30, 960)


def test_a_target_deleted_gives_the_next_ticket_none(monday, ticket_factory, targets):
    assert medium_minutes(ticket_factory) == (240, 960)

    targets[Priority.MEDIUM].delete()

    assert not Clock.objects.filter(ticket=ticket_factory(priority=Priority.MEDIUM)).exists()


def test_a_category_calendar_added_by_another_process_applies_to_the_next_ticket(
    monday, ticket_factory, capacity
):
    assert clock_of(ticket_factory(category=capacity)).calendar.name == "Test week"
    own = make_calendar("Capacity's week")

    # Another process saves: the row and the token change, this process's copy stays.
    with transaction.atomic():
        CategoryCalendar.objects.bulk_create([CategoryCalendar(category=capacity, calendar=own)])
        versions.bump(configuration.NAME)

    assert clock_of(ticket_factory(category=capacity)).calendar == own


def test_a_target_rolled_back_is_not_kept(monday, ticket_factory, targets):
    assert medium_minutes(ticket_factory) == (240, 960)

    with pytest.raises(RuntimeError), transaction.atomic():
        Target.objects.filter(pk=targets[Priority.MEDIUM].pk).delete()
        raise RuntimeError

    assert medium_minutes(ticket_factory) == (240, 960)


def test_a_contract_given_targets_of_its_own_gets_them_for_its_next_ticket(
    monday, ticket_factory, contract
):
    # The process's copy says no contract carries service levels: no contract is read.
    assert medium_minutes(ticket_factory) == (240, 960)

    contract_target(contract, first=15, resolution=120)

    assert medium_minutes(ticket_factory) == (15, 120)
