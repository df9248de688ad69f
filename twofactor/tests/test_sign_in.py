"""Signing in with two-factor: the password, then a code; each code once; one lockout."""

import pytest
from django_otp.plugins.otp_static.models import StaticToken

from twofactor.signin import PENDING, PENDING_SECONDS

from .conftest import LOGIN, VERIFY, code_for, send_code, sign_in


@pytest.fixture
def device(member, enrol):
    return enrol(member)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_the_password_alone_does_not_sign_in_a_user_with_an_authenticator(client, device):
    response = sign_in(client, "oda")

    assert response.status_code == 302
    assert response.url == VERIFY
    assert signed_in_user_id(client) is None
    assert client.get("/tickets/").url == "/accounts/login/?next=/tickets/"


def test_the_code_from_the_app_signs_in(client, member, device):
    sign_in(client, "oda")

    response = send_code(client, code_for(device))

    assert response.status_code == 302
    assert response.url == "/tickets/"
    assert signed_in_user_id(client) == str(member.pk)
    assert client.get("/tickets/").status_code == 200


def test_the_code_step_asks_for_a_code_in_the_page(client, device):
    sign_in(client, "oda")

    page = client.get(VERIFY, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Two-factor sign-in" in page
    assert 'name="code"' in page
    assert 'autocomplete="one-time-code"' in page


def test_a_wrong_code_is_refused_with_a_message(client, device):
    sign_in(client, "oda")
    wrong = "000000" if code_for(device) != "000000" else "111111"

    response = send_code(client, wrong)

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "That code is not right, or it was used already. Please type the code shown now."
    ]
    assert signed_in_user_id(client) is None


def test_a_code_is_refused_the_second_time(client, device):
    # given a code that signed in once
    code = code_for(device)
    sign_in(client, "oda")
    send_code(client, code)
    client.post("/accounts/logout/")

    # when the same code comes again, after the password
    sign_in(client, "oda")
    response = send_code(client, code)

    # then
    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_a_recovery_code_signs_in_once(client, member, device):
    token = StaticToken.objects.filter(device__user=member).first().token

    sign_in(client, "oda")
    first = send_code(client, token.upper())
    client.post("/accounts/logout/")
    sign_in(client, "oda")
    second = send_code(client, token)

    assert first.status_code == 302
    assert second.status_code == 200
    assert signed_in_user_id(client) is None
    assert StaticToken.objects.filter(device__user=member).count() == 9


def test_a_user_without_an_authenticator_signs_in_with_the_password(client, member):
    response = sign_in(client, "oda")

    assert response.url == "/tickets/"
    assert signed_in_user_id(client) == str(member.pk)


def test_the_code_step_without_the_password_sends_to_sign_in(client, device):
    response = send_code(client, code_for(device))

    assert response.status_code == 302
    assert response.url == LOGIN
    assert signed_in_user_id(client) is None


def test_next_is_kept_through_the_code_step(client, device, ticket):
    response = sign_in(client, "oda", next=f"/tickets/{ticket.pk}/")
    assert response.url == f"{VERIFY}?next=%2Ftickets%2F{ticket.pk}%2F"

    response = send_code(client, code_for(device), next=f"/tickets/{ticket.pk}/")

    assert response.url == f"/tickets/{ticket.pk}/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "https:/evil.example", "\\\\evil"]
)
def test_the_code_step_refuses_a_next_outside_the_site(client, device, next_url):
    sign_in(client, "oda")

    response = client.post(f"{VERIFY}?next={next_url}", {"code": code_for(device)})

    assert response.status_code == 302
    assert response.url == "/tickets/"


def test_a_next_outside_the_site_is_dropped_at_the_password(client, device):
    response = sign_in(client, "oda", next="https://evil.example/")

    assert response.url == VERIFY


def test_keep_me_signed_in_carries_through_the_code_step(client, device):
    sign_in(client, "oda", remember="on")
    send_code(client, code_for(device))

    assert client.session.get("remember") is True
    assert client.session.get_expire_at_browser_close() is False


