"""Request bodies: JSON up to a size, documents within the site's upload limits."""

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status

from tickets import uploads


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class LimitedJSONParser(parsers.JSONParser):
    """JSON of at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes, judged before it is read."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        try:
            length = int(length or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise TooLarge(
                _("The request body is larger than the limit of %(limit)s.")
                % {"limit": filesizeformat(limit)}
            )
        return super().parse(stream, media_type, parser_context)


class DocumentsParser(parsers.MultiPartParser):
    """Multipart forms with documents, through the site's upload handlers and limits."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as error:
            cause = error.__cause__ or error.__context__
            if isinstance(cause, uploads.RequestTooLarge):
                raise TooLarge(cause.message) from None
            raise
        except TooManyFilesSent:
            raise exceptions.ValidationError({"attachments": [uploads.too_many_files()]}) from None
