"""The privacy page of each person, and the supervisors' way to anybody's data."""

import pytest

from accounts.tests.factories import UserFactory

PRIVACY = "/privacy/"


def test_the_profile_links_to_the_privacy_page(client, ayse):
    client.force_login(ayse)

    page = client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'href="{PRIVACY}"' in page


def test_the_privacy_page_shows_what_is_stored_the_export_and_how_to_be_erased(
    client, ayse, history
):
    client.force_login(ayse)

    page = client.get(PRIVACY, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for stored in ["Ayşe Yılmaz", "ayse.yilmaz@example.org", "0532 123 45 67", "İnegöl"]:
        assert stored in page
    assert '<dt class="col-sm-4">Tickets filed</dt><dd class="col-sm-8">1</dd>' in page
    assert '<dt class="col-sm-4">Messages written</dt><dd class="col-sm-8">1</dd>' in page
    assert '<dt class="col-sm-4">Documents uploaded</dt><dd class="col-sm-8">1</dd>' in page
    assert 'href="/privacy/export/"' in page
    assert "To have your personal data erased" in page


def test_supervisors_find_a_person_and_reach_their_data(client, supervisor, ayse):
    client.force_login(supervisor)

    menu = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    found = client.get("/privacy/people/?q=yılmaz", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    person = client.get(f"/privacy/people/{ayse.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert 'href="/privacy/people/"' in menu
    assert f'href="/privacy/people/{ayse.pk}/"' in found
    assert f'href="/privacy/people/{ayse.pk}/export/"' in person.content.decode()


def test_the_search_stays_short_and_ignores_an_empty_query(client, supervisor, inegol_chamber):
    for n in range(60):
        UserFactory(username=f"uye{n}", organisation=inegol_chamber)
    client.force_login(supervisor)

    assert len(client.get("/privacy/people/?q=uye").context["people"]) == 50
    assert list(client.get("/privacy/people/?q=").context["people"]) == []


@pytest.mark.parametrize("viewer", ["member", "responsible"])
def test_others_do_not_reach_the_search(client, request, viewer):
    client.force_login(request.getfixturevalue(viewer))

    assert client.get("/privacy/people/?q=a").status_code == 404
    assert 'href="/privacy/people/"' not in client.get("/tickets/").content.decode()


@pytest.fixture
def admin_user(tesk):
    return UserFactory(username="admin", organisation=tesk, is_staff=True, is_superuser=True)


def test_the_users_admin_leads_to_the_export(client, admin_user, ayse):
    client.force_login(admin_user)

    export = client.post(
        "/admin/accounts/user/", {"action": "export_personal_data", "_selected_action": [ayse.pk]}
    )

    assert export["Location"] == f"/privacy/people/{ayse.pk}/export/"


def test_staff_who_are_not_supervisors_are_not_offered_the_actions(client, tesk):
    staff = UserFactory(organisation=tesk, is_staff=True)
    staff.user_permissions.add(*_user_admin_permissions())
    client.force_login(staff)

    page = client.get("/admin/accounts/user/").content.decode()

    assert "delete_selected" in page  # the actions they may take are offered
    assert "export_personal_data" not in page


def _user_admin_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="accounts", codename__in=["view_user", "delete_user"]
    )
