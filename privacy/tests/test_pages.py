"""The privacy page of each person, and the supervisors' way to anybody's data."""

import pytest

from accounts.tests.factories import UserFactory
from privacy.models import Erasure

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


def test_the_privacy_page_names_the_retention_period_when_there_is_one(client, ayse, settings):
    settings.HELPDESK_RETENTION_DAYS = 730
    client.force_login(ayse)

    page = client.get(PRIVACY, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "removed 730 days after it was closed" in page


def test_supervisors_find_a_person_and_reach_their_data(client, supervisor, ayse):
    client.force_login(supervisor)

    menu = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    found = client.get("/privacy/people/?q=yılmaz", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    person = client.get(f"/privacy/people/{ayse.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert 'href="/privacy/people/"' in menu
    assert f'href="/privacy/people/{ayse.pk}/"' in found
    assert f'href="/privacy/people/{ayse.pk}/export/"' in person.content.decode()
    assert f'href="/privacy/people/{ayse.pk}/erase/"' in person.content.decode()


def test_an_erased_persons_page_says_so_and_offers_no_second_erasure(client, supervisor, ayse):
    client.force_login(supervisor)
    client.post(f"/privacy/people/{ayse.pk}/erase/", {"redact_text": "on"})

    page = client.get(f"/privacy/people/{ayse.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"Erased person #{ayse.pk}" in page
    assert "What they wrote was removed too." in page
    assert f'href="/privacy/people/{ayse.pk}/erase/"' not in page


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


def test_the_users_admin_leads_to_the_export_and_the_erasure(client, admin_user, ayse):
    client.force_login(admin_user)
    changelist = "/admin/accounts/user/"

    export = client.post(
        changelist, {"action": "export_personal_data", "_selected_action": [ayse.pk]}
    )
    erase = client.post(
        changelist, {"action": "erase_personal_data", "_selected_action": [ayse.pk]}
    )

    assert export["Location"] == f"/privacy/people/{ayse.pk}/export/"
    assert erase["Location"] == f"/privacy/people/{ayse.pk}/erase/"
    assert not Erasure.objects.exists()  # the confirm page decides, not the action


def test_the_admin_actions_take_one_person_at_a_time(client, admin_user, ayse, member):
    client.force_login(admin_user)

    response = client.post(
        "/admin/accounts/user/",
        {"action": "erase_personal_data", "_selected_action": [ayse.pk, member.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Select one person." in response.content.decode()


def test_staff_who_are_not_supervisors_are_not_offered_the_actions(client, tesk):
    staff = UserFactory(organisation=tesk, is_staff=True)
    staff.user_permissions.add(*_user_admin_permissions())
    client.force_login(staff)

    page = client.get("/admin/accounts/user/").content.decode()

    assert "delete_selected" in page  # the actions they may take are offered
    assert "erase_personal_data" not in page and "export_personal_data" not in page


def _user_admin_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="accounts", codename__in=["view_user", "delete_user"]
    )
