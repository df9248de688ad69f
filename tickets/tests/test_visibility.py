"""Who sees which ticket: `Ticket.objects.visible_to(user)` and the 404 rule."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tickets import querysets, services
from tickets.models import Ticket
from tickets.records import ParentKind, ParentRecord

SEES = ["member", "chamber_colleague", "union_member", "responsible", "supervisor"]
DOES_NOT_SEE = ["other_union_member", "other_responsible"]


@pytest.mark.parametrize("role", SEES)
def test_the_ticket_is_listed_and_opens_for(role, request, client, ticket):
    user = request.getfixturevalue(role)
    client.force_login(user)

    assert list(Ticket.objects.visible_to(user)) == [ticket]
    assert f'href="/tickets/{ticket.pk}/"' in client.get("/tickets/").content.decode()
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 200


@pytest.mark.parametrize("role", DOES_NOT_SEE)
def test_the_ticket_is_hidden_and_404_for(role, request, client, ticket):
    user = request.getfixturevalue(role)
    client.force_login(user)

    assert not Ticket.objects.visible_to(user).exists()
    assert f'href="/tickets/{ticket.pk}/"' not in client.get("/tickets/").content.decode()
    for url in [
        f"/tickets/{ticket.pk}/",
        f"/tickets/{ticket.pk}/documents/",
    ]:
        assert client.get(url).status_code == 404
    response = client.post(f"/tickets/{ticket.pk}/resolve/", {"explanation": "x"})
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == "waiting"


def test_seeing_follows_the_tree_down_never_up_or_sideways(
    file, member, union_member, other_union_member, capacity
):
    union_ticket = file(by=union_member, subject="Birlik sorunu")
    chamber_ticket = file(by=member)

    assert set(Ticket.objects.visible_to(union_member)) == {union_ticket, chamber_ticket}
    assert set(Ticket.objects.visible_to(member)) == {chamber_ticket}
    assert set(Ticket.objects.visible_to(other_union_member)) == set()


def test_a_responsible_sees_a_ticket_assigned_to_them_outside_their_categories(
    ticket, other_responsible
):
    Ticket.objects.filter(pk=ticket.pk).update(assignee=other_responsible)

    assert list(Ticket.objects.visible_to(other_responsible)) == [ticket]


def test_a_responsible_does_not_see_their_organisations_tickets_by_organisation(
    file, tesk, responsible, technical
):
    tesk_member = UserFactory(organisation=tesk)
    file(by=tesk_member, category=technical, subject="TESK'in kendi sorunu")

    assert not Ticket.objects.visible_to(responsible).exists()


def test_inactive_and_anonymous_users_see_nothing(ticket, member, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    member.is_active = False
    assert not Ticket.objects.visible_to(member).exists()
    assert not Ticket.objects.visible_to(AnonymousUser()).exists()


def test_an_organisation_moved_under_another_takes_its_subtree_along(
    file, member, inegol_chamber, ankara_union, other_union_member, union_member
):
    ticket = file(by=member)
    inegol_chamber.parent = ankara_union
    inegol_chamber.save()

    assert list(Ticket.objects.visible_to(other_union_member)) == [ticket]
    assert not Ticket.objects.visible_to(union_member).exists()


@pytest.mark.parametrize("role", ["member", "union_member", "responsible", "supervisor"])
def test_visibility_costs_the_same_few_queries_whatever_the_tickets(
    role, request, django_assert_max_num_queries, file, member
):
    role_user = request.getfixturevalue(role)
    user = type(role_user).objects.get(pk=role_user.pk)
    with django_assert_max_num_queries(4) as few:
        list(Ticket.objects.visible_to(user))
    for _ in range(5):
        file(by=member)
    user = type(role_user).objects.get(pk=role_user.pk)
    with django_assert_max_num_queries(4) as more:
        assert len(Ticket.objects.visible_to(user)) == 5

    assert len(more.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("who", ["member", "supervisor"])
def test_ids_that_do_not_exist_or_are_not_numbers_are_404(client, request, who):
    # A supervisor's ticket is read by a query compiled once (common/prepared.py).
    client.force_login(request.getfixturevalue(who))

    assert client.get("/tickets/999999/").status_code == 404
    assert client.get("/tickets/abc/").status_code == 404
    assert client.get("/tickets/99999999999999999999999/").status_code == 404
    assert client.get("/attachments/99999999999999999999999/").status_code == 404


def test_the_union_reads_its_chambers_ticket_but_may_not_resolve_it(client, ticket, union_member):
    client.force_login(union_member)

    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    response = client.post(f"/tickets/{ticket.pk}/resolve/", {"explanation": "Bitti"})

    assert f'action="/tickets/{ticket.pk}/resolve/"' not in page
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "waiting"


def test_a_member_may_not_resolve_even_their_own_ticket(client, ticket, member):
    client.force_login(member)

    response = client.post(f"/tickets/{ticket.pk}/resolve/", {"explanation": "Bitti"})

    assert response.status_code == 403
    assert not ticket.events.filter(kind="resolved").exists()


def test_a_supervisor_may_resolve_any_ticket(ticket, supervisor):
    services.resolve(ticket, by=supervisor, explanation="Tamam")

    ticket.refresh_from_db()
    assert ticket.status == "resolved"


# -- scope: the role says what a user sees by standing, teams say what they handle ----


def test_staff_off_every_team_see_nothing_of_their_organisations_subtree(
    client, file, tesk, member
):
    """The confederation's subtree is every ticket: staff see by team, never by standing."""
    from accounts.models import Role

    ticket = file(by=member)
    between_teams = UserFactory(username="yeni_sorumlu", organisation=tesk, role=Role.STAFF)
    client.force_login(between_teams)

    assert not Ticket.objects.visible_to(between_teams).exists()
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 404


