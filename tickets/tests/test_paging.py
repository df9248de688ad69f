"""Paging the list past its count bound: every ticket reachable, a missing page said so."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from tickets import selectors
from tickets.filters import TicketFilter
from tickets.models import Priority, Status, Ticket
from tickets.tests.factories import TicketFactory
from tickets.tests.test_columns import ListPage

# The default order, then every sort the list offers: a new sort is paged here too.
SORTS = ["", *TicketFilter.base_filters["sort"].param_map]
STATUSES = [Status.WAITING, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]


@pytest.fixture
def many(settings, member, union_member, other_union_member, capacity, technical, responsible):
    """40 tickets whose sort values repeat and are often empty (unread, unassigned)."""
    settings.HELPDESK_COUNT_LIMIT = 10
    settings.HELPDESK_PAGE_SIZE = 3
    start = timezone.now() - datetime.timedelta(days=10)
    requesters = [member, union_member, other_union_member]
    priorities = [Priority.LOW, Priority.MEDIUM, Priority.HIGH]
    for n in range(40):
        ticket = TicketFactory(
            requester=requesters[n % 3],
            category=(capacity, technical)[n % 2],
            priority=priorities[n % 3],
            subject=f"Subject {n % 5}",
            status=STATUSES[n % 4],
            assignee=responsible if n % 3 == 0 else None,
        )
        # Groups of four share a creation time; some were read or resolved at once.
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=start + datetime.timedelta(hours=n // 4),
            read_at=start + datetime.timedelta(days=n % 2) if n % 3 else None,
            resolved_at=start + datetime.timedelta(days=5) if n % 4 >= 2 else None,
        )
    return Ticket.objects.count()


def listed_ids(response) -> list[int]:
    return [ticket.pk for ticket in response.context["page"].object_list]


def visit(client, url, **params):
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response, ListPage(response.content.decode())


def whole_list(client, settings, sort) -> list[int]:
    settings.HELPDESK_PAGE_SIZE = 100
    ids = listed_ids(client.get("/tickets/", {"sort": sort} if sort else {}))
    settings.HELPDESK_PAGE_SIZE = 3
    return ids


@pytest.mark.parametrize("direction", ["", "-"])
@pytest.mark.parametrize("key", SORTS)
def test_following_next_reaches_every_ticket_once_in_the_lists_order(
    client, settings, supervisor, many, key, direction
):
    if direction and not key:
        pytest.skip("the default order has no other direction")
    sort = direction + key
    client.force_login(supervisor)
    expected = whole_list(client, settings, sort)

    seen, pages = [], []
    response, page = visit(client, "/tickets/", **({"sort": sort} if sort else {}))
    while True:
        seen += listed_ids(response)
        pages.append(listed_ids(response))
        if "Next" not in page.links:
            break
        response, page = visit(client, "/tickets/" + page.links["Next"])

    assert len(expected) == many == 40
    assert seen == expected
    # And back again with Previous, page by page.
    back = [listed_ids(response)]
    while "Previous" in page.links:
        response, page = visit(client, "/tickets/" + page.links["Previous"])
        back.append(listed_ids(response))
    assert back[::-1] == pages


def neighbours_in(user, expected: list[int], listing: str) -> None:
    """Each ticket's Previous and Next, as its page would link them from `listing`, are
    the tickets either side of it in `expected`."""
    around = [None, *expected, None]
    for before, pk, after in zip(around[:-2], expected, around[2:], strict=True):
        sides = selectors.list_neighbours(user, Ticket.objects.get(pk=pk), listing)
        assert (sides["previous"], sides["next"]) == (before, after), pk


@pytest.mark.parametrize("direction", ["", "-"])
@pytest.mark.parametrize("key", SORTS)
def test_each_tickets_next_and_previous_are_its_neighbours_in_the_list(
    settings, supervisor, many, key, direction
):
    if direction and not key:
        pytest.skip("the default order has no other direction")
    listing = f"sort={direction}{key}" if key else ""
    settings.HELPDESK_PAGE_SIZE = 100
    listed = selectors.ticket_list(supervisor, QueryDict(listing))[1].object_list

    assert len(listed) == many
    neighbours_in(supervisor, [ticket.pk for ticket in listed], listing)


def test_a_page_past_the_count_bound_shows_its_own_rows(client, settings, supervisor, many):
    client.force_login(supervisor)
    expected = whole_list(client, settings, "")

    response, page = visit(client, "/tickets/", page=12)

    assert listed_ids(response) == expected[33:36]
    assert "Page 12 of more than 3" in response.content.decode()
    following, _ = visit(client, "/tickets/" + page.links["Next"])
    assert listed_ids(following) == expected[36:39]
    assert "Page 13 of more than 3" in following.content.decode()


def test_the_last_page_offers_no_next(client, settings, supervisor, many):
    client.force_login(supervisor)
    expected = whole_list(client, settings, "")

    response, page = visit(client, "/tickets/", page=14)

    assert listed_ids(response) == expected[39:]
    assert "Next" not in page.links
    assert "Previous" in page.links


@pytest.mark.parametrize("params", [{"page": "15"}, {"page": "200"}, {"page": "9" * 30}])
def test_a_page_past_the_end_says_so_and_links_to_the_first(client, supervisor, many, params):
    client.force_login(supervisor)

    response, page = visit(client, "/tickets/", **params, sort="subject")

    assert listed_ids(response) == []
    assert "There are no tickets on this page" in response.content.decode()
    assert page.links["Go to the first page"] == "?sort=subject"


@pytest.mark.parametrize("token", ["garbage", "", "eyJrIjpbXX0:1xYtGO:forged"])
def test_a_forged_page_link_says_so(client, supervisor, many, token):
    client.force_login(supervisor)

    response, _ = visit(client, "/tickets/", after=token or "x", sort="subject")

    assert listed_ids(response) == []
    assert "There are no tickets on this page" in response.content.decode()


def test_a_next_link_of_another_sort_is_not_followed(client, supervisor, many):
    client.force_login(supervisor)
    _, page = visit(client, "/tickets/", sort="subject")

    response, _ = visit(client, "/tickets/" + page.links["Next"].replace("subject", "-id"))

    assert listed_ids(response) == []
    assert "There are no tickets on this page" in response.content.decode()


def test_a_next_link_whose_row_is_gone_says_so(client, supervisor, many):
    client.force_login(supervisor)
    response, page = visit(client, "/tickets/")
    Ticket.objects.filter(pk=listed_ids(response)[-1]).delete()

    response, _ = visit(client, "/tickets/" + page.links["Next"])

    assert listed_ids(response) == []
    assert "There are no tickets on this page" in response.content.decode()


def test_a_next_page_makes_the_same_number_of_queries_for_few_and_many_tickets(
    client, settings, supervisor, member, capacity, django_assert_max_num_queries
):
    settings.HELPDESK_PAGE_SIZE = 3
    TicketFactory.create_batch(4, requester=member, category=capacity)
    client.force_login(supervisor)
    _, page = visit(client, "/tickets/")
    with django_assert_max_num_queries(12) as few:
        client.get("/tickets/" + page.links["Next"])
    TicketFactory.create_batch(40, requester=member, category=capacity)
    _, page = visit(client, "/tickets/", page=5)
    with django_assert_max_num_queries(12) as many:
        response = client.get("/tickets/" + page.links["Next"])

    assert len(listed_ids(response)) == 3
    assert len(many.captured_queries) == len(few.captured_queries)
