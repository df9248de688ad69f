"""Sorts whose visible rows sit together in the sort's index: a member's list by
organisation, a handler's or a team's by category, a team's by subject, an open list by
resolution. Each is read at those rows (tickets/selectors.py, filters.py) and must list
exactly what the plain sort lists, page after page, in both directions."""

import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory, UserFactory
from categories.tests.factories import CategoryFactory
from tickets import selectors
from tickets.models import OPEN_STATUSES, Status, Ticket
from tickets.tests.factories import TicketFactory
from tickets.tests.test_paging import listed_ids, neighbours_in, visit

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's plans and indexes"
)


@pytest.fixture
def spread(settings, member, union_member, other_union_member, bursa_union, ankara_union):
    """Tickets in the Bursa union, two of its chambers and elsewhere; some the union's
    member filed or was given in Ankara (before a move), which they see too."""
    settings.HELPDESK_PAGE_SIZE = 3
    settings.HELPDESK_COUNT_LIMIT = 5
    zeytin = OrganisationFactory(name="Zeytin Odası", parent=bursa_union)
    aydin = UserFactory(username="zeytin", organisation=zeytin)
    for _ in range(4):
        TicketFactory(requester=member)
        TicketFactory(requester=aydin)
        TicketFactory(requester=union_member)
        TicketFactory(requester=other_union_member)
    TicketFactory(requester=union_member, organisation=ankara_union)
    TicketFactory(requester=member, organisation=ankara_union)
    TicketFactory(requester=other_union_member, assignee=union_member)
    return zeytin


def plain_order(user, *order, **filters) -> list[int]:
    return list(
        Ticket.objects.visible_to(user)
        .filter(**filters)
        .order_by(*order)
        .values_list("pk", flat=True)
    )


def walk(client, **params) -> list[int]:
    """Every page, following Next; then back to the first with Previous."""
    response, page = visit(client, "/tickets/", **params)
    pages = [listed_ids(response)]
    while "Next" in page.links:
        response, page = visit(client, "/tickets/" + page.links["Next"])
        pages.append(listed_ids(response))
    back = [listed_ids(response)]
    while "Previous" in page.links:
        response, page = visit(client, "/tickets/" + page.links["Previous"])
        back.append(listed_ids(response))
    assert back[::-1] == pages
    return [pk for ids in pages for pk in ids]


@pytest.mark.parametrize("user", ["union_member", "member"])
@pytest.mark.parametrize("direction", ["", "-"])
def test_a_members_list_by_organisation_is_the_plain_sort(client, request, spread, user, direction):
    user = request.getfixturevalue(user)
    client.force_login(user)
    key = F("organisation_key")
    key = key.desc(nulls_first=True) if direction else key.asc(nulls_last=True)
    expected = plain_order(user, key, "-pk")

    listed = walk(client, sort=f"{direction}organisation")

    assert listed == expected
    # Their own filing elsewhere is among them, and nothing else from there.
    elsewhere = Ticket.objects.filter(organisation__name="Ankara ESOB")
    assert set(listed) & set(elsewhere.values_list("pk", flat=True)) == set(
        elsewhere.filter(requester=user).values_list("pk", flat=True)
    ) | set(elsewhere.filter(assignee=user).values_list("pk", flat=True))


@pytest.mark.parametrize("direction", ["", "-"])
def test_a_members_next_and_previous_by_organisation_follow_the_plain_sort(
    spread, union_member, direction
):
    key = F("organisation_key")
    key = key.desc(nulls_first=True) if direction else key.asc(nulls_last=True)

    neighbours_in(
        union_member, plain_order(union_member, key, "-pk"), f"sort={direction}organisation"
    )


def test_a_numbered_page_by_organisation_is_the_plain_sorts(client, spread, union_member):
    client.force_login(union_member)
    expected = plain_order(union_member, F("organisation_key").asc(nulls_last=True), "-pk")

    response, _ = visit(client, "/tickets/", sort="organisation", page=3)

    assert listed_ids(response) == expected[6:9]


def test_filters_apply_to_every_part_of_a_members_list(client, spread, union_member, capacity):
    Ticket.objects.filter(requester=union_member).update(category=capacity, category_key="x")
    client.force_login(union_member)
    expected = plain_order(
        union_member, F("organisation_key").asc(nulls_last=True), "-pk", category=capacity
    )

    assert walk(client, sort="organisation", category=capacity.pk) == expected
    assert len(expected) == 5


