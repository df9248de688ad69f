"""Celery beat's schedule: one entry a job, due at the start of each of its periods."""

import datetime

from django.conf import settings

from jobs.schedule import SlotSchedule
from jobs.table import JOBS

UTC = datetime.UTC


def at(hour, minute, second=0):
    return datetime.datetime(2026, 12, 3, hour, minute, second, tzinfo=UTC)


def test_beat_runs_the_job_task_for_every_job_of_the_table():
    schedule = settings.CELERY_BEAT_SCHEDULE

    assert {name: entry["args"] for name, entry in schedule.items()} == {
        job.name: (job.name,) for job in JOBS
    }
    assert {entry["task"] for entry in schedule.values()} == {"jobs.run"}


def test_a_job_is_due_once_its_next_period_has_begun():
    every_ten = SlotSchedule(datetime.timedelta(minutes=10), nowfun=lambda: at(9, 10, 5))

    assert every_ten.is_due(at(9, 9, 59)) == (True, 595)
    assert every_ten.is_due(at(9, 10, 1)) == (False, 595)


def test_a_daily_job_falls_due_at_its_offset():
    nightly = SlotSchedule(
        datetime.timedelta(days=1), datetime.timedelta(hours=1), nowfun=lambda: at(0, 30)
    )

    # 00:30 is still in the day that began at 01:00 yesterday.
    assert nightly.is_due(at(0, 0)) == (False, 1800)
    assert nightly.is_due(at(0, 0) - datetime.timedelta(hours=23, minutes=1)) == (True, 1800)
