"""A taken username or e-mail address: the page answers as for anyone, the mail says why."""

import re

import pytest

from accounts import services
from accounts.models import RegistrationRequest, User

REGISTER = "/accounts/register/"


@pytest.fixture
def apply(client, django_capture_on_commit_callbacks):
    """`apply(data, language="en")`: the form posted from a browser in `language` and
    followed, its mail sent after the commit."""

    def post(data, language="en"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(REGISTER, data, follow=True, HTTP_ACCEPT_LANGUAGE=language)

    return post


def answer(response):
    """What the applicant sees: the redirects, the status and the page, its CSRF token aside."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return response.redirect_chain, response.status_code, page


@pytest.fixture
def fresh_answer(apply, registration_data, reviewer, db):
    """The answer to an application with a free username and address, undone afterwards."""
    response = apply({**registration_data, "username": "bambaska", "email": "bos@example.org"})
    assert User.objects.filter(username="bambaska").exists()
    User.objects.filter(username="bambaska").delete()
    return answer(response)


@pytest.mark.parametrize("taken", ["oda", "ODA"])
def test_a_taken_username_gets_the_usual_answer_and_a_mail_saying_so(
    apply, fresh_answer, registration_data, member, smtp_server, taken
):
    users = User.objects.count()
    smtp_server.messages.clear()

    response = apply({**registration_data, "username": taken})

    assert answer(response) == fresh_answer
    assert User.objects.count() == users
    assert not RegistrationRequest.objects.exists()
    [message] = smtp_server.messages
    assert message["To"] == "ayse@example.org"
    assert message["Subject"] == "Choose another username for the helpdesk"
    body = message.get_content()
    assert "Hello Ayşe Yılmaz," in body
    assert f"the username “{taken}”. That username belongs to someone else" in body
    assert "http://testserver/accounts/register/" in body


@pytest.mark.parametrize("taken", ["oda@example.org", "ODA@Example.org"])
def test_a_taken_address_gets_the_usual_answer_and_its_owner_a_pointer_to_the_reset(
    apply, fresh_answer, registration_data, member, smtp_server, taken
):
    users = User.objects.count()
    smtp_server.messages.clear()

    response = apply({**registration_data, "email": taken})

    assert answer(response) == fresh_answer
    assert User.objects.count() == users
    assert not RegistrationRequest.objects.exists()
    [message] = smtp_server.messages
    assert message["To"] == "oda@example.org"
    assert message["Subject"] == "You already have a helpdesk account"
    body = message.get_content()
    assert "Your username is oda." in body
    assert "http://testserver/accounts/password_reset/" in body


def test_a_taken_address_wins_over_a_taken_username(apply, registration_data, member, smtp_server):
    apply({**registration_data, "username": "oda2", "email": "oda@example.org"})

    assert [m["Subject"] for m in smtp_server.messages] == ["You already have a helpdesk account"]


def test_an_address_with_a_pending_application_is_told_to_wait(
    apply, registration_data, pending, smtp_server
):
    apply({**registration_data, "username": "baska"})

    [message] = smtp_server.messages
    assert message["To"] == "ayse@example.org"
    body = message.get_content()
    assert "This account is not open." in body
    assert "/accounts/password_reset/" not in body
    assert User.objects.filter(email="ayse@example.org").count() == 1


def test_the_mail_is_in_the_applicants_language(apply, registration_data, member, smtp_server):
    apply({**registration_data, "username": "oda"}, language="tr")
    apply({**registration_data, "email": "oda@example.org"}, language="tr")

    username_mail, address_mail = (m.get_content() for m in smtp_server.messages)
    assert "Sayın Ayşe Yılmaz," in username_mail
    assert "Kullanıcı adınız: oda." in address_mail


def test_the_owners_own_language_wins_for_the_mail_to_their_address(
    apply, registration_data, member, smtp_server
):
    member.language = "ru"
    member.save()

    apply({**registration_data, "email": "oda@example.org"}, language="tr")

    assert "Здравствуйте" in smtp_server.messages[0].get_content()


def test_a_name_taken_at_the_same_moment_is_answered_the_same_way(
    apply, registration_data, member, smtp_server, monkeypatch
):
    # given the check ran before the other application's insert: it saw nothing taken
    check = services._tell_if_taken
    calls = []

    def first_sees_nothing(*args, **kwargs):
        calls.append(args)
        return len(calls) > 1 and check(*args, **kwargs)

    monkeypatch.setattr(services, "_tell_if_taken", first_sees_nothing)

    # when the insert meets the database's unique username
    response = apply({**registration_data, "username": "oda"})

    # then
    assert response.redirect_chain == [("/accounts/register/done/", 302)]
    assert not User.objects.filter(email="ayse@example.org").exists()
    assert not RegistrationRequest.objects.exists()
    assert [m["Subject"] for m in smtp_server.messages] == [
        "Choose another username for the helpdesk"
    ]


def test_one_inbox_gets_a_bounded_number_of_such_mails(
    client, apply, registration_data, member, smtp_server, settings
):
    settings.HELPDESK_REGISTRATION_LIMIT = 2
    for n in range(4):
        with_another_address = {**registration_data, "username": "oda"}
        client.defaults["REMOTE_ADDR"] = f"10.0.0.{n}"
        response = apply(with_another_address)
        assert response.redirect_chain == [("/accounts/register/done/", 302)]

    assert len(smtp_server.messages) == 2
