"""The person's API tokens in their privacy export (common/personal_data.py): names,
scopes and dates, never the token's digest nor its prefix."""

from .models import ApiToken


def _date(value):
    return value.isoformat() if value else None


def tokens(sender, *, person, **kwargs) -> tuple[str, list[dict]]:
    rows = ApiToken.objects.filter(user=person).order_by("pk")
    return "api_tokens", [
        {
            "name": row.name,
            "scope": row.scope,
            "created": _date(row.created_at),
            "expires": _date(row.expires_at),
            "last_used": _date(row.last_used_at),
            "revoked": _date(row.revoked_at),
        }
        for row in rows
    ]
