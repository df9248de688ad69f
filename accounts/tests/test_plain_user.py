"""The user a page works with is the user itself, unwrapped once it is loaded
(accounts.middleware.PlainUserMiddleware), whoever asks: signed in, with a second step
passed, anonymous, or just signed out for idling."""

from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.tests.test_sign_in import idle_for


def test_a_signed_in_page_gets_the_user_itself(client, member):
    client.force_login(member)

    response = client.get("/tickets/")

    assert response.status_code == 200
    user = response.wsgi_request.user
    assert type(user) is User and user.pk == member.pk
    # What two-factor sign-in adds is on it still.
    assert user.otp_device is None and user.is_verified() is False


def test_an_anonymous_request_gets_the_anonymous_user(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert type(response.wsgi_request.user) is AnonymousUser


def test_a_session_signed_out_for_idling_leaves_an_anonymous_user(client, member, settings):
    client.force_login(member)
    idle_for(client, settings.SESSION_IDLE_TIMEOUT + 1)

    response = client.get("/tickets/")

    assert response.status_code == 302
    assert type(response.wsgi_request.user) is AnonymousUser
