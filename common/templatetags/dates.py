"""How dates are shown: the one filter every template uses, so that each language
gets its own format (and calendar) in one place."""

from django import template

from common.calendars import format_datetime

register = template.Library()


@register.filter
def when(value):
    """A date and time in the user's time zone and language; a dash when there is none.

    Turkish and Russian 18.02.2019 11:25, English Feb. 18, 2019, 11:25 (formats/), and
    Persian in the Solar Hijri calendar with Persian digits: ۸ بهمن ۱۴۰۱ ۱۱:۲۵.
    """
    if not value:
        return "—"
    return format_datetime(value)
