"""Recomputing the dues of many tickets as a job, not inside the admin's request.

A save in the admin that changes service levels (a calendar's hours or holidays, a
category's or a contract's calendar, a target) records a `Recompute` row in its own
transaction (`queue`) and tells the admin how many tickets it concerns. After the
commit the row goes the way of common/handover.py: to a worker's task with a broker,
else this process runs it once the response is sent; whatever is left (a broker down,
a process killed, a run that used up its time) the periodic `recompute_dues` job
(jobs/table.py) finishes.

A run (`run`) leases the row, then goes through the clocks a batch at a time
(clocks.recompute_batch: the batch's tickets locked, a few hundred at a time, each
batch with its step of the cursor in one transaction), then, for changed targets,
starts the clocks of the tickets that had none (clocks.start_batch). A run killed
halfway leaves its cursor at its last committed batch; the next run, once the lease
ran out, goes on from there. Batches are safe to repeat and to run beside another
recompute's: each ticket moved is logged once.
"""

import logging
import time
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from common.handover import Handover, lease_owner

from . import clocks
from .models import Recompute

logger = logging.getLogger(__name__)

# A run's lease, renewed after each batch: a run that died is taken over after this.
LEASE = timedelta(minutes=5)
# How long one run goes on before it leaves the rest to the next (a worker under its
# time limit, the periodic job beside the others).
BUDGET = timedelta(minutes=2)
# A web process after its response: well inside gunicorn's 60-second timeout, which
# would otherwise kill the worker mid-batch; the periodic job does the rest.
BUDGET_HERE = timedelta(seconds=20)
BATCH = clocks.BATCH  # tickets a transaction
KEEP = timedelta(days=30)  # finished rows are kept this long, for the admin's list

# Committed recomputes on their way: `sla.recompute` on a worker, else run here.
handover = Handover(
    "recompute",
    task="sla.tasks.recompute",
    send_here=lambda ids: run_all(ids, budget=BUDGET_HERE),
    job="recompute_dues",
)


def queue(
    *,
    calendar_ids=None,
    category_ids=None,
    organisation_ids=None,
    reach=None,
    targets=False,
    hand_over=True,
) -> Recompute:
    """Record, in the caller's transaction, that the tickets of the calendars,
    categories, organisations or general targets' `reach` ((priority, category id,
    kind id) rows) given are to be recomputed (with the targets that now apply, with
    `targets`); it runs after the commit (unless not `hand_over`: the caller runs it).
    Its `tickets` say how many it concerns."""
    scope = {
        name: sorted(set(ids))
        for name, ids in (
            ("calendar_ids", calendar_ids),
            ("category_ids", category_ids),
            ("organisation_ids", organisation_ids),
        )
        if ids is not None
    }
    if reach is not None:
        scope["reach"] = [list(row) for row in sorted(set(map(tuple, reach)), key=str)]
    job = Recompute(scope=scope, targets=targets)
    job.tickets = _clocks(job).count() + (_without_clocks(job).count() if targets else 0)
    job.save()
    if hand_over:
        handover.after_commit([job.pk])
    return job


def _which(job: Recompute) -> dict:
    """The job's scope as clocks.clocks_in and clocks.without_clocks take it."""
    which = {name: value for name, value in job.scope.items() if name != "reach"}
    if "reach" in job.scope:
        # No rows (only a contract's targets changed): no ticket, rather than every one.
        which["tickets"] = clocks.tickets_reached(map(tuple, job.scope["reach"])) or Q(pk=None)
    return which


def _clocks(job: Recompute):
    return clocks.clocks_in(targets=job.targets, **_which(job))


def _without_clocks(job: Recompute):
    which = _which(job)
    return clocks.without_clocks(
        organisation_ids=which.get("organisation_ids"), tickets=which.get("tickets")
    )


