import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from jobs import runner
from jobs.table import BY_NAME, JOBS

logger = logging.getLogger(__name__)

# The longest nap between two looks at the clock when running on.
MAX_SLEEP = 60


class Command(BaseCommand):
    help = (
        "Run the periodic jobs that are due (sending mail, closing resolved tickets, "
        "retention), each once in its period however many schedulers run: the cron "
        "alternative to celery beat. With --once, run what is due and stop."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "names", nargs="*", metavar="name", help=f"only these jobs: {', '.join(BY_NAME)}"
        )
        parser.add_argument("--once", action="store_true", help="run what is due, then stop")

    def handle(self, *args, names, once, **options):
        unknown = [name for name in names if name not in BY_NAME]
        if unknown:
            raise CommandError(
                f"No job named {', '.join(unknown)}. The jobs are: {', '.join(BY_NAME)}."
            )
        jobs = [BY_NAME[name] for name in names] if names else list(JOBS)
        if once:
            failed = self.run_due(jobs, say_skipped=True)
            if failed:
                raise CommandError(f"Failed: {', '.join(failed)} (see the log).")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        while not stop.is_set():
            close_old_connections()
            self.run_due(jobs, say_skipped=False)
            close_old_connections()
            now = timezone.now()
            wake = min(job.slot_start(job.slot(now) + 1) for job in jobs)
            stop.wait(min(max((wake - now).total_seconds(), 0.1), MAX_SLEEP))

    def run_due(self, jobs, *, say_skipped: bool) -> list[str]:
        """Run each job unless its period's run is taken; returns the names that failed."""
        failed = []
        for job in jobs:
            try:
                outcome = runner.run(job)
            except Exception:
                # One failing job must not keep the others from running.
                logger.exception("Job %s failed", job.name)
                self.stderr.write(f"{job.name}: failed")
                failed.append(job.name)
                continue
            if outcome.ran:
                self.stdout.write(f"{job.name}: {outcome.result}")
            elif say_skipped:
                self.stdout.write(f"{job.name}: already run in this period")
        return failed
