"""HELPDESK_2FA_REQUIRED_FOR: the groups who must set up two-factor sign-in first."""

import pytest
from django.core.checks import run_checks
from django_otp.plugins.otp_totp.models import TOTPDevice

from twofactor.policy import is_required

from .conftest import SETUP, code_for

CONFIRM = "/accounts/two-factor/setup/confirm/"


@pytest.mark.parametrize("role", ["responsible", "supervisor", "superuser"])
def test_a_required_user_without_an_authenticator_reaches_only_setup(
    role, request, client, required, ticket
):
    client.force_login(request.getfixturevalue(role))

    for url in ["/tickets/", f"/tickets/{ticket.pk}/", "/accounts/profile/", "/admin/"]:
        response = client.get(url)
        assert (response.status_code, response.url) == (302, SETUP), url
    assert client.post(f"/tickets/{ticket.pk}/priority/", {"priority": "high"}).url == SETUP
    ticket.refresh_from_db()
    assert ticket.priority == "medium"
    assert client.get(SETUP).status_code == 200


def test_a_required_user_can_sign_out(client, required, responsible):
    client.force_login(responsible)

    response = client.post("/accounts/logout/")

    assert response.url == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_after_setting_it_up_every_page_opens(client, required, responsible):
    client.force_login(responsible)
    client.post(SETUP)
    device = TOTPDevice.objects.get(user=responsible)

    client.post(CONFIRM, {"code": code_for(device)})

    assert client.get("/tickets/").status_code == 200
    assert client.get("/accounts/profile/").status_code == 200


def test_members_may_choose(client, required, member):
    client.force_login(member)

    assert client.get("/tickets/").status_code == 200
    assert not is_required(member)


@pytest.mark.parametrize(
    "groups, role, expected",
    [
        (["handlers"], "responsible", True),
        (["handlers"], "supervisor", True),  # a supervisor handles every ticket
        (["supervisors"], "responsible", False),
        (["supervisors"], "supervisor", True),
        (["admins"], "superuser", True),
        (["admins"], "responsible", False),
        (["members"], "member", True),
        (["members"], "responsible", False),
        ([], "superuser", False),
    ],
)
def test_the_groups_mean_what_they_say(settings, request, groups, role, expected):
    settings.HELPDESK_2FA_REQUIRED_FOR = groups

    assert is_required(request.getfixturevalue(role)) is expected


def test_an_empty_setting_requires_nobody(client, settings, superuser):
    settings.HELPDESK_2FA_REQUIRED_FOR = []
    client.force_login(superuser)

    assert client.get("/admin/").status_code == 200


def test_an_unknown_group_stops_the_site_at_start(settings):
    settings.HELPDESK_2FA_REQUIRED_FOR = ["handlers", "handler"]

    errors = [e for e in run_checks() if e.id == "twofactor.E001"]

    assert [e.msg for e in errors] == ["HELPDESK_2FA_REQUIRED_FOR names unknown groups: handler."]
