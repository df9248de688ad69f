"""The list's organisation filter: a name typed (with suggestions as one types, from
/tickets/organisations/) or an id, never a select holding every organisation."""

import pytest

from accounts.models import OrganisationKind
from accounts.tests.factories import OrganisationFactory, UserFactory
from tickets.tests.factories import TicketFactory


def listed_ids(response) -> list[int]:
    return [ticket.pk for ticket in response.context["page"].object_list]


@pytest.fixture
def tickets_by_place(member, bursa_union, capacity):
    """A ticket of the İnegöl chamber (the member's) and one of the Bursa union."""
    union_member = UserFactory(organisation=bursa_union)
    return {
        "inegol": TicketFactory(requester=member, category=capacity),
        "bursa": TicketFactory(requester=union_member, category=capacity),
    }


@pytest.mark.parametrize("typed", ["İnegöl Marangozlar Odası", "inegöl", "INEGOL", "marangoz"])
def test_a_typed_name_lists_that_organisations_tickets(client, supervisor, tickets_by_place, typed):
    client.force_login(supervisor)

    response = client.get("/tickets/", {"organisation": typed})

    assert listed_ids(response) == [tickets_by_place["inegol"].pk]


def test_a_whole_name_means_that_organisation_only(
    client, supervisor, tickets_by_place, bursa_union
):
    """ "Bursa ESOB" is also part of another union's name; the whole name wins."""
    longer = OrganisationFactory(name="Bursa ESOB Gençlik", kind=OrganisationKind.UNION)
    TicketFactory(requester=UserFactory(organisation=longer))
    client.force_login(supervisor)

    response = client.get("/tickets/", {"organisation": "bursa esob"})

    assert listed_ids(response) == [tickets_by_place["bursa"].pk]


def test_a_chosen_id_shows_its_name_in_the_field(client, supervisor, inegol_chamber):
    client.force_login(supervisor)

    page = client.get("/tickets/", {"organisation": inegol_chamber.pk}).content.decode()

    assert 'value="İnegöl Marangozlar Odası"' in page


def test_a_name_matching_nothing_lists_nothing(client, supervisor, tickets_by_place):
    client.force_login(supervisor)

    assert listed_ids(client.get("/tickets/", {"organisation": "Van"})) == []


def test_a_name_outside_the_members_scope_lists_nothing(client, member, tickets_by_place):
    client.force_login(member)

    assert listed_ids(client.get("/tickets/", {"organisation": "Bursa ESOB"})) == []


def test_the_list_does_not_render_every_organisation(
    client, supervisor, tesk, django_assert_max_num_queries
):
    for n in range(40):
        OrganisationFactory(name=f"Oda {n:03}", kind=OrganisationKind.CHAMBER, parent=tesk)
    client.force_login(supervisor)

    page = client.get("/tickets/").content.decode()

    assert "Oda 017" not in page
    assert 'data-suggest="/tickets/organisations/"' in page


def suggested(response) -> list[str]:
    assert response["Content-Type"] == "application/json"
    return [row["name"] for row in response.json()["results"]]


def test_suggestions_put_names_starting_with_the_text_first(client, supervisor, tesk):
    for name in ["Kars Odası", "Bursa Kasaplar Odası", "Kasaplar Odası"]:
        OrganisationFactory(name=name, kind=OrganisationKind.CHAMBER, parent=tesk)
    client.force_login(supervisor)

    response = client.get("/tickets/organisations/", {"q": "KASAP"})

    assert suggested(response) == ["Kasaplar Odası", "Bursa Kasaplar Odası"]


def test_suggestions_keep_to_the_members_subtree(
    client, member, inegol_chamber, ankara_union, bursa_union
):
    client.force_login(member)

    assert suggested(client.get("/tickets/organisations/", {"q": "esob"})) == []
    assert suggested(client.get("/tickets/organisations/", {"q": "inegol"})) == [
        inegol_chamber.name
    ]


def test_suggestions_are_few_and_cost_a_fixed_number_of_queries(
    client, supervisor, tesk, django_assert_max_num_queries
):
    for n in range(30):
        OrganisationFactory(name=f"Oda {n:03}", kind=OrganisationKind.CHAMBER, parent=tesk)
    client.force_login(supervisor)

    with django_assert_max_num_queries(6):
        response = client.get("/tickets/organisations/", {"q": "oda"})

    assert len(suggested(response)) == 20
    assert suggested(client.get("/tickets/organisations/", {"q": ""})) == []
    assert suggested(client.get("/tickets/organisations/", {"q": "%"})) == []


def test_suggestions_need_a_signed_in_user(client, inegol_chamber):
    response = client.get("/tickets/organisations/", {"q": "inegol"})

    assert response.status_code == 302
    assert inegol_chamber.name not in response.content.decode()


def test_an_id_outside_the_members_scope_is_not_named(client, member, ankara_union):
    client.force_login(member)

    page = client.get("/tickets/", {"organisation": ankara_union.pk}).content.decode()

    assert ankara_union.name not in page
    assert f'value="{ankara_union.pk}"' in page
