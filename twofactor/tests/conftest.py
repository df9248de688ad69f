"""Fixtures for two-factor sign-in: authenticators, their codes, the production rule."""

import time

import pytest
from django.core.cache import cache
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from twofactor import services

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/setup/"
PASSWORD = "demo12345"  # noqa: S105 - the factories' password


@pytest.fixture(autouse=True)
def _empty_cache(django_db_setup, django_db_blocker):
    # Wrong codes are counted in the cache (a table of the test database, or Redis).
    with django_db_blocker.unblock():
        cache.clear()
    yield
    with django_db_blocker.unblock():
        cache.clear()


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or `steps_ahead` time steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def required(settings):
    """HELPDESK_2FA_REQUIRED_FOR as the deploy guide sets it for production."""
    settings.HELPDESK_2FA_REQUIRED_FOR = ["handlers", "supervisors", "admins"]


@pytest.fixture
def enrol(db):
    """`enrol(user)`: a confirmed authenticator, no code used yet, and recovery codes."""

    def enrol(user) -> TOTPDevice:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        services.new_recovery_codes(user)
        return device

    return enrol


@pytest.fixture
def through_both_steps(client, enrol):
    """`through_both_steps(user)`: enrols the user and signs them in with password and code;
    returns the device (whose current code is now used)."""

    def through_both_steps(user) -> TOTPDevice:
        device = enrol(user)
        sign_in(client, user.username)
        assert send_code(client, code_for(device)).status_code == 302
        return device

    return through_both_steps


@pytest.fixture
def superuser(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(username="admin", organisation=None, is_staff=True, is_superuser=True)


def sign_in(client, username, password=PASSWORD, **fields):
    return client.post(
        LOGIN, {"username": username, "password": password, **fields}, HTTP_ACCEPT_LANGUAGE="en"
    )


def send_code(client, code, **fields):
    return client.post(VERIFY, {"code": code, **fields}, HTTP_ACCEPT_LANGUAGE="en")
