"""A generated ticket's service level clocks, as sla/ would have stored them, cheaply.

The targets are sla's default ones (sla/seeding.py) in working minutes, counted in the
default calendar's office hours (Monday to Friday, 8:30-12:30 and 13:30-17:30 in the
site's time zone) from the filing; holidays and pauses are left out, which moves a due
by hours at most and keeps a million tickets' clocks a few loops each. A paused ticket
(waiting for the member, or resolved) has no running due, as in sla/.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tickets.models import EventKind, Priority, Status

# Working minutes: first response, resolution (sla/seeding.py's DEFAULT_TARGETS).
TARGETS = {
    Priority.HIGH: (60, 8 * 60),
    Priority.MEDIUM: (4 * 60, 3 * 8 * 60),
    Priority.LOW: (8 * 60, 5 * 8 * 60),
}
OFFICE = ((time(8, 30), time(12, 30)), (time(13, 30), time(17, 30)))
ANSWERS = (EventKind.REPLIED, EventKind.INFO_REQUESTED, EventKind.RESOLVED)
PAUSING = (Status.INFO_REQUESTED, Status.RESOLVED)


def working_due(start: datetime, minutes: int, zone: ZoneInfo) -> datetime:
    """`minutes` of office hours after `start`."""
    left = timedelta(minutes=minutes)
    local = start.astimezone(zone)
    day = local.date()
    while True:
        if day.weekday() < 5:
            for opens, closes in OFFICE:
                begin = max(datetime.combine(day, opens, tzinfo=zone), local)
                end = datetime.combine(day, closes, tzinfo=zone)
                if begin >= end:
                    continue
                if end - begin >= left:
                    return (begin + left).astimezone(UTC)
                left -= end - begin
        day += timedelta(days=1)


def clocks(life, zone: ZoneInfo) -> tuple:
    """(first_response_due_at, first_responded_at, resolution_due_at, due_at,
    sla_paused_at) of a generated ticket's story."""
    first, resolution = TARGETS[life.priority]
    first_due = working_due(life.created_at, first, zone)
    resolution_due = working_due(life.created_at, resolution, zone)
    # The first public answer from the handlers' side (the requester is the other side).
    responded = next(
        (
            e.created_at
            for e in life.events
            if e.kind in ANSWERS and not e.internal and e.actor_id not in (None, life.requester_id)
        ),
        None,
    )
    paused_at = None
    if life.status in PAUSING:
        paused_at = next(e.created_at for e in reversed(life.events) if e.kind in ANSWERS[1:])
    running = paused_at is None and life.status != Status.CLOSED
    pending = [resolution_due] if responded else [first_due, resolution_due]
    return first_due, responded, resolution_due, min(pending) if running else None, paused_at