def run(pk: int, *, budget: timedelta | None = BUDGET) -> bool:
    """Go on with recompute `pk` unless another run holds it, for `budget` at most (None:
    to the end); whether this call ran it."""
    owner = lease_owner()
    job = _claim(pk, owner)
    if job is None:
        return False
    deadline = None if budget is None else time.monotonic() + budget.total_seconds()
    while job.finished_at is None:
        if not _step(job, owner):
            return True  # another run took it over (this one outlived its lease)
        if deadline is not None and time.monotonic() > deadline and job.finished_at is None:
            # The rest to the next run, at once: the lease is given back.
            Recompute.objects.filter(pk=pk, lease_owner=owner).update(leased_until=None)
            return True
    return True


def _claim(pk: int, owner: str) -> Recompute | None:
    """Lease the job if it is unfinished and nobody holds it; None otherwise."""
    now = timezone.now()
    free = Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    claimed = Recompute.objects.filter(free, pk=pk, finished_at__isnull=True).update(
        leased_until=now + LEASE, lease_owner=owner
    )
    return Recompute.objects.get(pk=pk) if claimed else None


def _step(job: Recompute, owner: str) -> bool:
    """One batch and its step of the cursor, in one transaction; False when the lease
    was lost (the batch is done all the same: repeating it is harmless)."""
    with transaction.atomic():
        if not job.clocks_done:
            last, moved = clocks.recompute_batch(
                _clocks(job), after=job.after_clock, targets=job.targets, size=BATCH
            )
            changes = (
                {"clocks_done": True}
                if last is None
                else {"after_clock": Greatest(F("after_clock"), last), "moved": F("moved") + moved}
            )
        elif job.targets:
            last, started = clocks.start_batch(
                _without_clocks(job), after=job.after_ticket, size=BATCH
            )
            changes = (
                {"finished_at": timezone.now()}
                if last is None
                else {
                    "after_ticket": Greatest(F("after_ticket"), last),
                    "started": F("started") + started,
                }
            )
        else:
            changes = {"finished_at": timezone.now()}
        Recompute.objects.filter(pk=job.pk).update(**changes)
        if "finished_at" in changes:
            Recompute.objects.filter(pk=job.pk).update(leased_until=None)
            ours = True
        else:
            renewed = {"leased_until": timezone.now() + LEASE}
            ours = Recompute.objects.filter(pk=job.pk, lease_owner=owner).update(**renewed)
    job.refresh_from_db()
    return bool(ours)


def bring_up_to_date(ticket_ids: list[int]) -> bool:
    """Recompute now, of every recompute still waiting, the clocks of these tickets
    (escalation's candidates: a due the admin just moved is not escalated before its
    job reaches it); whether any was waiting. Safe beside the job: a ticket moved is
    logged once."""
    waiting = list(Recompute.objects.filter(finished_at__isnull=True).order_by("pk"))
    for job in waiting:
        with transaction.atomic():
            clocks.recompute_batch(
                _clocks(job).filter(ticket_id__in=ticket_ids),
                after=0,
                targets=job.targets,
                size=len(ticket_ids),
            )
    return bool(waiting)


def run_all(ids: list[int], *, budget: timedelta = BUDGET) -> int:
    """Run the recomputes `ids` (a handover's, or the periodic job's), for `budget` at
    most in all, so that the jobs after it wait no longer; how many this call ran."""
    deadline = time.monotonic() + budget.total_seconds()
    ran = 0
    for pk in ids:
        left = deadline - time.monotonic()
        if left <= 0:
            break  # the rest to the next run
        ran += run(pk, budget=timedelta(seconds=left))
    return ran


def run_pending() -> int:
    """The periodic job: go on with every unfinished recompute nobody holds, oldest
    first; forget those finished long ago. Returns how many it ran."""
    now = timezone.now()
    waiting = Recompute.objects.filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=now), finished_at__isnull=True
    )
    ran = run_all(list(waiting.order_by("pk").values_list("pk", flat=True)))
    Recompute.objects.filter(finished_at__lt=now - KEEP).delete()
    return ran