def test_a_member_on_a_categorys_team_keeps_their_organisations_tickets(
    client, file, member, chamber_colleague, capacity, technical
):
    """A chamber clerk who also handles a category: both scopes, and still their side."""
    own = file(by=chamber_colleague, category=technical)
    capacity.responsibles.add(member)
    handled = file(by=UserFactory(), category=capacity)
    services.resolve(own, by=UserFactory(role="supervisor"), explanation="Tamam.")
    client.force_login(member)

    assert set(Ticket.objects.visible_to(member)) == {own, handled}
    response = client.post(f"/tickets/{own.pk}/close/")
    own.refresh_from_db()
    assert (response.status_code, own.status) == (302, "closed")


ROLES = SEES + DOES_NOT_SEE


@pytest.fixture
def spread(file, member, union_member, other_union_member, capacity, technical, responsible):
    """Tickets of both teams' categories, filed by three organisations, one of the other
    category's assigned to the capacity responsible."""
    tickets = [
        file(by=by, category=category, subject=f"{by.username} {category.pk}")
        for by in (member, union_member, other_union_member)
        for category in (capacity, technical)
    ]
    Ticket.objects.filter(pk=tickets[1].pk).update(assignee=responsible)
    return tickets


@pytest.mark.parametrize("role", ROLES)
def test_narrowing_to_a_category_sees_what_the_rule_sees_of_it(
    role, request, spread, capacity, technical
):
    user = request.getfixturevalue(role)

    for category in (capacity, technical):
        narrowed = Ticket.objects.visible_to(user, categories=[category.pk])
        assert set(narrowed) == set(Ticket.objects.visible_to(user).filter(category=category))


def test_a_category_of_ones_team_is_read_without_the_rule(responsible, capacity):
    query = str(Ticket.objects.visible_to(responsible, categories=[capacity.pk]).query)
    condition = query.split(" WHERE ")[1]

    assert " OR " not in condition
    assert "requester_id" not in condition


def test_another_teams_category_in_the_list_shows_only_what_one_was_assigned(
    client, spread, responsible, capacity, technical
):
    client.force_login(responsible)

    theirs = client.get("/tickets/", {"category": technical.pk})
    ours = client.get("/tickets/", {"category": capacity.pk})

    assert [t.pk for t in theirs.context["page"].object_list] == [spread[1].pk]
    assert {t.pk for t in ours.context["page"].object_list} == {
        t.pk for t in spread if t.category_id == capacity.pk
    }


# A ticket's page decides from the row it read (querysets.shows), by the same rule


def _row(pk):
    """The ticket as the page reads it: a fresh row, no cached relations."""
    return Ticket.objects.get(pk=pk)


@pytest.fixture
def staff_member(tesk):
    return UserFactory(username="yeni_sorumlu", organisation=tesk, role=Role.STAFF)


@pytest.fixture
def member_on_a_team(chamber_colleague, technical):
    technical.responsibles.add(chamber_colleague)
    return chamber_colleague


@pytest.mark.parametrize("role", [*ROLES, "staff_member", "member_on_a_team"])
def test_the_page_decides_as_the_rule_without_a_query(
    role, request, spread, django_assert_num_queries
):
    user = request.getfixturevalue(role)
    rows = [_row(t.pk) for t in spread]
    by_rule = {t.pk: Ticket.objects.visible_to(user).filter(pk=t.pk).exists() for t in rows}
    querysets.visibility_parts(user)  # the user's facts, read once for the request

    with django_assert_num_queries(0):
        shown = {t.pk: querysets.shows(user, t) for t in rows}

    assert shown == by_rule
    assert True in shown.values() or role == "staff_member"


def test_a_reviewer_is_shown_the_requests_of_the_cases_they_referred(
    db, spread, member, responsible
):
    case = ParentRecord.objects.create(
        kind=ParentKind.CASE,
        number="1402-1",
        title="A case",
        organisation=member.organisation,
        authority="A court",
        reviewer=responsible,
    )
    Ticket.objects.filter(pk=spread[3].pk).update(parent=case)  # another team's, unassigned

    assert querysets.shows(responsible, _row(spread[3].pk))
    assert not querysets.shows(responsible, _row(spread[5].pk))


def test_inactive_and_signed_out_users_are_shown_nothing(spread, member):
    member.is_active = False

    assert not querysets.shows(member, _row(spread[0].pk))
    assert not querysets.shows(AnonymousUser(), _row(spread[0].pk))


def test_a_part_of_another_shape_is_asked_of_the_database(
    spread, member, other_union_member, monkeypatch, django_assert_num_queries
):
    # Not a column compared with values: decided by the query, as visible_to would.
    by_organisation = Q(requester__organisation=other_union_member.organisation)
    monkeypatch.setattr(querysets, "visibility_parts", lambda user: {"other": by_organisation})
    theirs, ours = _row(spread[4].pk), _row(spread[0].pk)

    with django_assert_num_queries(2):
        assert querysets.shows(member, theirs)
        assert not querysets.shows(member, ours)
