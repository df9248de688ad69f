"""django-axes' lockout: who is locked, and the page that says until when.

A name is locked at an address after AXES_FAILURE_LIMIT failed sign-ins, and an address
for every name after HELPDESK_ADDRESS_FAILURE_LIMIT: one person's typos do not lock out
an office behind one address, and a spray of names from one address is still stopped.
Failures live in axes' tables, which every web process shares.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render

from .selectors import user_for_login


def attempted_username(request, credentials) -> str:
    """One name per account: "oda", "ODA" and "oda@example.org" share one counter."""
    typed = (credentials or {}).get("username") or ""
    user = user_for_login(typed)
    return user.username if user else typed.strip().casefold()


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, which locks a name at an address (AXES_LOCKOUT_PARAMETERS),
    with the address's own, higher limit on top."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or (
            settings.AXES_LOCK_OUT_AT_FAILURE and address_locked(request)
        )

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Axes flags only the name's own lock; this failure may have used up the address's.
        if (
            request is not None
            and not request.axes_locked_out
            and not self.is_allowed(request, credentials)
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def address_locked(request) -> bool:
    """Whether the visitor's address failed HELPDESK_ADDRESS_FAILURE_LIMIT times, with
    any names, within the cool-off."""
    failures = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return (failures or 0) >= settings.HELPDESK_ADDRESS_FAILURE_LIMIT


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page: signing in is refused until the cool-off after this failure."""
    cool_off = get_cool_off(request)
    context = {
        "address_locked": address_locked(request),
        "cool_off": cool_off,
        # This failure was counted, so the lock lasts a whole cool-off from now on.
        "until": request.axes_attempt_time + cool_off if cool_off else None,
    }
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How axes names a sign-in in its log lines: the address alone. The name typed is
    often an e-mail address, and the failures themselves, names included, are kept in
    axes' table for the admins."""
    return f"{{ip_address: {ip_address}}}"
