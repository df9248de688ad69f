"""The attacks SECURITY.md lists, tried as an attacker would through the site's pages:
each fails, changes nothing and never answers 500. (Cross-organisation access, the
log's guards, uploads, throttles and headers have their own modules; SECURITY.md
names them.)"""

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Role, User
from tickets import services
from tickets.models import Status, Ticket, TicketEvent

PASSWORD = "demo12345"  # the factories' password
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_a_post_without_the_csrf_token_is_refused(member, ticket):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Forged"})

    assert response.status_code == 403
    assert not TicketEvent.objects.filter(note="Forged").exists()


def test_a_session_id_planted_before_sign_in_is_not_kept(client, member):
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "planted0123456789planted0123456789"

    client.post("/accounts/login/", {"username": "oda", "password": PASSWORD})

    assert client.cookies["sessionid"].value != "planted0123456789planted0123456789"
    assert client.get("/tickets/").status_code == 200


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example"],
)
def test_sign_in_never_sends_the_user_to_another_site(client, member, next_url):
    response = client.post(
        f"/accounts/login/?next={next_url}", {"username": "oda", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/tickets/"


def test_the_language_switcher_never_sends_the_user_to_another_site(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert "evil" not in response["Location"]


def test_fields_a_member_may_not_set_are_ignored_when_filing(
    client, member, capacity, problem, responsible
):
    client.force_login(member)

    response = client.post(
        "/tickets/new/",
        {
            "category": capacity.pk,
            "kind": problem.code,
            "priority": "high",
            "subject": "Mass assignment",
            "description": "Trying fields the form does not have.",
            "submission": "6f1c2b9e-5a34-4c8e-9d7a-0b1e2f3a4b5c",
            "status": Status.RESOLVED,
            "assignee": responsible.pk,
            "requester": responsible.pk,
            "channel": "phone",
            "read_at": "2020-01-01 00:00",
        },
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get(subject="Mass assignment")
    assert (ticket.status, ticket.assignee, ticket.requester) == (Status.WAITING, None, member)
    assert (ticket.channel, ticket.read_at) == ("web", None)


def test_the_profile_cannot_make_a_member_staff(client, member):
    client.force_login(member)

    client.post(
        "/accounts/profile/",
        {
            "first_name": "Oda",
            "last_name": "Üyesi",
            "email": "oda@example.org",
            "phone": "",
            "language": "tr",
            "role": Role.SUPERVISOR,
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    member.refresh_from_db()
    assert (member.role, member.is_staff, member.is_superuser) == (Role.MEMBER, False, False)


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "requester__password"},
        {"sort": "-organisation__parent__name'); DROP TABLE tickets_ticket;--"},
        {"q": "%' OR 1=1 --"},
        {"status": "waiting' OR '1'='1"},
        {"organisation": "1 OR 1=1"},
        {"created_after": "2020-01-01'; DELETE FROM tickets_ticket;--"},
    ],
)
def test_query_parameters_cannot_reach_the_sql(client, file, member, union_member, params):
    mine = file(subject="Mine")
    client.force_login(union_member)  # sees the chamber's tickets, not others'

    response = client.get("/tickets/", params)

    assert response.status_code in (200, 400)
    assert Ticket.objects.filter(pk=mine.pk).exists()
    assert "md5$" not in response.content.decode()  # no password hash leaks into the page


def test_script_in_every_field_a_member_types_is_shown_as_text(
    client, member, responsible, file, supervisor, smtp_server
):
    member.first_name = SCRIPT
    member.save()
    ticket = file(subject=SCRIPT, description=SCRIPT)
    services.reply(ticket, by=member, body=SCRIPT)

    for user, url in [
        (responsible, f"/tickets/{ticket.pk}/"),
        (responsible, "/tickets/"),
        (supervisor, "/tickets/"),
    ]:
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url


def test_script_in_a_ticket_is_text_in_the_admin(admin_client, file):
    ticket = file(subject=SCRIPT, description=SCRIPT)

    for url in ["/admin/tickets/ticket/", f"/admin/tickets/ticket/{ticket.pk}/change/"]:
        page = admin_client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url


def test_script_in_a_ticket_is_text_in_the_html_mail(
    file, member, responsible, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file(subject=SCRIPT, description=SCRIPT)

    html = [m.get_body(preferencelist=("html",)) for m in smtp_server.messages]
    html = [part.get_content() for part in html if part is not None]
    assert html, "the team is mailed an HTML notice"
    assert all("<script>alert" not in part and "<img src=x" not in part for part in html)


def test_a_deactivated_account_cannot_sign_in(client, member):
    User.objects.filter(pk=member.pk).update(is_active=False)

    client.post("/accounts/login/", {"username": "oda", "password": PASSWORD})

    assert client.get("/tickets/").status_code == 302
    assert not mail.outbox
