"""Which reads may go to the read replica: marked views only, never right after a write.

A replica lags the primary by a moment. Pages that list and search (the ticket list,
its export, later the dashboard) may show a list a second old, so they are marked with
`@reads_from_replica`; every other read, and every write, uses the primary
(common/dbrouters.py). A user who has just changed something must see it: every
successful unsafe request (POST, ...) sets a signed cookie that keeps that user's reads
on the primary for HELPDESK_REPLICA_LAG_SECONDS. A cookie rather than the session, so
that marking it costs no session write; signed with its time, so that it ends on time
whatever the browser keeps.
"""

import contextvars
from functools import wraps

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections

REPLICA = "replica"
COOKIE = "helpdesk_wrote"
SALT = "common.replica"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

_marked = contextvars.ContextVar("reads_from_replica", default=False)
_wrote_recently = contextvars.ContextVar("wrote_recently", default=False)


def configured() -> bool:
    return REPLICA in connections.settings


def replica_allowed() -> bool:
    """Whether a read may go to the replica now (the router asks)."""
    return _marked.get() and not _wrote_recently.get() and configured()


def reads_from_replica(view):
    """Mark a view whose reads may lag the primary by a moment (a list, a search).

    A streamed response reads after the view returns: pin its queryset to the alias
    chosen inside the view (`queryset.using(queryset.db)`).
    """

    @wraps(view)
    def marked(request, *args, **kwargs):
        token = _marked.set(True)
        try:
            return view(request, *args, **kwargs)
        finally:
            _marked.reset(token)

    return marked


class ReadYourWritesMiddleware:
    """Keeps a user's reads on the primary for a while after their own write."""

    def __init__(self, get_response):
        if not configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        lag = settings.HELPDESK_REPLICA_LAG_SECONDS
        wrote = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=lag)
        token = _wrote_recently.set(wrote is not None)
        try:
            response = self.get_response(request)
        finally:
            _wrote_recently.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=SALT,
                max_age=lag,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
