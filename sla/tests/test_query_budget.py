"""The ticket page keeps tickets/' query budget (tickets/tests/test_query_budget.py) with
its service level card: a running clock that stood still once, in a calendar with
holidays, for the handlers who see the card; more pauses cost nothing more."""

from datetime import date, time

import pytest

from sla.models import Holiday, WorkingHours
from tickets import services
from tickets.tests.test_query_budget import BUDGET

PAGES = {
    "ticket": "/tickets/{ticket}/",
    "ticket from the list": "/tickets/{ticket}/?list=status%3Dopen",
    "ticket from a search": "/tickets/{ticket}/?list=q%3Dkodlar%C4%B1",
}


def ask_and_answer(ticket, responsible, member):
    services.request_info(ticket, by=responsible, body="Which year?")
    services.reply(ticket, by=member, body="2025.")


@pytest.fixture
def clocked(calendar, targets, file, member, responsible):
    """A ticket whose clock runs again after the member answered a question."""
    for day in (date(2026, 1, 1), date(2026, 4, 23), date(2026, 5, 19)):
        Holiday.objects.create(calendar=calendar, name="Holiday", first_day=day, last_day=day)
    WorkingHours.objects.create(calendar=calendar, weekday=5, starts=time(9), ends=time(13))
    ticket = file()
    ask_and_answer(ticket, responsible, member)
    return ticket


@pytest.mark.parametrize("screen", PAGES)
@pytest.mark.parametrize("role", ["responsible", "supervisor"])
def test_the_ticket_page_with_its_clocks_costs_at_most_the_budget(
    role, screen, request, client, clocked, member, responsible, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))
    url = PAGES[screen].format(ticket=clocked.pk)
    client.get(url)  # the read event and the presence stamp settle first
    with django_assert_max_num_queries(BUDGET) as few:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Service level" in html and "Running" in html
    spent = len(few.captured_queries)
    ask_and_answer(clocked, responsible, member)
    client.get(url)

    with django_assert_max_num_queries(spent):
        assert client.get(url).status_code == 200
