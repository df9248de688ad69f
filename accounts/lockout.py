"""How django-axes names the user of a failed sign-in."""

from .selectors import user_for_login


def attempted_username(request, credentials) -> str:
    """One name per account: "oda", "ODA" and "oda@example.org" share one counter."""
    typed = (credentials or {}).get("username") or ""
    user = user_for_login(typed)
    return user.username if user else typed.strip().casefold()
