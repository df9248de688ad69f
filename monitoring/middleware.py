import logging
import re
import time
import uuid

from django.conf import settings

from . import logformat, metrics

logger = logging.getLogger("monitoring.requests")

# A request id from the proxy in front is kept when it looks like one.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
UNMATCHED = "unmatched"


class RequestMiddleware:
    """Outermost: gives each request an id (`X-Request-ID`, kept from the proxy or made
    here, and sent back), counts it in the metrics and writes its one log line.

    The line names the view, never the path: a path may hold a token (a password reset
    link) and a query string what a person typed (search terms, e-mail addresses). It
    carries the signed-in user's id and the ticket's, numbers only.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        current = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        # Kept until `request_finished`, so that Django's own line about the response and
        # the mail sent after it carry the id too.
        logformat.request_id.set(current)
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response["X-Request-ID"] = current
        view = _view_name(request)
        if settings.HELPDESK_METRICS:
            metrics.observe_request(view=view, status=response.status_code, seconds=seconds)
        logger.info(
            "%s %s %s %.1f ms",
            request.method,
            view,
            response.status_code,
            seconds * 1000,
            extra={
                "method": request.method,
                "view": view,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": _user_id(request),
                "ticket_id": _ticket_id(request),
            },
        )
        return response


def forget_request_id(**kwargs) -> None:
    """On `request_finished`: lines logged from now on belong to no request."""
    logformat.request_id.set(None)


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    # A pattern without a name is named by its view function's dotted path.
    return match.view_name if match is not None else UNMATCHED


def _user_id(request) -> int | None:
    """The user the request ended with, when the site looked (never a query of its own)."""
    user = getattr(request, "user", None)
    user = getattr(user, "_wrapped", user)  # an unevaluated SimpleLazyObject has no user yet
    if getattr(user, "is_authenticated", False) is True:
        return user.pk
    return None


def _ticket_id(request) -> int | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if "ticket_id" in match.kwargs:
        return match.kwargs["ticket_id"]
    # The ticket's own pages are tickets/<pk>/...
    if match.app_name == "tickets" and "pk" in match.kwargs:
        return match.kwargs["pk"]
    return None
