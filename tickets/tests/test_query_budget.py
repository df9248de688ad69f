"""Every main page answers in at most BUDGET queries, for each role, with 3 tickets as
with 30: a query per row or per panel would break it."""

import pytest

from tickets import relations, services
from tickets.models import CustomField, SavedSearch
from tickets.records import FieldType

BUDGET = 12
PAGES = {
    "list": "/tickets/",
    "view": "/tickets/?view=open",
    "saved search": "/tickets/?priority=high",
    "ticket": "/tickets/{ticket}/",
    "closed ticket": "/tickets/{closed}/",
    # Opened from the list: next and previous in that list's order.
    "ticket from the list": "/tickets/{ticket}/?list=status%3Dopen",
    "ticket from a sorted list": "/tickets/{ticket}/?list=priority%3Dmedium%26sort%3Dassignee",
    # Opened from a text search: ranked by how well each ticket matches on PostgreSQL.
    "ticket from a search": "/tickets/{ticket}/?list=q%3Dkodlar%C4%B1",
    "new": "/tickets/new/",
    "dashboard": "/dashboard/",
}


@pytest.fixture
def desk(file, member, responsible, supervisor, capacity):
    """Tickets with what the pages show: replies, followers, a related ticket, custom
    values, a closed one (its survey), saved searches."""
    CustomField.objects.create(category=capacity, key="serial", type=FieldType.TEXT, label="S")

    def grow(count):
        tickets = [file(subject=f"T{n}", custom={"serial": f"S{n}"}) for n in range(count)]
        return tickets

    first, second, closed = grow(3)
    services.reply(first, by=responsible, body="On it")
    services.reply(first, by=member, body="Thanks")
    relations.follow(first, by=member)
    relations.follow(first, by=responsible)
    relations.link(first, by=responsible, other=second)
    services.resolve(closed, by=responsible, explanation="Done")
    services.close(closed, by=member)
    for user in (member, responsible, supervisor):
        SavedSearch.objects.create(owner=user, name="High", query="priority=high")
    return {"ticket": first.pk, "closed": closed.pk, "grow": grow}


@pytest.mark.parametrize("screen", PAGES)
@pytest.mark.parametrize("role", ["member", "union_member", "responsible", "supervisor"])
def test_a_page_costs_at_most_the_budget_with_3_tickets_as_with_30(
    role, screen, request, client, desk, settings, django_assert_max_num_queries
):
    settings.HELPDESK_DASHBOARD_CACHE_SECONDS = 300
    client.force_login(request.getfixturevalue(role))
    url = PAGES[screen].format(**desk)
    client.get(url)  # the read event, the presence stamp and the figures settle first
    with django_assert_max_num_queries(BUDGET) as few:
        assert client.get(url).status_code == 200
    spent = len(few.captured_queries)  # now: the connection's log keeps the latest only
    desk["grow"](27)
    client.get(url)

    with django_assert_max_num_queries(spent):
        assert client.get(url).status_code == 200
