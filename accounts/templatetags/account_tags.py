from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timeuntil

from accounts.phones import national

register = template.Library()


@register.filter
def national_phone(value: str) -> str:
    """`+902241234567` → `(0224) 123 45 67`."""
    return national(value)


@register.filter
def duration(value: timedelta) -> str:
    """A wait in words, in the page's language: "15 minutes"."""
    now = timezone.now()
    return timeuntil(now + value, now)
