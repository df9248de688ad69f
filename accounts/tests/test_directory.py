"""The organisation directory for supervisors."""

from accounts.models import Organisation
from accounts.tests.factories import OrganisationFactory, UserFactory

DIRECTORY = "/accounts/directory/"


def test_supervisors_see_each_organisation_with_its_details(
    client, supervisor, inegol_chamber, member
):
    inegol_chamber.tax_number = "4540536920"
    inegol_chamber.city = "Bursa"
    inegol_chamber.email = "info@inegol.example"
    inegol_chamber.phone = "+902247134567"
    inegol_chamber.save()
    client.force_login(supervisor)

    page = client.get(DIRECTORY, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    row = page[page.index("İnegöl Marangozlar Odası") :].split("</tr>")[0]
    for shown in ["Chamber", "4540536920", "Bursa", "info@inegol.example", "(0224) 713 45 67"]:
        assert shown in row
    assert row.endswith('<td class="text-end">1</td>\n    ')


def test_the_tree_lists_children_under_their_parent(
    client, supervisor, inegol_chamber, ankara_union
):
    client.force_login(supervisor)

    rows = client.get(DIRECTORY).context["rows"]

    assert [(row.organisation.name, row.depth) for row in rows] == [
        ("TESK", 0),
        ("Ankara ESOB", 1),
        ("Bursa ESOB", 1),
        ("İnegöl Marangozlar Odası", 2),
    ]


def test_members_and_responsibles_do_not_get_the_directory(client, member, responsible):
    for user in (member, responsible):
        client.force_login(user)
        assert client.get(DIRECTORY).status_code == 404


def test_the_menu_offers_the_directory_to_supervisors_only(client, supervisor, member):
    client.force_login(member)
    assert DIRECTORY not in client.get("/tickets/").content.decode()

    client.force_login(supervisor)
    assert DIRECTORY in client.get("/tickets/").content.decode()


def test_the_directory_makes_the_same_number_of_queries_for_3_and_60_organisations(
    client, supervisor, tesk, django_assert_max_num_queries
):
    client.force_login(supervisor)
    client.get(DIRECTORY)
    # One of them asks whether the session owes a second sign-in step.
    with django_assert_max_num_queries(5) as few:
        client.get(DIRECTORY)
    for n in range(20):
        union = OrganisationFactory(name=f"Birlik {n}", parent=tesk, kind="union")
        chamber = OrganisationFactory(name=f"Oda {n}", parent=union)
        UserFactory(organisation=chamber)
        OrganisationFactory(name=f"Mühendis {n}", parent=chamber, kind="engineer")

    with django_assert_max_num_queries(5) as many:
        response = client.get(DIRECTORY)

    assert len(response.context["rows"]) == Organisation.objects.count() == 61
    assert len(many.captured_queries) == len(few.captured_queries)
