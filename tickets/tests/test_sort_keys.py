"""Sorting by organisation and by category reads a copy of the name kept on the ticket
(an index serves it, where a join would sort the whole table); the copy follows the
name wherever it changes."""

from accounts.models import OrganisationKind
from accounts.tests.factories import OrganisationFactory, UserFactory
from categories.tests.factories import CategoryFactory
from tickets import services
from tickets.models import Ticket, TicketKind
from tickets.tests.factories import TicketFactory


def listed_ids(response) -> list[int]:
    return [ticket.pk for ticket in response.context["page"].object_list]


def test_sorting_by_organisation_follows_the_names(client, supervisor, tesk, capacity):
    zeytin = OrganisationFactory(name="Zeytinciler Odası", kind=OrganisationKind.CHAMBER)
    ayakkabi = OrganisationFactory(name="ayakkabıcılar Odası", kind=OrganisationKind.CHAMBER)
    late = services.file_ticket(
        by=UserFactory(organisation=zeytin),
        category=capacity,
        kind=TicketKind.objects.get(code="problem"),
        priority="medium",
        subject="Z",
        description="...",
    ).ticket
    early = TicketFactory(requester=UserFactory(organisation=ayakkabi), category=capacity)
    client.force_login(supervisor)

    assert listed_ids(client.get("/tickets/", {"sort": "organisation"})) == [early.pk, late.pk]
    assert listed_ids(client.get("/tickets/", {"sort": "-organisation"})) == [late.pk, early.pk]

    zeytin.name = "Ahşap Odası"
    zeytin.save()

    assert listed_ids(client.get("/tickets/", {"sort": "organisation"})) == [late.pk, early.pk]
    assert Ticket.objects.get(pk=late.pk).organisation_key == "ahsap odasi"


def test_sorting_by_category_follows_redirects_and_renames(
    client, supervisor, member, capacity, responsible
):
    technical = CategoryFactory(name="Teknik")
    first = TicketFactory(requester=member, category=technical)
    second = TicketFactory(requester=member, category=capacity)
    client.force_login(supervisor)

    assert listed_ids(client.get("/tickets/", {"sort": "category"})) == [second.pk, first.pk]

    services.redirect_to_category(second, by=responsible, category=technical, body="")
    capacity.name = "Aidat"
    capacity.save()
    third = TicketFactory(requester=member, category=capacity)

    assert listed_ids(client.get("/tickets/", {"sort": "category"})) == [
        third.pk,
        second.pk,
        first.pk,
    ]


def test_sorting_by_assignee_follows_assignments_and_renames(
    client, supervisor, member, capacity, responsible
):
    # given: one ticket assigned to each of two responsibles, one to nobody
    ahmet = UserFactory(username="ahmet", organisation=supervisor.organisation)
    capacity.responsibles.add(ahmet)
    to_kapasite, to_ahmet, to_nobody = (
        TicketFactory(requester=member, category=capacity) for _ in range(3)
    )
    services.assign(to_kapasite, by=supervisor, assignee=responsible)
    services.assign(to_ahmet, by=supervisor, assignee=ahmet)
    client.force_login(supervisor)

    # then: by username, the unassigned last ascending and first descending (as NULLs)
    ascending = [to_ahmet.pk, to_kapasite.pk, to_nobody.pk]
    assert listed_ids(client.get("/tickets/", {"sort": "assignee"})) == ascending
    assert listed_ids(client.get("/tickets/", {"sort": "-assignee"})) == ascending[::-1]

    # when: a username changes, and a ticket goes to another responsible
    responsible.username = "aaa"
    responsible.save()
    services.assign(to_ahmet, by=supervisor, assignee=responsible)

    # then
    copies = Ticket.objects.filter(pk__in=ascending).order_by("pk")
    assert list(copies.values_list("assignee_key", flat=True)) == ["aaa", "aaa", None]
    assert listed_ids(client.get("/tickets/", {"sort": "assignee"})) == [
        to_ahmet.pk,
        to_kapasite.pk,
        to_nobody.pk,
    ]


def test_a_redirect_that_lets_the_assignee_go_clears_the_copy(
    member, capacity, responsible, supervisor
):
    technical = CategoryFactory(name="Teknik")
    ticket = TicketFactory(requester=member, category=capacity)
    services.assign(ticket, by=supervisor, assignee=responsible)

    services.redirect_to_category(ticket, by=responsible, category=technical, body="")

    assert Ticket.objects.get(pk=ticket.pk).assignee_key is None


def test_a_sign_in_does_not_rewrite_the_copies(django_assert_num_queries, responsible):
    # A save of other fields (a sign-in's last_login) leaves the tickets alone.
    with django_assert_num_queries(1):
        responsible.save(update_fields=["last_login"])
