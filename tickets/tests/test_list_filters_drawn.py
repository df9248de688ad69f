"""The list's filter fields are drawn once a process for the same criteria and
configuration (TicketFilter.drawn_as, common/templatetags/fragments.py): what they
showed one user never shows to another whom it does not fit."""

from categories.tests.factories import CategoryFactory
from common.templatetags import fragments


def page(client, user, query="") -> str:
    client.force_login(user)
    return client.get(f"/tickets/{query}", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_category_made_since_is_offered_at_once(client, member, capacity):
    page(client, member)
    CategoryFactory(name="Yeni Ruhsat İşleri")

    assert "Yeni Ruhsat İşleri" in page(client, member)


def test_a_handler_and_a_member_each_get_their_own_fields(client, member, responsible):
    first = page(client, responsible, "?status=open")
    second = page(client, member, "?status=open")
    third = page(client, responsible, "?status=open")

    assert 'name="team"' in first
    assert 'name="team"' not in second
    assert third.count('name="team"') == first.count('name="team"')


def test_an_organisation_given_by_id_is_named_only_to_whom_may_filter_by_it(
    client, union_member, other_union_member, inegol_chamber
):
    shown = page(client, union_member, f"?organisation={inegol_chamber.pk}")  # their chamber
    hidden = page(client, other_union_member, f"?organisation={inegol_chamber.pk}")

    assert 'value="İnegöl Marangozlar Odası"' in shown
    assert "İnegöl Marangozlar Odası" not in hidden
    assert f'value="{inegol_chamber.pk}"' in hidden


def test_a_refused_value_is_marked_each_time(client, member):
    for _ in range(2):
        refused = page(client, member, "?created_from=yesterday")

        assert 'name="created_from" value="yesterday"' in refused
        assert "is-invalid" in refused


def test_a_search_keeps_nothing(client, member):
    page(client, member, "?q=kapasite")

    assert [key for key in fragments._drawn if key[0] == "list-filters"] == []
