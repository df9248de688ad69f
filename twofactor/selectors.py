"""What two-factor pages read: a user's authenticator and recovery codes.

Only a confirmed authenticator counts: one being set up is not yet a second factor.
Recovery codes exist only beside one.
"""

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import loading


def authenticator(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def had_authenticator(user) -> bool:
    """`has_authenticator` as of the request's start (accounts/loading.py), for the
    middleware's check before any view runs."""
    loaded = loading.fact(user, "has_authenticator")
    return has_authenticator(user) if loaded is None else loaded


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
