"""The working-time arithmetic: weekends, holidays, pauses, edits, time zones, DST."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla import worktime
from sla.worktime import Schedule

ISTANBUL = ZoneInfo("Europe/Istanbul")
NEW_YORK = ZoneInfo("America/New_York")
NINE_TO_SIX = ((time(9), time(18)),)
WEEKDAYS = {day: NINE_TO_SIX for day in range(5)}
H = timedelta(hours=1)


def turkey(*holidays):
    return Schedule(ISTANBUL, WEEKDAYS, tuple(holidays))


def local(zone, *args):
    return datetime(*args, tzinfo=zone)


def test_working_time_within_one_day():
    # given a Monday morning in Istanbul
    start = local(ISTANBUL, 2026, 12, 7, 10, 0)
    # then two working hours end at noon
    assert worktime.add(turkey(), start, 2 * H) == local(ISTANBUL, 2026, 12, 7, 12, 0)
    assert worktime.between(turkey(), start, local(ISTANBUL, 2026, 12, 7, 12, 0)) == 2 * H


def test_work_that_fills_the_day_is_due_at_its_end_not_the_next_morning():
    start = local(ISTANBUL, 2026, 12, 7, 9, 0)
    assert worktime.add(turkey(), start, 9 * H) == local(ISTANBUL, 2026, 12, 7, 18, 0)


def test_a_ticket_filed_in_the_evening_starts_counting_the_next_morning():
    start = local(ISTANBUL, 2026, 12, 7, 20, 30)
    assert worktime.add(turkey(), start, H) == local(ISTANBUL, 2026, 12, 8, 10, 0)


def test_the_weekend_does_not_count():
    # Friday 16:00 + 4 working hours: two on Friday, two on Monday
    start = local(ISTANBUL, 2026, 12, 11, 16, 0)
    due = worktime.add(turkey(), start, 4 * H)
    assert due == local(ISTANBUL, 2026, 12, 14, 11, 0)
    assert worktime.between(turkey(), start, due) == 4 * H


def test_a_holiday_does_not_count():
    # Republic Day, Thursday 29 October 2026
    schedule = turkey((date(2026, 10, 29), date(2026, 10, 29)))
    start = local(ISTANBUL, 2026, 10, 28, 17, 0)
    assert worktime.add(schedule, start, 2 * H) == local(ISTANBUL, 2026, 10, 30, 10, 0)


def test_a_holiday_of_several_days_and_a_weekend_together():
    # Ramazan Bayramı 2026: Friday 20 to Sunday 22 March; Thursday 19 is its eve
    schedule = turkey((date(2026, 3, 19), date(2026, 3, 22)))
    start = local(ISTANBUL, 2026, 3, 18, 17, 0)
    assert worktime.add(schedule, start, 2 * H) == local(ISTANBUL, 2026, 3, 23, 10, 0)
    assert worktime.between(schedule, start, local(ISTANBUL, 2026, 3, 23, 10, 0)) == 2 * H


def test_a_pause_does_not_count():
    start = local(ISTANBUL, 2026, 12, 7, 9, 0)
    pause = (local(ISTANBUL, 2026, 12, 7, 10, 0), local(ISTANBUL, 2026, 12, 7, 12, 0))
    assert worktime.add(turkey(), start, 3 * H, [pause]) == local(ISTANBUL, 2026, 12, 7, 14, 0)
    assert worktime.between(turkey(), start, local(ISTANBUL, 2026, 12, 7, 14, 0), [pause]) == 3 * H


def test_a_pause_over_a_holiday_costs_only_its_working_time():
    # given a pause from Wednesday 14:00 to Friday 11:00 over a Thursday holiday
    schedule = turkey((date(2026, 10, 29), date(2026, 10, 29)))
    start = local(ISTANBUL, 2026, 10, 28, 9, 0)
    pause = (local(ISTANBUL, 2026, 10, 28, 14, 0), local(ISTANBUL, 2026, 10, 30, 11, 0))
    # then the pause holds back 4 + 2 working hours, not the holiday's 9
    assert worktime.between(schedule, *pause) == 6 * H
    # and 9 working hours from Wednesday 09:00 are 5 before the pause, 4 after it
    assert worktime.add(schedule, start, 9 * H, [pause]) == local(ISTANBUL, 2026, 10, 30, 15, 0)


def test_overlapping_pauses_count_once():
    start = local(ISTANBUL, 2026, 12, 7, 9, 0)
    pauses = [
        (local(ISTANBUL, 2026, 12, 7, 10, 0), local(ISTANBUL, 2026, 12, 7, 12, 0)),
        (local(ISTANBUL, 2026, 12, 7, 11, 0), local(ISTANBUL, 2026, 12, 7, 13, 0)),
    ]
    assert worktime.add(turkey(), start, 2 * H, pauses) == local(ISTANBUL, 2026, 12, 7, 14, 0)


def test_a_calendar_edited_mid_ticket_moves_the_due():
    # given a ticket filed Monday 09:00 with 18 working hours: due Tuesday 18:00
    start = local(ISTANBUL, 2026, 12, 7, 9, 0)
    before = worktime.add(turkey(), start, 18 * H)
    assert before == local(ISTANBUL, 2026, 12, 8, 18, 0)
    # when Tuesday becomes a holiday (an administrative leave declared on Monday)
    edited = turkey((date(2026, 12, 8), date(2026, 12, 8)))
    # then the due is Wednesday 18:00, and Monday's work stays counted
    assert worktime.add(edited, start, 18 * H) == local(ISTANBUL, 2026, 12, 9, 18, 0)
    assert worktime.between(edited, start, local(ISTANBUL, 2026, 12, 8, 12, 0)) == 9 * H


def test_time_zones_are_the_calendars_own():
    # 09:00 UTC on a Monday is 12:00 in Istanbul and 04:00 in New York
    start = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    new_york = Schedule(NEW_YORK, WEEKDAYS)
    assert worktime.add(turkey(), start, H) == local(ISTANBUL, 2026, 12, 7, 13, 0)
    assert worktime.add(new_york, start, H) == local(NEW_YORK, 2026, 12, 7, 10, 0)
    assert not worktime.is_working(new_york, start)
    assert worktime.is_working(turkey(), start)


def test_a_working_day_after_daylight_saving_starts_keeps_its_wall_clock_hours():
    # New York springs forward on Sunday 8 March 2026: 09:00 is 14:00 UTC before, 13:00 after
    new_york = Schedule(NEW_YORK, WEEKDAYS)
    friday = local(NEW_YORK, 2026, 3, 6, 17, 0)
    due = worktime.add(new_york, friday, 2 * H)
    assert due == local(NEW_YORK, 2026, 3, 9, 10, 0)
    assert due == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    assert worktime.between(new_york, friday, due) == 2 * H


def test_a_working_day_across_the_fall_back_is_its_wall_clock_length():
    # Sunday 1 November 2026, 02:00 back to 01:00: a Sunday shift 00:00-06:00 lasts 7 hours
    schedule = Schedule(NEW_YORK, {6: ((time(0), time(6)),)})
    sunday = local(NEW_YORK, 2026, 11, 1, 0, 0)
    assert worktime.between(schedule, sunday, sunday + timedelta(days=1)) == 7 * H
    # and the spring-forward Sunday's shift lasts 5
    spring = local(NEW_YORK, 2026, 3, 8, 0, 0)
    assert worktime.between(schedule, spring, spring + timedelta(days=1)) == 5 * H


def test_a_shift_until_midnight_and_a_split_day():
    schedule = Schedule(ISTANBUL, {0: ((time(8), time(12)), (time(13), time(0)))})
    start = local(ISTANBUL, 2026, 12, 7, 11, 0)
    assert worktime.add(schedule, start, 2 * H) == local(ISTANBUL, 2026, 12, 7, 14, 0)
    assert worktime.add(schedule, start, 12 * H) == local(ISTANBUL, 2026, 12, 8, 0, 0)
    assert worktime.is_working(schedule, local(ISTANBUL, 2026, 12, 7, 23, 59))
    assert not worktime.is_working(schedule, local(ISTANBUL, 2026, 12, 7, 12, 30))


def test_counting_back_and_negative_spans():
    start = local(ISTANBUL, 2026, 12, 14, 10, 0)  # Monday
    assert worktime.add(turkey(), start, -2 * H) == local(ISTANBUL, 2026, 12, 11, 17, 0)
    assert worktime.between(turkey(), start, local(ISTANBUL, 2026, 12, 11, 17, 0)) == -2 * H


def test_a_schedule_without_working_hours_is_refused():
    with pytest.raises(worktime.NoWorkingTime):
        Schedule(ISTANBUL, {0: ()})


def test_a_calendar_that_is_all_holiday_gives_up_instead_of_looping():
    schedule = turkey((date(2000, 1, 1), date(2100, 1, 1)))
    with pytest.raises(worktime.NoWorkingTime):
        worktime.add(schedule, local(ISTANBUL, 2026, 12, 7, 9, 0), H)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        worktime.add(turkey(), datetime(2026, 12, 7, 9, 0), H)  # noqa: DTZ001


def test_overlapping_ranges_are_found():
    ranges = [(date(2026, 1, 1), date(2026, 1, 1)), (date(2026, 3, 19), date(2026, 3, 22))]
    assert worktime.overlapping(ranges) is None
    assert worktime.overlapping([*ranges, (date(2026, 3, 22), date(2026, 3, 23))]) == (1, 2)
