"""The list's search finds what people type besides the text: the ticket's number, the
organisation's name, the requester's name, username or e-mail address (folded like the
text), always within what the user may see."""

import pytest

from accounts.tests.factories import UserFactory


def listed(response) -> list[int]:
    return [ticket.pk for ticket in response.context["page"].object_list]


@pytest.fixture
def two(file, member):
    return file(subject="Yazıcı arızası"), file(subject="Kapasite sorunu")


@pytest.mark.parametrize("typed", ["{pk}", "#{pk}"])
def test_the_ticket_number_finds_the_ticket(client, supervisor, two, typed):
    first, second = two
    client.force_login(supervisor)

    response = client.get("/tickets/", {"q": typed.format(pk=second.pk)})

    assert second.pk in listed(response)
    assert first.pk not in listed(response)


def test_part_of_the_organisations_name_finds_its_tickets(
    client, supervisor, file, bursa_union, two
):
    other = file(by=UserFactory(organisation=bursa_union), subject="Aidat")
    client.force_login(supervisor)

    assert sorted(listed(client.get("/tickets/", {"q": "MARANGOZ"}))) == sorted(t.pk for t in two)
    assert listed(client.get("/tickets/", {"q": "bursa aidat"})) == [other.pk]


@pytest.mark.parametrize("typed", ["şükrü", "SUKRU", "yılmaz", "sukru.yilmaz@example", "sy42"])
def test_the_requesters_name_username_or_address_finds_their_tickets(
    client, supervisor, file, inegol_chamber, two, typed
):
    person = UserFactory(
        organisation=inegol_chamber,
        first_name="Şükrü",
        last_name="Yılmaz",
        username="sy42",
        email="sukru.yilmaz@example.org",
    )
    theirs = file(by=person, subject="Belge")
    client.force_login(supervisor)

    assert listed(client.get("/tickets/", {"q": typed})) == [theirs.pk]


def test_a_renamed_requester_is_found_by_the_new_name(client, supervisor, file, member):
    theirs = file(subject="Belge")
    member.last_name = "Karagöz"
    member.save(update_fields=["last_name"])
    client.force_login(supervisor)

    assert listed(client.get("/tickets/", {"q": "karagoz"})) == [theirs.pk]


def test_names_never_reach_past_what_the_user_sees(client, member, file, ankara_union):
    outsider = UserFactory(organisation=ankara_union, last_name="Uzakta")
    file(by=outsider, subject="Ankara")
    client.force_login(member)

    assert listed(client.get("/tickets/", {"q": "uzakta"})) == []
    assert listed(client.get("/tickets/", {"q": "ankara"})) == []


def test_the_search_costs_the_same_queries_for_one_word_or_ten(
    client, supervisor, two, django_assert_max_num_queries
):
    client.force_login(supervisor)
    client.get("/tickets/", {"q": "yazici"})
    with django_assert_max_num_queries(13) as one:
        client.get("/tickets/", {"q": "yazici"})
    with django_assert_max_num_queries(13) as ten:
        client.get("/tickets/", {"q": "a b c d e f g h i yazici"})

    assert len(ten.captured_queries) == len(one.captured_queries)


def test_a_common_word_does_not_crowd_a_rare_name_out(client, supervisor, file, tesk, monkeypatch):
    from accounts.models import OrganisationKind
    from accounts.tests.factories import OrganisationFactory
    from tickets import filters

    monkeypatch.setattr(filters, "NAMES_PER_WORD", 3)
    for n in range(8):
        OrganisationFactory(name=f"Esnaf Odası {n}", kind=OrganisationKind.CHAMBER, parent=tesk)
    rare = OrganisationFactory(name="Gölyaka Esnaf", kind=OrganisationKind.CHAMBER, parent=tesk)
    theirs = file(by=UserFactory(organisation=rare), subject="Esnaf belgesi")
    client.force_login(supervisor)

    # "esnaf" is in too many names to count as one (found in the text instead);
    # "golyaka" still finds its chamber's tickets.
    assert listed(client.get("/tickets/", {"q": "esnaf golyaka"})) == [theirs.pk]
