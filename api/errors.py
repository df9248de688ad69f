"""Every answer under /api/ is JSON, errors included:
`{"code": "...", "message": "...", "fields": {...}}`, the message in the request's language.

`exception_handler` shapes what DRF's views raise; the handlers below (named in the
site's URL map) answer for what fails before or outside them, under /api/ only.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from common.storage import StoreUnavailable
from tickets import uploads
from tickets.workflow import TicketStateError

API_PREFIX = "/api/"


class StoreDown(exceptions.APIException):
    """The document store failed: nothing was saved; worth trying again later."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "store_unavailable"


class Conflict(exceptions.APIException):
    """The action does not fit the ticket's status now (the message says why)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "ticket_state"


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return body


def _field_errors(detail) -> dict:
    """{field: [{"code", "message"}]}, nested fields joined by dots."""
    found = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(f"{prefix}.{name}" if prefix else str(name), inner)
        elif isinstance(value, list) and value and not isinstance(value[0], exceptions.ErrorDetail):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}", inner)
        else:
            items = value if isinstance(value, list) else [value]
            found.setdefault(prefix or "non_field_errors", []).extend(
                {"code": item.code, "message": str(item)} for item in items
            )

    walk("", detail)
    return found


def exception_handler(exc, context):
    if isinstance(exc, TicketStateError):
        exc = Conflict(str(exc))
    elif isinstance(exc, StoreUnavailable):
        exc = StoreDown(
            _(
                "Your documents could not be stored just now, so nothing was saved. Please "
                "try again in a few minutes; if it keeps failing, tell the administrators."
            )
        )
    elif isinstance(exc, DjangoValidationError):
        # The filing rules (tickets/filing.py): a kind, product or field value refused.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, TooManyFilesSent):
        exc = exceptions.ValidationError({"attachments": [uploads.too_many_files()]})
    response = drf_exception_handler(exc, context)  # Http404 and PermissionDenied too
    if response is None:
        return None  # a server error: handler500 answers
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            "invalid", _("Some fields are not valid."), _field_errors(exc.detail)
        )
    elif isinstance(exc, Http404):
        response.data = error_body("not_found", _("Not found."))
    elif isinstance(exc, PermissionDenied):
        response.data = error_body(
            "permission_denied", _("You do not have permission to perform this action.")
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
        code = detail.code if isinstance(detail, exceptions.ErrorDetail) else exc.default_code
        response.data = error_body(code, detail)
    return response


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception):
    if isinstance(exception, uploads.RequestTooLarge):
        return JsonResponse(error_body("too_large", exception.message), status=413)
    if isinstance(exception, RequestDataTooBig):
        message = _("The request body is too large.")
        return JsonResponse(error_body("too_large", message), status=413)
    if isinstance(exception, TooManyFilesSent):
        return JsonResponse(error_body("too_many_files", uploads.too_many_files()), status=400)
    return JsonResponse(error_body("bad_request", _("The request could not be read.")), status=400)


def permission_denied(request, exception):
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return JsonResponse(
        error_body("permission_denied", _("You do not have permission to perform this action.")),
        status=403,
    )


def page_not_found(request, exception):
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


def server_error(request):
    if not is_api(request):
        return defaults.server_error(request)
    return JsonResponse(
        error_body("server_error", _("Something went wrong on our side; it has been logged.")),
        status=500,
    )
