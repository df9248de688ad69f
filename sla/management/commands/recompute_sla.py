from django.core.management.base import BaseCommand

from sla import recomputing


class Command(BaseCommand):
    help = (
        "Recompute the service level dues of every ticket not yet closed (after a "
        "calendar was changed outside the admin, or with --calendar ID, of one calendar), "
        "a batch at a time; stopped halfway, the periodic job recompute_dues goes on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--calendar", type=int, action="append", dest="calendars")

    def handle(self, *args, calendars=None, **options):
        job = recomputing.queue(calendar_ids=calendars, hand_over=False)
        if not recomputing.run(job.pk, budget=None):
            # The periodic job claimed the row between its commit and this run.
            self.stdout.write(f"Recompute {job.pk} is being run by the periodic job.")
            return
        job.refresh_from_db()
        self.stdout.write(f"{job.moved} tickets moved.")
