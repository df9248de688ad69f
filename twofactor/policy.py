"""Who must use two-factor sign-in: the groups named in HELPDESK_2FA_REQUIRED_FOR."""

from django.conf import settings

from categories.selectors import handles_tickets

# "members" are everyone in none of the other groups.
GROUPS = ("members", "handlers", "supervisors", "admins")


def groups_of(user) -> set[str]:
    groups = set()
    if handles_tickets(user):
        groups.add("handlers")
    if user.is_supervisor:
        groups.add("supervisors")
    if user.is_staff or user.is_superuser:
        groups.add("admins")
    return groups or {"members"}


def is_required(user) -> bool:
    required = set(settings.HELPDESK_2FA_REQUIRED_FOR)
    # No query at all when nobody must use it.
    return bool(required) and bool(groups_of(user) & required)
