"""Working-time arithmetic, pure: no database, no settings, no clock of its own.

A `Schedule` is a calendar's working hours per weekday in its own time zone, and its
holidays as local dates. Instants in and out are aware datetimes (any zone); the
working periods are laid out day by day in the calendar's zone with zoneinfo, so a
working day across a daylight saving change lasts what the wall clock says (09:00 to
17:00 is eight hours on both sides of the change).

Pauses are intervals of instants that do not count (a ticket waiting for the member).
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]
# How far a search for working time goes before giving up (a calendar whose every
# day is a holiday): ten years, far beyond any target.
HORIZON_DAYS = 3660
ZERO = timedelta(0)


class NoWorkingTime(ValueError):
    """The schedule has no working time (left) to count in."""


@dataclass(frozen=True)
class Schedule:
    zone: ZoneInfo
    # Weekday (Monday 0 … Sunday 6) → its working periods as (start, end) local times;
    # an end of 00:00 means midnight at the end of the day.
    hours: Mapping[int, tuple[tuple[time, time], ...]]
    # Inclusive ranges of local dates on which nobody works.
    holidays: tuple[tuple[date, date], ...] = field(default=())
    # Each day's periods once: a run over many tickets asks for the same days again.
    _days: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        if not any(self.hours.get(day) for day in range(7)):
            raise NoWorkingTime("A schedule needs working hours on at least one weekday.")

    def is_holiday(self, day: date) -> bool:
        return any(first <= day <= last for first, last in self.holidays)

    def periods_on(self, day: date) -> tuple[Interval, ...]:
        """The working periods of a local date, as instants in UTC."""
        periods = self._days.get(day)
        if periods is None:
            periods = self._days[day] = self._periods_on(day)
        return periods

    def _periods_on(self, day: date) -> tuple[Interval, ...]:
        if self.is_holiday(day):
            return ()
        periods = []
        for start, end in self.hours.get(day.weekday(), ()):
            begins = _instant(day, start, self.zone)
            ends = _instant(day + timedelta(days=1) if end == time(0) else day, end, self.zone)
            if begins < ends:
                periods.append((begins, ends))
        return tuple(sorted(periods))


def _instant(day: date, moment: time, zone: ZoneInfo) -> datetime:
    """A local wall-clock time as an instant in UTC; a time skipped by a daylight
    saving change counts from the change (zoneinfo's fold=0 reading, normalised)."""
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def _local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("Working time is counted between aware datetimes.")
    return instant.astimezone(UTC)


def _merge(pauses: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted((_aware(s), _aware(e)) for s, e in pauses):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _minus(period: Interval, pauses: list[Interval]) -> list[Interval]:
    """`period` without the (merged, sorted) `pauses`."""
    pieces, (start, end) = [], period
    for pause_start, pause_end in pauses:
        if pause_end <= start or pause_start >= end:
            continue
        if pause_start > start:
            pieces.append((start, pause_start))
        start = max(start, pause_end)
        if start >= end:
            return pieces
    pieces.append((start, end))
    return pieces


def _working(
    schedule: Schedule, start: datetime, pauses: list[Interval], backwards: bool = False
) -> Iterator[Interval]:
    """The working intervals from `start` on (or, backwards, before it), clipped to
    it, without the pauses, in order of distance from `start`."""
    day = _local_date(start, schedule.zone)
    step = timedelta(days=-1 if backwards else 1)
    # One day before: a period that crosses midnight (ends at 00:00) began the day before.
    day -= step
    for _ in range(HORIZON_DAYS):
        periods = schedule.periods_on(day)
        for period in reversed(periods) if backwards else periods:
            begins, ends = period
            if backwards:
                ends = min(ends, start)
            else:
                begins = max(begins, start)
            if begins >= ends:
                continue
            if not pauses:
                yield begins, ends
                continue
            pieces = _minus((begins, ends), pauses)
            yield from reversed(pieces) if backwards else pieces
        day += step


def between(
    schedule: Schedule, start: datetime, end: datetime, pauses: Iterable[Interval] = ()
) -> timedelta:
    """The working time from `start` to `end` outside the pauses; negative when `end`
    comes first."""
    start, end = _aware(start), _aware(end)
    if end < start:
        return -between(schedule, end, start, pauses)
    merged = _merge(pauses)
    total = ZERO
    day = _local_date(start, schedule.zone) - timedelta(days=1)
    last = _local_date(end, schedule.zone)
    while day <= last:
        for begins, ends in schedule.periods_on(day):
            begins, ends = max(begins, start), min(ends, end)
            if begins < ends:
                total += sum((e - s for s, e in _minus((begins, ends), merged)), ZERO)
        day += timedelta(days=1)
    return total


def add(
    schedule: Schedule, start: datetime, amount: timedelta, pauses: Iterable[Interval] = ()
) -> datetime:
    """The instant at which `amount` of working time after `start` (outside the
    pauses) has passed; a negative amount counts back. Returned in UTC.

    The due of work that fills a day to its end is that end (17:00), not the next
    morning: the instant the last working minute passes.
    """
    start = _aware(start)
    if amount == ZERO:
        return start
    backwards = amount < ZERO
    left = -amount if backwards else amount
    for begins, ends in _working(schedule, start, _merge(pauses), backwards):
        length = ends - begins
        if length >= left:
            return ends - left if backwards else begins + left
        left -= length
    raise NoWorkingTime("No working time within the horizon.")


def is_working(schedule: Schedule, instant: datetime) -> bool:
    """Whether `instant` falls in a working period."""
    instant = _aware(instant)
    day = _local_date(instant, schedule.zone)
    for candidate in (day - timedelta(days=1), day):
        if any(b <= instant < e for b, e in schedule.periods_on(candidate)):
            return True
    return False


def overlapping(ranges: Iterable[tuple[date, date]]) -> tuple[int, int] | None:
    """The positions of two inclusive date ranges that overlap, if any."""
    ordered = sorted(enumerate(ranges), key=lambda item: item[1])
    for (i, (_, last)), (j, (first, _)) in zip(ordered, ordered[1:], strict=False):
        if first <= last:
            return i, j
    return None
