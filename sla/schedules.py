"""The working calendars' schedules (time zone, hours, holidays), kept in each process
and read again only when a calendar changed.

They ride on the configuration's token (tickets/configuration.py): every save or delete
of a calendar, its hours or its holidays gives it a new value in the same transaction
(connected in apps.py; the seeding, which creates rows in bulk, says so itself), and
the copy kept here belongs to one copy of the configuration. A page, whose user was
loaded with the token, learns without a query whether the schedules are current; a
change in this process, committed in another, or rolled back all end with another
copy of the configuration, and so with the schedules read again.
"""

import zoneinfo
from dataclasses import dataclass

from django.db import router

from tickets import configuration

from . import worktime
from .models import Calendar, Holiday, WorkingHours


@dataclass(frozen=True)
class _Kept:
    configuration: configuration.Configuration
    # Calendar id → its schedule, or None for a calendar without working time.
    schedules: dict[int, worktime.Schedule | None]


_kept: _Kept | None = None  # this process's copy


def of(calendar: Calendar) -> worktime.Schedule:
    """The calendar's schedule as of this request's start (or now, outside a request);
    raises worktime.NoWorkingTime when it has no working hours."""
    global _kept
    current = configuration.current()
    kept = _kept
    if kept is None or kept.configuration is not current:
        kept = _kept = _Kept(current, _load())
    if calendar.pk not in kept.schedules:
        # Made after this request began, or not saved: read when asked for.
        return build(
            calendar.time_zone,
            calendar.hours.values_list("weekday", "starts", "ends"),
            calendar.holidays.values_list("first_day", "last_day"),
        )
    schedule = kept.schedules[calendar.pk]
    if schedule is None:
        raise worktime.NoWorkingTime("A schedule needs working hours on at least one weekday.")
    return schedule


def build(time_zone: str, hours, holidays) -> worktime.Schedule:
    """A calendar's schedule from its working hours ((weekday, starts, ends), in order)
    and holidays ((first day, last day))."""
    periods: dict[int, list] = {}
    for weekday, starts, ends in hours:
        periods.setdefault(weekday, []).append((starts, ends))
    return worktime.Schedule(
        zoneinfo.ZoneInfo(time_zone),
        {day: tuple(spans) for day, spans in periods.items()},
        tuple(holidays),
    )


def _load() -> dict[int, worktime.Schedule | None]:
    # Three queries for every calendar: they are a handful, their holidays a few hundred.
    using = router.db_for_write(Calendar)  # never a replica that lags behind the token
    hours: dict[int, list] = {}
    rows = WorkingHours.objects.using(using).order_by("weekday", "starts")
    for calendar_id, *period in rows.values_list("calendar_id", "weekday", "starts", "ends"):
        hours.setdefault(calendar_id, []).append(period)
    holidays: dict[int, list] = {}
    rows = Holiday.objects.using(using).order_by("first_day")
    for calendar_id, *days in rows.values_list("calendar_id", "first_day", "last_day"):
        holidays.setdefault(calendar_id, []).append(tuple(days))
    schedules = {}
    for pk, time_zone in Calendar.objects.using(using).values_list("pk", "time_zone"):
        try:
            schedules[pk] = build(time_zone, hours.get(pk, ()), holidays.get(pk, ()))
        except worktime.NoWorkingTime:
            schedules[pk] = None
    return schedules


def changed(*, using=None) -> None:
    """Rows of calendars were written without signals (in bulk): say so, in the caller's
    transaction."""
    configuration.changed(using=using)


MODELS = (Calendar, WorkingHours, Holiday)
