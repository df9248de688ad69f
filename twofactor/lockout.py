"""Wrong codes: counted by django-axes like wrong passwords (a username at an address, and
the address; AxesMiddleware then answers with the lockout page), and besides at most
AXES_FAILURE_LIMIT tries a user within AXES_COOLOFF_MINUTES from all addresses together
until a right one, since whoever has the password could otherwise spread guesses over
many addresses.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.utils import timezone

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
        when_down=lambda: _failures_in_database(user) < settings.AXES_FAILURE_LIMIT,
    )


def _failures_in_database(user) -> int:
    """While the cache is down: the user's failures within the cool-off from all
    addresses, as django-axes counted them. Counted after the check, not before, so
    guesses sent at once may pass together; but the limit still holds from then on."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(
        username=user.get_username(), attempt_time__gte=since
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return failures or 0


def forgive(user) -> None:
    """A right code or password: the user's tries start again from none."""
    throttle.reset(SCOPE, str(user.pk), limit=settings.AXES_FAILURE_LIMIT)


def wait_minutes() -> int:
    """The longest wait before the user may try a code again."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def count_failure(request, user) -> None:
    """One wrong code (or password, when turning two-factor off) for django-axes too."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
