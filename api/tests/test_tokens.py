"""Personal tokens: shown once, stored hashed; expired, revoked or a deactivated user's
fail at once; a read-only token reads."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api import tokens
from api.models import ApiToken, Scope
from tickets.models import Ticket


def bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_only_the_tokens_digest_is_stored(member):
    row, token = tokens.create(member, name="ERP")

    assert token not in str(ApiToken.objects.filter(pk=row.pk).values().get())
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer hd_nothing_here", "Bearer a b", "Token abc", "Bearer ğ"],
)
def test_no_token_or_a_wrong_one_is_401_in_json(api, member, ticket, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(f"/api/v1/tickets/{ticket.pk}/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] in ("not_authenticated", "authentication_failed")


def test_a_revoked_token_fails_at_once(api, member, ticket):
    client = api(member)
    assert client.get("/api/v1/me/").status_code == 200

    tokens.revoke(client.token_row, by=member)

    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_an_expired_token_fails(api, member):
    client = api(member)
    ApiToken.objects.filter(pk=client.token_row.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert client.get("/api/v1/me/").status_code == 401


def test_a_deactivated_users_token_fails_at_once(api, member):
    client = api(member)
    assert client.get("/api/v1/me/").status_code == 200

    member.is_active = False
    member.save(update_fields=["is_active"])

    assert client.get("/api/v1/me/").status_code == 401


def test_a_read_only_token_reads_but_never_writes(api, member, ticket, capacity):
    client = api(member, scope=Scope.READ)

    assert client.get(f"/api/v1/tickets/{ticket.pk}/").status_code == 200
    refused = client.post(f"/api/v1/tickets/{ticket.pk}/reply/", {"body": "yazamam"})
    filed = client.post(
        "/api/v1/tickets/",
        {"category": capacity.pk, "kind": "problem", "subject": "x", "description": "y"},
    )

    assert refused.status_code == 403
    assert refused.json()["code"] == "read_only_token"
    assert filed.status_code == 403
    assert Ticket.objects.count() == 1
    assert ticket.events.count() == 1


def test_use_is_recorded(api, member):
    client = api(member)

    client.get("/api/v1/me/")

    client.token_row.refresh_from_db()
    assert client.token_row.last_used_at is not None


def test_me_names_the_caller_and_the_tokens_scope(api, member):
    me = api(member, scope=Scope.READ).get("/api/v1/me/").json()

    assert me["username"] == "oda"
    assert me["organisation"]["id"] == member.organisation_id
    assert me["handles_tickets"] is False
    assert me["token_scope"] == "read"


def test_the_command_prints_a_working_token_as_its_last_line(member, ticket):
    out = StringIO()

    call_command(
        "create_api_token", "oda", "--name", "ERP", "--days", "7", "--read-only", stdout=out
    )

    token = out.getvalue().strip().splitlines()[-1]
    client = bearer(token)
    assert client.get(f"/api/v1/tickets/{ticket.pk}/").status_code == 200
    assert client.post(f"/api/v1/tickets/{ticket.pk}/reply/", {"body": "x"}).status_code == 403
    row = ApiToken.objects.get()
    assert (row.name, row.scope) == ("ERP", Scope.READ)
    assert timedelta(days=6) < row.expires_at - timezone.now() <= timedelta(days=7)


def test_the_command_refuses_an_unknown_or_inactive_user(member):
    member.is_active = False
    member.save(update_fields=["is_active"])

    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("create_api_token", "oda", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_the_profile_links_to_the_token_page(client, member):
    client.force_login(member)

    assert 'href="/accounts/api-tokens/"' in client.get("/accounts/profile/").content.decode()


def test_a_token_made_on_the_page_is_shown_once_and_works(client, member, ticket):
    client.force_login(member)

    page = client.post(
        "/accounts/api-tokens/", {"name": "Oda yazılımı", "days": "30", "scope": "read"}
    )

    assert page.status_code == 201
    row = ApiToken.objects.get(user=member)
    token = page.context["new_token"]
    assert token in page.content.decode()
    assert bearer(token).get(f"/api/v1/tickets/{ticket.pk}/").status_code == 200
    listed = client.get("/accounts/api-tokens/").content.decode()
    assert "Oda yazılımı" in listed and token not in listed
    assert row.scope == Scope.READ


def test_a_refused_token_form_creates_nothing(client, member):
    client.force_login(member)

    page = client.post("/accounts/api-tokens/", {"name": "", "days": "9999", "scope": "admin"})

    assert page.status_code == 200
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page_stops_the_token(client, member, ticket):
    row, token = tokens.create(member, name="ERP")
    client.force_login(member)

    response = client.post(f"/accounts/api-tokens/{row.pk}/revoke/")

    assert response.status_code == 302
    assert bearer(token).get(f"/api/v1/tickets/{ticket.pk}/").status_code == 401


def test_nobody_revokes_someone_elses_token(client, member, union_member):
    row, token = tokens.create(member, name="ERP")
    client.force_login(union_member)

    assert client.post(f"/accounts/api-tokens/{row.pk}/revoke/").status_code == 404
    assert bearer(token).get("/api/v1/me/").status_code == 200


def test_an_answer_to_a_token_is_never_stored_by_a_proxy(api, member, ticket):
    response = api(member).get(f"/api/v1/tickets/{ticket.pk}/")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
