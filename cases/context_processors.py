"""The menu's link to the cases and orders, for those who have any."""

from django.utils.functional import SimpleLazyObject

from . import selectors


def records(request):
    """`has_records`: asked once, by the menu, on the pages that show it."""
    user = getattr(request, "user", None)
    return {
        "has_records": SimpleLazyObject(lambda: user is not None and selectors.has_records(user))
    }
