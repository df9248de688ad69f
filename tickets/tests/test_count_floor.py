"""The list's count by its floor: what the rule shows by one part, counted first."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from tickets.models import Status
from tickets.tests.factories import TicketFactory

LIMIT = 5  # HELPDESK_COUNT_LIMIT here: a count reads up to 6 rows


@pytest.fixture(params=[0, 10], ids=["counted", "kept"])
def small_limit(request, settings):
    """The count's limit made small, the count kept for a user or not."""
    settings.HELPDESK_COUNT_LIMIT = LIMIT
    settings.HELPDESK_PAGE_SIZE = 1
    settings.HELPDESK_VIEW_COUNTS_SECONDS = request.param


def the_count(client, user, **params) -> int:
    client.force_login(user)
    response = client.get("/tickets/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.context["page"].count


def test_a_member_whose_organisation_holds_more_than_the_limit_sees_it_capped(
    client, small_limit, member, chamber_colleague
):
    TicketFactory.create_batch(LIMIT + 3, requester=chamber_colleague)

    client.force_login(member)
    response = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["page"].is_capped
    # The limit, whether the count read one row past it or (kept) 20 more.
    assert f"More than {LIMIT} tickets" in response.content.decode()
    assert f"Page 1 of more than {LIMIT}" in response.content.decode()


@pytest.mark.parametrize("elsewhere", [1, 2, 3])
def test_what_the_member_sees_by_the_rules_other_parts_is_counted_too(
    client, small_limit, member, chamber_colleague, ankara_union, other_union_member, elsewhere
):
    # Three of the chamber's tickets (under the limit), and some the member filed for
    # another organisation: seen as theirs, not as their organisation's. And more than
    # the limit of that other organisation's own, which the member does not see.
    TicketFactory.create_batch(3, requester=chamber_colleague)
    TicketFactory.create_batch(elsewhere, requester=member, organisation=ankara_union)
    TicketFactory.create_batch(LIMIT + 25, requester=other_union_member)

    # 4 and 5 exactly; 6 is past the limit, read as the 6 rows a count stops at.
    assert the_count(client, member) == 3 + elsewhere


def test_a_handlers_whole_list_counts_their_teams_and_their_own(
    client, small_limit, responsible, capacity, technical, member
):
    TicketFactory.create_batch(2, requester=member, category=capacity)
    TicketFactory(requester=member, category=technical, assignee=responsible)
    TicketFactory(requester=member, category=technical)  # not theirs to see

    assert the_count(client, responsible, team="") == 3


def test_a_narrowed_list_counts_what_it_keeps(
    client, small_limit, member, chamber_colleague, ankara_union
):
    TicketFactory.create_batch(LIMIT + 3, requester=chamber_colleague)
    TicketFactory(requester=member, organisation=ankara_union, status=Status.RESOLVED)
    TicketFactory(requester=chamber_colleague, status=Status.RESOLVED)

    assert the_count(client, member, status=Status.RESOLVED) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_a_floor_past_the_limit_spares_reading_the_whole_rule(
    client, small_limit, member, chamber_colleague, ankara_union
):
    # Past the limit even as a kept count reads it (20 rows more).
    TicketFactory.create_batch(LIMIT + 25, requester=chamber_colleague)
    TicketFactory(requester=member, organisation=ankara_union)
    client.force_login(member)

    with CaptureQueriesContext(connection) as queries:
        client.get("/tickets/")

    # The list's count reads up to LIMIT + 1 rows (20 more when kept): what of its plan ran.
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(*)" in q["sql"] and "tickets_ticket" in q["sql"] and "LIMIT 120" not in q["sql"]
    ]
    assert len(counts) == 1
    ran = executed_conditions(counts[0])
    assert any("organisation_id" in condition for condition in ran)
    assert not any("requester_id" in condition for condition in ran), ran


def executed_conditions(sql: str) -> list[str]:
    """Every condition and filter of the nodes of `sql`'s plan that ran."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found, nodes = [], [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if node.get("Actual Loops", 0) > 0:
            found += [str(v) for k, v in node.items() if k.endswith("Cond") or k == "Filter"]
            nodes += node.get("Plans", [])
    return found


def test_a_member_of_no_organisation_is_counted_by_what_they_filed(client, small_limit, member):
    loner = UserFactory(username="loner", organisation=None)
    TicketFactory.create_batch(2, requester=loner, organisation=member.organisation)
    TicketFactory(requester=member)

    assert the_count(client, loner) == 2


def test_a_refused_filter_value_is_counted_as_the_list_shows_it(
    client, small_limit, settings, member, chamber_colleague, ankara_union
):
    TicketFactory.create_batch(2, requester=chamber_colleague)
    TicketFactory(requester=member, organisation=ankara_union)
    client.force_login(member)
    settings.HELPDESK_PAGE_SIZE = 10

    response = client.get("/tickets/", {"status": "no-such-status"}, HTTP_ACCEPT_LANGUAGE="en")

    page = response.context["page"]
    assert page.count == len(page.object_list)
