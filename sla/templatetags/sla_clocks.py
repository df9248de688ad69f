"""The ticket page's service level card: tickets/detail.html includes it for handlers,
so that tickets/ renders the clocks without importing this app."""

from django import template

from sla import clocks

register = template.Library()


@register.inclusion_tag("sla/_clocks.html")
def sla_clocks(ticket):
    readings, held = clocks.readings(ticket)
    return {"ticket": ticket, "readings": readings, "held": held}


@register.filter
def working_hours(length) -> str:
    """A working time as hours and minutes: "12:30"; negative with a minus sign."""
    seconds = int(length.total_seconds())
    sign = "-" if seconds < 0 else ""
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"
