from django.core.management.base import BaseCommand

from sla import clocks


class Command(BaseCommand):
    help = (
        "Recompute the service level dues of every ticket not yet closed (after a "
        "calendar was changed outside the admin, or with --calendar ID, of one calendar)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--calendar", type=int, action="append", dest="calendars")

    def handle(self, *args, calendars=None, **options):
        moved = clocks.recompute(calendar_ids=calendars)
        self.stdout.write(f"{moved} tickets moved.")
