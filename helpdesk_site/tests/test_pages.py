"""Site-wide promises: sign-in, redirects, debug off (/healthz: monitoring/tests)."""

import pytest
from django.core.management import call_command


def test_home_sends_visitors_to_sign_in_and_members_to_the_list(client, member):
    assert client.get("/")["Location"] == "/accounts/login/"
    client.force_login(member)
    assert client.get("/")["Location"] == "/tickets/"


@pytest.mark.parametrize("url", ["/tickets/", "/tickets/new/", "/tickets/export.csv"])
def test_anonymous_visitors_are_sent_to_sign_in_with_next(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password_reset/", "/healthz"])
def test_pages_open_to_anonymous_visitors(client, db, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("/tickets/?status=waiting", "/tickets/?status=waiting"),
        ("https://evil.example/", "/tickets/"),
        ("//evil.example/", "/tickets/"),
        ("", "/tickets/"),
    ],
)
def test_signing_in_honours_only_same_site_next(client, member, next_url, expected):
    response = client.post(
        f"/accounts/login/?next={next_url}",
        {"username": "oda", "password": "demo12345", "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == expected


def test_a_wrong_password_shows_the_form_again(client, member):
    response = client.post("/accounts/login/", {"username": "oda", "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_is_post_only(client, member):
    client.force_login(member)

    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_seed_demo_refuses_when_debug_is_off(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_seed_demo_twice_creates_nothing_twice(db):
    from accounts.models import Organisation, User
    from categories.models import Category
    from tickets.models import Ticket, TicketEvent

    def counts():
        return [m.objects.count() for m in (Organisation, User, Category, Ticket, TicketEvent)]

    call_command("seed_demo", force=True)
    first = counts()
    call_command("seed_demo", force=True, password="another")

    assert counts() == first
    assert first[3] >= 3
    assert User.objects.get(username="oda").check_password("demo12345")


def test_the_demo_tree_and_roles_match_the_contract(db):
    from tickets.models import Ticket

    call_command("seed_demo", force=True)
    from accounts.models import User

    users = {user.username: user for user in User.objects.select_related("organisation")}
    inegol_tickets = Ticket.objects.filter(organisation=users["oda"].organisation)

    assert users["admin"].is_superuser
    assert users["tesk"].is_supervisor
    assert set(Ticket.objects.visible_to(users["bursa"])) >= set(inegol_tickets)
    assert not Ticket.objects.visible_to(users["birlik"]).filter(pk__in=inegol_tickets).exists()
    assert users["kapasite"].team_categories.get().name == "Kapasite Raporu"
    assert users["teknik"].team_categories.get().name == "Bilgi İşlem – Teknik"
    assert {users["muhendis"].organisation.kind, users["musavir"].organisation.kind} == {
        "engineer",
        "accountant",
    }