def test_too_many_wrong_codes_lock_the_user_out(client, device, settings):
    # given the password, then as many wrong codes as allowed
    sign_in(client, "oda")
    right = code_for(device)
    wrong = "000000" if right != "000000" else "111111"
    statuses = [send_code(client, wrong).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]

    # when the right code comes next
    response = send_code(client, right)

    # then the step says to wait, and nobody is signed in
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in is locked for a while" in page
    assert "(in 15\xa0minutes)" in page
    assert signed_in_user_id(client) is None
    # and the password is locked too: it is the same lockout
    assert sign_in(client, "oda").status_code == 429


def test_wrong_codes_from_many_addresses_are_limited_for_the_user(client, member, device, settings):
    # given the password, then wrong codes each from another address (none is locked)
    sign_in(client, "oda")
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(VERIFY, {"code": "abcdefgh"}, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 200

    # when the right code comes from yet another address
    response = client.post(
        VERIFY, {"code": code_for(device)}, REMOTE_ADDR="10.0.1.1", HTTP_ACCEPT_LANGUAGE="en"
    )

    # then the step says to wait, and nobody is signed in
    assert response.status_code == 429
    assert response.context["form"].errors["code"] == [
        "Too many wrong codes were typed for this account. Please try again in 15 minutes at most."
    ]
    assert signed_in_user_id(client) is None


def test_wrong_passwords_and_wrong_codes_add_up(client, device, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "oda", "wrong")
    sign_in(client, "oda")

    response = send_code(client, "abcdefgh")

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_signing_in_again_with_the_password_does_not_reset_the_wrong_codes(
    client, device, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "oda")
        send_code(client, "abcdefgh")

    sign_in(client, "oda")
    response = send_code(client, "abcdefgh")

    assert response.status_code == 429


def test_a_password_changed_between_the_steps_ends_the_sign_in(client, member, device):
    sign_in(client, "oda")
    member.set_password("another-Password-42")
    member.save()

    response = send_code(client, code_for(device))

    assert response.url == LOGIN
    assert signed_in_user_id(client) is None


def test_a_code_typed_with_persian_digits_and_spaces_signs_in(client, member, device):
    code = code_for(device)
    persian = code[:3].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) + " " + code[3:]
    sign_in(client, "oda")

    response = send_code(client, persian)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(member.pk)


def test_a_half_done_sign_in_expires(client, device):
    sign_in(client, "oda")
    session = client.session
    session[PENDING]["at"] -= PENDING_SECONDS + 1
    session.save()

    response = send_code(client, code_for(device))

    assert response.url == LOGIN
    assert signed_in_user_id(client) is None


def test_a_code_is_counted_before_it_is_checked(client, device, settings, monkeypatch):
    """Guesses sent all at once must not all be checked before any is counted."""
    from accounts import throttle
    from twofactor import lockout, services

    counted_when_checked = []
    check = services.verify_code

    def verify_code(user, code):
        counted_when_checked.append(throttle.used_up(lockout.SCOPE, str(user.pk), limit=1))
        return check(user, code)

    monkeypatch.setattr(services, "verify_code", verify_code)
    sign_in(client, "oda")

    send_code(client, "000000" if code_for(device) != "000000" else "111111")

    assert counted_when_checked == [True]


def test_a_right_code_forgives_the_wrong_ones_before_it(client, device, settings):
    sign_in(client, "oda")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        send_code(client, "abcdefgh")
    send_code(client, code_for(device))
    client.logout()

    sign_in(client, "oda")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert send_code(client, "abcdefgh").status_code == 200


def test_with_redis_down_wrong_codes_are_limited_by_the_database(settings, redis_server, member):
    from axes.models import AccessAttempt

    from twofactor import lockout

    settings.CACHES = {
        "default": {"BACKEND": "common.cache.FailSoftRedisCache", "LOCATION": redis_server.url}
    }
    redis_server.stop()
    assert lockout.claim_try(member)

    # Wrong codes from several addresses, as django-axes records them.
    for address in ("10.0.0.1", "10.0.0.2"):
        AccessAttempt.objects.create(
            username=member.username,
            ip_address=address,
            failures_since_start=settings.AXES_FAILURE_LIMIT // 2 + 1,
            get_data="",
            post_data="",
            http_accept="",
            path_info=VERIFY,
            user_agent="",
        )

    assert not lockout.claim_try(member)