@pytest.fixture
def team_tickets(settings, member, responsible, capacity, technical):
    """Open and resolved tickets of the responsible's category and of another, and of a
    third whose name sorts as theirs."""
    settings.HELPDESK_PAGE_SIZE = 3
    namesake = CategoryFactory(name="KAPASİTE RAPORU")
    assert namesake.pk != capacity.pk
    for _ in range(5):
        for category in (capacity, technical, namesake):
            TicketFactory(requester=member, category=category)
    resolved = TicketFactory(requester=member, category=capacity)
    Ticket.objects.filter(pk=resolved.pk).update(status=Status.RESOLVED, resolved_at=timezone.now())
    TicketFactory(requester=member, category=technical, assignee=responsible)
    resolved.refresh_from_db()
    return resolved


@pytest.mark.parametrize("direction", ["", "-"])
def test_a_teams_list_by_category_is_the_plain_sort(
    client, team_tickets, responsible, capacity, direction
):
    client.force_login(responsible)
    key = F("category_key")
    key = key.desc(nulls_first=True) if direction else key.asc(nulls_last=True)
    expected = plain_order(responsible, key, "-pk", category=capacity, status__in=OPEN_STATUSES)

    # The responsible's list opens on the open tickets of their categories.
    assert walk(client, sort=f"{direction}category") == expected
    assert len(expected) == 5


def test_a_list_by_category_with_a_category_chosen_is_the_plain_sort(
    client, team_tickets, supervisor, technical
):
    client.force_login(supervisor)
    expected = plain_order(supervisor, "category_key", "-pk", category=technical)

    assert walk(client, sort="category", category=technical.pk) == expected
    assert len(expected) == 6


@pytest.mark.parametrize("sort", ["resolved", "-resolved"])
def test_an_open_list_by_resolution_is_newest_first(client, team_tickets, responsible, sort):
    client.force_login(responsible)
    expected = plain_order(responsible, "-pk", category__in=[team_tickets.category_id])
    expected.remove(team_tickets.pk)

    assert walk(client, sort=sort) == expected


def test_a_resolved_list_by_resolution_follows_the_dates(client, team_tickets, responsible):
    earlier = TicketFactory(requester=team_tickets.requester, category=team_tickets.category)
    Ticket.objects.filter(pk=earlier.pk).update(
        status=Status.RESOLVED, resolved_at=team_tickets.resolved_at - timezone.timedelta(days=1)
    )
    client.force_login(responsible)

    assert walk(client, sort="resolved", status=Status.RESOLVED) == [earlier.pk, team_tickets.pk]


def test_an_open_ticket_cannot_hold_a_resolution(ticket):
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now())
    ticket.refresh_from_db()
    assert ticket.resolved_at is None


def page_plan(client, **params) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/tickets/", params).status_code == 200
    rows = 'SELECT "tickets_ticket"."id", "tickets_ticket"."requester_id"'
    (sql,) = [q["sql"] for q in queries if q["sql"].startswith(rows) and "ORDER BY" in q["sql"]]
    return plan_of(sql)


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        # A handful of rows: priced as the many they stand for, whose sorting would cost.
        for setting in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{setting} = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgresql
@pytest.mark.parametrize("direction", ["", "-"])
def test_each_part_of_a_members_list_by_organisation_reads_its_own_index(
    client, spread, union_member, direction
):
    client.force_login(union_member)

    plan = page_plan(client, sort=f"{direction}organisation")

    suffix = "_desc" if direction else ""
    # Either direction's name index: on a handful of rows the planner may read the
    # other one backward, sorting each name's few rows by id.
    assert re.search("Index Scan (Backward )?using ticket_org_key(_desc)? on", plan), plan
    assert "Index Cond: ((organisation_key)::text = ANY" in plan, plan
    assert re.search(f"Index (Only )?Scan using ticket_requester_org{suffix} on", plan), plan


@on_postgresql
def test_a_teams_list_by_category_reads_the_index_at_its_names(client, team_tickets, responsible):
    client.force_login(responsible)

    plan = page_plan(client, sort="category")

    # One name: the ids' order, newest first, read from the names' index at that name
    # (either direction's) or from the index of the category's open tickets.
    at_name = re.search("Index Scan using ticket_cat_key(_desc)? on", plan) and (
        "Index Cond: ((category_key)::text = 'kapasite raporu'" in plan
    )
    assert at_name or "Index Scan using ticket_open_category on" in plan, plan
    assert "Sort" not in plan, plan


