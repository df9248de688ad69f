"""Celery beat's schedule, built from the jobs' table.

Loaded by the settings (CELERY_BEAT_SCHEDULE), so it imports no app: only Celery and
the table.
"""

from datetime import timedelta

from celery.schedules import schedstate, schedule

from .table import JOBS, slot, slot_start


class SlotSchedule(schedule):
    """Due once at the start of each of a job's periods, counted as `run_jobs` counts
    them: beat, cron and their locks agree on which run belongs to which period."""

    def __init__(self, every: timedelta, offset: timedelta = timedelta(0), nowfun=None, app=None):
        self.offset = offset
        super().__init__(run_every=every, nowfun=nowfun, app=app)

    def is_due(self, last_run_at):
        now = self.now()
        current = slot(now, self.run_every, self.offset)
        wait = (slot_start(current + 1, self.run_every, self.offset) - now).total_seconds()
        due = current > slot(last_run_at, self.run_every, self.offset)
        return schedstate(due, max(wait, 0.1))

    def __reduce__(self):
        return self.__class__, (self.run_every, self.offset, self.nowfun)

    def __eq__(self, other):
        if isinstance(other, SlotSchedule):
            return (self.run_every, self.offset) == (other.run_every, other.offset)
        return NotImplemented

    def __hash__(self):
        return hash((self.run_every, self.offset))

    def __repr__(self):
        return f"<slot every {self.run_every} from {self.offset}>"


def beat_schedule() -> dict:
    """One beat entry a job: the `jobs.run` task with the job's name."""
    return {
        job.name: {
            "task": "jobs.run",
            "schedule": SlotSchedule(job.every, job.offset),
            "args": (job.name,),
            # A run that waited a whole period for a worker is stale: the next one is due.
            "options": {"expires": job.every.total_seconds()},
        }
        for job in JOBS
    }
