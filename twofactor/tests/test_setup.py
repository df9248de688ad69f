"""Setting two-factor sign-in up on the profile page, new recovery codes, turning it off."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import PASSWORD, SETUP, code_for

PROFILE = "/accounts/profile/"
CONFIRM = "/accounts/two-factor/setup/confirm/"


@pytest.fixture
def web(client, member):
    client.force_login(member)
    return client


def begin(web) -> TOTPDevice:
    web.post(SETUP)
    return TOTPDevice.objects.get()


def page(response) -> str:
    return response.content.decode()


def test_the_profile_offers_to_set_it_up(web):
    html = page(web.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en"))

    assert "Two-factor sign-in" in html
    assert f'action="{SETUP}"' in html


def test_opening_the_setup_page_saves_nothing(web):
    web.get(SETUP)

    assert not TOTPDevice.objects.exists()


def test_the_setup_shows_a_qr_code_and_the_key_to_type(web):
    device = begin(web)

    html = page(web.get(SETUP, HTTP_ACCEPT_LANGUAGE="en"))

    assert '<svg width="' in html and 'class="twofactor-qr"' in html
    assert "<title>QR code for your authenticator app</title>" in html
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    assert secret[:4] + " " + secret[4:8] in html
    assert not device.confirmed


def test_a_right_code_turns_it_on_and_shows_ten_recovery_codes(web, member):
    device = begin(web)

    response = web.post(CONFIRM, {"code": code_for(device)}, HTTP_ACCEPT_LANGUAGE="en")

    device.refresh_from_db()
    assert device.confirmed
    tokens = list(StaticToken.objects.filter(device__user=member).values_list("token", flat=True))
    assert len(set(tokens)) == 10
    assert all(f"<code>{token}</code>" in page(response) for token in tokens)
    assert "Two-factor sign-in is on." in page(response)


def test_the_recovery_codes_are_not_shown_again(web, member):
    device = begin(web)
    web.post(CONFIRM, {"code": code_for(device)})
    token = StaticToken.objects.filter(device__user=member).first().token

    html = page(web.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en"))

    assert token not in html
    assert "10 recovery codes left." in html


def test_a_wrong_code_is_refused_and_nothing_is_saved(web, member):
    device = begin(web)
    wrong = "000000" if code_for(device) != "000000" else "111111"

    response = web.post(CONFIRM, {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "That code is not right. Check that the clock of your phone is right and type the "
        "code the app shows now."
    ]
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=member).exists()
    # The same QR code is shown again, to try once more.
    assert 'class="twofactor-qr"' in page(response)


def test_a_recovery_code_does_not_confirm_the_app(web):
    device = begin(web)

    response = web.post(CONFIRM, {"code": "abcdefgh"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed


def test_confirming_verifies_this_session(required, responsible, client):
    client.force_login(responsible)
    client.post(SETUP)
    device = TOTPDevice.objects.get(user=responsible)

    client.post(CONFIRM, {"code": code_for(device)})

    assert client.get("/tickets/").status_code == 200


def test_new_recovery_codes_replace_the_old(client, member, through_both_steps):
    through_both_steps(member)
    old = set(StaticToken.objects.values_list("token", flat=True))

    response = client.post("/accounts/two-factor/recovery-codes/")

    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == 10
    assert not old & new
    assert all(f"<code>{token}</code>" in page(response) for token in new)


def test_new_recovery_codes_need_two_factor_on(web):
    response = web.post("/accounts/two-factor/recovery-codes/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.url == PROFILE
    assert not StaticToken.objects.exists()


def test_turning_it_off_needs_the_password(client, member, through_both_steps):
    through_both_steps(member)

    refused = client.post(
        "/accounts/two-factor/off/", {"password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert TOTPDevice.objects.filter(user=member).exists()
    assert "The password or the code is not right: two-factor sign-in stays on." in page(refused)

    client.post("/accounts/two-factor/off/", {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not StaticDevice.objects.filter(user=member).exists()


def test_turning_it_off_with_nothing_typed_is_refused_with_a_message(
    client, member, through_both_steps
):
    through_both_steps(member)

    response = client.post(
        "/accounts/two-factor/off/",
        {"password": "", "code": ""},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert "Type your password or a code from your app" in page(response)
    assert TOTPDevice.objects.filter(user=member).exists()


def test_turning_it_off_with_a_current_code(client, member, through_both_steps):
    device = through_both_steps(member)

    client.post("/accounts/two-factor/off/", {"code": code_for(device, steps_ahead=1)})

    assert not TOTPDevice.objects.filter(user=member).exists()


def test_setting_up_and_turning_off_are_posts(client, member, through_both_steps):
    through_both_steps(member)

    assert client.get("/accounts/two-factor/off/").status_code == 405
    assert client.get("/accounts/two-factor/recovery-codes/").status_code == 405
    assert client.get(CONFIRM).status_code == 405
    assert TOTPDevice.objects.filter(user=member).exists()


def test_wrong_passwords_to_turn_it_off_count_toward_the_lockout(
    client, member, through_both_steps, settings
):
    through_both_steps(member)

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/two-factor/off/", {"password": "wrong"})
    locked = client.post("/accounts/two-factor/off/", {"password": "wrong"})
    after = client.post("/accounts/two-factor/off/", {"password": PASSWORD})

    assert (locked.status_code, after.status_code) == (429, 429)
    assert TOTPDevice.objects.filter(user=member).exists()


def test_a_second_setup_is_refused_while_it_is_on(client, member, through_both_steps):
    through_both_steps(member)

    response = client.post(SETUP, HTTP_ACCEPT_LANGUAGE="en", follow=True)

    assert "Two-factor sign-in is already on." in page(response)
    assert TOTPDevice.objects.filter(user=member).count() == 1


def test_the_profile_shows_it_on_with_a_way_to_turn_it_off(client, member, through_both_steps):
    through_both_steps(member)

    html = page(client.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en"))

    assert "10 recovery codes left." in html
    assert 'action="/accounts/two-factor/off/"' in html
    assert 'action="/accounts/two-factor/recovery-codes/"' in html
