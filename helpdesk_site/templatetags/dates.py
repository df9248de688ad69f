"""How dates are shown: the one filter every template uses, so that each language
gets its own format (and calendar) in one place."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def when(value):
    """A date and time in the user's time zone and language; a dash when there is none."""
    if not value:
        return "—"
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