@on_postgresql
def test_postgresql_knows_the_kept_names_follow_their_ids(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT stxname FROM pg_statistic_ext ORDER BY 1")
        names = [row[0] for row in cursor.fetchall()]
    assert {"ticket_organisation_key", "ticket_category_key"} <= set(names)


@pytest.fixture
def two_teams(team_tickets, responsible, technical):
    technical.responsibles.add(responsible)
    for n in range(4):
        TicketFactory(requester=team_tickets.requester, category=technical, subject=f"A {n}")
    return responsible


@pytest.mark.parametrize("direction", ["", "-"])
def test_a_list_of_several_teams_by_subject_is_the_plain_sort(client, two_teams, direction):
    client.force_login(two_teams)
    key = F("subject").desc() if direction else F("subject").asc()
    # Not the namesake category's: the team does not see them.
    expected = plain_order(two_teams, key, "-pk", status__in=OPEN_STATUSES)

    assert walk(client, sort=f"{direction}subject") == expected
    assert len(expected) == 5 + 5 + 1 + 4


@on_postgresql
@pytest.mark.parametrize("direction", ["", "-"])
def test_a_teams_list_by_subject_reads_each_categorys_index(client, two_teams, direction):
    client.force_login(two_teams)

    plan = page_plan(client, sort=f"{direction}subject")

    suffix = "_desc" if direction else ""
    assert len(re.findall(f"Index Scan using ticket_cat_subject{suffix} on", plan)) == 2, plan


@on_postgresql
def test_a_teams_list_of_one_category_by_subject_reads_its_index(client, team_tickets, responsible):
    client.force_login(responsible)

    plan = page_plan(client, sort="subject")

    assert "Index Scan using ticket_cat_subject on" in plan, plan
    assert "UNION" not in plan and "Append" not in plan, plan


@pytest.mark.parametrize("direction", ["", "-"])
def test_a_handlers_whole_list_by_category_is_the_plain_sort(
    client, team_tickets, responsible, technical, direction
):
    TicketFactory(requester=responsible, category=technical)
    client.force_login(responsible)
    key = F("category_key")
    key = key.desc(nulls_first=True) if direction else key.asc(nulls_last=True)
    expected = plain_order(responsible, key, "-pk")

    # status= (all): not the team's open tickets the list opens on.
    assert walk(client, sort=f"{direction}category", status="") == expected
    # The team's five open and one resolved, one given to them and one they filed.
    assert len(expected) == 5 + 1 + 1 + 1


@pytest.mark.parametrize("direction", ["", "-"])
def test_a_teams_next_and_previous_by_category_follow_the_plain_sort(
    team_tickets, responsible, capacity, direction
):
    key = F("category_key")
    key = key.desc(nulls_first=True) if direction else key.asc(nulls_last=True)
    expected = plain_order(responsible, key, "-pk", category=capacity, status__in=OPEN_STATUSES)

    neighbours_in(responsible, expected, f"sort={direction}category")


@on_postgresql
@pytest.mark.parametrize("listing", ["sort=category", "sort=category&status=", "sort=-category"])
def test_next_and_previous_in_one_categorys_tickets_read_no_other_name(
    team_tickets, responsible, listing
):
    # PostgreSQL does not see that `category_key = 'x' AND category_key < 'x'` holds
    # nothing, and may read the whole table looking: no such range is asked for.
    ticket = Ticket.objects.filter(category=team_tickets.category).order_by("pk")[2]

    with CaptureQueriesContext(connection) as queries:
        selectors.list_neighbours(responsible, ticket, listing)

    (sql,) = [query["sql"] for query in queries if 'AS "previous"' in query["sql"]]
    for branch in sql.split("UNION ALL"):
        where = branch.split("ORDER BY")[0]
        if '"category_key" IN (' in where:  # the team's part, at their one name
            assert re.search('"category_key" [<>]', where) is None, where


@pytest.mark.parametrize("direction", ["", "-"])
def test_a_handlers_next_and_previous_in_their_whole_list_by_category_follow_the_plain_sort(
    team_tickets, responsible, technical, direction
):
    TicketFactory(requester=responsible, category=technical)
    key = F("category_key")
    key = key.desc(nulls_first=True) if direction else key.asc(nulls_last=True)

    neighbours_in(
        responsible, plain_order(responsible, key, "-pk"), f"status=&sort={direction}category"
    )


@on_postgresql
@pytest.mark.parametrize("direction", ["", "-"])
def test_each_part_of_a_handlers_whole_list_by_category_reads_its_own_index(
    client, team_tickets, responsible, direction
):
    client.force_login(responsible)

    plan = page_plan(client, sort=f"{direction}category", status="")

    suffix = "_desc" if direction else ""
    assert re.search("Index Scan using ticket_cat_key(_desc)? on", plan), plan
    assert "Index Cond: ((category_key)::text = 'kapasite raporu'" in plan, plan
    assert re.search(f"Index (Only )?Scan using ticket_assignee_cat{suffix} on", plan), plan
