"""`Authorization: Bearer <token>`: a personal token, checked on every request."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import tokens


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A token that is unknown, expired, revoked, or whose user was deactivated fails
    at once (401): nothing about the user is cached with the token."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None  # not ours: the session may still authenticate
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must be: Bearer <token>.")
            )
        token = header[1]
        row = tokens.find(token) if token.isascii() else None
        if row is None or not row.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        if row.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        if not row.is_usable:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        tokens.touch(row)
        return row.user, row

    def authenticate_header(self, request):
        # Makes an unauthenticated request a 401 with WWW-Authenticate, not a 403.
        return f'{self.keyword} realm="api"'
