"""Two-factor sign-in as the production default has it: a responsible must set it up with
the secret shown on the page, and then signs in with the password and a code."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from .pages import PASSWORD, PHONE, t
from .test_accessibility import report, serious_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def code_from(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app given `secret` shows."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def fresh_code(secret: str) -> str:
    """The code shown now, taken early enough in its 30 seconds to reach the server
    within them: a code a step old is taken too, but django-otp then remembers the
    step's drift and refuses the next sign-in's code, one step ahead."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
    return code_from(secret)


def password_step(page, username):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")


@pytest.mark.parametrize("language", ["tr", "fa"])
def test_a_responsible_sets_it_up_and_signs_in_with_a_code(
    open_page, settings, screenshot, language
):
    settings.HELPDESK_2FA_REQUIRED_FOR = ["handlers", "supervisors", "admins"]
    found = {}

    # given: the password alone leads to the setup, and nowhere else
    page = open_page(language)
    password_step(page, "kapasite")
    page.wait_for_url("**/accounts/two-factor/setup/")
    page.goto("/tickets/")
    page.wait_for_url("**/accounts/two-factor/setup/")
    page.get_by_role("button", name=t(language, "Begin")).click()

    # when: the key shown is typed into an app, and its code into the page
    secret = page.locator(".twofactor-secret").inner_text()
    expect(page.locator("svg.twofactor-qr")).to_be_visible()
    found["setup"] = serious_violations(page)
    screenshot(page, f"two-factor-setup-{language}")
    page.get_by_label(t(language, "Code")).fill(fresh_code(secret))
    page.get_by_role("button", name=t(language, "Turn on two-factor sign-in")).click()

    # then: ten recovery codes, once; and the list opens
    expect(page.locator(".twofactor-codes li")).to_have_count(10)
    page.get_by_role("link", name=t(language, "I have kept them")).click()
    page.wait_for_url("**/accounts/profile/")
    page.goto("/tickets/")
    page.wait_for_url("**/tickets/")

    # and the next sign-in asks for a code after the password
    page.get_by_role("button", name=t(language, "Sign out")).click()
    page.set_viewport_size(PHONE)
    password_step(page, "kapasite")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    found["verify (phone)"] = serious_violations(page)
    page.get_by_label(t(language, "Code")).fill(code_from(secret, steps_ahead=1))
    page.get_by_label(t(language, "Code")).press("Enter")
    page.wait_for_url("**/tickets/")

    assert {name: v for name, v in found.items() if v} == {}, report(found)
