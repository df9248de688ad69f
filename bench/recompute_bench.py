"""How long the admin's save and the recompute job take when a target reaches many
tickets, and how long `refresh_dashboard --counts` holds the kept tables, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench_copy \\
        .venv/bin/python bench/recompute_bench.py [--priority medium] [--batch 200]

It changes data for good (each ticket moved is logged, and the log is append-only): run
it on a copy. It cuts the general target of --priority by half and records its
recompute as the admin's save does (timed: what the admin waits for), runs the job to
its end timing each batch (how long a batch holds its tickets' locks), puts the target
back and runs that recompute too, then times `counts.fill`.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x1y2z3" * 10)

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from dashboard import counts  # noqa: E402
from sla import clocks, recomputing  # noqa: E402
from sla.models import Target  # noqa: E402
from tickets.models import Ticket  # noqa: E402


def recompute(priority: str, minutes: int) -> None:
    target = Target.objects.get(priority=priority, contract=None, category=None, kind=None)
    started = time.perf_counter()
    with transaction.atomic():  # the admin's save: the target and the recorded recompute
        target.resolution_minutes = minutes
        target.save(update_fields=["resolution_minutes"])
        job = recomputing.queue(reach=[(priority, None, None)], targets=True, hand_over=False)
    saved = time.perf_counter() - started
    batches = []
    batch = clocks.recompute_batch

    def timed(*args, **kwargs):
        began = time.perf_counter()
        try:
            return batch(*args, **kwargs)
        finally:
            batches.append(time.perf_counter() - began)

    clocks.recompute_batch = timed
    try:
        started = time.perf_counter()
        recomputing.run(job.pk, budget=None)
        ran = time.perf_counter() - started
    finally:
        clocks.recompute_batch = batch
    job.refresh_from_db()
    print(
        f"resolution {target.resolution_minutes} -> {minutes} min: save {saved * 1000:.0f} ms "
        f"for {job.tickets:,} tickets; job {ran:.1f} s, {job.moved:,} moved, "
        f"{len(batches)} batches of {recomputing.BATCH}: median "
        f"{statistics.median(batches) * 1000:.0f} ms, longest {max(batches) * 1000:.0f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--priority", default="medium")
    parser.add_argument("--batch", type=int, default=recomputing.BATCH)
    args = parser.parse_args()
    recomputing.BATCH = args.batch
    print(f"{Ticket.objects.count():,} tickets")
    target = Target.objects.get(priority=args.priority, contract=None, category=None, kind=None)
    before = target.resolution_minutes
    recompute(args.priority, before // 2)
    recompute(args.priority, before)
    started = time.perf_counter()
    days, opened = counts.fill()
    print(
        f"counts.fill: {time.perf_counter() - started:.1f} s with the kept tables locked "
        f"({days:,} daily, {opened:,} open rows)"
    )


if __name__ == "__main__":
    main()
