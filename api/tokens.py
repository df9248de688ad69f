"""Making, checking and revoking personal tokens: the one place that knows their shape."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ApiToken, Scope

PREFIX = "hd_"
# Writing "last used" on every request would cost a write per read: once a minute is enough.
LAST_USED_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(user, *, name: str, days: int | None = None, scope: str = Scope.READ_WRITE):
    """A new token for `user`; returns (the row, the token), the token's only showing."""
    days = settings.HELPDESK_API_TOKEN_DAYS if days is None else days
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        token = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                row = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=prefix,
                    digest=_digest(token),
                    scope=scope,
                    expires_at=timezone.now() + timedelta(days=days),
                )
        except IntegrityError:
            continue  # the prefix was taken: draw again
        return row, token
    raise RuntimeError("No free token prefix after five draws.")


def find(token: str) -> ApiToken | None:
    """The token's row if `token` is one of ours (usable or not), else None."""
    if not token.startswith(PREFIX) or token.count("_") < 2:
        return None
    prefix = token[len(PREFIX) :].split("_", 1)[0]
    row = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if row is None or not hmac.compare_digest(row.digest, _digest(token)):
        return None
    return row


def touch(row: ApiToken) -> None:
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now


def revoke(row: ApiToken, *, by) -> None:
    """Revoke one of `by`'s own tokens (idempotent)."""
    if row.user_id != by.pk:
        raise PermissionError
    ApiToken.objects.filter(pk=row.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
