"""Password reset by e-mail, and password change from the profile."""

import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.management import call_command
from django.utils import timezone

from outbox.models import OutgoingMail

RESET = "/accounts/password_reset/"
DONE = "/accounts/password_reset/done/"


@pytest.fixture
def ask_reset(client, django_capture_on_commit_callbacks):
    """`ask_reset(email, **extra)`: the reset form posted, and its mail sent after the commit."""

    def ask(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email}, HTTP_ACCEPT_LANGUAGE="en", **extra)

    return ask


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/reset/\S+/)", message.get_content()).group(1)


def test_a_reset_link_by_email_sets_a_new_password(client, ask_reset, member, smtp_server):
    # given
    assert ask_reset("oda@example.org")["Location"] == DONE
    [message] = smtp_server.messages
    assert message["To"] == "oda@example.org"

    # when the link is followed and a new password chosen
    form_url = client.get(link_in(message))["Location"]
    response = client.post(
        form_url, {"new_password1": "Yeni-parola-77", "new_password2": "Yeni-parola-77"}
    )

    # then
    assert response["Location"] == "/accounts/reset/done/"
    member.refresh_from_db()
    assert member.check_password("Yeni-parola-77")


def test_the_reset_mail_waits_in_the_outbox_until_the_page_is_handed_over(
    holding_client, member, smtp_server
):
    # when
    response = holding_client.post(RESET, {"email": "oda@example.org"})

    # then the page is on its way, and the mail is an outbox row, not sent yet
    assert response["Location"] == DONE
    row = OutgoingMail.objects.get()
    assert (row.to, row.sent_at) == ("oda@example.org", None)
    assert "/accounts/reset/" in row.text
    assert smtp_server.messages == []

    # when the server has sent the page
    response.finish()

    # then
    [message] = smtp_server.messages
    assert message["To"] == "oda@example.org"
    assert link_in(message)


def test_a_reset_asked_while_the_mail_server_is_down_arrives_when_it_is_back(
    ask_reset, member, smtp_server
):
    smtp_server.stop()
    assert ask_reset("oda@example.org")["Location"] == DONE
    assert OutgoingMail.objects.get().attempts == 1

    smtp_server.start()
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    call_command("send_mail_queue")

    [message] = smtp_server.messages
    assert message["To"] == "oda@example.org"


def test_the_answer_is_the_same_whether_or_not_the_address_exists(
    client, ask_reset, member, smtp_server
):
    known = ask_reset("oda@example.org")
    unknown = ask_reset("nobody@example.org")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m["To"] for m in smtp_server.messages] == ["oda@example.org"]
    done = client.get(DONE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "If an account uses the address you entered" in done


def test_a_pending_account_gets_no_reset_mail(client, ask_reset, pending, smtp_server):
    assert ask_reset("ayse@example.org")["Location"] == DONE
    assert smtp_server.messages == []


def test_a_used_link_does_not_work_twice(client, ask_reset, member, smtp_server):
    ask_reset("oda@example.org")
    link = link_in(smtp_server.messages[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": "Yeni-parola-77", "new_password2": "Yeni-parola-77"})

    page = client.get(link, HTTP_ACCEPT_LANGUAGE="en", follow=True).content.decode()

    assert "This link does not work any more" in page


def test_a_link_expires_after_the_reset_timeout(
    client, ask_reset, member, smtp_server, settings, monkeypatch
):
    from datetime import datetime, timedelta

    ask_reset("oda@example.org")
    link = link_in(smtp_server.messages[0])
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)  # noqa: DTZ005
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)

    page = client.get(link, HTTP_ACCEPT_LANGUAGE="en", follow=True).content.decode()

    assert "This link does not work any more" in page


def test_the_reset_mail_and_page_are_in_the_users_language(client, ask_reset, member, smtp_server):
    # given a member who chose Turkish, asking from an English browser
    member.language = "tr"
    member.save()

    ask_reset("oda@example.org")
    response = client.get(link_in(smtp_server.messages[0]), HTTP_ACCEPT_LANGUAGE="en", follow=True)

    assert response.headers["Content-Language"] == "tr"
    assert '<html lang="tr"' in response.content.decode()


def test_password_reset_is_rate_limited_per_address(
    client, ask_reset, member, smtp_server, settings
):
    settings.HELPDESK_PASSWORD_RESET_LIMIT = 2
    for n in range(2):
        ask_reset(f"someone{n}@example.org")

    response = ask_reset("oda@example.org")

    assert response.status_code == 429
    assert "Too many attempts from your address" in response.content.decode()
    assert smtp_server.messages == []


def test_one_inbox_gets_a_bounded_number_of_reset_mails(
    client, ask_reset, member, smtp_server, settings
):
    settings.HELPDESK_PASSWORD_RESET_LIMIT = 2
    for n in range(4):
        response = ask_reset("oda@example.org", REMOTE_ADDR=f"10.0.0.{n}")
        assert response["Location"] == DONE

    assert len(smtp_server.messages) == 2


def test_the_reset_pages_use_the_site_layout(client, db):
    page = client.get(RESET, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "bootstrap" in page and 'name="email"' in page
    assert "Forgot your password?" in page


def test_a_member_changes_the_password_from_the_profile(client, member):
    client.force_login(member)
    assert 'href="/accounts/password_change/"' in client.get("/accounts/profile/").content.decode()

    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "demo12345",
            "new_password1": "Yeni-parola-77",
            "new_password2": "Yeni-parola-77",
        },
    )

    assert response["Location"] == "/accounts/profile/"
    member.refresh_from_db()
    assert member.check_password("Yeni-parola-77")
    assert client.get("/tickets/").status_code == 200  # still signed in


def test_a_weak_new_password_is_refused(client, member):
    client.force_login(member)

    response = client.post(
        "/accounts/password_change/",
        {"old_password": "demo12345", "new_password1": "123", "new_password2": "123"},
    )

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.check_password("demo12345")
