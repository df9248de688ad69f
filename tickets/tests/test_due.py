"""The list's service level column, filters and sort, read from the dues stored on the
ticket (sla/ computes them; here they are set directly)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tickets.columns import due_badge
from tickets.models import Status, Ticket
from tickets.tests.factories import TicketFactory
from tickets.tests.test_columns import ListPage


def with_due(ticket, due, **fields) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(due_at=due, **fields)
    ticket.refresh_from_db()
    return ticket


def listed_subjects(response) -> list[str]:
    return [dict(row)["Subject"] for row in ListPage(response.content.decode()).rows]


@pytest.fixture
def dues(member, capacity):
    """Four tickets: overdue by a day, due in an hour, due in three days, and none."""
    now = timezone.now()
    return {
        "late": with_due(
            TicketFactory(requester=member, category=capacity, subject="late"),
            now - timedelta(days=1, hours=3, minutes=5),
        ),
        "soon": with_due(
            TicketFactory(requester=member, category=capacity, subject="soon"),
            now + timedelta(hours=1, minutes=30),
        ),
        "later": with_due(
            TicketFactory(requester=member, category=capacity, subject="later"),
            now + timedelta(days=3, minutes=5),
        ),
        "none": TicketFactory(requester=member, category=capacity, subject="none"),
    }


def test_the_badge_says_how_long_until_or_since_the_due(dues):
    with translation.override("en"):
        assert due_badge(dues["late"]).text == "overdue 1 d 3 h"
        assert due_badge(dues["soon"]).text == "due in 1 h"
        assert due_badge(dues["soon"]).css == "text-bg-warning"
        assert due_badge(dues["later"]).text == "due in 3 d 0 h"
        assert due_badge(dues["none"]) is None


def test_a_ticket_waiting_for_the_member_shows_its_clock_paused(member, capacity):
    ticket = TicketFactory(requester=member, category=capacity, status=Status.INFO_REQUESTED)
    ticket = with_due(ticket, None, sla_paused_at=timezone.now())
    with translation.override("en"):
        assert due_badge(ticket).text == "paused"


def test_the_list_shows_the_due_column(client, dues, member):
    client.force_login(member)
    page = ListPage(client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    due = {dict(row)["Subject"]: dict(row)["Due"] for row in page.rows}
    assert due == {
        "late": "overdue 1 d 3 h",
        "soon": "due in 1 h",
        "later": "due in 3 d 0 h",
        "none": "",
    }


def test_the_overdue_filter_lists_only_tickets_past_their_due(client, dues, member):
    client.force_login(member)
    response = client.get("/tickets/?sla=overdue", HTTP_ACCEPT_LANGUAGE="en")
    assert listed_subjects(response) == ["late"]


def test_the_due_soon_filter_lists_tickets_due_within_two_hours(client, dues, member):
    client.force_login(member)
    response = client.get("/tickets/?sla=due_soon", HTTP_ACCEPT_LANGUAGE="en")
    assert listed_subjects(response) == ["soon"]


def test_an_unknown_sla_value_is_ignored(client, dues, member):
    client.force_login(member)
    response = client.get("/tickets/?sla=whenever", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert sorted(listed_subjects(response)) == ["late", "later", "none", "soon"]


def test_sorting_by_due_puts_the_most_urgent_first_and_none_last(client, dues, member):
    client.force_login(member)
    ascending = client.get("/tickets/?sort=due", HTTP_ACCEPT_LANGUAGE="en")
    descending = client.get("/tickets/?sort=-due", HTTP_ACCEPT_LANGUAGE="en")
    assert listed_subjects(ascending) == ["late", "soon", "later", "none"]
    assert listed_subjects(descending) == ["none", "later", "soon", "late"]


def test_paging_by_due_reaches_every_ticket_once(client, member, capacity, settings):
    settings.HELPDESK_PAGE_SIZE = 2
    now = timezone.now()
    for n in range(5):
        ticket = TicketFactory(requester=member, category=capacity, subject=f"t{n}")
        with_due(ticket, now + timedelta(hours=n % 3) if n != 4 else None)
    client.force_login(member)
    seen, url = [], "/tickets/?sort=due"
    while url:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        seen += listed_subjects(response)
        page = response.context["page"]
        url = f"/tickets/?sort=due&after={page.next_token}" if page.has_next else None
    assert sorted(seen) == ["t0", "t1", "t2", "t3", "t4"]
    assert seen[-1] == "t4"


def test_the_list_with_dues_makes_the_same_number_of_queries_for_1_and_30_tickets(
    client, member, capacity, django_assert_max_num_queries
):
    client.force_login(member)
    now = timezone.now()
    with_due(TicketFactory(requester=member, category=capacity), now)
    client.get("/tickets/")  # the process reads its categories and kinds once
    with django_assert_max_num_queries(12) as one:
        client.get("/tickets/?sort=due&sla=overdue", HTTP_ACCEPT_LANGUAGE="en")
    for n in range(29):
        with_due(TicketFactory(requester=member, category=capacity), now - timedelta(hours=n))
    with django_assert_max_num_queries(12) as thirty:
        response = client.get("/tickets/?sort=due&sla=overdue", HTTP_ACCEPT_LANGUAGE="en")
    assert len(listed_subjects(response)) == 25
    assert len(thirty.captured_queries) == len(one.captured_queries)
