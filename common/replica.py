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
from django.db import DEFAULT_DB_ALIAS, connections

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


# Writes that change no page's data (a session's last activity, a rate limit's count,
# when a user last opened a ticket): they never make a list stale, at most an
# "updated" marker shows a moment longer.
HOUSEKEEPING = ("django_session", "helpdesk_cache", "axes_", "tickets_ticketseen")


def _noting_writes(noted: list):
    """An execute wrapper that notes a write of the user's data on the primary, such as
    a GET that marks a ticket read."""

    def note(execute, sql, params, many, context):
        verb = sql.lstrip()[:6].upper()
        if verb in ("INSERT", "UPDATE", "DELETE") and not any(t in sql for t in HOUSEKEEPING):
            noted.append(True)
        return execute(sql, params, many, context)

    return note


class ReadYourWritesMiddleware:
    """Keeps a user's reads on the primary for a while after their own write: after any
    successful unsafe request, and after any request that wrote their data."""

    def __init__(self, get_response):
        if not configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        lag = settings.HELPDESK_REPLICA_LAG_SECONDS
        wrote = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=lag)
        token = _wrote_recently.set(wrote is not None)
        wrote_now = []
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_noting_writes(wrote_now)):
                response = self.get_response(request)
        finally:
            _wrote_recently.reset(token)
        unsafe = request.method not in SAFE_METHODS
        if (unsafe or wrote_now) and response.status_code < 400:
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
