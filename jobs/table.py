"""The periodic work, in one table: celery beat's schedule (CELERY_BEAT_SCHEDULE) and
`run_jobs` (cron) both read it, so the two ways of running the site do the same work.

Adding a job is one line below. `call` names a function that takes no arguments and
returns what it did; it is named by its dotted path so that this table loads with the
settings, before any app. The function must be safe to run twice at once: each run of a
job takes its period's lock (`runner`), which makes duplicates rare, not impossible.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class Job:
    name: str
    call: str
    every: timedelta
    # Where in each period it falls due, counted from the epoch in UTC (a day's job at
    # offset 0 runs at midnight UTC, 03:00 in Turkey).
    offset: timedelta = timedelta(0)

    def slot(self, when: datetime) -> int:
        """The number of the period `when` falls in: a job runs once in each."""
        return slot(when, self.every, self.offset)

    def slot_start(self, number: int) -> datetime:
        return slot_start(number, self.every, self.offset)


JOBS = (
    Job("send_mail", "outbox.delivery.send_pending", every=timedelta(minutes=1)),
    Job("send_webhooks", "webhooks.delivery.send_pending", every=timedelta(minutes=1)),
    Job("close_resolved", "tickets.services.close_expired", every=timedelta(minutes=10)),
    Job("build_exports", "exports.services.build_pending", every=timedelta(minutes=1)),
    Job("escalate", "sla.escalation.escalate", every=timedelta(minutes=5)),
    # The dues the admin's service level changes left to recompute (sla/recomputing.py).
    Job("recompute_dues", "sla.recomputing.run_pending", every=timedelta(minutes=1)),
    Job("anonymise_closed", "privacy.services.anonymise_closed", every=timedelta(days=1)),
    # Mondays at 06:00 UTC (the epoch was a Thursday).
    Job(
        "weekly_summary",
        "dashboard.summary.send_weekly",
        every=timedelta(days=7),
        offset=timedelta(days=4, hours=6),
    ),
    # The dashboard's medians and shares within the targets for whole categories.
    Job("dashboard_snapshots", "dashboard.snapshots.refresh", every=timedelta(minutes=15)),
    Job("prune_webhooks", "webhooks.delivery.prune", every=timedelta(days=1)),
    # Mail in from the IMAP mailboxes of HELPDESK_MAILBOXES (none: nothing to do).
    Job("fetch_mail", "mailin.imap.poll_all", every=timedelta(minutes=1)),
)

BY_NAME = {job.name: job for job in JOBS}


def slot(when: datetime, every: timedelta, offset: timedelta) -> int:
    if when.tzinfo is None:  # Celery hands naive times in UTC
        when = when.replace(tzinfo=UTC)
    return math.floor((when.timestamp() - offset.total_seconds()) / every.total_seconds())


def slot_start(number: int, every: timedelta, offset: timedelta) -> datetime:
    seconds = number * every.total_seconds() + offset.total_seconds()
    return datetime.fromtimestamp(seconds, tz=UTC)
