"""Tokens that say whether a copy kept in a process is current (common.models.Version).

`bump(name)` gives `name` a new random token in the caller's transaction: the token and
the change it stands for become visible together, or not at all. A token is never
reused (a rolled-back bump leaves the old one), so equal tokens mean equal data.
"""

import uuid

from django.db import router
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from .models import Version


def bump(name: str, *, using: str | None = None) -> None:
    Version.objects.using(using or router.db_for_write(Version)).bulk_create(
        [Version(name=name, token=uuid.uuid4().hex)],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["token"],
    )


def current(name: str) -> str:
    """The token now, read from the primary ("" before the first bump)."""
    rows = Version.objects.using(router.db_for_write(Version)).filter(name=name)
    return rows.values_list("token", flat=True).first() or ""


def token_expression(name: str):
    """The token as an expression, to read it within another query ("" before any bump)."""
    return Coalesce(Subquery(Version.objects.filter(name=name).values("token")[:1]), Value(""))
