"""The API with a session that still owes its second sign-in step: a JSON 401, never a
redirect to the code page."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.models import Scope


@pytest.fixture
def enrolled(member):
    TOTPDevice.objects.create(user=member, name="authenticator", confirmed=True)
    return member


def test_a_session_that_owes_its_code_gets_a_json_401_from_the_api(client, enrolled, ticket):
    client.force_login(enrolled)  # signed in, no code given yet

    for url in ["/api/v1/tickets/", f"/api/v1/tickets/{ticket.pk}/", "/api/v1/me/"]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 401, url
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "code": "two_factor_required",
            "message": "Enter the code from your authenticator app on the site first.",
        }
    refused = client.post(
        f"/api/v1/tickets/{ticket.pk}/reply/", {"body": "Yanıt"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 401
    assert not ticket.events.filter(kind="replied").exists()
    # the site's pages still lead to the code step
    assert client.get("/tickets/").status_code == 302


def test_a_session_that_must_set_up_two_factor_gets_a_json_401(client, settings, responsible):
    settings.HELPDESK_2FA_REQUIRED_FOR = ["handlers", "supervisors", "admins"]
    client.force_login(responsible)

    response = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response.json()["code"] == "two_factor_setup_required"


def test_a_bearer_token_is_not_held_up_by_the_sessions_second_step(api, client, enrolled):
    client.force_login(enrolled)
    token = api(enrolled, scope=Scope.READ).token

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert response.json()["username"] == enrolled.username


def test_the_schema_stays_open_to_a_session_that_owes_its_code(client, enrolled):
    client.force_login(enrolled)

    assert client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").status_code == 200
