"""Every change of a user's second factor: set up, confirm, new recovery codes, turn off."""

import django_otp
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .selectors import authenticator, has_authenticator, recovery_device

RECOVERY_CODES = 10


class TwoFactorError(Exception):
    """A refused change; its message is for the user."""


@transaction.atomic
def start_setup(user) -> TOTPDevice:
    """A new secret for an authenticator app; it counts once a code from it is typed."""
    if has_authenticator(user):
        raise TwoFactorError(_("Two-factor sign-in is already on."))
    # A setup left half-way is replaced, never confirmed later with an old secret.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_setup(device: TOTPDevice, *, code: str) -> list[str]:
    """Turns two-factor sign-in on when `code` comes from `device`; returns the new
    recovery codes, which are shown this once."""
    # Locked: two confirmations at once must not make two sets of recovery codes.
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed:
        raise TwoFactorError(_("Two-factor sign-in is already on."))
    if not (code.isdigit() and device.verify_token(code)):
        raise TwoFactorError(
            _(
                "That code is not right. Check that the clock of your phone is right and "
                "type the code the app shows now."
            )
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return _replace_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not has_authenticator(user):
        raise TwoFactorError(_("Two-factor sign-in is off: there are no recovery codes."))
    return _replace_recovery_codes(user)


def _replace_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def turn_off(user) -> None:
    """Removes the authenticator and the recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def verify_code(user, code: str) -> Device | None:
    """The device that accepts `code` (a code from the app, or a recovery code), or None.

    Each code works once: a recovery code is deleted, and the app's codes must come
    from a later time step than the last one accepted (`last_t`).
    """
    device = authenticator(user) if code.isdigit() else recovery_device(user)
    if device is None:
        return None
    # Locks the device row while checking, so that one code cannot win twice at once.
    return django_otp.verify_token(user, device.persistent_id, code)
