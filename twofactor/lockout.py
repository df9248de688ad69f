"""Wrong codes count as failed sign-ins in django-axes: one lockout for passwords and codes.

The username (and the address) is locked after AXES_FAILURE_LIMIT failures of either
kind, for AXES_COOLOFF_MINUTES; AxesMiddleware then answers with the lockout page.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed


def _credentials(user) -> dict:
    return {"username": user.get_username()}


def locked_out(request, user) -> bool:
    """True while the user or the address is locked; the answer becomes the lockout page."""
    credentials = _credentials(user)
    if AxesProxyHandler.is_allowed(request, credentials):
        return False
    request.axes_locked_out = True
    request.axes_credentials = credentials
    return True


def count_failure(request, user) -> None:
    """One failed attempt, as axes counts a wrong password; the last allowed one locks."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
