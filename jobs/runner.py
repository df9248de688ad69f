"""Running one job once in its period, whoever asks: beat's task, `run_jobs`, or both.

Each run first takes its period's lock in the shared cache (`cache.add` of the job's
name and period number): a second beat, a cron line beside a beat, or a task that
waited in the queue find it taken and do nothing. The work is safe to repeat anyway
(the outbox's leases, the tickets' row locks); the lock just spares the repeat.
"""

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string

from .table import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    ran: bool
    result: object = None


def run(job: Job, *, now: datetime | None = None) -> Outcome:
    """Run `job` unless its run of this period was taken already."""
    if not take_slot(job, now or timezone.now()):
        return Outcome(ran=False)
    return Outcome(ran=True, result=import_string(job.call)())


def take_slot(job: Job, now: datetime) -> bool:
    """Take the job's lock for the period `now` falls in; False if someone has it."""
    key = f"jobs:{job.name}:{job.slot(now)}"
    # Held a little past the period's end, whenever in the period it was taken.
    timeout = int(job.every.total_seconds()) + 60
    try:
        return cache.add(key, f"{socket.gethostname()}:{os.getpid()}", timeout=timeout)
    except Exception:  # noqa: BLE001 - any cache failure means "no lock", not "no work"
        # With the cache down, doing the work twice at worst beats not doing it.
        logger.warning("No lock for job %s (cache unavailable); running it anyway", job.name)
        return True
