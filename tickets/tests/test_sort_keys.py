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
