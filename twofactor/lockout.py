"""Wrong codes: counted by django-axes like wrong passwords (a username at an address, and
the address; AxesMiddleware then answers with the lockout page), and besides at most
AXES_FAILURE_LIMIT tries a user within AXES_COOLOFF_MINUTES from all addresses together
until a right one, since whoever has the password could otherwise spread guesses over
many addresses.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed

from accounts import throttle

SCOPE = "twofactor-wrong-code"


def _credentials(user) -> dict:
    return {"username": user.get_username()}


def locked_out(request, user) -> bool:
    """True while axes locks the user at this address (or the address); the answer then
    becomes the lockout page."""
    credentials = _credentials(user)
    if AxesProxyHandler.is_allowed(request, credentials):
        return False
    request.axes_locked_out = True
    request.axes_credentials = credentials
    return True


def claim_try(user) -> bool:
    """Count one code try for the user before it is checked; False once the user had
    AXES_FAILURE_LIMIT of them in the cool-off. Counted first, so that guesses sent all
    at once are counted all the same, not checked together before any is counted."""
    return throttle.allow(
        SCOPE,
        str(user.pk),
        limit=settings.AXES_FAILURE_LIMIT,
        window=int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )


def forgive(user) -> None:
    """A right code or password: the user's tries start again from none."""
    throttle.reset(SCOPE, str(user.pk), limit=settings.AXES_FAILURE_LIMIT)


def wait_minutes() -> int:
    """The longest wait before the user may try a code again."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def count_failure(request, user) -> None:
    """One wrong code (or password, when turning two-factor off) for django-axes too."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
